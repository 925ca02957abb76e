// shipped.test.mjs — what dist/ ships, read as files: no test hooks in its scripts (they are in the test build only,
// build/dist-test), one classic script per page with its source map beside it, rnnlab.js within its size budget, web/
// files within their line budget. No browser (tests/e2e/ drive the pages).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { root } from './lab.mjs';

const read = (p) => fs.readFileSync(path.join(root, p), 'utf8');

test('the scripts in dist/ carry no test hooks: no window.__lab, no crash command, no global Chart', () => {
  const lesson = read('dist/assets/lesson-bundle.js'), worker = read('dist/assets/worker-bundle.js');
  for (const [what, re] of [['window.__lab', /__lab\b/], ['the trainer\'s crash hooks', /testHooks:\{/], ['a global Chart', /self\.Chart\s*=/]]) {
    assert.ok(!re.test(lesson), `dist/assets/lesson-bundle.js has ${what}`);
  }
  assert.ok(/__crash:void 0/.test(worker), 'the worker has no __crash handler');
});

test('the test build has the hooks the browser tests use', () => {
  assert.ok(/__lab\b/.test(read('build/dist-test/assets/lesson-bundle.js')), 'window.__lab');
  assert.ok(!/__crash:void 0/.test(read('build/dist-test/assets/worker-bundle.js')), 'the worker\'s __crash handler');
});

test('each page loads one classic script of its own, with a source map beside it', () => {
  const lessonHtml = read('dist/lessons/01-why-lstm.html'), index = read('dist/index.html');
  assert.deepEqual([...lessonHtml.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]), ['../assets/worker-bundle.js', '../assets/lesson-bundle.js']);
  assert.deepEqual([...index.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]), ['assets/index-bundle.js']);
  assert.ok(!/type="module"/.test(lessonHtml + index), 'no module scripts (file:// refuses them)');
  for (const f of ['lesson-bundle.js', 'index-bundle.js']) {
    assert.ok(new RegExp(`//# sourceMappingURL=${f}\\.map\\s*$`).test(read(`dist/assets/${f}`)), `${f} names its map`);
    assert.ok(JSON.parse(read(`dist/assets/${f}.map`)).sources.some((s) => s.endsWith('web/page.js')));
  }
});

// issue #14: what a student downloads for the module and its API. Node's zlib at level 9 (the `gzip -9` command gives
// ~250 B more on this file); docs/performance.md keeps the history and what each step saved.
const RNNLAB_GZIP_BUDGET = 150000;

test('dist/rnnlab.js gzipped at level 9 is at most 150,000 bytes', () => {
  const bytes = zlib.gzipSync(fs.readFileSync(path.join(root, 'dist/rnnlab.js')), { level: 9 }).length;
  assert.ok(bytes <= RNNLAB_GZIP_BUDGET, `dist/rnnlab.js is ${bytes} B gzipped, over the ${RNNLAB_GZIP_BUDGET} B budget by ${bytes - RNNLAB_GZIP_BUDGET} B`);
});

test('dist/rnnlab.js embeds the wasm module deflated, once, and it inflates to a wasm module', () => {
  const found = [...read('dist/rnnlab.js').matchAll(/var RnnLabWasmDeflate="([A-Za-z0-9+/=]+)"/g)];
  assert.equal(found.length, 1, 'one RnnLabWasmDeflate string (bindings/pack.mjs)');
  const wasm = zlib.inflateSync(Buffer.from(found[0][1], 'base64'));
  assert.equal(wasm.readUInt32LE(0), 0x6d736100, 'starts with \\0asm');
  assert.ok(WebAssembly.validate(wasm), 'a valid module (SIMD included)');
});

// issue #14: a file in web/ does one job; past 400 lines it is doing several (split it, as export-torch*.js was)
const WEB_LINE_BUDGET = 400;

test('no JavaScript file in web/ is over 400 lines', () => {
  const files = fs.readdirSync(path.join(root, 'web'), { recursive: true }).map(String).filter((f) => /\.(m?js)$/.test(f));
  assert.ok(files.length > 20, `found ${files.length} .js files in web/`);
  const over = files.map((f) => ({ f, n: read(path.join('web', f)).split('\n').length - 1 })).filter((x) => x.n > WEB_LINE_BUDGET);
  assert.deepEqual(over.map((x) => `web/${x.f}: ${x.n} lines`), [], `over ${WEB_LINE_BUDGET} lines`);
});
