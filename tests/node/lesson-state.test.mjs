// lesson-state.test.mjs — the lesson page's state rules (web/lesson-state.js) in Node: a change → the new state and its
// effects, the run list → runs with colours and configs, adding/copying/removing runs, presets and a new URL hash. No browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import { lessons, PALETTE_SIZE } from './lab.mjs';
import * as L from '../../web/lesson-state.js';

const lesson1 = lessons().find((l) => l.id === '01-why-lstm').data;
const ctx = L.lessonContext(lesson1);
const fresh = () => L.initialState(ctx, []).state;

test('a setting that goes into every config asks for all runs to be recreated, and changes nothing else', () => {
  const s0 = fresh();
  const { state, effects } = L.change(ctx, s0, { lr: 0.003 });
  assert.equal(state.lr, 0.003);
  assert.equal(s0.lr, 0.01, 'the old state is left as it was');
  assert.deepEqual(effects, { config: true, steps: false, hide: false, runs: false, removed: [], restart: [] });
});

test('an unchanged or invalid value is no change at all', () => {
  const s0 = fresh();
  assert.deepEqual(L.change(ctx, s0, { lr: s0.lr, seed: 'abc', bogus: 1 }).effects, { config: false, steps: false, hide: false, runs: false, removed: [], restart: [] });
});

test('the step limit is not part of any config: it only moves the limit', () => {
  const { effects } = L.change(ctx, fresh(), { steps: 500 });
  assert.equal(effects.config, false);
  assert.equal(effects.steps, true);
});

test('a per-run override restarts that run only; removing the run removes its overrides', () => {
  let { state, effects } = L.change(ctx, fresh(), { runs: ['lstm', 'gru', 'rnn', 'lstm~2'], 'lstm~2.lr': 0.1 });
  assert.deepEqual(effects.restart, ['lstm~2']);
  assert.equal(effects.runs, true);
  assert.equal(effects.config, false);
  ({ state, effects } = L.change(ctx, state, { runs: ['lstm', 'gru', 'rnn'] }));
  assert.deepEqual(effects.removed, ['lstm~2']);
  assert.equal(state['lstm~2.lr'], undefined);
});

test('added runs take the palette colour least used; lesson runs keep theirs', () => {
  const state = L.change(ctx, fresh(), { runs: ['lstm', 'lstm~2', 'gru', 'gru~2'] }).state;
  const runs = L.computeRuns(ctx, state, PALETTE_SIZE);
  assert.deepEqual(runs.map((r) => [r.id, r.color]), [['lstm', 0], ['lstm~2', 3], ['gru', 2], ['gru~2', 4]]);
  assert.equal(L.runConfig(ctx, state, runs[1]).model.cell, 'lstm');
});

test('a copy of a run carries its overrides and goes right after it; the last run cannot be removed', () => {
  const s1 = L.change(ctx, fresh(), { 'gru.hidden': 8 }).state;
  const dup = L.duplicateRun(ctx, s1, L.computeRuns(ctx, s1, PALETTE_SIZE), 'gru');
  assert.deepEqual(dup, { id: 'gru~2', patch: { runs: ['rnn', 'lstm', 'gru', 'gru~2'], 'gru~2.hidden': 8 } });
  const lstmCopy = L.duplicateRun(ctx, s1, L.computeRuns(ctx, s1, PALETTE_SIZE), 'rnn');
  assert.deepEqual(lstmCopy.patch.runs, ['rnn', 'rnn~2', 'lstm', 'gru']);
  const one = L.change(ctx, fresh(), { runs: ['gru'] }).state;
  assert.deepEqual(L.removeRun(one, 'gru'), { refused: 'lastRun' });
});

test('a new URL hash sets what it names over the defaults and removes the overrides it does not mention', () => {
  const s1 = L.change(ctx, fresh(), { runs: ['lstm', 'lstm~2'], 'lstm~2.lr': 0.1, seed: 4 }).state;
  const { patch, notices } = L.hashChange(ctx, s1, [['runs', 'lstm,lstm~2']]);
  assert.deepEqual(notices, []);
  const next = L.change(ctx, s1, patch).state;
  assert.equal(next.seed, 1);
  assert.equal(next['lstm~2.lr'], undefined);
  assert.equal(next.steps, s1.steps, 'the step limit stays');
});
