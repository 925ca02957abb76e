// @ts-check
// The "PyTorch script" download: a run's config, weights and validation data → one standalone Python file (source text) that
// rebuilds the model with torch.nn, loads the weights and prints the validation loss. This file is the script's text from top
// to bottom; the config → torch.nn mapping is web/export-torch-model.js, number formatting web/export-torch-python.js, the
// material web/export-torch-material.js (collected by the worker). Pure: no DOM, no worker; web/export.js saves the file.
import { labLoss, firstSamples, isOneHot } from './export-torch-material.js';
import { f32, pyList, flatten, pyStr, pyVal } from './export-torch-python.js';
import { torchLayout, modelSource, optimizerCall, scheduleSource } from './export-torch-model.js';

/** @typedef {import('./export-torch-material.js').TorchMaterial} TorchMaterial */

/**
 * The Python source of the PyTorch script for one run.
 * @param {TorchMaterial} full  what collectTorchMaterial gathered
 * @param {{title?: string, file?: string, maxValues?: number}} [opts]  title: which run this is (lesson and run label); file: the
 *   download's name; maxValues: embed only the first samples whose inputs and targets fit in this many numbers (400,000:
 *   a few MB; one-hot inputs count one number per step)
 * @returns {string}
 */
export function torchScript(full, opts = {}) {
  const m = firstSamples(full, opts.maxValues || 400000);
  const cfg = m.config, info = m.taskInfo, md = cfg.model;
  const L = torchLayout(cfg, info);
  const classes = !!info.classes, every = md.readout === 'every';
  const I = info.inputs, O = info.outputs, T = m.T, n = m.n;
  const lab = labLoss(m);
  const file = opts.file || 'rnnlab_run.py';
  const out = [];
  const say = (/** @type {string} */ s) => out.push(s);

  // header
  say('#!/usr/bin/env python3');
  say(`# ${opts.title ? opts.title + ' — ' : ''}an RNN Tuning Lab run as a PyTorch script, at training step ${m.step}.`);
  say('# It rebuilds the model with torch.nn, loads the run\'s weights (embedded below), sets up the same optimizer and');
  say(`# schedule, and prints the loss on the run's ${m.split} data (embedded below) — the number the lab shows.`);
  if (m.n < full.n) {
    say(`# The data is the first ${m.n} of the run's ${full.n} ${m.split} samples (to keep the file a few MB): the loss is`);
    say('# compared with the lab\'s loss on those samples.');
  }
  if (m.split === 'training') {
    say('# This task (your own data) has no validation set: the script evaluates on the TRAINING data, as the lab would.');
  }
  say(`# Run it:  python3 ${file}      (needs PyTorch: pip install torch, or Debian's python3-torch)`);
  say('# Not included: the training set and the optimizer\'s state (moments, momentum buffers): training from here');
  say('# starts them afresh.');
  say('#');
  say('# The run\'s config (run.config() in the lab, every default filled in):');
  say('#   {');
  // one line per top-level key; custom data and long texts shortened (the data is embedded below)
  const short = (/** @type {string} */ k, /** @type {any} */ v) => (k === 'inputs' || k === 'targets') && Array.isArray(v)
    ? `<${v.length} samples>` : k === 'text' && typeof v === 'string' && v.length > 60 ? v.slice(0, 57) + '…' : v;
  const keys = Object.keys(cfg);
  keys.forEach((k, i) => {
    const line = `#     ${JSON.stringify(k)}: ${JSON.stringify(cfg[k], short).replace(/,"/g, ', "').replace(/":/g, '": ')}${i < keys.length - 1 ? ',' : ''}`;
    // long objects go on continuation lines, broken after a comma
    let rest = line;
    while (rest.length > 118) {
      const cut = rest.lastIndexOf(', ', 116);
      if (cut < 20) break;
      say(rest.slice(0, cut + 1));
      rest = '#       ' + rest.slice(cut + 2);
    }
    say(rest);
  });
  say('#   }');
  say('');
  say('import math');
  say('import warnings');
  say('');
  say('import torch');
  say('import torch.nn as nn');
  say('import torch.nn.functional as F');
  say('');
  say(`LAB_STEP = ${m.step}  # training steps the lab had taken`);
  say(`LAB_LOSS = ${f32(lab) === 'nan' ? 'float("nan")' : String(lab)}  # the lab's ${m.split} loss at these weights (eval mode, as its core computes it)`);
  if (m.labValLoss !== null) say(`LAB_LATEST_VAL_LOSS = ${String(m.labValLoss)}  # the lab's latest val_loss, computed at step ${m.labValStep === null ? '?' : m.labValStep}`);
  say('');
  say('');
  say('# ---- 1. the model ----------------------------------------------------------------------------------------------');
  say('');
  say(modelSource(cfg, info));
  say('');
  say('');
  say('# ---- 2. the lab\'s weights --------------------------------------------------------------------------------------');
  say('');
  say('def load_lab_weights(net, weights):');
  say('    """weights: {lab name: (shape, flat values)} → net (names as the lab exports them, = PyTorch state_dict names)."""');
  say('    state = {}');
  say('    for name, (shape, values) in weights.items():');
  if (L.perLayer) {
    say('        # the lab\'s rnn.weight_ih_lK is rnn.K.weight_ih_l0 here (one module per layer)');
    say('        if name.startswith("rnn."):');
    say('            kind, layer = name[len("rnn."):].rsplit("_l", 1)');
    say('            name = f"rnn.{layer}.{kind}_l0"');
  }
  say('        state[name] = torch.tensor(values, dtype=torch.float32).reshape(shape)');
  if (md.norm === 'batch') {
    say('    for k in range(len(net.norm)):  # not part of the lab\'s export: one batch-norm update per training step');
    say('        state[f"norm.{k}.num_batches_tracked"] = torch.tensor(LAB_STEP)');
  }
  say('    net.load_state_dict(state)  # strict: every name must match');
  say('');
  say('');
  say('# ---- 3. optimizer, schedule, one training step -----------------------------------------------------------------');
  say('');
  say('def make_optimizer(net):');
  const o = cfg.optimizer;
  const optNote = o.name === 'momentum' ? '  # the lab\'s "momentum": SGD with momentum'
    : o.name === 'nesterov' ? '  # the lab\'s "nesterov": SGD with Nesterov momentum' : '';
  say(`    return ${optimizerCall(o)}${optNote}`);
  say('');
  say('');
  say(scheduleSource(cfg));
  say('');
  say('');
  say('def loss_fn(out, target):');
  if (classes) {
    say(`    """Cross-entropy, mean over every predicted position (${every ? 'every time step of every sample' : 'one per sample'})."""`);
    say(`    return F.cross_entropy(out.reshape(-1, ${O}), target.reshape(-1))`);
  } else {
    say('    """Mean squared error, mean over every element."""');
    say('    return F.mse_loss(out, target)');
  }
  say('');
  say('');
  const l1 = cfg.regularization.l1, l2 = cfg.regularization.l2, clip = cfg.clip.norm;
  say('def train_step(net, optimizer, schedule, x, target):');
  say('    """One update as the lab makes it (the lab draws each batch uniformly, with replacement, from its training set)."""');
  say('    net.train()');
  say('    optimizer.zero_grad()');
  say('    loss = loss_fn(net(x), target)');
  if (l1 > 0 || l2 > 0) {
    say('    # the lab\'s penalty on weight matrices only (not biases or norm parameters)');
    say('    matrices = [p for name, p in net.named_parameters() if p.dim() == 2]');
    const terms = [];
    if (l1 > 0) terms.push(`${pyVal(l1)} * sum(p.abs().sum() for p in matrices)`);
    if (l2 > 0) terms.push(`${pyVal(l2)} * sum((p * p).sum() for p in matrices)`);
    say(`    (loss + ${terms.join(' + ')}).backward()`);
  } else say('    loss.backward()');
  if (clip > 0) say(`    torch.nn.utils.clip_grad_norm_(net.parameters(), ${pyVal(clip)})`);
  say('    optimizer.step()');
  say('    if schedule is not None:');
  say('        schedule.step()');
  say('    return loss.item()');
  say('');
  say('');
  say('# ---- 4. the data and the validation loss -----------------------------------------------------------------------');
  say('');
  say('def lab_data():');
  say(`    """The run's ${m.split} data: inputs (${n}, ${T}, ${I}), targets ${classes ? (every ? `(${n}, ${T}) class indices` : `(${n},) class indices`) : every ? `(${n}, ${T}, ${O})` : `(${n}, ${O})`}."""`);
  const oneHot = isOneHot(m.inputs, I);  // (the same test firstSamples made)
  if (oneHot) {
    say(`    x = F.one_hot(torch.tensor(INPUT_CLASSES).reshape(${n}, ${T}), ${I}).float()  # the inputs are one-hot: stored as indices`);
  } else {
    say(`    x = torch.tensor(INPUTS, dtype=torch.float32).reshape(${n}, ${T}, ${I})`);
  }
  if (classes) say(`    y = torch.tensor(TARGETS).reshape(${every ? `${n}, ${T}` : n})`);
  else say(`    y = torch.tensor(TARGETS, dtype=torch.float32).reshape(${n}, ${every ? `${T}, ` : ''}${O})`);
  say('    return x, y');
  say('');
  say('');
  say('def validation_loss(net, x, y):');
  say('    """Eval mode (no dropout; batch norm uses its running statistics), every sample at once."""');
  say('    net.eval()');
  say('    with torch.no_grad():');
  say('        return loss_fn(net(x), y).item()');
  say('');
  say('');
  say('def main():');
  say('    torch.set_num_threads(1)  # results independent of the machine\'s thread count');
  say('    net = Net()');
  say('    load_lab_weights(net, WEIGHTS)');
  say('    optimizer = make_optimizer(net)');
  say('    schedule = make_schedule(optimizer, LAB_STEP)');
  say('    x, y = lab_data()');
  say('    loss = validation_loss(net, x, y)');
  say(`    print(f"${m.split} loss (PyTorch): {loss:.9g}")`);
  say(`    print(f"${m.split} loss (the lab, step {LAB_STEP}): {LAB_LOSS:.9g}")`);
  say('    print(f"relative difference: {abs(loss - LAB_LOSS) / max(abs(LAB_LOSS), 1e-30):.2g}")');
  say('    print(f"next learning rate: {optimizer.param_groups[0][\'lr\']:.9g}")');
  say('    return net, optimizer, schedule, x, y');
  say('');
  say('');
  say('# ---- the embedded numbers (float32 values, shortest form that reads back exactly) --------------------------------');
  say('');
  say('WEIGHTS = {');
  for (const name of Object.keys(m.weights)) {
    const { shape, flat } = flatten(m.weights[name]);
    say(`    ${pyStr(name)}: (${pyVal(shape)}, ${pyList(flat.map(f32), '        ')}),`);
  }
  say('}');
  say('');
  if (oneHot) {
    const idx = [];
    for (let j = 0; j < n * T; j++) { let c = 0; for (let i = 0; i < I; i++) if (m.inputs[j * I + i] === 1) c = i; idx.push(String(c)); }
    say(`INPUT_CLASSES = ${pyList(idx, '    ')}`);
  } else {
    say(`INPUTS = ${pyList(Array.from(m.inputs, f32), '    ')}`);
  }
  say('');
  say(`TARGETS = ${pyList(Array.from(m.targets, classes ? (v) => String(v) : f32), '    ')}`);
  say('');
  say('if __name__ == "__main__":');
  say('    main()');
  say('');
  return out.join('\n');
}
