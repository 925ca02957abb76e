// serve.mjs — a tiny static file server for dist/ on 127.0.0.1 (make start, and the browser tests import serve()).
// Not a dev server: no reload, no proxy, no directory listings; GET/HEAD of files under the root only. Text, scripts and
// wasm are sent gzipped to clients that accept it, as static hosts (GitHub Pages, nginx, Netlify) do.
import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.ico': 'image/x-icon',
};

// content types worth compressing (images and fonts are compressed already)
const COMPRESSIBLE = /^(text\/|application\/(json|wasm)|image\/svg)/;

// gzip once per file version: key path → { mtimeMs, size, gz }
const gzCache = new Map();
function gzipped(file, stat, data) {
  const hit = gzCache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.gz;
  const gz = zlib.gzipSync(data, { level: 6 });
  gzCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, gz });
  return gz;
}

// extra maps url paths to [content type, body]: in-memory pages (the tests' cross-origin iframe host)
export function serve(root, port = 0, host = '127.0.0.1', extra = {}) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); res.end(); return; }
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400); res.end(); return; }
    if (extra[rel]) { res.writeHead(200, { 'content-type': extra[rel][0] }); res.end(extra[rel][1]); return; }
    let file = path.join(base, rel);
    if (file !== base && !file.startsWith(base + path.sep)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-cache' };
      let body = data;
      if (COMPRESSIBLE.test(type) && data.length > 1024) {
        headers.vary = 'accept-encoding';
        if (/\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
          body = gzipped(file, fs.statSync(file), data);
          headers['content-encoding'] = 'gzip';
        }
      }
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, port: server.address().port, url: `http://${host}:${server.address().port}/` }));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
  const dir = opt('--dir', 'dist');
  const port = Number(opt('--port', process.env.PORT || 8000));
  serve(dir, port).then(({ url }) => {
    console.log(`RNN Tuning Lab: serving ${path.resolve(dir)} at ${url}  (Ctrl-C to stop)`);
    console.log(`  lesson 1: ${url}lessons/01-why-lstm.html`);
  }, (e) => { console.error(`serve: cannot listen on port ${port}: ${e.message} (set PORT=… to choose another)`); process.exit(1); });
}
