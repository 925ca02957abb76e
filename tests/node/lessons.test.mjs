// lessons.test.mjs — each lesson's claim, asserted by running the lesson's own runs through the wasm module in Node over
// three seeds (the preset's and the next two), each config built as the page builds it (web/lesson-state.js: base → run →
// the controls' defaults). Not a browser test: tests/e2e/ opens the pages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadLab, lessons, claim, PALETTE_SIZE } from './lab.mjs';
import * as L from '../../web/lesson-state.js';
import { answer } from '../../web/worker-look.js';

const lab = await loadLab();

for (const lesson of lessons()) {
  const { presets, claim: c } = lesson.data;
  const ctx = L.lessonContext(lesson.data);
  const baseSeed = presets.base.seed ?? 1;
  for (const seed of [baseSeed, baseSeed + 1, baseSeed + 2]) {
    test(`lesson ${lesson.id}: ${c.text.en} (seed ${seed})`, (t) => {
      const metrics = {};
      const t0 = Date.now();
      const asks = claim.lookAsks(c.checks); // checks on a run's insides: the page asks the worker the same questions
      let state = L.initialState(ctx, []).state;
      if (ctx.byKey.seed) state = L.change(ctx, state, { seed }).state;
      for (const r of L.computeRuns(ctx, state, PALETTE_SIZE)) {
        const run = lab.createRun({ ...L.runConfig(ctx, state, r), seed });
        run.train(c.steps ?? presets.steps);
        metrics[r.id] = run.metrics();
        if (asks[r.id]) metrics[r.id].inspect = answer(run, asks[r.id]);
        run.dispose();
      }
      const results = claim.evaluate(c.checks, metrics);
      for (const res of results) {
        t.diagnostic(`${res.check.label.en}: ${res.value.toPrecision(4)} vs ${Number(res.other).toPrecision(4)} → ${res.pass ? 'pass' : 'FAIL'}`);
      }
      t.diagnostic(`trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      for (const res of results) assert.equal(res.pass, true, `${res.check.label.en}: measured ${res.value}, bound ${res.other}`);
    });
  }
}
