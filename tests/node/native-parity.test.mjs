// native-parity.test.mjs — one seed gives the same data, initial weights and loss curve natively and in wasm.
// Not a speed test. Tolerances: data and uniform-drawn weights bit for bit; normal-drawn weights within 1 float ulp
// (libm's log/cos may differ); losses within 1e-5 relative over 100 steps (summation order differs between builds).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { loadLab, nativeTrace } from './lab.mjs';

const lab = await loadLab();
const haveNative = fs.existsSync(nativeTrace);

function native(config, steps) {
  return JSON.parse(execFileSync(nativeTrace, ['-', String(steps)], { input: JSON.stringify(config), maxBuffer: 1 << 28 }).toString());
}

function ulps(a, b) {
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  return Math.abs(i[0] - i[1]);
}

const configs = [
  { seed: 5, task: { name: 'adding', length: 20 }, model: { cell: 'lstm', hidden: 16 }, optimizer: { name: 'adam', lr: 0.01 } },
  { seed: 6, task: { name: 'sine', length: 16, noise: 0.1 }, model: { cell: 'gru', hidden: 12, layers: 2 },
    init: { weights: 'xavier_normal', recurrent: 'orthogonal' }, optimizer: { name: 'momentum', lr: 0.05 } },
  { seed: 7, task: { name: 'parity', length: 10 }, model: { cell: 'rnn', hidden: 16 },
    init: { weights: 'he_uniform' }, optimizer: { name: 'rmsprop', lr: 0.003 } },
  { seed: 8, task: { name: 'xor', train_size: 80, noise: 0.3 }, model: { cell: 'mlp', hidden: 32, layers: 2, dropout: 0.5, norm: 'batch' },
    optimizer: { name: 'adam', lr: 0.002 } },
  { seed: 9, task: { name: 'gaussian', features: 12 }, model: { cell: 'mlp', hidden: 24, layers: 6, activation: 'selu', norm: 'layer' },
    init: { weights: 'lecun_normal' }, optimizer: { name: 'sgd', lr: 0.01 } },
];

for (const config of configs) {
  test(`native and wasm agree for ${config.task.name}/${config.model.cell} (seed ${config.seed})`, { skip: !haveNative && 'no native build' }, () => {
    const n = native(config, 100);
    const run = lab.createRun(config);
    const w = run.exportWeights();
    const uniformOnly = !config.init || /uniform/.test(config.init.weights || 'default') && !config.init.recurrent;
    let worst = 0;
    for (const [name, value] of Object.entries(n.init)) {
      const a = value.flat(), b = w[name].flat();
      assert.equal(a.length, b.length, name);
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, ulps(a[i], b[i]));
    }
    if (uniformOnly) assert.equal(worst, 0, 'uniform draws are bit for bit');
    else assert.ok(worst <= 1, `initial weights differ by ${worst} ulp`);
    run.train(100);
    const wl = run.metrics().loss;
    const nl = n.metrics.loss;
    assert.equal(wl.length, nl.length);
    let rel = 0;
    for (let i = 0; i < nl.length; i++) rel = Math.max(rel, Math.abs(wl[i] - nl[i]) / Math.abs(nl[i]));
    assert.ok(rel < 1e-5, `largest relative loss difference ${rel}`);
    run.dispose();
  });
}
