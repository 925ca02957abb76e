// Shared helpers for the browser tests: a static http server over dist/, a headless Chromium, console-error collection.
// Not a test file itself (no *.test.mjs name) and no build step: the tests expect the test build (`make test-dist`:
// build/dist-test, dist/ plus window.__lab and the crash hooks) to be built already; RNNLAB_DIST names another.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const DIST = path.resolve(process.env.RNNLAB_DIST || path.join(ROOT, 'build/dist-test'));
export const LESSON = 'lessons/01-why-lstm.html';
export const SHOTS = process.env.RNNLAB_SHOTS || '/tmp/rnnlab-shots';

export function assertBuilt() {
  for (const f of ['index.html', LESSON, 'rnnlab.js', 'assets/worker-bundle.js', 'assets/lesson-bundle.js']) {
    if (!fs.existsSync(path.join(DIST, f))) {
      throw new Error(`${path.join(DIST, f)} is missing: build the test site first (make test-dist)`);
    }
  }
}

// Serves `root` on 127.0.0.1 at a free port with scripts/serve.mjs (the server `make start` uses); `extra` maps url
// paths to [type, body] (e.g. an iframe host page).
export async function startServer(root = DIST, extra = {}) {
  const { server, port } = await serve(root, 0, '127.0.0.1', extra);
  return { server, port, url: (p = '') => `http://127.0.0.1:${port}/${p}`, close: () => new Promise((r) => server.close(r)) };
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

// The Chart.js charts are made in idle time after the page is set up, or each at its first data (web/charts.js): a test that
// reads a chart before training waits for them.
export async function waitCharts(frameOrPage, timeout = 30000) {
  await frameOrPage.waitForFunction(() => window.__lab && window.__lab.chartsMade(), null, { timeout });
}

// The set-up every browser test file shares: dist/ must be built, one server over it and one Chromium for the whole file,
// closed after it. `onReady(server, browser)` receives them before the first test; `extra` as for startServer.
export function useBrowser(onReady, extra = {}) {
  let server, browser;
  before(async () => {
    assertBuilt();
    server = await startServer(DIST, extra);
    browser = await launch();
    onReady(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}
