// data.test.mjs — web/data.js in Node: CSV and text parsing with line-numbered errors in both languages, limits, windows,
// and the config override the lesson page applies (checked against the real core through the wasm module). No browser here.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { loadLab, root, PALETTE_SIZE } from './lab.mjs';
import * as L from '../../web/lesson-state.js';
import * as D from '../../web/data.js';

const lab = await loadLab();

const series = (n, cols = 2) => ['time,value' + (cols > 2 ? ',b' : '').padEnd(0)]
  .concat(Array.from({ length: n }, (_, i) => [i, Math.sin(i / 3).toFixed(4), ...(cols > 2 ? [Math.cos(i / 5).toFixed(4)] : [])].join(','))).join('\n');

test('a CSV with a header gives named numeric columns', () => {
  const p = D.parseCsv('a,b\n1,2\n3,4.5\n-1e-3,+7\n');
  assert.equal(p.ok, true);
  assert.deepEqual(p.header, ['a', 'b']);
  assert.deepEqual(p.columns, [[1, 3, -0.001], [2, 4.5, 7]]);
  assert.equal(p.rows, 3);
});

test('a CSV without a header, separated by semicolons or tabs, with CRLF and blank lines, parses too', () => {
  for (const sep of [';', '\t', ',']) {
    const p = D.parseCsv(`1${sep}2\r\n\r\n3${sep}4\r\n`);
    assert.equal(p.ok, true, sep);
    assert.equal(p.header, null);
    assert.deepEqual(p.columns, [[1, 3], [2, 4]]);
    assert.deepEqual(p.names, ['x1', 'x2']);
  }
  assert.deepEqual(D.parseCsv('"price, USD"\n1\n2').header, ['price, USD']);
});

test('a cell that is not a number is reported with its line and column in both languages', () => {
  const text = 'a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,abc\n';
  const p = D.parseCsv(text);
  assert.equal(p.ok, false);
  assert.deepEqual(p.errors[0], { code: 'notNumber', line: 7, col: 2, value: 'abc' });
  assert.equal(D.message(p.errors[0], 'en'), 'line 7, column 2: "abc" is not a number');
  assert.equal(D.message(p.errors[0], 'zh-TW'), '第 7 行第 2 欄：「abc」不是數字');
});

test('blank lines still count in the line numbers, and wrong widths, empty cells, open quotes and infinities are named', () => {
  const p = D.parseCsv('a,b\n\n1,2\n3\n4,\n"5,6\n1e999,1\n');
  const codes = p.errors.map((e) => [e.code, e.line]);
  assert.deepEqual(codes, [['columns', 4], ['emptyCell', 5], ['quote', 6], ['notFinite', 7]]);
  assert.match(D.message(p.errors[0], 'en'), /line 4: 1 columns; expected 2 \(as on line 1\)/);
  assert.match(D.message(p.errors[1], 'zh-TW'), /第 5 行第 2 欄/);
});

test('error lists stop at ten and count the rest', () => {
  const p = D.parseCsv('a\n' + Array.from({ length: 25 }, () => 'x').join('\n'));
  assert.equal(p.errors.length, 11);
  assert.deepEqual(p.errors[10], { code: 'more', n: 15 });
  assert.equal(D.message(p.errors[10], 'en'), '… and 15 more errors');
});

test('the limits are enforced: empty data, too many columns, too many rows, a header alone, a zero byte', () => {
  assert.equal(D.parseCsv('  \n').errors[0].code, 'empty');
  assert.equal(D.parseCsv(Array.from({ length: 17 }, (_, i) => i).join(',')).errors[0].code, 'tooManyColumns');
  assert.equal(D.parseCsv(Array.from({ length: D.LIMITS.rows + 1 }, () => '1').join('\n')).errors[0].code, 'tooManyRows');
  assert.equal(D.parseCsv('a,b\n').errors[0].code, 'noRows');
  assert.equal(D.parseCsv('1,2\n3\u0000,4').errors[0].code, 'zeroByte');
});

test('a header with HTML in it stays plain data (the page renders it as text)', () => {
  const p = D.parseCsv('<img src=x onerror="window.__pwned=1">,b\n1,2\n3,4');
  assert.equal(p.ok, true);
  assert.equal(p.names[0], '<img src=x onerror="window.__pwned=1">');
});

test('windows: T rows of every column predict the next value of the target column, standardised', () => {
  const ds = D.prepare(D.parseCsv('a,b\n1,10\n2,20\n3,30\n4,40\n5,50'), { T: 2, target: 2 });
  assert.equal(ds.ok, true);
  assert.equal(ds.windows, 3);
  const w = D.windows(ds, 1024, false);
  assert.equal(w.inputs.length, 3);
  assert.equal(w.inputs[0].length, 2);       // T steps
  assert.equal(w.inputs[0][0].length, 2);    // all columns
  const z = (v) => Math.round(((v - 3) / Math.sqrt(2)) * 1e6) / 1e6; // column a: mean 3, std √2
  assert.deepEqual(w.inputs[0].map((r) => r[0]), [z(1), z(2)]);
  assert.deepEqual(w.targets.map((t) => t[0]), [z(3), z(4), z(5)]); // column b standardises to the same numbers
  const flat = D.windows(ds, 1024, true);
  assert.deepEqual(flat.inputs[0], [[z(1), z(1), z(2), z(2)]]);
});

test('too few rows for the window, a bad T and a bad target column are errors', () => {
  const p = D.parseCsv('1\n2\n3');
  assert.deepEqual(D.prepare(p, { T: 3 }).errors[0], { code: 'tooFewRows', rows: 3, T: 3, need: 4 });
  assert.equal(D.prepare(p, { T: 0 }).errors[0].code, 'badT');
  assert.equal(D.prepare(p, { T: 201 }).errors[0].code, 'badT');
  assert.equal(D.prepare(p, { T: 1, target: 2 }).errors[0].code, 'badTarget');
  assert.match(D.message(D.prepare(p, { T: 3 }).errors[0], 'zh-TW'), /至少需要 4 列/);
});

test('more windows than the core accepts are thinned evenly to 1024, first and last kept', () => {
  const ds = D.prepare(D.parseCsv(Array.from({ length: 3000 }, (_, i) => String(i)).join('\n')), { T: 5 });
  const w = D.windows(ds, 5000, false);
  assert.equal(w.used, 1024);
  assert.equal(w.total, 2995);
  assert.equal(w.targets[0][0], ds.z[0][5]);
  assert.equal(w.targets[1023][0], ds.z[0][2999]);
});

test('text: bytes are counted as UTF-8, and too short or too long text is refused', () => {
  const t = D.parseText('你好, world');
  assert.equal(t.ok, true);
  assert.equal(t.bytes, 13);
  assert.equal(t.chars, 9);
  assert.equal(D.prepare(D.parseText('abc'), { T: 5 }).errors[0].code, 'textTooShort');
  assert.equal(D.parseText('x'.repeat(D.LIMITS.textBytes + 1)).errors[0].code, 'textTooLong');
  assert.equal(D.parseText('').errors[0].code, 'empty');
});

// a lesson's default runs with their configs, built the page's way (web/lesson-state.js)
function pageRuns(lesson) {
  const ctx = L.lessonContext(lesson), state = L.initialState(ctx, []).state;
  return L.computeRuns(ctx, state, PALETTE_SIZE).map((r) => ({ label: r.id, config: L.runConfig(ctx, state, r) }));
}

test('every lesson run accepts the CSV override, trains and its loss falls', async () => {
  const ds = D.prepare(D.parseCsv(series(300, 3)), { T: 12, target: 2 });
  for (const folder of fs.readdirSync(path.join(root, 'lessons')).filter((f) => /^\d\d-/.test(f))) {
    const lesson = JSON.parse(fs.readFileSync(path.join(root, 'lessons', folder, 'lesson.json'), 'utf8'));
    for (const { label, config: cfg } of pageRuns(lesson)) {
      const o = D.override(cfg, ds);
      if (cfg.task && cfg.task.name === 'custom') { assert.equal(o.kept, true); continue; }
      assert.equal(o.config.task.name, 'custom');
      assert.equal(o.config.loss, 'mse');
      const run = lab.createRun(o.config);
      try {
        const info = run.taskInfo();
        assert.equal(info.outputs, 1, `${folder}/${label}`);
        run.train(1);
      } finally { run.dispose(); }
    }
  }
  // and one recurrent run learns the series
  const run = lab.createRun(D.override({ seed: 1, model: { cell: 'gru', hidden: 16 }, optimizer: { name: 'adam', lr: 0.01 } }, ds).config);
  const first = run.train(1).loss, last = run.train(150).loss;
  run.dispose();
  assert.ok(last < first / 3, `loss ${first} -> ${last}`);
});

test('every lesson run accepts the text override (cross-entropy over bytes) and trains', async () => {
  const ds = D.prepare(D.parseText('to be or not to be, that is the question. 生存還是毀滅。'.repeat(8)), { T: 16 });
  for (const folder of fs.readdirSync(path.join(root, 'lessons')).filter((f) => /^\d\d-/.test(f))) {
    const lesson = JSON.parse(fs.readFileSync(path.join(root, 'lessons', folder, 'lesson.json'), 'utf8'));
    for (const { label, config: cfg } of pageRuns(lesson)) {
      const o = D.override(cfg, ds);
      if (o.kept) continue;
      assert.equal(o.config.task.name, 'text');
      assert.equal(o.config.loss, 'cross_entropy');
      const run = lab.createRun(o.config);
      try {
        assert.equal(run.taskInfo().outputs, ds.symbols, `${folder}/${label}`);
        run.train(1);
      } finally { run.dispose(); }
    }
  }
});

test('notes explain what changes: classification lessons with a CSV, validation charts, MLPs and runs that keep their data', () => {
  const csv = D.prepare(D.parseCsv(series(50)), { T: 5 });
  const lesson6 = JSON.parse(fs.readFileSync(path.join(root, 'lessons/06-dropout/lesson.json'), 'utf8'));
  const runs = pageRuns(lesson6);
  const codes = D.notes(csv, runs, lesson6.charts).map((n) => n.code);
  assert.deepEqual(codes, ['csvRule', 'csvWasClassification', 'csvNoValidation', 'csvNoAccuracy', 'csvMlp']);
  const lesson9 = JSON.parse(fs.readFileSync(path.join(root, 'lessons/09-momentum/lesson.json'), 'utf8'));
  const runs9 = pageRuns(lesson9);
  const lesson1 = JSON.parse(fs.readFileSync(path.join(root, 'lessons/01-why-lstm/lesson.json'), 'utf8'));
  assert.ok(D.notes(csv, [], lesson1.charts).some((n) => n.code === 'baselines'), 'lesson 1 has a dashed baseline');
  const kept = D.notes(csv, runs9, lesson9.charts).find((n) => n.code === 'kept');
  assert.equal(kept.runs, 'bowl0, bowl05, bowl09, bowl099');
  for (const n of D.notes(csv, runs, lesson6.charts)) {
    assert.ok(!/\{\w+\}/.test(D.noteText(n, 'en')) && !/\{\w+\}/.test(D.noteText(n, 'zh-TW')), n.code);
  }
  const text = D.prepare(D.parseText('abcdefghij'.repeat(5)), { T: 8 });
  // lesson 6's LSTM runs forecast a noisy sine (MSE): text turns them into classification
  assert.deepEqual(D.notes(text, runs, lesson6.charts).map((n) => n.code), ['textRule', 'textWasRegression']);
});

test('the default column to predict skips a leading time or row counter', () => {
  assert.equal(D.defaultTarget(D.parseCsv('day,level\n0,5\n1,7\n2,6\n3,9')), 2);
  assert.equal(D.defaultTarget(D.parseCsv('t,x\n0.5,1\n1.0,1\n1.5,1')), 2);  // a constant column is not a counter
  assert.equal(D.defaultTarget(D.parseCsv('level,day\n5,0\n7,1\n6,2')), 1);
  assert.equal(D.defaultTarget(D.parseCsv('1\n2\n3')), 1);                     // only a counter: it is the series
});

test('a spreadsheet price export loads: byte-order mark, a date column skipped with a note, quoted values with thousands separators', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')},"1,${200 + i}.50",${(10 + i / 3).toFixed(2)},${1000 + 7 * i}`);
  const p = D.parseCsv('\uFEFFDate,Close,Open,Volume\r\n' + rows.join('\r\n') + '\r\n');
  assert.equal(p.ok, true, JSON.stringify(p.errors));
  assert.deepEqual(p.header, ['Date', 'Close', 'Open', 'Volume']);
  assert.deepEqual(p.names, ['Close', 'Open', 'Volume']);
  assert.deepEqual(p.skipped, ['Date']);
  assert.equal(p.columns[0][0], 1200.5);
  assert.equal(p.rows, 40);
  const ds = D.prepare(p, { T: 5, target: 1 });
  const codes = D.notes(ds, [], []).map((n) => [n.code, D.noteText(n, 'en')]);
  assert.deepEqual(codes[1], ['csvSkipped', 'Skipped columns (not numbers, e.g. dates): Date']);
});

test('a semicolon export with decimal commas parses; the student picks the input columns and the target', () => {
  const text = 'Datum;Preis;Menge;Kommentar\n' + Array.from({ length: 30 }, (_, i) => `0${1 + (i % 9)}.03.2024;${10 + i},5;${i};"ok; fine"`).join('\n');
  const p = D.parseCsv(text);
  assert.equal(p.ok, true, JSON.stringify(p.errors));
  assert.equal(p.sep, ';');
  assert.deepEqual(p.names, ['Preis', 'Menge']);
  assert.deepEqual(p.skipped, ['Datum', 'Kommentar']);
  assert.equal(p.columns[0][1], 11.5);
  const ds = D.prepare(p, { T: 4, target: 1, inputs: [2] });
  assert.equal(ds.ok, true);
  assert.deepEqual([ds.features, ds.inputs, ds.target], [1, [1], 0]);
  const w = D.windows(ds, 10);
  assert.equal(w.inputs[0][0].length, 1, 'one input column per step');
  assert.equal(w.inputs[0][0][0], ds.z[1][0], 'the input is the "Menge" column');
  assert.equal(w.targets[0][0], ds.z[0][4], 'the target is the next "Preis"');
  assert.equal(D.prepare(p, { T: 4, target: 1, inputs: [9] }).errors[0].code, 'noInputs');
  assert.ok(D.notes(ds, [], []).some((n) => n.code === 'csvInputs' && D.noteText(n, 'zh-TW') === '模型讀的輸入欄：Menge'));
});

test('a file where no column is numeric still reports its cells line by line (nothing is silently skipped)', () => {
  const p = D.parseCsv('a,b\nx,y\nz,w\n');
  assert.equal(p.ok, false);
  assert.deepEqual(p.skipped, []);
  assert.deepEqual(p.errors[0], { code: 'notNumber', line: 2, col: 1, value: 'x' });
});
