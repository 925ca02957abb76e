// robustness.test.mjs — the API under abuse, bounded for `make test` (SOAK=1 runs the long versions): 10,000 random and
// mutated configs, create/dispose cycles and long training with flat memory, hostile values. Not a speed test.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadLab, root } from './lab.mjs';

const lab = await loadLab();
const SOAK = process.env.SOAK === '1';

// a small deterministic PRNG for the fuzzer itself
let s = 12345;
const rnd = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 4294967296; };
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

const seeds = fs.readdirSync(path.join(root, 'tests/fuzz/corpus')).map((f) => JSON.parse(fs.readFileSync(path.join(root, 'tests/fuzz/corpus', f), 'utf8')));
const weird = [0, -1, 1, 2, 3.5, 1e9, -1e9, 1e-12, 65, 2001, 1025, 100001, '', 'x', 'lstm', true, false, null, [], {}, [1, 2], { a: 1 },
  Number.NaN, Infinity, '<img src=x onerror=alert(1)>', 'constructor', '__proto__', 0.999999, 4294967296];
const keys = ['seed', 'task', 'name', 'length', 'train_size', 'val_size', 'noise', 'target', 'symbols', 'delay', 'features', 'text', 'inputs',
  'targets', 'model', 'cell', 'hidden', 'layers', 'readout', 'outputs', 'nonlinearity', 'activation', 'residual', 'dropout', 'norm', 'init',
  'weights', 'recurrent', 'bias', 'scale', 'gain', 'forget_bias', 'head', 'optimizer', 'lr', 'momentum', 'nesterov', 'betas', 'eps',
  'amsgrad', 'schedule', 'step_size', 'gamma', 'T_max', 'warmup', 'loss', 'batch', 'regularization', 'l1', 'l2', 'clip', 'eval_every', 'bogus'];

function mutate(v, depth = 0) {
  if (v && typeof v === 'object' && !Array.isArray(v) && depth < 3 && rnd() < 0.7) {
    const out = { ...v };
    const ks = Object.keys(out);
    const r = rnd();
    if (r < 0.3 && ks.length) { const k = pick(ks); out[k] = mutate(out[k], depth + 1); }
    else if (r < 0.5 && ks.length) delete out[pick(ks)];
    else if (r < 0.8) out[pick(keys)] = pick(weird);
    else if (ks.length) out[pick(ks)] = pick(weird);
    return out;
  }
  return rnd() < 0.5 ? pick(weird) : v;
}

test(`${SOAK ? 100000 : 10000} random and mutated configs: every refusal is an Error with a message, every accepted run trains`, (t) => {
  const n = SOAK ? 100000 : 10000;
  let accepted = 0, refused = 0;
  for (let i = 0; i < n; i++) {
    let cfg = structuredClone(pick(seeds));
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < rounds; k++) cfg = mutate(cfg);
    if (rnd() < 0.05) cfg = pick(weird);
    let run = null;
    try {
      run = lab.createRun(cfg);
    } catch (e) {
      assert.ok(e instanceof Error, `non-Error thrown for ${JSON.stringify(cfg)}: ${e}`);
      assert.ok(e.message.length > 10, `empty message for ${JSON.stringify(cfg)}`);
      refused++;
      continue;
    }
    accepted++;
    const out = run.train(2);
    assert.equal(typeof out.diverged, 'boolean');
    run.dispose();
  }
  assert.equal(lab.liveRuns(), 0);
  assert.ok(accepted > n * 0.05 && refused > n * 0.3, `accepted ${accepted}, refused ${refused}`);
  t.diagnostic(`accepted ${accepted}, refused ${refused}`);
});

test('1,000 create/dispose cycles leave malloc\'d memory, wasm memory and embind handles flat', (t) => {
  const cfg = { task: { name: 'adding', length: 20, train_size: 256, val_size: 32 }, model: { cell: 'lstm', hidden: 16 }, batch: 8 };
  const cycle = () => { const r = lab.createRun(cfg); r.train(2); r.metrics(); r.exportWeights(); r.dispose(); };
  for (let i = 0; i < 20; i++) cycle();  // warm up: allocator pools, embind type tables
  const before = { heap: lab.heapInUse(), mem: lab.heapBytes(), handles: lab.handles() };
  for (let i = 0; i < 1000; i++) cycle();
  const after = { heap: lab.heapInUse(), mem: lab.heapBytes(), handles: lab.handles() };
  t.diagnostic(`malloc in use ${before.heap} → ${after.heap} B, wasm memory ${before.mem} → ${after.mem} B, embind handles ${before.handles} → ${after.handles}`);
  assert.ok(Math.abs(after.heap - before.heap) < 64 * 1024, `malloc in use ${before.heap} → ${after.heap}`);
  assert.equal(after.mem, before.mem, 'wasm memory did not grow');
  assert.equal(after.handles, before.handles, 'embind handles');
  assert.equal(lab.liveRuns(), 0);
});

test(`${SOAK ? '100,000' : '10,000'} training steps keep memory flat apart from the metric histories`, (t) => {
  const steps = SOAK ? 100000 : 10000;
  const run = lab.createRun({ task: { name: 'parity', length: 8, train_size: 128, val_size: 16 }, model: { cell: 'gru', hidden: 8 }, batch: 8, eval_every: 1000 });
  run.train(100);
  const before = lab.heapInUse();
  for (let done = 100; done < steps; done += 1000) { run.train(Math.min(1000, steps - done)); run.metrics(); }
  const after = lab.heapInUse();
  t.diagnostic(`malloc in use ${before} → ${after} B over ${steps} steps (wasm memory ${lab.heapBytes()} B)`);
  // histories: 5 float32 per step (step, loss, lr, grad_norm, accuracy) in vectors that may double: ≤ 2·5·4 bytes per step
  const allowance = 2 * 5 * 4 * steps + 64 * 1024;
  assert.ok(after - before < allowance, `malloc in use grew ${after - before} bytes over ${steps} steps (allowed ${allowance})`);
  assert.equal(run.summary().step, steps);
  run.dispose();
});

test('hostile values are data: HTML in a config comes back as text in the error message, never evaluated', () => {
  const payload = '<img src=x onerror="globalThis.__pwned=1">';
  assert.throws(() => lab.createRun({ task: { name: payload } }), (e) => e.message.includes('<img src=x'));
  assert.throws(() => lab.createRun({ [payload]: 1 }), (e) => e.message.includes('unknown key'));
  assert.equal(globalThis.__pwned, undefined);
  const run = lab.createRun({ task: { name: 'text', length: 8, text: payload + ' and some more text here' }, model: { cell: 'rnn', hidden: 4 } });
  run.train(3);
  run.dispose();
});
