// lesson_runs.mjs — what bounds a lesson's time to its verdict: each of the lesson's runs trained alone in Node (the wasm
// module dist/ ships), its config built as the page builds it, timed. With a pool the verdict cannot come before the
// slowest run (a run trains on one worker, step after step); with 1 worker not before their sum. Not a test.
//
// usage: node bench/lesson_runs.mjs [07 13 …]   (default: every lesson)
import { loadLab, lessons, PALETTE_SIZE } from '../tests/node/lab.mjs';
import * as L from '../web/lesson-state.js';

const only = process.argv.slice(2);
const lab = await loadLab();
for (const lesson of lessons()) {
  const folder = lesson.dir.split('/').pop();
  if (only.length && !only.some((p) => folder.startsWith(p))) continue;
  const ctx = L.lessonContext(lesson.data);
  const state = L.initialState(ctx, []).state;
  const steps = state.steps; // the page trains to the step limit, then shows the verdict
  const runs = L.computeRuns(ctx, state, PALETTE_SIZE).map((r) => {
    const cfg = L.runConfig(ctx, state, r), run = lab.createRun(cfg);
    const t0 = performance.now();
    run.train(steps);
    const ms = performance.now() - t0;
    run.dispose();
    return { id: r.id, cell: cfg.model && cfg.model.cell, hidden: cfg.model && cfg.model.hidden, ms: Math.round(ms) };
  });
  const sum = runs.reduce((s, r) => s + r.ms, 0), max = Math.max(...runs.map((r) => r.ms));
  console.log(JSON.stringify({ bench: 'lesson_runs', lesson: folder, steps, runs, sum_ms: sum, slowest_ms: max }));
}
