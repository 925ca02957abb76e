// step_bench.mjs — wasm training throughput: the same Run as bench/step_bench.cpp through the shipped JS API
// (require('dist/rnnlab.js')), warm-up, then steps/s over a fixed wall time (and per CPU second) as one JSON line. Not a test, not the driver.
//
// usage: node bench/step_bench.mjs CONFIG.json [--lib dist/rnnlab.js] [--ms 1500] [--warmup-ms 400] [--chunk 10] [--variant wasm]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const a = process.argv.slice(2);
const opts = { lib: path.join(ROOT, 'dist/rnnlab.js'), ms: 1500, 'warmup-ms': 400, chunk: 10, variant: 'wasm' };
let file = null;
for (let i = 0; i < a.length; i++) {
  const m = /^--(lib|ms|warmup-ms|chunk|variant)$/.exec(a[i]);
  if (m) opts[m[1]] = a[++i];
  else if (a[i].startsWith('--')) { console.error(`unknown option ${a[i]}`); process.exit(2); }
  else file = a[i];
}
if (!file) {
  console.error('usage: node bench/step_bench.mjs CONFIG.json [--lib dist/rnnlab.js] [--ms 1500] [--warmup-ms 400] [--chunk 10] [--variant wasm]');
  process.exit(2);
}
const ms = Number(opts.ms), warmupMs = Number(opts['warmup-ms']), chunk = Number(opts.chunk);

const RnnLab = createRequire(import.meta.url)(path.resolve(opts.lib));
const lab = await RnnLab.loadLab();
const run = lab.createRun(JSON.parse(fs.readFileSync(file, 'utf8')));
const cfg = run.config();
const lossStart = run.train(1).loss; // first step (with its probe) not timed

let warm = 0;
const w0 = performance.now();
do { run.train(chunk); warm += chunk; } while (performance.now() - w0 < warmupMs);
let steps = 0, s;
const c0 = process.cpuUsage(), t0 = performance.now();
let t = t0;
do { s = run.train(chunk); steps += chunk; t = performance.now(); } while (t - t0 < ms);
const c1 = process.cpuUsage(c0);
run.dispose();

const seconds = (t - t0) / 1000;
// CPU seconds of this process over the timed window: on a loaded machine steps per CPU second moves far less than steps
// per wall second (the process waits for a core), so A/B comparisons of one variant's builds can use cpu_sps
const cpuSeconds = (c1.user + c1.system) / 1e6;
console.log(JSON.stringify({
  bench: 'step', variant: opts.variant, cell: cfg.model.cell, hidden: cfg.model.hidden, chunk, warmup_steps: warm, steps,
  seconds: +seconds.toFixed(6), sps: +(steps / seconds).toFixed(4), cpu_seconds: +cpuSeconds.toFixed(6),
  cpu_sps: +(steps / cpuSeconds).toFixed(4), loss_start: lossStart, loss_end: s.loss, diverged: !!s.diverged,
  lib: path.relative(ROOT, path.resolve(opts.lib)),
}));
process.exit(s.diverged ? 1 : 0);
