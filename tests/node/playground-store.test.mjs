// playground-store.test.mjs — the Playground's saved experiment (web/playground-store.js): what goes into localStorage and
// what comes back out of it, and the playground lesson's configs fitting every task, cell, optimizer and schedule. No browser
// here (tests/e2e/playground.test.mjs drives the page, its reload and its Clear button).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lab.mjs';
import { encodeSaved, decodeSaved, hasState, STORE_KEY } from '../../web/playground-store.js';
import * as S from '../../web/schema.js';
import VOCAB from '../../web/vocab.json' with { type: 'json' };

const playground = JSON.parse(fs.readFileSync(path.join(root, 'lessons/playground/lesson.json'), 'utf8'));

test('a saved experiment comes back as it was: the state pairs in order and the data text with its kind', () => {
  const saved = { pairs: [['task', 'sine'], ['runs', 'a,a~2'], ['a~2.cell', 'rnn']], data: { kind: 'text', text: 'hello\nworld' } };
  assert.deepEqual(decodeSaved(encodeSaved(saved)), saved);
  assert.match(STORE_KEY, /^rnnlab\.playground/);
});

test('the language is never saved: it belongs to the URL of the visit', () => {
  const back = decodeSaved(encodeSaved({ pairs: [['lang', 'en'], ['lr', '0.1']], data: null }));
  assert.deepEqual(back, { pairs: [['lr', '0.1']], data: null });
});

test('an empty data panel is saved as no data, and an unknown data kind is read as CSV', () => {
  assert.equal(JSON.parse(encodeSaved({ pairs: [], data: { kind: 'csv', text: '' } })).data, null);
  assert.equal(/** @type {any} */ (decodeSaved(encodeSaved({ pairs: [], data: { kind: 'zip', text: '1,2' } }))).data.kind, 'csv');
});

test('missing, foreign and damaged stored strings read as nothing saved, and bad pairs are dropped one by one', () => {
  for (const s of [null, undefined, '', '{', 'null', '42', '{"v":2,"pairs":[]}', '{"v":1}', '{"v":1,"pairs":"x"}']) assert.equal(decodeSaved(s), null, String(s));
  const back = decodeSaved(JSON.stringify({ v: 1, pairs: [['lr', '0.1'], ['x'], [1, 2], 'seed=2', ['seed', '2']], data: { kind: 'text', text: 7 } }));
  assert.deepEqual(back, { pairs: [['lr', '0.1'], ['seed', '2']], data: null });
});

test('a hash names state when it has any pair besides the language', () => {
  assert.equal(hasState([]), false);
  assert.equal(hasState([['lang', 'en']]), false);
  assert.equal(hasState([['lang', 'en'], ['lr', '0.1']]), true);
});

test('the playground shows every schema key as a control, and every named preset is a valid state', () => {
  const shown = playground.controls.map((c) => c.key).sort();
  assert.deepEqual(shown, S.KEYS.map((k) => k.key).sort());
  const schema = S.lessonSchema(playground);
  for (const p of playground.presets.named) for (const k of Object.keys(p.state)) {
    const e = schema.find((x) => x.key === k) || (S.splitOverride(k) && S.BY_KEY[/** @type {any} */ (S.splitOverride(k)).key]);
    assert.ok(k === 'runs' || e, `${p.id}: ${k}`);
  }
});

test('every task, cell, optimizer and schedule gives a config with only keys the core accepts for it', () => {
  const schema = S.lessonSchema(playground);
  const state = S.defaults(schema);
  const sections = { task: 'task', cell: 'model', optimizer: 'optimizer', schedule: 'schedule' };
  for (const [key, sec] of Object.entries(sections)) {
    for (const choice of /** @type {any} */ (S.BY_KEY)[key].choices) {
      const cfg = S.runConfig(playground.presets.base, {}, schema, Object.assign({}, state, { [key]: choice }), {}, S.runKeys(schema), 'a');
      const voc = /** @type {any} */ (VOCAB.keys)[sec], allowed = voc.accepts[cfg[sec][voc.by]];
      for (const k of Object.keys(cfg[sec])) assert.ok(allowed.includes(k), `${key}=${choice}: ${sec}.${k}`);
    }
  }
});
