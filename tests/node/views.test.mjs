// views.test.mjs — the pure logic of the views (web/view-data.js: modes, heatmaps, token rows, grids, colours) and the worker's
// answers to their questions (web/worker-look.js on the wasm module: plain arrays, clear errors, the run untouched).
// Not the charts' drawing (tests/e2e/views.test.mjs) and not the API's own numbers (inspect.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as V from '../../web/view-data.js';
import { answer, plain } from '../../web/worker-look.js';
import { loadLab } from './lab.mjs';

const lab = await loadLab();

test('each task gets the prediction picture that suits it', () => {
  const m = (info) => V.predictionMode({ info, task: {} });
  assert.equal(m({ name: 'sine', inputs: 1, outputs: 1, classes: false, every: false }), 'series');
  assert.equal(m({ name: 'sine', inputs: 1, outputs: 2, classes: true, every: false }), 'classes');
  assert.equal(m({ name: 'adding', inputs: 2, outputs: 1, classes: false, every: false }), 'scatter');
  assert.equal(m({ name: 'xor', inputs: 2, outputs: 2, classes: true, every: false, length: 1 }), 'surface');
  assert.equal(m({ name: 'copy', inputs: 10, outputs: 9, classes: true, every: true }), 'tokens');
  assert.equal(m({ name: 'parity', inputs: 1, outputs: 2, classes: true, every: false }), 'tokens');
  assert.equal(m({ name: 'text', inputs: 41, outputs: 41, classes: true, every: true }), 'none');
});

test('a heatmap has one row per unit and one column per time step, gates on [0, 1] and signed values around 0', () => {
  const r = { layers: [{ h: [[0.5, -0.25], [0.1, 0.2], [-0.3, 0.9]], c: [[3, 0], [0, 0], [0, 0]], gates: { f: [[0.9, 0.1], [1, 0], [0.5, 0.5]] } }] };
  const h = V.heatmapOf(r, 0, 'h');
  assert.deepEqual(h.values, [[0.5, 0.1, -0.3], [-0.25, 0.2, 0.9]]);
  assert.equal(h.units, 2);
  assert.equal(h.steps, 3);
  assert.deepEqual([h.lo, h.hi, h.gate], [-1, 1, false]);
  assert.deepEqual(h.meanT.map((v) => Math.round(v * 1000) / 1000), [0.125, 0.15, 0.3]);
  const f = V.heatmapOf(r, 0, 'f');
  assert.deepEqual([f.lo, f.hi, f.gate], [0, 1, true]);
  assert.equal(V.heatmapOf(r, 0, 'z'), null, 'an LSTM has no z');
  assert.equal(V.heatmapOf(r, 1, 'h'), null, 'no second layer');
});

test('one large unit does not wash out the colour scale of the others', () => {
  const c = [];
  for (let t = 0; t < 10; t++) { const row = []; for (let u = 0; u < 40; u++) row.push(u === 0 ? 50 : 1.5); c.push(row); }
  const hm = V.heatmapOf({ layers: [{ h: c, c }] }, 0, 'c');
  assert.equal(hm.hi, 1.5);
  assert.equal(hm.lo, -1.5);
});

test('the inside view offers h, then the cell state and gates of each cell', () => {
  assert.deepEqual(V.quantities('lstm'), ['h', 'c', 'f', 'i', 'g', 'o']);
  assert.deepEqual(V.quantities('gru'), ['h', 'z', 'r', 'n']);
  assert.deepEqual(V.quantities('rnn'), ['h']);
  assert.deepEqual(V.quantities('mlp'), ['h']);
});

test('copy tokens are read from one-hot inputs and wrong predictions are marked', () => {
  const oneHot = (k) => Array.from({ length: 10 }, (_, i) => (i === k ? 1 : 0));
  const probs = (k) => Array.from({ length: 9 }, (_, i) => (i === k ? 0.9 : 0.0125));
  const r = { inputs: [oneHot(2), oneHot(7), oneHot(9), oneHot(8), oneHot(8)], target: [8, 8, 8, 2, 7], output: [probs(8), probs(8), probs(8), probs(2), probs(3)] };
  const rows = V.tokenRows('copy', r);
  assert.deepEqual(rows.input, ['C', 'H', '▸', '·', '·']);
  assert.deepEqual(rows.target, ['·', '·', '·', 'C', 'H']);
  assert.deepEqual(rows.output, ['·', '·', '·', 'C', 'D']);
  assert.deepEqual(rows.wrong, [false, false, false, false, true]);
  assert.equal(rows.errors, 1);
  assert.equal(rows.scored, 5);
});

test('parity shows the input bits and one answer at the end, marked when wrong', () => {
  const rows = V.tokenRows('parity', { inputs: [[1], [0], [1], [1]], target: 1, output: [0.8, 0.2] });
  assert.deepEqual(rows.input, ['1', '0', '1', '1']);
  assert.deepEqual(rows.target, ['1']);
  assert.deepEqual(rows.output, ['0']);
  assert.deepEqual(rows.wrong, [true]);
});

test('parity reads the core\'s ±1 inputs as bits and counts wrong answers over every sequence asked', () => {
  const seq = (bits, p1) => ({ inputs: bits.map((b) => [b ? 1 : -1]), target: bits.reduce((a, b) => a ^ b, 0), output: [1 - p1, p1] });
  const rs = [seq([1, 0, 1], 0.9), seq([1, 1, 1], 0.2), seq([0, 0, 1], 0.7), seq([0, 1, 1], 0.6)];
  const d = V.parityRows(rs, 1);
  assert.deepEqual(d.input, ['1', '1', '1'], 'the selected sequence');
  assert.deepEqual(d.wrong, [true], 'its answer (0 for three 1 bits) is wrong');
  assert.equal(d.errors, 3, 'sequences 1, 2 and 4 are answered wrong');
  assert.equal(d.scored, 4);
});

test('the decision-surface grid covers the square cell by cell and reads back as rows of class-1 probabilities', () => {
  const g = V.gridInputs(4, -1, 1);
  assert.equal(g.length, 16);
  assert.deepEqual(g[0], [[-0.75, -0.75]]);
  assert.deepEqual(g[1], [[-0.25, -0.75]]);
  assert.deepEqual(g[4], [[-0.75, -0.25]]);
  const probs = g.map((x) => [0, x[0][0] > 0 ? 1 : 0]);
  const rows = V.gridClass1(probs, 4);
  assert.deepEqual(rows[0], [0, 0, 1, 1]);
  assert.equal(rows.length, 4);
});

test('colours: gates go from white to blue, signed values from orange through white to blue', () => {
  assert.deepEqual(V.colour(0, 0, 1, true), [247, 247, 247]);
  assert.deepEqual(V.colour(1, 0, 1, true), [0, 114, 178]);
  assert.deepEqual(V.colour(-1, -1, 1, false), [213, 94, 0]);
  assert.deepEqual(V.colour(0, -1, 1, false), [247, 247, 247]);
  assert.deepEqual(V.colour(5, -1, 1, false), [0, 114, 178], 'clipped');
  assert.deepEqual(V.colour(NaN, -1, 1, false), [128, 128, 128]);
});

test('the marked steps of an adding sample are the ones whose marker input is 1', () => {
  assert.deepEqual(V.markedSteps([[0.3, 0], [0.5, 1], [0.1, 0], [0.9, 1]]), [1, 3]);
});

test('fit statistics: a perfect prediction has error 0 and R² 1', () => {
  const s = V.fitStats([{ x: 1, y: 1 }, { x: 2, y: 2 }, { x: 3, y: 3 }]);
  assert.equal(s.mae, 0);
  assert.equal(s.r2, 1);
  assert.ok(V.fitStats([{ x: 1, y: 2 }, { x: 2, y: 2 }, { x: 3, y: 2 }]).r2 <= 0);
});

test('the worker answers with plain arrays, never typed arrays (views into wasm memory go stale)', () => {
  const run = lab.createRun({ task: { name: 'adding', length: 8 }, model: { cell: 'lstm', hidden: 4 } });
  const [ins, pred, info] = answer(run, [{ op: 'inspect', sample: 0 }, { op: 'predict', inputs: [[[0.5, 1], [0.2, 0]]] }, { op: 'info' }]);
  const typed = (v) => ArrayBuffer.isView(v) || (Array.isArray(v) ? v.some(typed) : v && typeof v === 'object' && Object.values(v).some(typed));
  assert.equal(typed(ins), false);
  assert.equal(typed(pred), false);
  assert.equal(ins.inputs.length, 8);
  assert.equal(ins.layers[0].gates.f[0].length, 4);
  assert.equal(pred.length, 1);
  assert.equal(info.info.name, 'adding');
  assert.equal(info.model.cell, 'lstm');
  assert.deepEqual(plain({ a: new Float32Array([1, 2]) }), { a: [1, 2] });
  run.dispose();
});

test('asking for inspect without layers leaves out the per-layer arrays', () => {
  const run = lab.createRun({ task: { name: 'xor' }, model: { cell: 'mlp', hidden: 8 } });
  const [r] = answer(run, [{ op: 'inspect', sample: 3, layers: false }]);
  assert.deepEqual(Object.keys(r).sort(), ['inputs', 'output', 'target']);
  run.dispose();
});

test('a free-running forecast feeds the model its own output, and refuses tasks it does not fit', () => {
  const run = lab.createRun({ task: { name: 'sine', length: 10 }, model: { cell: 'gru', hidden: 8 } });
  run.train(20);
  const [f] = answer(run, [{ op: 'forecast', sample: 1, steps: 15 }]);
  assert.equal(f.window.length, 10);
  assert.equal(f.forecast.length, 15);
  // the first forecast value is predict() on the window itself
  const direct = plain(run.predict([f.window.map((v) => [v])]))[0][0];
  assert.equal(f.forecast[0], direct);
  assert.throws(() => answer(run, [{ op: 'forecast', sample: 0, steps: 0 }]), /forecast\.steps = 0: not allowed; allowed: an integer from 1 to 500/);
  const add = lab.createRun({ task: { name: 'adding', length: 5 }, model: { cell: 'gru', hidden: 4 } });
  assert.throws(() => answer(add, [{ op: 'forecast', sample: 0, steps: 3 }]), /forecast: allowed only on a task with one input/);
  run.dispose(); add.dispose();
});

test('bad questions come back as clear errors and the run trains on exactly as if never asked', () => {
  const cfg = { seed: 3, task: { name: 'text', length: 12 }, model: { cell: 'lstm', hidden: 8 } };
  const asked = lab.createRun(cfg), quiet = lab.createRun(cfg);
  asked.train(5); quiet.train(5);
  assert.throws(() => answer(asked, [{ op: 'generate', temperature: -1 }]), /temperature/);
  assert.throws(() => answer(asked, [{ op: 'inspect', sample: 1e9 }]), /inspect\.sample = 1000000000: not allowed/);
  assert.throws(() => answer(asked, [{ op: 'fly' }]), /look\.op = fly: not allowed; allowed: predict, inspect, generate, forecast, info/);
  assert.throws(() => answer(asked, []), /look\.asks: allowed: 1 to 256 asks/);
  const [text] = answer(asked, [{ op: 'generate', prime: 'Al', length: 20, temperature: 0.5, seed: 2 }]);
  assert.equal(typeof text, 'string');
  answer(asked, [{ op: 'inspect', sample: 0 }, { op: 'predict', inputs: [Array.from({ length: 12 }, () => new Array(asked.taskInfo().inputs).fill(0))] }]);
  const a = asked.train(10), q = quiet.train(10);
  assert.equal(a.loss, q.loss);
  assert.deepEqual(Array.from(asked.metrics().loss), Array.from(quiet.metrics().loss));
  asked.dispose(); quiet.dispose();
});

test('a claim on the insides averages a gate over the steps after the first marker and takes the most open unit', async () => {
  const { evaluate, lookAsks } = await import('../../web/claim.js');
  // one sample, T = 4, marker at t = 1; unit 0 open after it (0.9, 1.0), unit 1 half open (0.5, 0.3); t ≤ 1 does not count
  const r = { inputs: [[0.2, 0], [0.7, 1], [0.1, 0], [0.4, 1]], layers: [{ gates: { f: [[0, 0], [0, 0], [0.9, 0.5], [1.0, 0.3]] } }] };
  const check = (stat) => ({ run: 'lstm', metric: 'inspect', stat, gate: 'f', samples: 1, op: '>', value: 0.5 });
  const [top, all] = evaluate([check('gate_after_marker_top'), check('gate_after_marker')], { lstm: { inspect: [r] } });
  assert.ok(Math.abs(top.value - 0.95) < 1e-12 && top.pass === true);
  assert.ok(Math.abs(all.value - 0.675) < 1e-12 && all.pass === true);
  // without the worker's answer the check is unknown, not failed; the asks name the samples
  assert.equal(evaluate([check('gate_after_marker_top')], { lstm: {} })[0].pass, null);
  assert.deepEqual(lookAsks([check('gate_after_marker_top'), { run: 'rnn', metric: 'loss' }]), { lstm: [{ op: 'inspect', sample: 0 }] });
});
