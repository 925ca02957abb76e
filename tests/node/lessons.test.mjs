// lessons.test.mjs — each lesson's claim, asserted by running the lesson's own presets through the wasm module in Node
// over three seeds (the preset's and the next two). Not a browser test: tests/e2e/ opens the pages.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadLab, lessons, deepMerge, claim } from './lab.mjs';

const lab = await loadLab();

for (const lesson of lessons()) {
  const { presets, claim: c } = lesson.data;
  const baseSeed = presets.base.seed ?? 1;
  for (const seed of [baseSeed, baseSeed + 1, baseSeed + 2]) {
    test(`lesson ${lesson.id}: ${c.text.en} (seed ${seed})`, (t) => {
      const metrics = {};
      const t0 = Date.now();
      for (const r of presets.runs) {
        const run = lab.createRun(deepMerge(deepMerge(presets.base, r.config), { seed }));
        run.train(c.steps ?? presets.steps);
        metrics[r.id] = run.metrics();
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
