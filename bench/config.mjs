// config.mjs — the one benchmark training step as a core config: custom task, 32 random sequences of 50 steps × 8
// inputs, one random target each, 1-layer cell of hidden H, SGD. Not a lesson preset and not a test fixture.
//
// usage: node bench/config.mjs --cell lstm|gru --hidden H [--out FILE]   (prints the JSON when --out is absent)
// Every benchmark (native, wasm, TF.js) reads the same file, so all of them train on the same numbers.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHAPE = { batch: 32, length: 50, inputs: 8, outputs: 1 };

// mulberry32: a small deterministic generator, so the data does not depend on Math.random or the Node version
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// uniform in [−1, 1), rounded to 6 decimals so the JSON text (and the float32 each reader makes of it) is exact to reproduce
export function makeConfig(cell, hidden, seed = 1) {
  const r = rng(1234);
  const u = () => Math.round((2 * r() - 1) * 1e6) / 1e6;
  const { batch: B, length: T, inputs: F, outputs: O } = SHAPE;
  const inputs = Array.from({ length: B }, () => Array.from({ length: T }, () => Array.from({ length: F }, u)));
  const targets = Array.from({ length: B }, () => Array.from({ length: O }, u));
  return {
    seed,
    task: { name: 'custom', inputs, targets },
    model: { cell, hidden, layers: 1, readout: 'last' },
    optimizer: { name: 'sgd', lr: 0.01 },
    loss: 'mse',
    eval_every: 1000000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const a = process.argv.slice(2);
  const opt = (k, d) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : d; };
  const cell = opt('--cell', 'lstm'), hidden = Number(opt('--hidden', '32')), out = opt('--out', null);
  if (!['lstm', 'gru'].includes(cell) || !Number.isInteger(hidden) || hidden < 1) {
    console.error('usage: node bench/config.mjs --cell lstm|gru --hidden H [--out FILE]');
    process.exit(2);
  }
  const text = JSON.stringify(makeConfig(cell, hidden));
  if (out) fs.writeFileSync(out, text); else process.stdout.write(text + '\n');
}
