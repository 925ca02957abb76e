// api.test.mjs — the JavaScript API of DESIGN.md through the shipped wasm module in Node: lifecycle, shapes, errors.
// Not numerics (native-parity.test.mjs) and not lessons (lessons.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadLab, labPath } from './lab.mjs';

const lab = await loadLab();
const base = { seed: 3, task: { name: 'adding', length: 12, train_size: 64, val_size: 32 },
  model: { cell: 'lstm', hidden: 8 }, optimizer: { name: 'adam', lr: 0.01 }, batch: 16, eval_every: 5 };

test('a run trains, reports a summary and returns metric histories as Float32Array copies', () => {
  const run = lab.createRun(base);
  const s = run.train(20);
  assert.equal(s.step, 20);
  assert.equal(s.diverged, false);
  assert.ok(Number.isFinite(s.loss) && s.loss > 0);
  const m = run.metrics();
  for (const k of ['step', 'loss', 'lr', 'grad_norm']) {
    assert.ok(m[k] instanceof Float32Array, k);
    assert.equal(m[k].length, 20, k);
  }
  assert.deepEqual(Array.from(m.val_step), [1, 5, 10, 15, 20]);
  assert.equal(m.grad_t.length, 12);
  run.train(5);
  assert.equal(m.loss.length, 20, 'an earlier metrics() copy does not change');
  run.dispose();
});

test('exportWeights gives PyTorch state_dict names and shapes, and importWeights round-trips them', () => {
  const run = lab.createRun({ ...base, model: { cell: 'gru', hidden: 5, layers: 2 } });
  const w = run.exportWeights();
  assert.deepEqual(Object.keys(w).sort(), ['head.bias', 'head.weight', 'rnn.bias_hh_l0', 'rnn.bias_hh_l1', 'rnn.bias_ih_l0',
    'rnn.bias_ih_l1', 'rnn.weight_hh_l0', 'rnn.weight_hh_l1', 'rnn.weight_ih_l0', 'rnn.weight_ih_l1']);
  assert.equal(w['rnn.weight_ih_l0'].length, 15);
  assert.equal(w['rnn.weight_ih_l0'][0].length, 2);
  assert.equal(w['rnn.weight_hh_l1'][0].length, 5);
  assert.equal(w['head.weight'].length, 1);
  run.train(10);
  const trained = run.exportWeights();
  assert.notDeepEqual(trained, w);
  run.importWeights(w);
  assert.deepEqual(run.exportWeights(), w);
  const bad = structuredClone(w);
  bad['rnn.weight_hh_l0'] = [[1, 2]];
  assert.throws(() => run.importWeights(bad), /rnn\.weight_hh_l0.*\[15, 5\]/);
  assert.deepEqual(run.exportWeights(), w, 'a refused import changes nothing');
  assert.throws(() => run.importWeights({ ...w, 'rnn.extra': [1] }), /unknown parameter 'rnn\.extra'/);
  assert.throws(() => run.importWeights('nope'), /expected an object/);
  run.dispose();
});

test('bad configs are refused with an Error naming the key, the value and what is allowed', () => {
  const cases = [
    [{ model: { hidden: 0 } }, /config\.model\.hidden = 0.*allowed: an integer from 1 to 1024/],
    [{ model: { hiden: 3 } }, /config\.model\.hiden: unknown key.*allowed keys: cell, hidden/],
    [{ model: { cell: 'transformer' } }, /config\.model\.cell = "transformer".*rnn, lstm, gru, mlp/],
    [{ optimizer: { name: 'sgd', betas: [0.9, 0.9] } }, /config\.optimizer\.betas: unknown key for optimizer 'sgd'/],
    [{ optimizer: { lr: Number.NaN } }, /config\.optimizer\.lr = NaN: not allowed/],
    [{ optimizer: { lr: null } }, /config\.optimizer\.lr = null: not allowed/],
    [{ task: { name: 'custom', inputs: [[[1], [Infinity]]], targets: [[1]] } }, /config\.task\.inputs\[0\]\[1\]\[0\] = Infinity/],
    [{ optimizer: { lr: -1 } }, /config\.optimizer\.lr = -1/],
    [{ task: { name: 'adding', length: 1e6 } }, /config\.task\.length = 1000000.*from 1 to 2000/],
    [{ model: { hidden: 1024, layers: 64 }, task: { name: 'adding', length: 2000 } }, /batch·length·hidden·layers/],
    [{ loss: 'cross_entropy' }, /config\.loss = "cross_entropy".*needs "mse"/],
    [{ whatever: 1 }, /config\.whatever: unknown key/],
  ];
  for (const [cfg, re] of cases) {
    assert.throws(() => lab.createRun(cfg), (e) => e instanceof Error && re.test(e.message), JSON.stringify(cfg));
  }
  assert.throws(() => lab.createRun(null), /config must be an object/);
  assert.throws(() => lab.createRun([1]), /config must be an object/);
  const cyclic = {}; cyclic.self = cyclic;
  assert.throws(() => lab.createRun(cyclic), /not plain JSON/);
  assert.equal(lab.liveRuns(), 0, 'refused runs leave no live handle');
});

test('a disposed run refuses further calls with a clear Error, and train() checks its argument', () => {
  const run = lab.createRun(base);
  assert.throws(() => run.train(-1), /steps = -1 is not allowed/);
  assert.throws(() => run.train(1.5), /steps = 1.5/);
  run.dispose();
  run.dispose();
  assert.throws(() => run.train(1), /disposed/);
  assert.throws(() => run.metrics(), /disposed/);
});

test('a learning rate of 1e9 diverges: training stops, says at which step, and keeps the history before it', () => {
  const run = lab.createRun({ ...base, model: { cell: 'rnn', hidden: 8 }, optimizer: { name: 'sgd', lr: 1e9 } });
  const s = run.train(50);
  assert.equal(s.diverged, true);
  assert.ok(s.diverged_at >= 1 && s.diverged_at <= 50);
  const m = run.metrics();
  assert.equal(m.loss.length, s.diverged_at - 1);
  assert.ok(m.loss.every(Number.isFinite));
  const again = run.train(10);
  assert.equal(again.step, s.step, 'a diverged run does not train further');
  run.dispose();
});

test('the same seed gives the same losses, a different seed different ones', () => {
  const losses = (seed) => { const r = lab.createRun({ ...base, seed }); r.train(15); const l = Array.from(r.metrics().loss); r.dispose(); return l; };
  assert.deepEqual(losses(7), losses(7));
  assert.notDeepEqual(losses(7), losses(8));
});

test('config() returns the normalized config with torch defaults filled in', () => {
  const run = lab.createRun({ task: { name: 'parity', length: 8 }, model: { cell: 'gru' } });
  const c = run.config();
  assert.deepEqual(c.optimizer.betas, [0.9, 0.999]);
  assert.equal(c.optimizer.lr, 0.001);
  assert.equal(c.loss, 'cross_entropy');
  assert.equal(c.model.outputs, 2);
  run.dispose();
});

test('wasmBytes inflates the embedded module to valid wasm, and without DecompressionStream it names the browsers that have it', async () => {
  const api = createRequire(import.meta.url)(labPath());
  const bytes = await api.wasmBytes();
  assert.ok(bytes instanceof Uint8Array && WebAssembly.validate(bytes), 'a valid wasm module');
  const saved = globalThis.DecompressionStream;
  globalThis.DecompressionStream = undefined;
  try {
    await assert.rejects(api.wasmBytes(), /no DecompressionStream.*Firefox \(113 or later\).*Safari \(16\.4 or later\)/);
  } finally {
    globalThis.DecompressionStream = saved;
  }
});
