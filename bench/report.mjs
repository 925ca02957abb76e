// report.mjs — turns a bench/run.sh results file (JSON lines) into the Markdown tables of docs/performance.md: median
// steps/s per variant, medians of the per-round ratios, GFLOP/s, page figures, size, and each target met or missed. Not a runner.
//
// usage: node bench/report.mjs build/bench/results-*.jsonl
import fs from 'node:fs';

const file = process.argv[2];
if (!file) { console.error('usage: node bench/report.mjs RESULTS.jsonl'); process.exit(2); }
const rows = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

const median = (v) => {
  const s = v.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};
const fmt = (x, d) => !Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(d ?? 1) : x.toFixed(d ?? 2);
const ratio = (x) => !Number.isFinite(x) ? '–' : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
const mark = (ok) => ok === null ? '?' : ok ? 'met' : '**missed**';
const lines = [];
const p = (s = '') => lines.push(s);

const meta = Object.assign({}, ...rows.filter((r) => r.bench === 'meta'));
p(`Results: \`${file}\``);
p();
p(`Machine: ${meta.cpu}, ${meta.cores} logical cores, ${meta.mem_gb} GB; Node ${meta.node}; ${meta.cxx}; ${meta.emcc || 'emcc ?'}.`);
p(`Sources: git ${meta.git}${meta.dirty_files_core_bindings_web ? ` + ${meta.dirty_files_core_bindings_web} uncommitted files in core/ bindings/ web/` : ''}; ${meta.date}; ` +
  `dist/rnnlab.js ${meta.dist_is_build_wasm ? 'is' : '**is not**'} byte-identical to build/wasm/rnnlab.js.`);
p(`Load average (1/5/15 min) at start ${(meta.loadavg_start || []).join(' / ')}, at end ${(meta.loadavg_end || []).join(' / ')}` +
  ` — above ~1 means other processes competed for the ${meta.cores} cores.`);
p(`${meta.rounds} round(s); each variant ${meta.ms} ms timed after ${meta.warmup_ms} ms warm-up, in its own process, order rotated per round${meta.quick ? ' (BENCH_QUICK)' : ''}; ` +
  `wasm variants under \`node ${meta.wasm_node_flags || '(V8 defaults)'}\`.`);
p();

// ---- throughput ------------------------------------------------------------------------------------------------------------
const steps = rows.filter((r) => r.bench === 'step');
const errors = rows.filter((r) => r.bench === 'error');
const V = ['native-march', 'native-sse2', 'wasm', 'tfjs-wasm', 'tfjs-wasm-layers', 'tfjs-cpu'].filter((v) => steps.some((r) => r.variant === v));
const keys = [...new Set(steps.map((r) => `${r.cell}:${r.hidden}`))].sort((a, b) => {
  const [ca, ha] = a.split(':'), [cb, hb] = b.split(':');
  return ca === cb ? ha - hb : ca < cb ? 1 : -1; // lstm first
});
const RATIOS = [['tfjs-wasm', 15, 'wasm / TF.js wasm'], ['native-sse2', 0.8, 'wasm / native SSE2'], ['native-march', 0.35, 'wasm / native -march'],
  ['tfjs-cpu', null, 'wasm / TF.js cpu'], ['tfjs-wasm-layers', null, 'wasm / TF.js wasm (tf.layers)']].filter(([v]) => V.includes(v) && V.includes('wasm'));
// one throughput table for a field of the step rows (sps: wall clock; cpu_sps: per CPU second of the process): medians per
// variant and, for each ratio, the ratio within each round (same minute, same machine state), then the median of those
function throughputTable(field, title) {
  const out = {};
  p(title);
  p();
  p(`| cell | H | ${V.join(' | ')} | ${RATIOS.map((r) => r[2]).join(' | ')} |`);
  p(`|---|---|${V.map(() => '---:').join('|')}|${RATIOS.map(() => '---:').join('|')}|`);
  const rounds = [...new Set(steps.map((r) => r.round))];
  for (const k of keys) {
    const [cell, h] = k.split(':');
    const of = (v) => steps.filter((r) => r.cell === cell && String(r.hidden) === h && r.variant === v);
    const med = Object.fromEntries(V.map((v) => [v, median(of(v).map((r) => r[field]))]));
    const rat = {};
    for (const [v] of RATIOS) {
      const per = rounds.map((rd) => {
        const w = of('wasm').find((r) => r.round === rd), o = of(v).find((r) => r.round === rd);
        return w && o ? w[field] / o[field] : NaN;
      });
      rat[v] = { median: median(per), min: Math.min(...per.filter(Number.isFinite)), max: Math.max(...per.filter(Number.isFinite)) };
    }
    out[k] = { med, rat };
    p(`| ${cell} | ${h} | ${V.map((v) => fmt(med[v])).join(' | ')} | ${RATIOS.map(([v]) => `${ratio(rat[v].median)} (${ratio(rat[v].min)}–${ratio(rat[v].max)})`).join(' | ')} |`);
  }
  p();
  return out;
}
const results = throughputTable('sps', '### Training throughput (steps/s, median over rounds)');
p('Ratios: median of the per-round ratios, (min–max) over rounds.' + (errors.length ? ` ${errors.length} run(s) failed: ` +
  errors.map((e) => `${e.variant} ${e.cell} H=${e.hidden} round ${e.round}`).join(', ') + '.' : ''));
// the same ratios per CPU second of each process (cpu_sps): a process that waits for a core on a loaded machine does not
// accumulate CPU time meanwhile, so these move much less between rounds than the wall-clock ones
let resultsCpu = {};
if (steps.some((r) => Number.isFinite(r.cpu_sps))) {
  p();
  resultsCpu = throughputTable('cpu_sps', '### Training throughput per CPU second (steps per CPU-second of the process, median over rounds)');
}
const checks = rows.filter((r) => r.bench === 'check');
if (checks.length) {
  p('Same step: ' + checks.map((c) => `${c.cell} H=${c.hidden}: TF.js (${c.backend}) with the core's initial weights reproduces the core's ` +
    `first three losses to ${c.max_rel_diff.toExponential(1)} relative (${c.same ? 'same' : '**different**'})`).join('; ') + '.');
}
p();

// ---- GFLOP/s ---------------------------------------------------------------------------------------------------------------
const gemm = rows.filter((r) => r.bench === 'gemm');
if (gemm.length) {
  const GV = ['native-march', 'native-sse2', 'wasm'].filter((v) => gemm.some((r) => r.variant === v));
  const hs = [...new Set(gemm.map((r) => r.hidden))].sort((a, b) => a - b);
  const hasCore = gemm.some((r) => r.core_fwd !== null && r.core_fwd !== undefined);
  p('### Gate products (GFLOP/s, median over rounds; B = 32)');
  p();
  p('fwd: G_t += W_hh·h_{t−1} (4H×H times H×32); bwd: W_hhᵀ·dG_t; dyt: dW_hh += dG·Hᵀ over the 49 steps. ' +
    (hasCore ? '"core" = the entry points layers.hpp calls (core/kernels.hpp); "Eigen" = the same product as a plain Eigen expression.'
      : 'Plain Eigen expressions (the core had no kernels.hpp entry points when this ran).'));
  p();
  const cols = hasCore ? ['core_fwd', 'core_bwd', 'core_dyt', 'eigen_fwd', 'eigen_bwd', 'eigen_dyt'] : ['eigen_fwd', 'eigen_bwd', 'eigen_dyt'];
  p(`| build | H | ${cols.map((c) => c.replace('_', ' ')).join(' | ')} |`);
  p(`|---|---|${cols.map(() => '---:').join('|')}|`);
  for (const v of GV) for (const h of hs) {
    const g = gemm.filter((r) => r.variant === v && r.hidden === h);
    p(`| ${v} | ${h} | ${cols.map((c) => fmt(median(g.map((r) => r[c])))).join(' | ')} |`);
  }
  p();
}

// ---- page ------------------------------------------------------------------------------------------------------------------
const loads = rows.filter((r) => r.bench === 'page' && r.what === 'first_point');
const lt = rows.filter((r) => r.bench === 'page' && r.what === 'longtask');
const size = rows.find((r) => r.bench === 'size');
let firstMed = NaN;
if (loads.length) {
  firstMed = median(loads.map((r) => r.first_point_ms));
  p('### Page (headless Chromium, http, lesson 1)');
  p();
  p(`| figure | median | min | max | per load |`);
  p(`|---|---:|---:|---:|---|`);
  for (const [k, label] of [['ready_ms', 'Train enabled (worker ready)'], ['first_point_ms', 'first GRU loss point'],
    ['first_drawn_ms', 'first GRU loss point drawn by Chart.js'], ['dom_content_loaded_ms', 'DOMContentLoaded']]) {
    const v = loads.map((r) => r[k]);
    if (v.some((x) => x === undefined)) continue; // (first_drawn_ms: since session 6)
    p(`| ${label}, ms after navigation | ${fmt(median(v), 0)} | ${fmt(Math.min(...v), 0)} | ${fmt(Math.max(...v), 0)} | ${v.map((x) => fmt(x, 0)).join(', ')} |`);
  }
  const withReq = loads.find((r) => r.requests);
  if (withReq) {
    const big = withReq.requests.slice().sort((a, b) => b.bytes - a.bytes).slice(0, 3);
    p();
    const sent = withReq.total_sent !== undefined
      ? `${(withReq.total_sent / 1024).toFixed(0)} KiB as sent (scripts/serve.mjs gzips text and scripts at level 6), `
      : '(scripts/serve.mjs did not compress then), ';
    p(`The page fetches ${withReq.requests.length} files, ${(withReq.total_bytes / 1024).toFixed(0)} KiB uncompressed, ` + sent +
      `${(withReq.total_gzip9 / 1024).toFixed(0)} KiB if gzip -9 were applied to each; largest: ` +
      big.map((r) => `${r.path} ${(r.bytes / 1024).toFixed(0)} KiB (${(r.gzip9 / 1024).toFixed(0)} KiB gz)`).join(', ') + '.');
  }
  p();
}
if (lt.length) {
  p(`| runs | Train → first tick | then trained for | tasks > 50 ms | longest task | max 20 ms-timer lag | steps per run at the end | still training |`);
  p(`|---:|---:|---:|---:|---:|---:|---|---|`);
  for (const r of lt) {
    p(`| ${r.runs} | ${fmt(r.first_tick_after_click_ms, 0)} ms | ${r.seconds} s | ${r.longtasks_over_50ms} | ${r.longest_task_ms === null ? '≤ 50 ms (none reported)' : `${fmt(r.longest_task_ms, 0)} ms`} | ` +
      `${fmt(r.max_timer_lag_ms, 0)} ms | ${Object.entries(r.steps).map(([k, v]) => `${k} ${v}`).join(', ')} | ${r.still_training ? 'yes' : 'no'} |`);
  }
  p();
  for (const r of lt) {
    if (r.long_frames > 0 && r.long_frames_attribution && r.long_frames_attribution.length) {
      p(`Where the long frames' time went (${r.runs} runs, ${r.long_frames} frames ≥ 50 ms, Long Animation Frames API, ms summed): ` +
        r.long_frames_attribution.map(([k, v]) => `${k} ${v}`).join('; ') + '.');
      p();
    }
  }
  const lf = loads.find((r) => r.long_frames_before_first_point && r.long_frames_before_first_point.length);
  if (lf) {
    p(`Before the first point (load ${lf.load}): ` + lf.long_frames_before_first_point.map(([k, v]) => `${k} ${v}`).join('; ') + ' (ms).');
    p();
  }
  for (const r of lt) {
    if (r.tasks_ms && r.tasks_ms.length) {
      p(`Tasks over 50 ms (${r.runs} runs), ms long at ms after the click on Train: ` +
        r.tasks_ms.map((d, i) => `${fmt(d, 0)} at ${fmt(r.task_start_after_click_ms[i], 0)}`).join('; ') + '.');
      p();
    }
  }
  if (lt.some((r) => r.runs === 4)) {
    const a = lt.find((r) => r.runs === 4);
    p('Lesson 1 has 3 runs and no built lesson has 4 recurrent runs; the 4-run row adds an LSTM (seed 2) as a user would (Add run, ' +
      'then its seed): trained, posted and drawn.' + (a.add_run_ms != null ? ` Adding it (the charts are rebuilt for 4 runs) took ${fmt(a.add_run_ms, 0)} ms, ` +
      'before the measured window: the window holds training only.' : ''));
  }
  p();
}
const fileLoads = rows.filter((r) => r.bench === 'page' && r.what === 'first_point_file');
if (fileLoads.length) {
  const v = fileLoads.map((r) => r.first_point_ms);
  p(`From file:// (page_bench.mjs --file, ${v.length} loads): first GRU loss point ${fmt(median(v), 0)} ms after navigation (${v.map((x) => fmt(x, 0)).join(', ')}); ` +
    `Train enabled ${fmt(median(fileLoads.map((r) => r.ready_ms)), 0)} ms.`);
  p();
}
const verdicts = rows.filter((r) => r.bench === 'page' && r.what === 'verdict');
if (verdicts.length) {
  p('### Every lesson: Train → claim verdict (bench/lesson_bench.mjs; median of the loads)');
  p();
  p('| lesson | runs | 1 worker | pool (workers) | pool ÷ 1 | longest main-thread task, 1 worker / pool | wasm memory, 1 worker / pool | verdict |');
  p('|---|---:|---:|---:|---:|---:|---:|---|');
  const mb = (b) => (b / 1048576).toFixed(0) + ' MB';
  for (const lesson of [...new Set(verdicts.map((r) => r.lesson))]) {
    const one = verdicts.find((r) => r.lesson === lesson && r.workers === 1 && r.pinned);
    const pool = verdicts.find((r) => r.lesson === lesson && !(r.pinned && r.workers === 1));
    if (!one || !pool) continue;
    p(`| ${lesson} | ${pool.runs} | ${fmt(one.verdict_ms / 1000, 2)} s | ${fmt(pool.verdict_ms / 1000, 2)} s (${pool.workers}) | ${fmt(pool.verdict_ms / one.verdict_ms, 2)} | ` +
      `${fmt(one.longest_task_ms, 0)} / ${fmt(pool.longest_task_ms, 0)} ms | ${mb(one.wasm_bytes)} / ${mb(pool.wasm_bytes)} | ${pool.verdict} |`);
  }
  p();
}
// views on/off: pairs of one round (neither window finished); the ratio of each pair, then their median
const viewRows = rows.filter((r) => r.bench === 'views');
const viewPairs = [...new Set(viewRows.map((r) => r.round))].map((k) => [viewRows.find((r) => r.round === k && r.views === 'on'), viewRows.find((r) => r.round === k && r.views === 'off')])
  .filter(([on, off]) => on && off && !on.finished && !off.finished);
const viewsRatio = viewPairs.length ? median(viewPairs.map(([on, off]) => on.steps_per_s / off.steps_per_s)) : NaN;
if (viewRows.length) {
  const col = (i, k) => viewPairs.map((x) => x[i][k]);
  p(`Views on/off (views_bench.mjs, lesson ${viewRows[0].lesson}, ${viewPairs.length} rounds of ${viewRows[0].seconds} s with no run finished, steps/s summed over the runs): ` +
    `with the views asking median **${fmt(median(col(0, 'steps_per_s')), 0)}** (${col(0, 'steps_per_s').map((x) => fmt(x, 0)).join(', ')}), switched off **${fmt(median(col(1, 'steps_per_s')), 0)}** ` +
    `(${col(1, 'steps_per_s').map((x) => fmt(x, 0)).join(', ')}); on ÷ off per round ${viewPairs.map(([a, b]) => fmt(a.steps_per_s / b.steps_per_s, 2)).join(', ')}, median **${fmt(viewsRatio, 3)}**. ` +
    `Main thread busy: ${fmt(median(col(0, 'main_busy')) * 100, 1)} % of a core with the views, ${fmt(median(col(1, 'main_busy')) * 100, 1)} % without.`);
  p();
}
if (size) {
  p(`dist/rnnlab.js: ${(size.bytes / 1024).toFixed(0)} KiB raw, **${(size.gzip9 / 1000).toFixed(1)} kB gzip -9** (${(size.gzip6 / 1000).toFixed(1)} kB gzip -6, ${(size.brotli / 1000).toFixed(1)} kB brotli).`);
  p();
}

// ---- targets ---------------------------------------------------------------------------------------------------------------
p('### Targets');
p();
p('| target | measured | |');
p('|---|---|---|');
const perKey = (v) => keys.map((k) => [k, results[k].rat[v]?.median]).filter(([, x]) => x !== undefined);
const worst = (list) => list.reduce((w, c) => (!w || c[1] < w[1] ? c : w), null);
for (const [v, goal, label] of RATIOS.filter(([, g]) => g !== null)) {
  const list = perKey(v);
  const w = worst(list);
  const ok = list.length ? list.every(([, x]) => x >= goal) : null;
  p(`| ${label} ≥ ${goal}× at every size | ${list.map(([k, x]) => `${k.replace(':', ' ')}: ${ratio(x)}`).join(', ')} | ${mark(ok)}${w && !ok ? ` (worst ${w[0].replace(':', ' ')})` : ''} |`);
  const cl = keys.map((k) => [k, resultsCpu[k]?.rat[v]?.median]).filter(([, x]) => Number.isFinite(x));
  if (cl.length) {
    const cok = cl.every(([, x]) => x >= goal), cw = worst(cl);
    p(`| ${label} ≥ ${goal}×, per CPU second | ${cl.map(([k, x]) => `${k.replace(':', ' ')}: ${ratio(x)}`).join(', ')} | ${mark(cok)}${cw && !cok ? ` (worst ${cw[0].replace(':', ' ')})` : ''} |`);
  }
}
if (loads.length) {
  const mx = Math.max(...loads.map((r) => r.first_point_ms));
  p(`| first chart point ≤ 500 ms after navigation | median ${fmt(firstMed, 0)} ms (max ${fmt(mx, 0)} ms) over ${loads.length} cold loads | ${mark(firstMed <= 500)} |`);
}
if (lt.length) {
  const n = lt.reduce((s, r) => s + r.longtasks_over_50ms, 0);
  const longest = Math.max(0, ...lt.map((r) => r.longest_task_ms || 0));
  p(`| no main-thread task > 50 ms while training | ${n} such task(s)${n ? `, longest ${fmt(longest, 0)} ms` : ''} (${lt.map((r) => `${r.runs} runs: ${r.longtasks_over_50ms}`).join(', ')}) | ${mark(n === 0)} |`);
}
for (const r of rows.filter((x) => x.bench === 'inspect'))
  p(`| one inspect({sample}) ≤ 1 ms (${r.cell}, H = ${r.hidden}, T = ${r.length}) | ${fmt(r.ms, 2)} ms (${fmt(r.cpu_ms, 2)} ms CPU) | ${mark(r.ms <= 1)} |`);
if (viewRows.length) p(`| training with every view on ≥ 0.90 × views off (lesson ${viewRows[0].lesson}) | ${fmt(viewsRatio, 3)} | ${mark(viewsRatio >= 0.9)} |`);
if (size) p(`| dist/rnnlab.js ≤ 150 kB gzipped | ${(size.gzip9 / 1000).toFixed(1)} kB (gzip -9) | ${mark(size.gzip9 <= 150000)} |`);
console.log(lines.join('\n'));
