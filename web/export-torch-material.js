// @ts-check
// The PyTorch script's material: what the worker reads from a live run (config, weights, every validation sample with the
// lab's outputs) and the numbers derived from it alone (the lab's loss, the first samples, one-hot inputs). Pure data: no
// Python text (web/export-torch.js writes the script; web/export-torch-model.js maps the config to torch.nn).

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
export function isOneHot(x, I) {
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
