// pack.mjs — post-link step of the wasm build: re-encodes the module that -sSINGLE_FILE embeds in rnnlab.js as base64 into
// hex (`var RnnLabWasmHex`, handed to Emscripten as Module.wasmBinary by api.js), optionally after one more binaryen pass.
// Not a bundler and not a JS minifier.
//
// Why: gzip finds far fewer repeats in base64 (every byte sequence has 3 spellings, by its offset mod 3) than in hex, which
// keeps byte boundaries; measured on this module, gzip -9 of hex is ~16 % smaller than of base64, though hex is 1.4× larger
// raw. The file stays one classic script that fetches nothing (file:// pages, Blob workers, Node's require).
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
import { execFileSync } from 'node:child_process';

const file = process.argv[2];
const wasmOpt = process.argv[3] === '--wasm-opt' ? process.argv[4] : null;
const js = fs.readFileSync(file, 'utf8');
// the variable is `wasmBinaryFile`, or a one- or two-letter name after --closure 1; the empty prefix constant never matches (+)
const re = /([A-Za-z_$][\w$]*)="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/g;
const found = [...js.matchAll(re)];
if (found.length !== 1) {
  if (/^var RnnLabWasmHex="/.test(js)) process.exit(0); // already packed (a re-run without a re-link)
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
const out = `var RnnLabWasmHex="${wasm.toString('hex')}";\n` +
  js.replace(found[0][0], `${found[0][1]}="data:application/octet-stream;base64,"`);
fs.writeFileSync(file, out);
