// tfjs_step.mjs — the benchmark step in TensorFlow.js 4.22 (wasm or cpu backend, in Node): the same data, sizes, PyTorch
// cell formulas, last-step linear head, MSE, full BPTT and SGD as the core; steps/s as one JSON line. Not tfjs-node, not a test.
//
// usage: node bench/tfjs_step.mjs CONFIG.json [--backend wasm|cpu] [--impl hand|layers] [--ms 1500] [--warmup-ms 400]
//                                  [--min-warmup-steps 2] [--min-steps 2] [--variant NAME] [--check]
//   Untimed: the first step, then at least --min-warmup-steps more and --warmup-ms; timed: at least --min-steps and --ms.
//   --impl hand    (default) a hand-written cell in tf ops: per step x_t·W_ih + h·W_hh + (b_ih + b_hh), then the gate math;
//                  variables shaped as the core's parameters (both biases kept, as torch does). Per-step input products
//                  measured faster in TF.js than one GEMM over all steps + unstack/slice (fewer, cheaper gradient ops).
//   --impl layers  tf.layers.lstm / tf.layers.gru (recurrentActivation 'sigmoid') + tf.layers.dense, model.trainOnBatch.
//                  Keras' GRU applies r before W_hn (reset_after = false), so for the GRU it is a close cousin, not the same step.
//   --check        instead of timing: copies the core's initial weights (from dist/rnnlab.js) into the hand-written cell and
//                  compares the losses of the first two SGD steps with the core's; prints them and the relative difference.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const a = process.argv.slice(2);
const opts = { backend: 'wasm', impl: 'hand', ms: 1500, 'warmup-ms': 400, 'min-warmup-steps': 2, 'min-steps': 2, variant: null, lib: path.join(ROOT, 'dist/rnnlab.js'), check: false };
let file = null;
for (let i = 0; i < a.length; i++) {
  const m = /^--(backend|impl|ms|warmup-ms|min-warmup-steps|min-steps|variant|lib)$/.exec(a[i]);
  if (m) opts[m[1]] = a[++i];
  else if (a[i] === '--check') opts.check = true;
  else if (a[i].startsWith('--')) { console.error(`unknown option ${a[i]}`); process.exit(2); }
  else file = a[i];
}
if (!file || !['wasm', 'cpu'].includes(opts.backend) || !['hand', 'layers'].includes(opts.impl)) {
  console.error('usage: node bench/tfjs_step.mjs CONFIG.json [--backend wasm|cpu] [--impl hand|layers] [--ms 1500] [--warmup-ms 400] [--check]');
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(file, 'utf8'));
const cell = config.model.cell, H = config.model.hidden, lr = config.optimizer.lr;
const xs = config.task.inputs, ys = config.task.targets;
const B = xs.length, T = xs[0].length, F = xs[0][0].length, O = ys[0].length;
const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 0;
if (!G) { console.error(`cell ${cell}: only lstm and gru`); process.exit(2); }

await tf.setBackend(opts.backend);
await tf.ready();

// data: T tensors (B, F) for the hand-written cell (constants, split once here), (B, T, F) for tf.layers; targets (B, O)
const X_btf = tf.tensor3d(xs);
const X_t = tf.unstack(tf.transpose(X_btf, [1, 0, 2]));
const Y = tf.tensor2d(ys);

// torch's default init U(−1/√H, 1/√H) for the cell, U(−1/√fan_in, 1/√fan_in) for the head (seeded, not the core's numbers)
function initial() {
  const k = 1 / Math.sqrt(H);
  const u = (shape, s, seed) => tf.randomUniform(shape, -s, s, 'float32', seed);
  return {
    w_ih: u([F, G * H], k, 1), w_hh: u([H, G * H], k, 2), b_ih: u([G * H], k, 3), b_hh: u([G * H], k, 4),
    w_head: u([H, O], k, 5), b_head: u([O], k, 6),
  };
}

// the core's exported weights (torch layout: weight (out, in)) transposed into ours (in, out)
function fromCore(w) {
  return {
    w_ih: tf.transpose(tf.tensor2d(w['rnn.weight_ih_l0'])), w_hh: tf.transpose(tf.tensor2d(w['rnn.weight_hh_l0'])),
    b_ih: tf.tensor1d(w['rnn.bias_ih_l0']), b_hh: tf.tensor1d(w['rnn.bias_hh_l0']),
    w_head: tf.transpose(tf.tensor2d(w['head.weight'])), b_head: tf.tensor1d(w['head.bias']),
  };
}

function handStep(init) {
  const v = {};
  for (const [k, t] of Object.entries(init)) v[k] = tf.variable(t, true, k);
  const vars = Object.values(v);
  const optimizer = tf.train.sgd(lr);
  const lossFn = () => {
    const b = cell === 'lstm' ? tf.add(v.b_ih, v.b_hh) : null;
    let h = null, c = null;
    for (let t = 0; t < T; t++) {
      const xw = tf.matMul(X_t[t], v.w_ih);
      if (cell === 'lstm') {
        // gates [i; f; g; o] as nn.LSTM; h_0 = c_0 = 0, so step 0 has no W_hh product (as in the core)
        const pre = h ? tf.add(tf.add(xw, b), tf.matMul(h, v.w_hh)) : tf.add(xw, b);
        const [i, f, g, o] = tf.split(pre, 4, 1);
        const ig = tf.mul(tf.sigmoid(i), tf.tanh(g));
        c = c ? tf.add(tf.mul(tf.sigmoid(f), c), ig) : ig;
        h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      } else {
        // gates [r; z; n] as nn.GRU: n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h = (1 − z)⊙n + z⊙h_prev
        const gh = h ? tf.add(tf.matMul(h, v.w_hh), v.b_hh) : tf.broadcastTo(v.b_hh, [B, G * H]);
        const [xr, xz, xn] = tf.split(tf.add(xw, v.b_ih), 3, 1);
        const [hr, hz, hn] = tf.split(gh, 3, 1);
        const r = tf.sigmoid(tf.add(xr, hr)), z = tf.sigmoid(tf.add(xz, hz));
        const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
        const zn = tf.mul(tf.sub(1, z), n);
        h = h ? tf.add(zn, tf.mul(z, h)) : zn;
      }
    }
    const yhat = tf.add(tf.matMul(h, v.w_head), v.b_head);
    return tf.mean(tf.square(tf.sub(yhat, Y)));
  };
  return () => {
    const cost = optimizer.minimize(lossFn, true, vars);
    const l = cost.dataSync()[0];
    cost.dispose();
    return l;
  };
}

function layersStep() {
  const rnn = (cell === 'lstm' ? tf.layers.lstm : tf.layers.gru)({ units: H, recurrentActivation: 'sigmoid', inputShape: [T, F] });
  const model = tf.sequential({ layers: [rnn, tf.layers.dense({ units: O })] });
  model.compile({ optimizer: tf.train.sgd(lr), loss: 'meanSquaredError' });
  return async () => {
    const r = await model.trainOnBatch(X_btf, Y);
    return Array.isArray(r) ? r[0] : r;
  };
}

if (opts.check) {
  const RnnLab = createRequire(import.meta.url)(path.resolve(opts.lib));
  const lab = await RnnLab.loadLab();
  const run = lab.createRun(config);
  const step = handStep(fromCore(run.exportWeights()));
  const core = [run.train(1).loss, run.train(1).loss, run.train(1).loss];
  const ours = [step(), step(), step()];
  run.dispose();
  const rel = core.map((c, i) => Math.abs(ours[i] - c) / Math.abs(c));
  console.log(JSON.stringify({ bench: 'check', backend: opts.backend, cell, hidden: H, core_losses: core, tfjs_losses: ours,
    max_rel_diff: Math.max(...rel), same: Math.max(...rel) < 1e-4 }));
  process.exit(Math.max(...rel) < 1e-4 ? 0 : 1);
}

const step = opts.impl === 'hand' ? handStep(initial()) : layersStep();
const ms = Number(opts.ms), warmupMs = Number(opts['warmup-ms']);
const minWarm = Number(opts['min-warmup-steps']), minSteps = Math.max(1, Number(opts['min-steps']));
const lossStart = await step();
let warm = 0;
const w0 = performance.now();
while (warm < minWarm || performance.now() - w0 < warmupMs) { await step(); warm++; }
let steps = 0, loss;
const c0 = process.cpuUsage(), t0 = performance.now();
let t = t0;
do { loss = await step(); steps++; t = performance.now(); } while (steps < minSteps || t - t0 < ms);
const c1 = process.cpuUsage(c0);
const seconds = (t - t0) / 1000, cpuSeconds = (c1.user + c1.system) / 1e6;  // CPU time: see step_bench.mjs
console.log(JSON.stringify({
  bench: 'step', variant: opts.variant || `tfjs-${opts.backend}${opts.impl === 'layers' ? '-layers' : ''}`, cell, hidden: H,
  impl: opts.impl, backend: tf.getBackend(), simd: opts.backend === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : null,
  threads: opts.backend === 'wasm' ? (tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi' : 1) : 1,
  warmup_steps: warm, steps, seconds: +seconds.toFixed(6), sps: +(steps / seconds).toFixed(4),
  cpu_seconds: +cpuSeconds.toFixed(6), cpu_sps: +(steps / cpuSeconds).toFixed(4), loss_start: lossStart, loss_end: loss,
  tensors: tf.memory().numTensors, tfjs: tf.version.tfjs,
}));
