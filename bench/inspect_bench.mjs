// inspect_bench.mjs — what one run.inspect({sample}) call costs in wasm through the shipped JS API (dist/rnnlab.js):
// per cell, one JSON line {bench: 'inspect', cell, hidden, length, ms (best of the rounds' wall-clock means), cpu_ms (the
// same per CPU millisecond of this process: steadier on a shared machine), ms_rounds}. Not a test.
//
// usage: node --no-liftoff bench/inspect_bench.mjs [--lib dist/rnnlab.js] [--cells lstm,gru,rnn] [--hidden 128]
//        [--length 50] [--calls 100] [--rounds 5]
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = { lib: path.join(ROOT, 'dist/rnnlab.js'), cells: 'lstm,gru,rnn', hidden: 128, length: 50, calls: 100, rounds: 5 };
const a = process.argv.slice(2);
for (let i = 0; i < a.length; i++) {
  const m = /^--(lib|cells|hidden|length|calls|rounds)$/.exec(a[i]);
  if (!m) { console.error(`unknown argument ${a[i]}`); process.exit(2); }
  opts[m[1]] = a[++i];
}
const RnnLab = createRequire(import.meta.url)(path.resolve(opts.lib));
const lab = await RnnLab.loadLab();
for (const cell of String(opts.cells).split(',')) {
  // the adding task (2 inputs, 1 output) at T = length; a few steps so that the weights are not the initial ones
  const run = lab.createRun({ seed: 1, task: { name: 'adding', length: Number(opts.length), train_size: 64, val_size: 64 },
    model: { cell, hidden: Number(opts.hidden) }, optimizer: { name: 'adam', lr: 0.001 }, batch: 16 });
  run.train(3);
  for (let i = 0; i < 20; i++) run.inspect({ sample: i % 64 });  // warm-up
  const rounds = [], cpu = [];
  for (let r = 0; r < Number(opts.rounds); r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    for (let i = 0; i < Number(opts.calls); i++) run.inspect({ sample: i % 64 });
    rounds.push((performance.now() - t0) / Number(opts.calls));
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / Number(opts.calls));
  }
  run.dispose();
  console.log(JSON.stringify({ bench: 'inspect', cell, hidden: Number(opts.hidden), length: Number(opts.length),
    ms: +Math.min(...rounds).toFixed(4), cpu_ms: +Math.min(...cpu).toFixed(4), ms_rounds: rounds.map((x) => +x.toFixed(4)) }));
}
