// @ts-check
// The config → PyTorch mapping of the PyTorch script: the lab's model as torch.nn modules (Net, and SeluRNN /
// BatchNormOverTime where torch.nn has no equivalent), its optimizer as a torch.optim call, its schedule as lr_schedulers,
// and the lab's learning-rate rule for checking them. Python source fragments; not the whole script (web/export-torch.js).
import { pyVal } from './export-torch-python.js';

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
export function modelSource(cfg, info) {
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
export function optimizerCall(o) {
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
export function scheduleSource(cfg) {
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
