// pack.mjs — post-link step of the wasm build: replaces the module that -sSINGLE_FILE embeds in rnnlab.js as base64 by the
// base64 of the module *deflated* (zlib format, level 9: `var RnnLabWasmDeflate`), which api.js inflates with the platform's
// DecompressionStream and hands to Emscripten as Module.wasmBinary; optionally after one more binaryen pass.
// Not a bundler, not a JS minifier, and not an inflater (the browser's and Node's own is used).
//
// Why: gzip finds few repeats in base64 of the raw module (each byte sequence has 3 spellings, by its offset mod 3); hex
// (sessions 2–5) kept byte boundaries and gzipped ~16 % smaller than that, but base64 of the deflated module gzips to
// almost exactly the deflated size (deflate's output has no repeats left; base64 costs gzip ~0.4 % over raw bytes):
// dist/rnnlab.js 154.5 → 140.5 kB gzip -9 (Node's zlib; docs/performance.md "Session 6"). Hex of the deflated module
// gzips 10 kB worse than base64, and the zlib header + Adler-32 (19 B gzipped over deflate-raw) buy a checksum and the
// wider support of DecompressionStream('deflate'). The file stays one classic script that fetches nothing (file:// pages,
// Blob workers, Node's require).
//
// With --wasm-opt PATH it first runs binaryen's -Oz over the module once more: Emscripten 3.1.6 optimises before its
// dead-code elimination (wasm-metadce) and not after it, which leaves ~7 kB of code that a second pass removes (−1.8 kB
// gzipped). Same features as Emscripten's own wasm-opt calls (--mvp-features --enable-simd).
//
// usage: node bindings/pack.mjs build/wasm/rnnlab.js [--wasm-opt /usr/bin/wasm-opt]
//        (rewrites it in place; fails unless the base64 module is found once)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';

const file = process.argv[2];
const wasmOpt = process.argv[3] === '--wasm-opt' ? process.argv[4] : null;
const js = fs.readFileSync(file, 'utf8');
// the variable is `wasmBinaryFile`, or a one- or two-letter name after --closure 1; the empty prefix constant never matches (+)
const re = /([A-Za-z_$][\w$]*)="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/g;
const found = [...js.matchAll(re)];
if (found.length !== 1) {
  if (/^var RnnLabWasmDeflate="/.test(js)) process.exit(0); // already packed (a re-run without a re-link)
  console.error(`pack.mjs: expected one base64 wasm data URI in ${file}, found ${found.length}`);
  process.exit(1);
}
let wasm = Buffer.from(found[0][2], 'base64');
if (wasm.readUInt32LE(0) !== 0x6d736100) { console.error(`pack.mjs: the data URI in ${file} is not a wasm module`); process.exit(1); }
if (wasmOpt) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-pack-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.wasm'), wasm);
    execFileSync(wasmOpt, ['-Oz', '--low-memory-unused', '--zero-filled-memory', '--mvp-features', '--enable-simd',
      path.join(dir, 'in.wasm'), '-o', path.join(dir, 'out.wasm')], { stdio: 'inherit' });
    wasm = fs.readFileSync(path.join(dir, 'out.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
// the data URI is left empty (a data: URI, so Emscripten never tries to fetch a file); api.js passes the bytes instead
const packed = zlib.deflateSync(wasm, { level: 9 });
if (Buffer.compare(zlib.inflateSync(packed), wasm) !== 0) { console.error('pack.mjs: deflate round trip differs'); process.exit(1); }
const out = `var RnnLabWasmDeflate="${packed.toString('base64')}";\n` +
  js.replace(found[0][0], `${found[0][1]}="data:application/octet-stream;base64,"`);
fs.writeFileSync(file, out);
