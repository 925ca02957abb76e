// lesson-numbers.test.mjs — every number a lesson's text states about its default experiment is declared in lesson.json
// ("numbers", measured with web/claim.js's statistics) and checked here: trained once at the default seed and step count,
// the way the page trains it, the measurement must fall within the declared tolerance, and the declared wording must
// appear literally in both zh-TW.md and en.md. Only the runs that some number refers to are trained.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadLab, lessons, claim, PALETTE_SIZE } from './lab.mjs';
import * as L from '../../web/lesson-state.js';
import { answer } from '../../web/worker-look.js';

const lab = await loadLab();
const LANGS = ['zh-TW', 'en'];

function runsOf(numbers) {
  const ids = new Set();
  for (const d of numbers) {
    ids.add(d.run);
    if (d.divide) ids.add(d.divide.run);
  }
  return ids;
}

// the default experiment, as the page runs it: base ⊕ run config, the base seed, presets.steps; the first-step probes are
// the metrics after train(1) (the worker's first call), the rest after the remaining steps
function train(lesson, ids, withWeights) {
  const { presets } = lesson.data;
  const ctx = L.lessonContext(lesson.data);
  const state = L.initialState(ctx, []).state;
  const last = {}, first = {};
  const asks = claim.lookAsks(lesson.data.numbers); // numbers about a run's insides (run.inspect), as the claim check asks
  for (const r of L.computeRuns(ctx, state, PALETTE_SIZE)) {
    if (!ids.has(r.id)) continue;
    const run = lab.createRun(L.runConfig(ctx, state, r));
    try {
      run.train(1);
      first[r.id] = run.metrics();
      if (asks[r.id]) first[r.id].inspect = answer(run, asks[r.id]);
      if (presets.steps > 1) run.train(presets.steps - 1);
      last[r.id] = run.metrics();
      if (asks[r.id]) last[r.id].inspect = answer(run, asks[r.id]);
      // the weight charts get the trained weights with every tick (worker.js `weights: true`)
      if (withWeights) last[r.id].weights = run.exportWeights();
    } finally {
      run.dispose();
    }
  }
  return { last, first };
}

for (const lesson of lessons()) {
  const numbers = lesson.data.numbers || [];
  if (!numbers.length) continue;
  const texts = Object.fromEntries(LANGS.map((l) => [l, fs.readFileSync(path.join(lesson.dir, `${l}.md`), 'utf8')]));

  test(`lesson ${lesson.id}: each number its text states is declared once, on a run of the lesson, with a tolerance and both wordings`, () => {
    const runIds = new Set(lesson.data.presets.runs.map((r) => r.id));
    const seen = new Set();
    for (const d of numbers) {
      assert.ok(d.id && !seen.has(d.id), `number id "${d.id}" missing or repeated`);
      seen.add(d.id);
      for (const id of runsOf([d])) assert.ok(runIds.has(id), `${d.id}: no run "${id}" in this lesson`);
      assert.ok(d.tol !== undefined || d.rtol !== undefined || d.lo !== undefined || d.hi !== undefined, `${d.id}: no tolerance or bound`);
      if (d.tol !== undefined || d.rtol !== undefined) assert.equal(typeof d.value, 'number', `${d.id}: a tolerance needs a value`);
      for (const l of LANGS) assert.ok(d.text && typeof d.text[l] === 'string' && d.text[l].trim(), `${d.id}: no ${l} wording`);
    }
  });

  test(`lesson ${lesson.id}: each declared number is written in the zh-TW and the English text`, () => {
    for (const d of numbers) {
      for (const l of LANGS) assert.ok(texts[l].includes(d.text[l]), `${d.id}: "${d.text[l]}" is not in ${l}.md`);
    }
  });

  test(`lesson ${lesson.id}: the default run at its default seed gives the numbers its text states`, (t) => {
    const t0 = Date.now();
    const { last, first } = train(lesson, runsOf(numbers), numbers.some((d) => d.metric === 'weights'));
    const results = claim.numbers(numbers, last, first);
    for (const r of results) {
      const d = r.number;
      const bound = [d.tol !== undefined ? `±${d.tol}` : '', d.rtol !== undefined ? `±${d.rtol * 100}%` : '',
        d.lo !== undefined ? `≥ ${d.lo}` : '', d.hi !== undefined ? `≤ ${d.hi}` : ''].filter(Boolean).join(', ');
      t.diagnostic(`${d.id} ("${d.text.en}"): measured ${Number(r.value).toPrecision(4)}, declared ${d.value ?? ''} ${bound} → ${r.pass ? 'ok' : 'WRONG'}`);
    }
    t.diagnostic(`trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const r of results) {
      assert.equal(r.pass, true, `${r.number.id}: the text says "${r.number.text.en}" but the run gives ${r.value}`);
    }
  });
}
