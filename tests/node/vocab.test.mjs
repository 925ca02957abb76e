// vocab.test.mjs — web/schema.js offers exactly the core's choices (web/vocab.json, which tests/native/vocab.test.cpp
// checks against the parser) and every one of them is accepted by the wasm core. Not the page (tests/e2e drive that).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, loadLab } from './lab.mjs';
import * as S from '../../web/schema.js';

const vocab = JSON.parse(fs.readFileSync(path.join(root, 'web/vocab.json'), 'utf8'));

test("every enum key of schema.js with a config path offers the core's choices for that path, in the core's order", () => {
  const enums = S.KEYS.filter((k) => k.type === 'enum' && k.path);
  assert.ok(enums.length >= 7, `${enums.length} enum keys`);
  for (const k of enums) assert.deepEqual(k.choices, vocab.choices[k.path], `${k.key} (${k.path})`);
});

test("the keys schema.js lets each optimizer keep are the ones the core's optimizer accepts", () => {
  assert.deepEqual(Object.keys(S.OPT_KEYS).sort(), [...vocab.choices['optimizer.name']].sort());
  for (const [name, keys] of Object.entries(vocab.keys.optimizer.accepts)) assert.deepEqual(S.OPT_KEYS[name], keys, name);
  // fitConfig drops what the new optimizer refuses: adam's betas leave when the run switches to sgd
  const cfg = S.fitConfig({ optimizer: { name: 'sgd', lr: 0.1, betas: [0.9, 0.99], momentum: 0.9 } }, {});
  assert.deepEqual(cfg.optimizer, { name: 'sgd', lr: 0.1, momentum: 0.9 });
});

test('the wasm core accepts every choice schema.js offers', async () => {
  const lab = await loadLab();
  for (const k of S.KEYS.filter((e) => e.type === 'enum' && e.path)) {
    for (const c of k.choices) {
      const cfg = { task: { name: 'adding', length: 4, train_size: 8, val_size: 8 }, batch: 4 };
      S.setPath(cfg, k.path, c);
      if (k.path === 'model.nonlinearity') cfg.model.cell = 'rnn';
      if (k.path === 'model.activation') cfg.model.cell = 'mlp';
      if (k.path === 'task.name' && c === 'custom') continue; // needs the data panel's data (tests/node/data.test.mjs)
      S.fitConfig(cfg, {}); // another task refuses the adding task's length, as the pages' configs drop it
      const run = lab.createRun(cfg);
      run.dispose();
    }
  }
});
