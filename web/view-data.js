// @ts-check
// Pure logic of the three views (prediction, inside, generate): what to ask a run for, and how its answers become heatmaps,
// token rows, scatter points and colours. No DOM, no worker, no clock: tests/node/view-data.test.mjs runs it in Node.

/** index of the largest entry @param {ArrayLike<number>} row */
export function argmax(row) {
  let k = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[k]) k = i;
  return k;
}

/**
 * What the prediction view draws for a task ({info: taskInfo(), task: config().task}).
 * @param {{info: any, task: any}} t @returns {'series'|'scatter'|'surface'|'tokens'|'classes'|'none'}
 */
export function predictionMode(t) {
  const info = t.info || {}, name = info.name;
  if (name === 'sine' || name === 'custom') {
    if (!info.classes && !info.every && info.inputs === 1 && info.outputs === 1) return 'series';
    return info.classes && !info.every ? 'classes' : 'none';
  }
  if (name === 'xor' || (info.inputs === 2 && info.length === 1 && info.classes)) return 'surface';
  if (name === 'copy' || name === 'parity') return 'tokens';
  if (!info.classes && !info.every && info.outputs === 1) return 'scatter';
  if (info.classes && !info.every) return 'classes';
  return 'none';
}

/** the sample indices a view looks at: `n` of them, 0 … n−1, never past the set @param {any} info @param {number} n */
export function sampleIds(info, n) {
  const size = (info && (info.val_size || info.train_size)) || 0;
  const out = [];
  for (let k = 0; k < Math.min(n, size); k++) out.push(k);
  return out;
}

/**
 * The inputs of an n × n grid over the square [lo, hi]² as a predict() batch [n²][1][2] (row j: y, column i: x).
 * @param {number} n @param {number} lo @param {number} hi @returns {number[][][]}
 */
export function gridInputs(n, lo, hi) {
  const out = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    out.push([[lo + (hi - lo) * (i + 0.5) / n, lo + (hi - lo) * (j + 0.5) / n]]);
  }
  return out;
}

/** predict()'s class probabilities over the grid → the probability of class 1, as rows [j][i] @param {number[][]} probs @param {number} n */
export function gridClass1(probs, n) {
  const out = [];
  for (let j = 0; j < n; j++) {
    const row = [];
    for (let i = 0; i < n; i++) { const p = probs[j * n + i]; row.push(p && p.length > 1 ? p[1] : NaN); }
    out.push(row);
  }
  return out;
}

/**
 * Parity's picture: the selected sample's token rows, but the wrong count over every sample asked (one answer each), so a run
 * that guesses shows as "4 of 8 wrong" rather than "1 of 1". @param {{inputs: number[][], target: any, output: any}[]} rs @param {number} k
 */
export function parityRows(rs, k) {
  const all = rs.map((r) => tokenRows('parity', r));
  return Object.assign({}, all[Math.min(k, all.length - 1)], { errors: all.filter((x) => x.errors > 0).length, scored: all.length });
}

/** a token's printable name: copy's symbols A–H, its blank '·' and go marker '▸'; parity's bits 0/1 @param {string} task @param {number} k */
export function tokenName(task, k) {
  if (task === 'copy') return k < 8 ? String.fromCharCode(65 + k) : k === 8 ? '·' : '▸';
  return String(k);
}

/**
 * One sample as token rows, wrong predictions marked. copy: per time step input symbol (argmax of the one-hot), target and
 * predicted symbol; parity: the input bits, and one target and prediction at the end.
 * @param {string} task @param {{inputs: number[][], target: any, output: any}} r
 * @returns {{input: string[], target: string[], output: string[], wrong: boolean[], errors: number, scored: number}}
 */
export function tokenRows(task, r) {
  const input = [], target = [], output = [], wrong = [];
  if (task === 'copy') {
    r.inputs.forEach((x, t) => {
      const want = Array.isArray(r.target) ? r.target[t] : r.target, got = argmax(r.output[t]);
      input.push(tokenName('copy', argmax(x)));
      target.push(tokenName('copy', want));
      output.push(tokenName('copy', got));
      wrong.push(got !== want);
    });
  } else {
    r.inputs.forEach((x) => input.push(x[0] > 0 ? '1' : '0')); // the core's bits are ±1 (mean 0): +1 is a 1
    const got = argmax(r.output), want = Number(r.target);
    target.push(String(want));
    output.push(String(got));
    wrong.push(got !== want);
  }
  const errors = wrong.filter(Boolean).length;
  return { input, target, output, wrong, errors, scored: wrong.length };
}

/** the quantities the inside view offers for a cell: h, then c and the gates (PyTorch's names) @param {string} cell */
export function quantities(cell) {
  if (cell === 'lstm') return ['h', 'c', 'f', 'i', 'g', 'o'];
  if (cell === 'gru') return ['h', 'z', 'r', 'n'];
  return ['h'];
}

/** whether a quantity lies in [0, 1] (a gate after σ) rather than around 0 @param {string} q */
export function isGate(q) { return q === 'i' || q === 'f' || q === 'o' || q === 'r' || q === 'z'; }

/**
 * One quantity of one layer of an inspect() answer as a heatmap: values[unit][t], and the colour range (gates [0, 1];
 * h, c, g, n symmetric around 0, at least ±1). null when the layer has no such quantity.
 * @param {any} r inspect() with plain arrays @param {number} layer @param {string} q
 * @returns {{values: number[][], units: number, steps: number, lo: number, hi: number, gate: boolean, meanT: number[]}|null}
 */
export function heatmapOf(r, layer, q) {
  const L = r && r.layers && r.layers[layer];
  if (!L) return null;
  const a = q === 'h' ? L.h : q === 'c' ? L.c : L.gates && L.gates[q];
  if (!a || !a.length) return null;
  const steps = a.length, units = a[0].length, values = [], meanT = [], mags = [];
  for (let u = 0; u < units; u++) { const row = []; for (let t = 0; t < steps; t++) row.push(a[t][u]); values.push(row); }
  for (let t = 0; t < steps; t++) {
    let s = 0;
    for (let u = 0; u < units; u++) { s += a[t][u]; if (isFinite(a[t][u])) mags.push(Math.abs(a[t][u])); }
    meanT.push(s / units);
  }
  // signed values: ±(the 95th percentile of |v|, at least 1), so one large unit does not wash out the others (they clip)
  mags.sort((x, y) => x - y);
  const top = Math.max(1, mags.length ? mags[Math.min(mags.length - 1, Math.floor(0.95 * mags.length))] : 1);
  const gate = isGate(q);
  return { values, units, steps, lo: gate ? 0 : -top, hi: gate ? 1 : top, gate, meanT };
}

/** the mean of a list over [from, to) @param {number[]} xs @param {number} [from] @param {number} [to] */
export function mean(xs, from, to) {
  let s = 0, n = 0;
  for (let i = from || 0; i < (to === undefined ? xs.length : to); i++) if (isFinite(xs[i])) { s += xs[i]; n++; }
  return n ? s / n : NaN;
}

/** the time steps where a sample's inputs mark something: adding's marker channel (input 1) = 1 @param {number[][]} inputs */
export function markedSteps(inputs) {
  const out = [];
  inputs.forEach((x, t) => { if (x.length === 2 && x[1] > 0.5) out.push(t); });
  return out;
}

// colours: gates white → blue (Okabe–Ito #0072B2); signed values orange (#D55E00) ← white → blue
const BLUE = [0, 114, 178], ORANGE = [213, 94, 0], WHITE = [247, 247, 247];
/** @param {number[]} a @param {number[]} b @param {number} f */
function mix(a, b, f) { return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)); }
/**
 * A heatmap cell's colour [r, g, b] for value v in [lo, hi]: sequential white → blue for gates, diverging orange – white – blue
 * around 0 otherwise; NaN grey. @param {number} v @param {number} lo @param {number} hi @param {boolean} gate
 */
export function colour(v, lo, hi, gate) {
  if (!isFinite(v)) return [128, 128, 128];
  if (gate) return mix(WHITE, BLUE, Math.max(0, Math.min(1, (v - lo) / (hi - lo || 1))));
  const f = Math.max(-1, Math.min(1, v / (Math.max(Math.abs(lo), Math.abs(hi)) || 1)));
  return f >= 0 ? mix(WHITE, BLUE, f) : mix(WHITE, ORANGE, -f);
}

/** mean absolute error and R² of predicted against true values @param {Array<{x: number, y: number}>} pts (x true, y predicted) */
export function fitStats(pts) {
  if (!pts.length) return { mae: NaN, r2: NaN };
  const my = mean(pts.map((p) => p.x));
  let ae = 0, ss = 0, st = 0;
  pts.forEach((p) => { ae += Math.abs(p.y - p.x); ss += (p.y - p.x) * (p.y - p.x); st += (p.x - my) * (p.x - my); });
  return { mae: ae / pts.length, r2: st > 0 ? 1 - ss / st : NaN };
}
