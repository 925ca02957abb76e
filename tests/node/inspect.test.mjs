// inspect.test.mjs — run.predict, run.inspect and run.generate through the shipped wasm module: PyTorch parity (against
// tests/reference/inspect_ref.json, made by make_inspect_ref.py), shapes, no side effects, determinism, errors, native = wasm.
// Not the core's own checks against its double path (tests/native/inspect.test.cpp).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadLab, nativeTrace, root } from './lab.mjs';

const lab = await loadLab();
const ref = JSON.parse(fs.readFileSync(path.join(root, 'tests/reference/inspect_ref.json'), 'utf8'));

// largest |a − b| over two nested arrays of the same shape (Float32Array leaves allowed)
function worst(a, b, where) {
  if (typeof b === 'number') return Math.abs(a - b);
  assert.equal(a.length, b.length, `${where}: length`);
  let w = 0;
  for (let i = 0; i < b.length; i++) w = Math.max(w, worst(a[i], b[i], `${where}[${i}]`));
  return w;
}

// Tolerances: the core in float32 against torch in float64 on the same (float32) weights and inputs, 40 steps trained
const TOL = 3e-6;
test(`predict and inspect match PyTorch's nn.RNN/LSTM/GRU within ${TOL} (float32 against float64)`, () => {
  const found = [];
  for (const c of ref.cases) {
    const run = lab.createRun(c.config);
    run.importWeights(c.weights);
    const name = `${c.config.task.name}/${c.config.model.cell}`;
    let w = worst(run.predict(c.inputs), c.predict, `${name} predict`);
    const r = run.inspect({ inputs: c.inputs[0] });
    w = Math.max(w, worst(r.output, c.inspect0.output, `${name} output`));
    assert.equal(r.layers.length, c.inspect0.layers.length);
    r.layers.forEach((l, k) => {
      const e = c.inspect0.layers[k];
      w = Math.max(w, worst(l.h, e.h, `${name} h${k}`));
      assert.equal(!!l.c, !!e.c, 'c only for LSTM');
      if (e.c) w = Math.max(w, worst(l.c, e.c, `${name} c${k}`));
      assert.deepEqual(Object.keys(l.gates || {}).sort(), Object.keys(e.gates || {}).sort());
      for (const g in e.gates) w = Math.max(w, worst(l.gates[g], e.gates[g], `${name} ${g}${k}`));
    });
    found.push(`${name} ${w.toExponential(1)}`);
    assert.ok(w <= TOL, `${name}: largest difference ${w}`);
    run.dispose();
  }
  console.log(`# PyTorch parity, largest |core − torch| per case: ${found.join(', ')}`);
});

const text = { seed: 4, task: { name: 'text', length: 16, train_size: 128, val_size: 32 }, model: { cell: 'lstm', hidden: 24 },
  optimizer: { name: 'adam', lr: 0.01 }, batch: 16 };

test('inspect gives inputs, target, output and per layer h, c and gates as [T][H] Float32Array rows', () => {
  const run = lab.createRun({ seed: 2, task: { name: 'adding', length: 10, val_size: 8 }, model: { cell: 'lstm', hidden: 6, layers: 2 } });
  run.train(3);
  const r = run.inspect({ sample: 7 });
  assert.equal(r.inputs.length, 10);
  assert.ok(r.inputs[0] instanceof Float32Array && r.inputs[0].length === 2);
  assert.equal(r.target.length, 1);
  assert.equal(r.output.length, 1);
  assert.equal(r.layers.length, 2);
  for (const l of r.layers) {
    for (const m of [l.h, l.c, l.gates.i, l.gates.f, l.gates.g, l.gates.o]) {
      assert.equal(m.length, 10);
      assert.ok(m[9] instanceof Float32Array && m[9].length === 6);
    }
  }
  assert.ok(r.layers[0].gates.f.every((row) => row.every((v) => v > 0 && v < 1)), 'σ gates lie in (0, 1)');
  const p = run.predict([r.inputs.map((row) => Array.from(row))]);
  assert.equal(p.length, 1);
  assert.ok(Math.abs(p[0][0] - r.output[0]) < 1e-6, 'predict and inspect agree on one sample');
  const gru = lab.createRun({ task: { name: 'parity', length: 5 }, model: { cell: 'gru', hidden: 4 } }).inspect({ sample: 0 });
  assert.deepEqual(Object.keys(gru.layers[0]).sort(), ['gates', 'h']);
  assert.deepEqual(Object.keys(gru.layers[0].gates).sort(), ['n', 'r', 'z']);
  assert.ok(Number.isInteger(gru.target), 'a class task\'s target is the class index');
  assert.ok(Math.abs(gru.output[0] + gru.output[1] - 1) < 1e-6, 'class probabilities');
  run.dispose();
});

test('predict gives [B][T][classes] probabilities for a text run and accepts Float32Array rows', () => {
  const run = lab.createRun(text);
  const x = run.inspect({ sample: 0 }).inputs;  // [T][V] one-hot rows
  const p = run.predict([x, x]);
  assert.equal(p.length, 2);
  assert.equal(p[0].length, 16);
  const sum = p[1][15].reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5);
  assert.deepEqual(Array.from(p[0][3]), Array.from(p[1][3]));
  run.dispose();
});

test('a run that called predict, inspect and generate trains bit for bit as one that did not (dropout, batch norm)', () => {
  const config = { ...text, model: { cell: 'lstm', hidden: 16, dropout: 0.3, norm: 'batch' }, eval_every: 5 };
  const a = lab.createRun(config), b = lab.createRun(config);
  a.train(12);
  b.train(12);
  const x = b.inspect({ sample: 3 }).inputs;
  b.predict([x, x, x]);
  b.generate({ prime: 'Alice', length: 50, seed: 9 });
  b.inspect({ inputs: x });
  a.train(13);
  b.train(13);
  assert.deepEqual(b.metrics(), a.metrics());
  assert.deepEqual(b.exportWeights(), a.exportWeights());
  a.dispose();
  b.dispose();
});

test('generate is deterministic per seed, samples corpus bytes, and turns invalid UTF-8 into U+FFFD', () => {
  const run = lab.createRun(text);
  run.train(30);
  const s = run.generate({ prime: 'Alice ', length: 120, temperature: 0.8, seed: 11 });
  assert.equal(s.length, 120);
  assert.equal(run.generate({ prime: 'Alice ', length: 120, temperature: 0.8, seed: 11 }), s);
  assert.notEqual(run.generate({ prime: 'Alice ', length: 120, temperature: 0.8, seed: 12 }), s);
  assert.equal(run.generate({ prime: 'Alice ', length: 30, temperature: 0, seed: 1 }),
    run.generate({ prime: 'Alice ', length: 30, temperature: 0, seed: 2 }), 'temperature 0 does not draw');
  assert.equal(run.generate({ length: 0 }), '');
  // a corpus of two-byte characters: at a high temperature bytes come out of order, which is not UTF-8
  const u = lab.createRun({ task: { name: 'text', length: 8, text: 'äöü ÄÖÜ ß é '.repeat(20) }, model: { hidden: 8 } });
  const g = u.generate({ prime: 'ä', length: 200, temperature: 50, seed: 3 });
  assert.ok(g.includes('\uFFFD'), 'invalid sequences became U+FFFD');
  assert.ok(/^[äöüÄÖÜßé \uFFFD]*$/.test(g), 'everything else is a corpus character');
  run.dispose();
  u.dispose();
});

test('bad arguments throw an Error naming the key, the value and what is allowed; the run stays usable', () => {
  const run = lab.createRun(text);
  const add = lab.createRun({ task: { name: 'adding', length: 6, val_size: 4 }, model: { hidden: 4 } });
  const cases = [
    [() => add.predict([[[1, 2], [3]]]), /predict: inputs\[0\]\[1\] = 3: not allowed; allowed: 2 entries/],
    [() => add.predict([[[1, NaN]]]), /predict: inputs\[0\]\[0\]\[1\] = NaN: not allowed; allowed: a finite number/],
    [() => add.predict([]), /predict: B = 0: not allowed; allowed: 1 to 1024/],
    [() => add.predict(new Array(1025).fill([[1, 2]])), /predict\(inputs\): allowed: \[B\]\[T\]\[2\] numbers, B 1 to 1024/],
    [() => add.inspect({ sample: 4 }), /inspect\.sample = 4: not allowed; allowed: an integer from 0 to 3/],
    [() => add.inspect({ sample: 1, inputs: [] }), /inspect\(which\): allowed: \{sample: k\} or \{inputs: \[T\]\[2\]\}/],
    [() => add.inspect({ inputs: [[1, Infinity]] }), /inspect\.inputs\[0\]\[1\] = Infinity: not allowed/],
    [() => add.generate({}), /generate: task 'adding': allowed: only the text task/],
    [() => run.generate({ temperature: -1 }), /generate\.temperature = -1: not allowed; allowed: a number from 0 to 1e6/],
    [() => run.generate({ temperature: NaN }), /generate\.temperature = NaN: not allowed; allowed: a finite number/],
    [() => run.generate({ length: 2001 }), /generate\.length = 2001: not allowed; allowed: an integer from 0 to 2000/],
    [() => run.generate({ prime: 'Alice~' }), /generate\.prime: byte = 126: not allowed; allowed: bytes of the corpus/],
    [() => run.generate({ seed: -1 }), /generate\.seed = -1: not allowed; allowed: an integer from 0 to 2\^32-1/],
    [() => run.generate({ lenght: 3 }), /generate\.lenght: unknown key; allowed keys: prime, length, temperature, seed/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
  assert.equal(run.train(2).step, 2);
  assert.equal(add.train(2).step, 2);
  assert.equal(run.generate({ length: 4 }).length, 4);
  run.dispose();
  add.dispose();
});

test('native and wasm give the same inspect, predict and generate numbers', { skip: !fs.existsSync(nativeTrace) && 'no native build' }, () => {
  const configs = [
    [{ ...text, model: { cell: 'gru', hidden: 16, layers: 2, norm: 'layer' } }, ['Alice ', 60, 0.9, 5]],
    [{ seed: 8, task: { name: 'adding', length: 20 }, model: { cell: 'lstm', hidden: 12, residual: true, layers: 2 } }, null],
    // (not batch norm: the bias before it gets a ~0 gradient that Adam scales to ±lr, so native/wasm rounding moves it by
    // lr, and the running statistics carry that into evaluation mode; the training loss is blind to it)
    [{ seed: 9, task: { name: 'xor' }, model: { cell: 'mlp', hidden: 16, layers: 2, activation: 'tanh' } }, null],
  ];
  for (const [config, gen] of configs) {
    const look = gen ? { sample: 2, generate: gen } : { sample: 2 };
    const n = JSON.parse(execFileSync(nativeTrace, ['-', '30', JSON.stringify(look)], { input: JSON.stringify(config) }).toString());
    const run = lab.createRun(config);
    run.train(30);
    const r = run.inspect({ sample: 2 });
    const flat = (v) => (typeof v === 'number' ? [v] : Array.from(v).flatMap(flat));  // the flat order of run.hpp
    const w = flat([r.inputs, r.output, r.target, ...r.layers.map((l) => [l.h, l.c || [], Object.values(l.gates || {})])]);
    assert.equal(w.length, n.inspect.length);
    let d = worst(w, n.inspect, 'inspect');
    d = Math.max(d, worst(flat(run.predict([r.inputs])), n.predict, 'predict'));
    assert.ok(d <= 1e-6, `${config.task.name}: largest native − wasm difference ${d}`);
    if (gen) assert.equal(run.generate({ prime: gen[0], length: gen[1], temperature: gen[2], seed: gen[3] }), n.generate);
    run.dispose();
  }
});
