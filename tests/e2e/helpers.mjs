// Shared helpers for the browser tests: a static http server over dist/, a headless Chromium, console-error collection.
// Not a test file itself (no *.test.mjs name) and no build step: the tests expect dist/ to be built already.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const DIST = path.resolve(process.env.RNNLAB_DIST || path.join(ROOT, 'dist'));
export const LESSON = 'lessons/01-why-lstm.html';
export const SHOTS = process.env.RNNLAB_SHOTS || '/tmp/rnnlab-shots';

export function assertBuilt() {
  for (const f of ['index.html', LESSON, 'rnnlab.js', 'assets/worker-bundle.js', 'assets/chart.umd.min.js']) {
    if (!fs.existsSync(path.join(DIST, f))) {
      throw new Error(`${path.join(DIST, f)} is missing: build first (node web/build.mjs --rnnlab build/wasm/rnnlab.js --out dist)`);
    }
  }
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.ttf': 'font/ttf', '.svg': 'image/svg+xml', '.png': 'image/png', '.wasm': 'application/wasm'
};

// Serves `root` on 127.0.0.1 at a free port; `extra` maps url paths to [type, body] (e.g. an iframe host page).
export function startServer(root = DIST, extra = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = decodeURIComponent(url.pathname);
    if (extra[p]) {
      res.writeHead(200, { 'content-type': extra[p][0] });
      res.end(extra[p][1]);
      return;
    }
    const file = path.join(root, p.endsWith('/') ? p + 'index.html' : p);
    if (!file.startsWith(root + path.sep) && file !== root) { res.writeHead(403); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, port, url: (p = '') => `http://127.0.0.1:${port}/${p}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export const fileUrl = (p) => pathToFileURL(path.join(DIST, p)).href;

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// Collects console errors and page errors (page and its workers) into an array.
export function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker console: ${m.text()}`); }));
  return errors;
}

// Waits until the lesson runtime is ready (worker loaded, runs created).
export async function waitReady(frameOrPage, timeout = 30000) {
  await frameOrPage.waitForFunction(() => window.__lab && window.__lab.ready() && !document.getElementById('btn-train').disabled, null, { timeout });
}
