// url-state.test.mjs — the pure helpers behind the run list, per-run settings and the URL hash (web/schema.js): parsing,
// serialising, config order, labels, and that every per-run setting's values are ones the core accepts. No browser here
// (tests/e2e/runs.test.mjs and share.test.mjs drive the page).
import test from 'node:test';
import assert from 'node:assert/strict';
import { root, loadLab, lessons } from './lab.mjs';
import * as S from '../../web/schema.js';

const lesson1 = lessons().find((l) => l.id === '01-why-lstm').data;
const schema = S.lessonSchema(lesson1);
const runKeys = S.runKeys(schema);
const lessonRuns = lesson1.presets.runs.map((r) => r.id);
const ctx = { schema, lessonRuns, runKeys, hide: S.HIDE_PARTS.concat(['ctl-lr', 'ctl-seed']) };
const parse = (hash) => S.parseState([...new URLSearchParams(hash)], ctx);

test('a hash with runs, overrides, seed and hide flags parses into one flat state without notices', () => {
  const { state, notices } = parse('seed=3&runs=lstm,gru,lstm~2&lstm~2.lr=0.1&lstm~2.cell=gru&hide=text,ctl-lr');
  assert.deepEqual(notices, []);
  assert.deepEqual(state, { seed: 3, runs: ['lstm', 'gru', 'lstm~2'], 'lstm~2.lr': 0.1, 'lstm~2.cell': 'gru', hide: ['text', 'ctl-lr'] });
});

test('unknown keys, bad values, unknown runs and unknown hide flags become notices and are left out', () => {
  const { state, notices } = parse('seed=abc&bogus=1&runs=lstm,nope,lstm~1,lstm~2&lstm~2.cell=transformer&gru~5.lr=0.1&lstm.zzz=1&hide=text,everything');
  assert.deepEqual(state, { runs: ['lstm', 'lstm~2'], hide: ['text'] });
  assert.deepEqual(notices.map((n) => [n.key, n.name]), [
    ['noticeUnknownRun', 'nope'], ['noticeUnknownRun', 'lstm~1'],
    ['noticeBadValue', 'seed'], ['noticeUnknownKey', 'bogus'], ['noticeBadValue', 'lstm~2.cell'],
    ['noticeUnknownRun', 'gru~5'], ['noticeUnknownKey', 'lstm.zzz'], ['noticeBadHide', 'everything'],
  ]);
});

test('an empty or all-invalid run list keeps the lesson runs and says so; long URL text is clipped in notices', () => {
  const { state, notices } = parse(`runs=,x&${'k'.repeat(300)}=1`);
  assert.equal(state.runs, undefined);
  assert.equal(notices.length, 3);
  assert.ok(notices.every((n) => n.name.length <= 40));
});

test('the run list is capped at the lesson runs plus eight', () => {
  const ids = ['lstm', 'gru', 'rnn', ...Array.from({ length: 12 }, (_, i) => `lstm~${i + 2}`)];
  const { state, notices } = parse(`runs=${ids.join(',')}`);
  assert.equal(state.runs.length, S.maxRuns(lessonRuns));
  assert.equal(notices.filter((n) => n.key === 'noticeTooManyRuns').length, ids.length - S.maxRuns(lessonRuns));
});

test('serialising then parsing gives the same state back, and defaults stay out of the hash', () => {
  const state = { ...S.defaults(schema), seed: 7, runs: ['gru', 'lstm~2', 'lstm'], 'lstm~2.lr': 0.003, 'lstm~2.dropout': 0.2, hide: ['controls'] };
  const pairs = S.serializeState(state, ctx);
  assert.deepEqual(pairs, [['seed', '7'], ['runs', 'gru,lstm~2,lstm'], ['lstm~2.lr', '0.003'], ['lstm~2.dropout', '0.2'], ['hide', 'controls']]);
  const back = S.parseState(pairs, ctx);
  assert.deepEqual(back.notices, []);
  assert.deepEqual({ ...S.defaults(schema), ...back.state }, state);
  assert.deepEqual(S.serializeState({ ...S.defaults(schema), runs: lessonRuns.slice(), hide: [] }, ctx), []);
});

test('lesson run ids with dots work as override prefixes (the key is after the last dot)', () => {
  assert.deepEqual(S.splitOverride('none-0.05~2.lr'), { id: 'none-0.05~2', key: 'lr' });
  assert.equal(S.runBase('none-0.05~2', ['none-0.05']), 'none-0.05');
  assert.equal(S.runBase('none-0.05~1', ['none-0.05']), null);
  assert.equal(S.nextRunId('lstm', ['lstm', 'lstm~2', 'lstm~4']), 'lstm~3');
});

test('a run config is base, then the lesson run patch, then the page state, then the run overrides', () => {
  const base = lesson1.presets.base, patch = lesson1.presets.runs.find((r) => r.id === 'rnn').config;
  const state = { ...S.defaults(schema), lr: 0.003, hidden: 16 };
  const plain = S.runConfig(base, patch, schema, state, {}, runKeys);
  assert.deepEqual(plain, S.buildConfig(base, patch, schema, state), 'no overrides: exactly the page config');
  assert.equal(plain.optimizer.lr, 0.003);
  const over = S.runConfig(base, patch, schema, state, { lr: 0.1, cell: 'gru' }, runKeys);
  assert.equal(over.optimizer.lr, 0.1);
  assert.equal(over.model.cell, 'gru');
  assert.equal(over.model.hidden, 16, 'page state still applies');
  assert.equal(over.model.nonlinearity, undefined, 'the rnn-only key of the lesson patch is dropped for a GRU');
});

test('a control with "runs" sets only those lesson runs (lesson 3: the MLP controls leave the recurrent runs alone)', () => {
  const schema3 = S.lessonSchema({ presets: { base: { model: { layers: 20 } } }, controls: [{ key: 'layers', runs: ['mlp'] }] });
  const state = { ...S.defaults(schema3), layers: 5 };
  assert.equal(S.runConfig({ model: { layers: 20 } }, {}, schema3, state, {}, [], 'mlp').model.layers, 5);
  assert.equal(S.runConfig({ model: { layers: 20 } }, { model: { layers: 1 } }, schema3, state, {}, [], 'rnn').model.layers, 1);
  assert.equal(S.buildConfig({ model: { layers: 20 } }, {}, schema3, state).model.layers, 5, 'no run id: every control applies');
});

test('switching a run optimizer drops the lesson keys the new optimizer refuses, but keeps the ones the user set', () => {
  const base = { optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } };
  assert.deepEqual(S.runConfig(base, {}, [], {}, { optimizer: 'adam' }, S.runKeys([])).optimizer, { name: 'adam', lr: 0.1 });
  assert.deepEqual(S.runConfig(base, {}, [], {}, { optimizer: 'adam', momentum: 0.5 }, S.runKeys([])).optimizer, { name: 'adam', lr: 0.1, momentum: 0.5 });
});

test('labels name the copy and, after an arrow, what it changed in the page\'s own words in each language (no raw keys)', () => {
  const lr = lesson1.presets.runs.find((r) => r.id === 'lstm');
  assert.deepEqual(S.runLabel(lr, 'lstm~2', { lr: 0.1 }, runKeys), { 'zh-TW': 'LSTM (2) → 學習率 = 0.1', en: 'LSTM (2) → Learning rate = 0.1' });
  assert.deepEqual(S.runLabel(lr, 'lstm~2', { lr: 0.1, hidden: 8 }, runKeys).en, 'LSTM (2) → Hidden units = 8, Learning rate = 0.1');
  const rnn = lesson1.presets.runs.find((r) => r.id === 'rnn');
  assert.deepEqual(S.runLabel(rnn, 'rnn', {}, runKeys), rnn.label);
});

test('every per-run setting value is one the core accepts', async () => {
  const lab = await loadLab();
  const base = { seed: 1, task: { name: 'adding', length: 8, train_size: 16, val_size: 8 }, model: { cell: 'rnn', hidden: 4 }, optimizer: { name: 'sgd', lr: 0.01 }, batch: 4 };
  const mlpBase = { ...base, task: { name: 'xor', train_size: 16, val_size: 8 }, model: { cell: 'mlp', hidden: 4, layers: 1 } };
  for (const e of S.RUN_KEYS) {
    const values = e.type === 'enum' ? e.choices : [e.min, e.max];
    for (const v of values) {
      if (e.key === 'task' && v === 'custom') continue; // needs the data panel's data (tests/node/data.test.mjs)
      const b = e.key === 'activation' ? mlpBase : base;
      const cfg = S.runConfig(b, {}, [], {}, { [e.key]: v }, S.runKeys([]));
      const run = lab.createRun(cfg); // throws (failing the test) on a value the core refuses
      run.dispose();
    }
  }
});
