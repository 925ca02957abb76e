// @ts-check
// The "PyTorch script" download: a run's config, weights and validation data → one standalone Python file (source text) that
// rebuilds the model with torch.nn, loads the weights and prints the validation loss. Pure: no DOM, no worker; not a converter
// of anything else (the worker collects the material with collectTorchMaterial, web/export.js saves the file).

/**
 * What the generator needs, as the worker collects it from a run (collectTorchMaterial).
 * @typedef {object} TorchMaterial
 * @property {any} config           run.config(): every default filled in
 * @property {any} taskInfo         run.taskInfo()
 * @property {{[name: string]: any}} weights   run.exportWeights(): state_dict names, nested arrays
 * @property {number} step          training steps taken
 * @property {number|null} labValLoss   the lab's latest val_loss (summary), null before the first evaluation
 * @property {number|null} labValStep   the step it was computed at
 * @property {'validation'|'training'} split   training for custom data (no validation set)
 * @property {number} n             samples
 * @property {number} T             time steps per sample
 * @property {Float32Array} inputs  n·T·inputs, sample-major
 * @property {Float32Array} targets n·outputs (readout last), n·T·outputs (every), n or n·T class indices (cross-entropy)
 * @property {Float32Array} outputs the lab's outputs at these weights in eval mode, as predict() gives them (probabilities
 *                                  for cross-entropy), same layout as targets with outputs per position
 */

/**
 * Reads everything the script needs from a live run (worker side, or Node tests): config, weights, and every validation
 * sample through run.inspect({sample: k}) (training samples for custom data). Copies: nothing refers to the run afterwards.
 * @param {any} run  an RnnLab run
 * @param {{step: number, val_loss?: number|null}} summary  the run's latest train() summary
 * @param {number|null} [valStep]  the step of that val_loss (metrics().val_step's last entry)
 * @returns {TorchMaterial}
 */
export function collectTorchMaterial(run, summary, valStep) {
  const config = run.config(), info = run.taskInfo();
  const split = info.val_size > 0 ? 'validation' : 'training';
  const n = split === 'validation' ? info.val_size : info.train_size;
  const T = info.length, I = info.inputs, O = info.outputs;
  const perOut = info.every ? T : 1;
  const inputs = new Float32Array(n * T * I);
  const targets = new Float32Array(n * perOut * (info.classes ? 1 : O));
  const outputs = new Float32Array(n * perOut * O);
  let ti = 0, to = 0, tt = 0;
  for (let k = 0; k < n; k++) {
    const r = run.inspect({ sample: k });
    for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) inputs[ti++] = r.inputs[t][i];
    const rows = info.every ? r.output : [r.output];
    for (let t = 0; t < perOut; t++) for (let o = 0; o < O; o++) outputs[to++] = rows[t][o];
    if (info.classes) {
      if (info.every) for (let t = 0; t < T; t++) targets[tt++] = r.target[t];
      else targets[tt++] = r.target;
    } else {
      const trows = info.every ? r.target : [r.target];
      for (let t = 0; t < perOut; t++) for (let o = 0; o < O; o++) targets[tt++] = trows[t][o];
    }
  }
  const vl = summary && typeof summary.val_loss === 'number' ? summary.val_loss : null;
  return {
    config, taskInfo: info, weights: run.exportWeights(), step: summary ? summary.step : 0,
    labValLoss: vl, labValStep: vl === null ? null : (valStep === undefined ? null : valStep),
    split, n, T, inputs, targets, outputs,
  };
}

/**
 * The loss the lab's core computes from its outputs at the current weights (eval mode): mse = mean over every element;
 * cross-entropy = mean over every predicted position of −log p[target]. Summed in double, as core/run.cpp does.
 * @param {TorchMaterial} m
 * @returns {number}
 */
export function labLoss(m) {
  const O = m.taskInfo.outputs;
  let s = 0;
  if (m.taskInfo.classes) {
    const N = m.targets.length;
    for (let j = 0; j < N; j++) s -= Math.log(Math.max(m.outputs[j * O + m.targets[j]], 1e-45));
    return s / N;
  }
  for (let j = 0; j < m.targets.length; j++) { const d = m.outputs[j] - m.targets[j]; s += d * d; }
  return s / m.targets.length;
}

// ---- number and list formatting ----------------------------------------------------------------------------------------

/**
 * The shortest decimal that reads back as the same float32 (Python float → torch.float32 rounds the same way as Math.fround).
 * @param {number} v
 * @returns {string}
 */
export function f32(v) {
  if (!isFinite(v)) return v !== v ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const x = Math.fround(v);
  let s = '';
  for (let p = 1; p <= 9; p++) { s = x.toPrecision(p); if (Math.fround(Number(s)) === x) break; }
  if (s.indexOf('e') >= 0) {
    const [mant, exp] = s.split('e');
    return mant + 'e' + (exp[0] === '+' ? exp.slice(1) : exp);
  }
  return s.indexOf('.') >= 0 ? s.replace(/0+$/, '').replace(/\.$/, '.0') : s + '.0';
}

/** a flat Python list, wrapped at ~width characters, each line indented @param {string[]} items @param {string} indent */
function pyList(items, indent, width = 118) {
  const lines = [];
  let line = '';
  for (const it of items) {
    if (line && indent.length + line.length + it.length + 2 > width) { lines.push(indent + line.trimEnd()); line = ''; }
    line += it + ', ';
  }
  if (line) lines.push(indent + line.trimEnd());
  return '[\n' + lines.join('\n') + '\n' + indent.slice(4) + ']';
}

/** @param {any} a @returns {{shape: number[], flat: number[]}} nested arrays → shape + flat values */
function flatten(a) {
  const shape = [], flat = [];
  let x = a;
  while (x && typeof x !== 'number' && x.length !== undefined) { shape.push(x.length); x = x[0]; }
  (function walk(v) {
    if (typeof v === 'number') flat.push(v);
    else for (let i = 0; i < v.length; i++) walk(v[i]);
  })(a);
  return { shape, flat };
}

/** a Python string literal @param {string} s */
function pyStr(s) { return JSON.stringify(s); }

/** Python's repr of a config value for keyword arguments @param {any} v */
function pyVal(v) {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : String(v).replace('e+', 'e');
  if (Array.isArray(v)) return '(' + v.map(pyVal).join(', ') + (v.length === 1 ? ',)' : ')');
  return pyStr(String(v));
}

// ---- the model -----------------------------------------------------------------------------------------------------------

const TORCH_CELL = { rnn: 'nn.RNN', lstm: 'nn.LSTM', gru: 'nn.GRU' };
const TORCH_ACT = {
  sigmoid: 'nn.Sigmoid()', tanh: 'nn.Tanh()', relu: 'nn.ReLU()', leaky_relu: 'nn.LeakyReLU(0.01)', elu: 'nn.ELU()',
  selu: 'nn.SELU()', linear: 'nn.Identity()',
};

/**
 * How the model is laid out in PyTorch: one multi-layer nn.RNN/LSTM/GRU where the lab's blocks are plain cells, else a list
 * of one-layer modules (and then the lab's names rnn.weight_ih_l{k} become rnn.{k}.weight_ih_l0).
 * @param {any} cfg  the normalized config
 * @param {any} info taskInfo
 */
export function torchLayout(cfg, info) {
  const m = cfg.model;
  const residualAt = [];
  for (let k = 0; k < m.layers; k++) if (m.residual && (k === 0 ? info.inputs : m.hidden) === m.hidden) residualAt.push(k);
  const recurrent = m.cell !== 'mlp';
  const selu = m.cell === 'rnn' && m.nonlinearity === 'selu';
  const stacked = recurrent && !selu && m.norm === 'none' && residualAt.length === 0;
  return { recurrent, selu, stacked, residualAt, perLayer: recurrent && !stacked };
}

/** @param {any} cfg @param {any} info */
function modelSource(cfg, info) {
  const m = cfg.model, L = torchLayout(cfg, info), H = m.hidden, I = info.inputs, O = info.outputs;
  const every = m.readout === 'every';
  const last = m.layers > 0 ? H : I;
  const out = [];
  const say = (/** @type {string} */ s) => out.push(s);
  const desc = m.cell === 'mlp' ? (m.layers ? `MLP, ${m.layers} × nn.Linear(…, ${H}) + ${m.activation}` : 'a linear model (the head alone)')
    : `${m.cell.toUpperCase()}${m.cell === 'rnn' ? ' (' + m.nonlinearity + ')' : ''}, ${m.layers} layer${m.layers > 1 ? 's' : ''} of ${H}`;
  const extras = [m.norm !== 'none' ? m.norm + ' norm after every block' : '', L.residualAt.length ? 'residual on blocks ' + L.residualAt.join(', ') : '',
    m.dropout > 0 ? 'dropout ' + m.dropout + ' after every block' : ''].filter(Boolean);
  if (L.selu) {
    say('class SeluRNN(nn.Module):');
    say('    """One layer of h_t = selu(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh), h_0 = 0: nn.RNN\'s formula with SELU, which nn.RNN');
    say('    does not offer. Parameter names as nn.RNN\'s (one layer), so the lab\'s weights load as they are."""');
    say('');
    say('    def __init__(self, input_size, hidden_size):');
    say('        super().__init__()');
    say('        self.weight_ih_l0 = nn.Parameter(torch.zeros(hidden_size, input_size))');
    say('        self.weight_hh_l0 = nn.Parameter(torch.zeros(hidden_size, hidden_size))');
    say('        self.bias_ih_l0 = nn.Parameter(torch.zeros(hidden_size))');
    say('        self.bias_hh_l0 = nn.Parameter(torch.zeros(hidden_size))');
    say('');
    say('    def forward(self, x):  # x: (batch, time, input_size) → (batch, time, hidden_size), last h');
    say('        a = F.linear(x, self.weight_ih_l0, self.bias_ih_l0)  # the input side of every step at once');
    say('        h = x.new_zeros(x.shape[0], self.weight_hh_l0.shape[0])');
    say('        steps = []');
    say('        for t in range(x.shape[1]):');
    say('            h = F.selu(a[:, t] + F.linear(h, self.weight_hh_l0, self.bias_hh_l0))');
    say('            steps.append(h)');
    say('        return torch.stack(steps, 1), h');
    say('');
    say('');
  }
  if (m.norm === 'batch') {
    say('class BatchNormOverTime(nn.BatchNorm1d):');
    say('    """The lab\'s batch norm: nn.BatchNorm1d over batch and time together, on (batch, time, features)."""');
    say('');
    say('    def forward(self, h):');
    say('        return super().forward(h.reshape(-1, h.shape[-1])).reshape(h.shape)');
    say('');
    say('');
  }
  say('class Net(nn.Module):');
  say(`    """${desc}${extras.length ? '; ' + extras.join('; ') : ''}; readout ${m.readout} → head nn.Linear(${last}, ${O})."""`);
  say('');
  say('    def __init__(self):');
  say('        super().__init__()');
  const sizes = [];
  for (let k = 0; k < m.layers; k++) sizes.push([k === 0 ? I : H, H]);
  if (L.stacked) {
    const args = [`input_size=${I}`, `hidden_size=${H}`, `num_layers=${m.layers}`, 'batch_first=True'];
    if (m.cell === 'rnn' && m.nonlinearity === 'relu') args.push("nonlinearity='relu'");
    if (m.dropout > 0 && m.layers > 1) args.push(`dropout=${pyVal(m.dropout)}`);
    say(`        self.rnn = ${TORCH_CELL[m.cell]}(${args.join(', ')})`);
  } else if (L.recurrent) {
    const one = (/** @type {number[]} */ s) => L.selu ? `SeluRNN(${s[0]}, ${s[1]})`
      : `${TORCH_CELL[m.cell]}(${s[0]}, ${s[1]}, batch_first=True${m.cell === 'rnn' && m.nonlinearity === 'relu' ? ", nonlinearity='relu'" : ''})`;
    say('        # one module per layer (the lab puts a norm or a residual sum between layers): rnn.K.weight_ih_l0 here is');
    say('        # the lab\'s rnn.weight_ih_lK (load_lab_weights maps the names)');
    say(`        self.rnn = nn.ModuleList([${sizes.map(one).join(', ')}])`);
  } else if (m.layers > 0) {
    say(`        self.mlp = nn.ModuleList([${sizes.map((s) => `nn.Linear(${s[0]}, ${s[1]})`).join(', ')}])`);
    say(`        self.act = ${TORCH_ACT[m.activation]}`);
  }
  if (m.norm !== 'none') {
    const n = m.norm === 'batch' ? `BatchNormOverTime(${H})` : `nn.LayerNorm(${H})`;
    say(`        self.norm = nn.ModuleList([${sizes.map(() => n).join(', ')}])`);
  }
  if (L.residualAt.length) say(`        self.residual = ${pyVal(L.residualAt)}  # blocks whose input size equals their output size: y = x + F(x)`);
  if (m.dropout > 0) say(`        self.drop = nn.Dropout(${pyVal(m.dropout)})  # after every block, the last one too (off in eval mode)`);
  say(`        self.head = nn.Linear(${last}, ${O})`);
  say('');
  say(`    def forward(self, x):  # x: (batch, time, ${I}) → ${every ? `(batch, time, ${O})` : `(batch, ${O})`}`);
  if (L.stacked) {
    say('        x, _ = self.rnn(x)  # from a zero state; every time step of the last layer');
    if (m.dropout > 0) say('        x = self.drop(x)');
  } else if (m.layers > 0) {
    say(`        for k in range(${m.layers}):`);
    if (L.recurrent) say('            h, _ = self.rnn[k](x)  # from a zero state');
    else say('            h = self.mlp[k](x)  # every time step alike');
    if (m.norm !== 'none') say('            h = self.norm[k](h)');
    if (!L.recurrent) say('            h = self.act(h)');
    if (L.residualAt.length) say('            x = x + h if k in self.residual else h');
    else say('            x = h');
    if (m.dropout > 0) say('            x = self.drop(x)');
  }
  say(every ? '        return self.head(x)  # readout every: a prediction at every time step' : '        return self.head(x[:, -1])  # readout last: the last time step only');
  return out.join('\n');
}

// ---- optimizer and schedule ----------------------------------------------------------------------------------------------

/** @param {any} o  config.optimizer */
function optimizerCall(o) {
  const kw = (/** @type {string[]} */ keys) => keys.map((k) => `${k}=${pyVal(o[k])}`).join(', ');
  switch (o.name) {
    case 'sgd': case 'momentum': case 'nesterov':
      return `torch.optim.SGD(net.parameters(), ${kw(['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'])})`;
    case 'adagrad':
      return `torch.optim.Adagrad(net.parameters(), ${kw(['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps'])})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(net.parameters(), ${kw(['lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered'])})`;
    case 'adamw':
      return `torch.optim.AdamW(net.parameters(), ${kw(['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'])})`;
    default:
      return `torch.optim.Adam(net.parameters(), ${kw(['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'])})`;
  }
}

/**
 * The lab's learning rate for update k (0-based), as core/optim.hpp scheduled_lr computes it.
 * @param {any} s  config.schedule @param {number} lr @param {number} k
 */
export function labLr(s, lr, k) {
  let r = lr;
  if (s.name === 'step') r = lr * Math.pow(s.gamma, Math.floor(k / s.step_size));
  else if (s.name === 'exponential') r = lr * Math.pow(s.gamma, k);
  else if (s.name === 'cosine') r = s.eta_min + (lr - s.eta_min) * (1 + Math.cos(Math.PI * Math.min(k, s.T_max) / s.T_max)) / 2;
  if (s.warmup > 0) r *= Math.min(1, (k + 1) / s.warmup);
  return r;
}

/** @param {any} cfg */
function scheduleSource(cfg) {
  const s = cfg.schedule, lr = cfg.optimizer.lr;
  const out = [];
  const say = (/** @type {string} */ t) => out.push(t);
  say('def make_schedule(optimizer, start):');
  say('    """The lab\'s schedule, positioned at update `start` (call .step() after every optimizer.step(), as the lab does)."""');
  const parts = [];
  const warm = s.warmup > 1;
  if (warm) parts.push(`torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=${pyVal(1 / s.warmup)}, end_factor=1.0, total_iters=${s.warmup - 1})`);
  if (s.name === 'step') parts.push(`torch.optim.lr_scheduler.StepLR(optimizer, step_size=${s.step_size}, gamma=${pyVal(s.gamma)})`);
  if (s.name === 'exponential') parts.push(`torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=${pyVal(s.gamma)})`);
  if (s.name === 'cosine') {
    // CosineAnnealingLR rises again after T_max where the lab holds eta_min, and with eta_min ≠ 0 it does not chain with a
    // warm-up: the same curve as a LambdaLR, written out
    say(`    # CosineAnnealingLR(T_max=${s.T_max}, eta_min=${pyVal(s.eta_min)}) up to step T_max; the lab then stays at eta_min`);
    say('    # (CosineAnnealingLR would rise again), so the same curve is written out as a LambdaLR');
    say('    def factor(k):');
    say(`        lr = ${pyVal(s.eta_min)} + (${pyVal(lr)} - ${pyVal(s.eta_min)}) * (1 + math.cos(math.pi * min(k, ${s.T_max}) / ${s.T_max})) / 2`);
    if (s.warmup > 0) say(`        lr *= min(1.0, (k + 1) / ${s.warmup})  # linear warm-up`);
    say(`        return lr / ${pyVal(lr)}`);
    say('    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: factor(k + start))');
    return out.join('\n');
  }
  if (!parts.length) {
    say('    return None  # constant learning rate' + (s.warmup === 1 ? ' (a warm-up of 1 step changes nothing)' : ''));
    return out.join('\n');
  }
  if (warm) say(`    # linear warm-up over ${s.warmup} steps: lr·(k+1)/${s.warmup} for update k`);
  if (parts.length === 1) say(`    schedule = ${parts[0]}`);
  else {
    say('    schedule = torch.optim.lr_scheduler.ChainedScheduler([');
    parts.forEach((p) => say(`        ${p},`));
    say('    ])');
  }
  say('    with warnings.catch_warnings():  # stepping before any optimizer.step() only warns');
  say('        warnings.simplefilter("ignore")');
  say('        for _ in range(start):');
  say('            schedule.step()');
  say('    return schedule');
  return out.join('\n');
}

// ---- the whole script ----------------------------------------------------------------------------------------------------

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

/**
 * The material cut to its first samples so that their inputs (one number per step when one-hot) and targets fit in maxValues.
 * @param {TorchMaterial} m @param {number} maxValues @returns {TorchMaterial}
 */
export function firstSamples(m, maxValues) {
  const I = m.taskInfo.inputs, perX = m.T * I, perY = m.targets.length / m.n, perO = m.outputs.length / m.n;
  const cost = (isOneHot(m.inputs, I) ? m.T : perX) + perY;
  const n = Math.max(1, Math.min(m.n, Math.floor(maxValues / cost)));
  if (n === m.n) return m;
  return { ...m, n, inputs: m.inputs.slice(0, n * perX), targets: m.targets.slice(0, n * perY), outputs: m.outputs.slice(0, n * perO) };
}

/** every time step's input is one-hot (a 1 and zeros) @param {Float32Array} x @param {number} I */
function isOneHot(x, I) {
  if (I < 2 || x.length === 0) return false;
  for (let j = 0; j < x.length; j += I) {
    let ones = 0;
    for (let i = 0; i < I; i++) {
      const v = x[j + i];
      if (v === 1) ones++;
      else if (v !== 0) return false;
    }
    if (ones !== 1) return false;
  }
  return true;
}
