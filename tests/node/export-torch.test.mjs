// export-torch.test.mjs — the "PyTorch script" download (web/export-torch*.js): runs trained a few steps in the shipped wasm
// module, their scripts run with /usr/bin/python3 + torch (Debian's python3-torch, installed by scripts/setup.sh), and the
// structure of the generated source. Not the Downloads button (the browser tests) and not predict/inspect (inspect.test.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLab } from './lab.mjs';
import { torchScript } from '../../web/export-torch.js';
import { collectTorchMaterial, labLoss, firstSamples } from '../../web/export-torch-material.js';
import { labLr, torchLayout } from '../../web/export-torch-model.js';
import { f32 } from '../../web/export-torch-python.js';

const lab = await loadLab();
const PYTHON = '/usr/bin/python3';
const REL = 1e-4;

// trains `steps` steps (a multiple of eval_every, so the lab's latest val_loss is at the current weights) → material + script
function make(config, steps) {
  const run = lab.createRun(config);
  const s = run.train(steps);
  const met = run.metrics();
  const vs = met.val_step.length ? met.val_step[met.val_step.length - 1] : null;
  const m = collectTorchMaterial(run, s, vs);
  run.dispose();
  return { m, summary: s, src: torchScript(m, { title: 'test', file: 'run.py' }) };
}

const small = { eval_every: 5, task: { train_size: 128, val_size: 48 } };
const CASES = [
  { name: 'RNN (tanh), 2 layers, adding', config: { ...small, model: { cell: 'rnn', hidden: 12, layers: 2 } } },
  { name: 'LSTM, adding, dropout, Adam + exponential schedule', config: { ...small, model: { cell: 'lstm', hidden: 16, dropout: 0.2 }, schedule: { name: 'exponential', gamma: 0.9 } } },
  { name: 'GRU, 2 layers, adding, RMSprop + step schedule with warm-up', config: { ...small, model: { cell: 'gru', hidden: 16, layers: 2 }, optimizer: { name: 'rmsprop', lr: 0.003, centered: true }, schedule: { name: 'step', step_size: 4, gamma: 0.5, warmup: 3 } } },
  { name: 'MLP (elu), xor', config: { ...small, task: { name: 'xor', train_size: 128, val_size: 48 }, model: { cell: 'mlp', hidden: 16, layers: 2, activation: 'elu' } } },
  { name: 'LSTM with batch norm and residual blocks, Nesterov', config: { ...small, model: { cell: 'lstm', hidden: 12, layers: 2, norm: 'batch', residual: true }, optimizer: { name: 'nesterov', lr: 0.01 } } },
  { name: 'GRU with layer norm on text (cross-entropy, every step), cosine with warm-up', config: { ...small, task: { name: 'text', length: 12, train_size: 128, val_size: 32 }, model: { cell: 'gru', hidden: 24, norm: 'layer' }, schedule: { name: 'cosine', T_max: 8, eta_min: 1e-4, warmup: 3 } } },
  { name: 'SELU RNN, 2 layers, sine, L2 + clipping, AdamW', config: { ...small, task: { name: 'sine', train_size: 128, val_size: 48 }, model: { cell: 'rnn', nonlinearity: 'selu', hidden: 12, layers: 2 }, regularization: { l2: 1e-3 }, clip: { norm: 1 }, optimizer: { name: 'adamw' } } },
  { name: 'LSTM on custom data (no validation set: the training data)', config: { task: { name: 'custom', inputs: [[[1], [2], [0]], [[0], [1], [1]], [[2], [0.5], [-1]]], targets: [[1], [0], [0.3]] }, model: { cell: 'lstm', hidden: 8 } } },
];

// python3 and torch are required under `make test`: a missing one fails here, loudly, with what to install
function requireTorch() {
  if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: install python3 and python3-torch (scripts/setup.sh)`);
  try { execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'pipe' }); } catch (e) {
    throw new Error(`${PYTHON} cannot import torch: install python3-torch (scripts/setup.sh)\n${e.stderr}`);
  }
}

test('a downloaded PyTorch script prints the lab\'s validation loss to 1e-4 relative (RNN, LSTM, GRU, MLP, norms, text, SELU, custom data)', () => {
  requireTorch();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-torch-'));
  const made = CASES.map((c, i) => {
    const steps = c.config.task && c.config.task.name === 'custom' ? 7 : 10;
    const r = make(c.config, steps);
    const file = path.join(dir, `case${i}.py`);
    fs.writeFileSync(file, r.src);
    return { ...c, ...r, file };
  });
  // one python process for all cases (importing torch takes seconds): run each script's main(), then one train_step
  const driver = [
    'import importlib.util, json, math, sys',
    'for i, path in enumerate(sys.argv[1:]):',
    '    spec = importlib.util.spec_from_file_location(f"case{i}", path)',
    '    mod = importlib.util.module_from_spec(spec)',
    '    spec.loader.exec_module(mod)',
    '    net, optimizer, schedule, x, y = mod.main()',
    '    loss = mod.validation_loss(net, x, y)',
    '    lr = optimizer.param_groups[0]["lr"]',
    '    step = mod.train_step(net, optimizer, schedule, x[:8], y[:8])',
    '    print("RESULT " + json.dumps({"loss": loss, "lr": lr, "train_step": step if math.isfinite(step) else None}))',
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', driver, ...made.map((c) => c.file)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const results = out.split('\n').filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)));
  assert.equal(results.length, made.length, out);
  const report = [];
  made.forEach((c, i) => {
    const r = results[i], m = c.m;
    // the lab's number: its latest val_loss when it was computed at the current step, else (custom data) the loss of the
    // lab's own outputs at these weights, reduced as core/run.cpp reduces it
    const lab = m.split === 'validation' ? c.summary.val_loss : labLoss(m);
    if (m.split === 'validation') assert.equal(m.labValStep, c.summary.step, `${c.name}: val_loss is at the current step`);
    const rel = Math.abs(r.loss - lab) / Math.abs(lab);
    report.push(`${c.name}: torch ${r.loss} lab ${lab} rel ${rel.toExponential(1)}`);
    assert.ok(rel < REL, `${c.name}: PyTorch ${r.loss} vs the lab ${lab} (relative ${rel})`);
    assert.ok(Math.abs(labLoss(m) - lab) / lab < REL, `${c.name}: the embedded LAB_LOSS ${labLoss(m)} vs ${lab}`);
    const cfg = m.config, want = labLr(cfg.schedule, cfg.optimizer.lr, m.step);
    assert.ok(Math.abs(r.lr - want) <= 1e-6 * want, `${c.name}: next learning rate ${r.lr}, the lab's ${want}`);
    assert.notEqual(r.train_step, null, `${c.name}: train_step gave a finite loss`);
  });
  console.log(report.join('\n'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the script names the run, carries the config and its weights under state_dict names, and needs no python to check', () => {
  const { m, src } = make({ ...small, model: { cell: 'lstm', hidden: 8, layers: 2 } }, 5);
  assert.match(src, /^#!\/usr\/bin\/env python3\n# test — an RNN Tuning Lab run as a PyTorch script, at training step 5\./);
  assert.match(src, /#\s+"model": \{"cell": "lstm"/);
  assert.match(src, /self\.rnn = nn\.LSTM\(input_size=2, hidden_size=8, num_layers=2, batch_first=True\)/);
  assert.match(src, /self\.head = nn\.Linear\(8, 1\)/);
  assert.match(src, /torch\.optim\.Adam\(net\.parameters\(\), lr=0\.001, betas=\(0\.9, 0\.999\), eps=1e-8, weight_decay=0, amsgrad=False\)/);
  assert.match(src, /return None {2}# constant learning rate/);
  for (const name of Object.keys(m.weights)) assert.ok(src.includes(`    "${name}": (`), name);
  assert.doesNotMatch(src, /rnn\.\{layer\}/, 'a plain stack keeps the lab\'s names');
  assert.match(src, /INPUTS = \[\n/);
  assert.match(src, /if __name__ == "__main__":\n {4}main\(\)\n$/);
  for (const line of src.split('\n')) assert.ok(line.length <= 160, `a long line: ${line.slice(0, 80)}…`);
});

test('norms, residuals and SELU give one module per layer, and the script maps rnn.weight_ih_lK to rnn.K.weight_ih_l0', () => {
  const bn = make({ ...small, model: { cell: 'gru', hidden: 8, layers: 2, norm: 'batch' } }, 5).src;
  assert.match(bn, /self\.rnn = nn\.ModuleList\(\[nn\.GRU\(2, 8, batch_first=True\), nn\.GRU\(8, 8, batch_first=True\)\]\)/);
  assert.match(bn, /self\.norm = nn\.ModuleList\(\[BatchNormOverTime\(8\), BatchNormOverTime\(8\)\]\)/);
  assert.match(bn, /name = f"rnn\.\{layer\}\.\{kind\}_l0"/);
  assert.match(bn, /num_batches_tracked/);
  const selu = make({ ...small, model: { cell: 'rnn', hidden: 8, nonlinearity: 'selu' } }, 5).src;
  assert.match(selu, /class SeluRNN\(nn\.Module\)/);
  assert.match(selu, /self\.rnn = nn\.ModuleList\(\[SeluRNN\(2, 8\)\]\)/);
  const cfg = { model: { cell: 'lstm', hidden: 2, layers: 3, residual: true, norm: 'none' } };
  assert.deepEqual(torchLayout(cfg, { inputs: 2 }).residualAt, [0, 1, 2]);
  assert.deepEqual(torchLayout({ model: { ...cfg.model, layers: 1 } }, { inputs: 3 }), { recurrent: true, selu: false, stacked: true, residualAt: [], perLayer: false });
  const mlp = make({ ...small, task: { name: 'xor', train_size: 64, val_size: 16 }, model: { cell: 'mlp', hidden: 8, layers: 2, activation: 'leaky_relu', norm: 'layer', dropout: 0.1 } }, 5).src;
  assert.match(mlp, /self\.mlp = nn\.ModuleList\(\[nn\.Linear\(2, 8\), nn\.Linear\(8, 8\)\]\)/);
  assert.match(mlp, /self\.act = nn\.LeakyReLU\(0\.01\)/);
  assert.match(mlp, /self\.norm = nn\.ModuleList\(\[nn\.LayerNorm\(8\), nn\.LayerNorm\(8\)\]\)/);
  assert.match(mlp, /self\.drop = nn\.Dropout\(0\.1\)/);
});

test('text inputs are stored as one-hot indices, custom data says the loss is on the training data', () => {
  const text = make({ ...small, task: { name: 'text', length: 8, train_size: 64, val_size: 16 }, model: { cell: 'gru', hidden: 8 } }, 5).src;
  assert.match(text, /F\.one_hot\(torch\.tensor\(INPUT_CLASSES\)\.reshape\(16, 8\), \d+\)\.float\(\)/);
  assert.match(text, /F\.cross_entropy\(out\.reshape\(-1, \d+\), target\.reshape\(-1\)\)/);
  assert.match(text, /return self\.head\(x\)  # readout every/);
  const custom = make({ task: { name: 'custom', inputs: [[[1]], [[2]]], targets: [[1], [0]] }, model: { cell: 'rnn', hidden: 4 } }, 3);
  assert.equal(custom.m.split, 'training');
  assert.match(custom.src, /no validation set: the script evaluates on the TRAINING data/);
  assert.match(custom.src, /training loss \(PyTorch\)/);
});

test('f32 prints the shortest decimal that reads back as the same float32', () => {
  const xs = [0.1, -0.5, 1e-8, 3.4028234663852886e38, 1.401298464324817e-45, 123456.789, -7, 2 / 3];
  for (let i = 0; i < 2000; i++) xs.push((Math.random() - 0.5) * Math.pow(10, Math.floor(Math.random() * 20) - 10));
  for (const x of xs) {
    const v = Math.fround(x), s = f32(v);
    assert.match(s, /^-?\d+(\.\d+)?(e-?\d+)?$/, s);
    assert.equal(Math.fround(Number(s)), v, `${s} reads back as ${v}`);
    assert.ok(s.replace(/^-|\.0$|e.*$/g, '').replace('.', '').replace(/^0+/, '').length <= 9, s);
  }
  assert.equal(f32(0), '0.0');
  assert.equal(f32(1), '1.0');
  assert.equal(f32(Math.fround(0.1)), '0.1');
});

test('a large data set is cut to its first samples, and the lab\'s loss is taken on those same samples', () => {
  const { m, src } = (() => {
    const r = make({ ...small, task: { name: 'adding', train_size: 64, val_size: 40 }, model: { cell: 'gru', hidden: 4 } }, 5);
    return { m: r.m, src: torchScript(r.m, { maxValues: 20 * (50 * 2 + 1) }) };
  })();
  assert.equal(m.n, 40);
  assert.match(src, /# The data is the first 20 of the run's 40 validation samples/);
  assert.match(src, /reshape\(20, 50, 2\)/);
  const cut = firstSamples(m, 20 * 101);
  assert.equal(cut.n, 20);
  const lab = /LAB_LOSS = (\S+)/.exec(src)[1];
  assert.equal(Number(lab), labLoss(cut));
  assert.notEqual(labLoss(cut), labLoss(m));
});
