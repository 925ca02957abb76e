// Browser tests of the "Your data" panel (web/datapanel.js + web/data.js): line-numbered errors, preview, training on a CSV or
// an uploaded text, going back to the built-in data, and HTML payloads staying text. Parsing details are in tests/node/data.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LESSON, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

const RECORD_CREATES = () => {
  const post = Worker.prototype.postMessage;
  window.__creates = [];
  Worker.prototype.postMessage = function (m, t) {
    if (m && m.type === 'create') window.__creates.push(JSON.parse(JSON.stringify(m)));
    return post.call(this, m, t);
  };
};
// the task of a run's latest create (with the worker pool each worker gets a create of its own runs only)
const lastTask = (page, run) => page.evaluate((id) => {
  for (let i = window.__creates.length - 1; i >= 0; i--) {
    const r = window.__creates[i].runs.find((x) => x.id === id);
    if (r) return r.config.task;
  }
  return undefined;
}, run);
const PAYLOAD = '<img src=x onerror="window.__pwned=1">';
const series = (n) => ['day,level,rain'].concat(Array.from({ length: n }, (_, i) => `${i},${(10 + 3 * Math.sin(i / 4)).toFixed(3)},${(Math.cos(i / 7)).toFixed(3)}`)).join('\n');

async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.addInitScript(RECORD_CREATES);
  await page.goto(url);
  await waitReady(page);
  await page.locator('#data-details summary').click();
  return { page, errors };
}

test('a malformed CSV shows its line and column, in both languages, and nothing trains on it', { timeout: 60000 }, async () => {
  const { page, errors } = await open(server.url(`${LESSON}?lang=en`));
  await page.getByLabel('Paste here').fill('a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,abc\n13,14\n');
  const creates = await page.evaluate(() => window.__creates.length);
  await page.getByRole('button', { name: 'Train on this data' }).click();
  const alert = page.locator('#data-errors');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('role'), 'alert');
  assert.equal(await alert.innerText(), 'line 7, column 2: "abc" is not a number\n\nThis data did not pass the check; training still uses: the lesson\'s built-in data');
  assert.equal(await page.evaluate(() => window.__creates.length), creates, 'the runs were not recreated');
  assert.equal(await page.locator('#data-status').innerText(), 'Using this lesson\'s built-in data.');
  await page.getByRole('button', { name: '中文' }).click();
  assert.equal(await alert.innerText(), '第 7 行第 2 欄：「abc」不是數字\n\n這份資料沒有通過檢查；目前訓練用的仍是：這一課的內建資料');
  // a row with a missing column names the line it is on
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByLabel('Paste here').fill('1,2\n3,4\n5\n');
  await page.getByRole('button', { name: 'Check' }).click();
  assert.match(await alert.innerText(), /^line 3: 1 columns; expected 2/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a good CSV previews, every run trains on it and its loss points appear; "Use built-in data" goes back', { timeout: 60000 }, async () => {
  const { page, errors } = await open(server.url(`${LESSON}?lang=en`));
  await page.getByLabel('Paste here').fill(series(240));
  await page.getByLabel('Window length T').fill('12');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.locator('#data-preview').waitFor();
  assert.equal(await page.locator('#data-counts').innerText(), '240 rows, 3 columns; window length T = 12: 228 windows. The data is fine: ready to train.');
  assert.deepEqual(await page.locator('#data-table thead th').allInnerTexts(), ['#', 'day', 'level', 'rain']);
  assert.equal(await page.locator('#data-table tbody tr').count(), 5);
  await page.getByLabel('Column to predict').selectOption({ label: 'level' });
  await page.getByRole('button', { name: 'Train on this data' }).click();
  await page.waitForFunction(() => window.__creates.length && window.__creates[window.__creates.length - 1].runs[0].config.task.name === 'custom');
  const task = await lastTask(page, 'gru');
  assert.equal(task.inputs.length, 228);
  assert.deepEqual([task.inputs[0].length, task.inputs[0][0].length, task.targets[0].length], [12, 3, 1]);
  assert.match(await page.locator('#data-status').innerText(), /Every run trains on your data \(CSV, 240 rows\)/);
  assert.match(await page.locator('#data-notes').innerText(), /predict the next row's "level" column/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => ['rnn', 'lstm', 'gru'].every((id) => window.__lab.points('loss', id) >= 5), null, { timeout: 30000 });
  assert.equal(await page.locator('#lab-errors').isHidden(), true);
  // the URL does not carry the data
  assert.ok(!/level|custom/.test(page.url()));
  await page.getByRole('button', { name: 'Use built-in data' }).click();
  await page.waitForFunction(() => window.__creates[window.__creates.length - 1].runs[0].config.task.name === 'adding');
  assert.equal(await page.locator('#data-status').innerText(), 'Using this lesson\'s built-in data.');
  await page.getByRole('button', { name: 'Pause' }).click().catch(() => {});
  assert.deepEqual(errors, []);
  await page.close();
});

test('an uploaded text file trains the character-level task, with an explanation on a classification lesson for a CSV', { timeout: 60000 }, async () => {
  const { page, errors } = await open(server.url('lessons/06-dropout.html?lang=en'));
  await page.getByLabel('or choose a file (.csv, .txt)').setInputFiles({
    name: 'poem.txt', mimeType: 'text/plain', buffer: Buffer.from('春眠不覺曉，處處聞啼鳥。夜來風雨聲，花落知多少。\nthe quick brown fox jumps over the lazy dog.\n'.repeat(6)),
  });
  await page.waitForFunction(() => !document.getElementById('data-preview').hidden);
  assert.equal(await page.locator('input[name="data-kind"][value="text"]').isChecked(), true, 'a .txt file selects Text');
  assert.match(await page.locator('#data-counts').innerText(), /^\d+ characters \(\d+ bytes of UTF-8, \d+ distinct symbols\)/);
  await page.getByRole('button', { name: 'Train on this data' }).click();
  await page.waitForFunction(() => window.__creates[window.__creates.length - 1].runs[0].config.task.name === 'text');
  const task = await lastTask(page, 'p0');
  assert.match(task.text, /春眠不覺曉/);
  assert.equal(task.length, 20);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.points('trainval', 'p05') >= 3, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // a CSV on this classification lesson: it still trains, and the panel says why the accuracy chart stays empty
  await page.getByLabel('CSV time series').check();
  await page.getByLabel('Paste here').fill(series(60));
  await page.getByRole('button', { name: 'Train on this data' }).click();
  await page.waitForFunction(() => window.__creates[window.__creates.length - 1].runs[0].config.task.name === 'custom');
  const notes = await page.locator('#data-notes').innerText();
  assert.match(notes, /own task is classification \(cross-entropy\); with your CSV it is regression/);
  assert.match(notes, /accuracy charts stay empty/);
  assert.match(notes, /flattened into one vector of 20 × 3 = 60 numbers/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.points('trainval', 'p0') >= 3, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await page.locator('#lab-errors').isHidden(), true, 'no run failed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('HTML in a CSV header or in a text stays text and never runs', { timeout: 60000 }, async () => {
  const { page, errors } = await open(server.url(`${LESSON}?lang=en`));
  await page.getByLabel('Paste here').fill(`${PAYLOAD},b\n1,2\n4,4\n3,6\n`);
  await page.getByLabel('Window length T').fill('1');
  await page.getByRole('button', { name: 'Train on this data' }).click();
  await page.locator('#data-preview').waitFor();
  assert.equal(await page.locator('#data-table thead th').nth(1).textContent(), PAYLOAD);
  assert.equal(await page.locator('#data-target option').first().textContent(), PAYLOAD);
  assert.match(await page.locator('#data-notes').innerText(), /"<img src=x onerror="window.__pwned=1">" column/);
  await page.getByRole('radio', { name: 'Text' }).check();
  await page.getByLabel('Paste here').fill(`${PAYLOAD} and more text ${PAYLOAD}`);
  await page.getByRole('button', { name: 'Train on this data' }).click();
  await page.waitForFunction(() => window.__creates[window.__creates.length - 1].runs[0].config.task.name === 'text');
  assert.match(await page.locator('#data-table tbody td').textContent(), /^<img src=x onerror=/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.points('loss') > 0, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await page.locator('main img, #data-panel img').count(), 0, 'no <img> element was created');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a spreadsheet price export uploads: the date column is skipped with a note, the student picks inputs, and Train is named as next', { timeout: 60000 }, async () => {
  const { page, errors } = await open(server.url(`${LESSON}?lang=en`));
  const rows = Array.from({ length: 60 }, (_, i) => `2024-02-${String(1 + (i % 28)).padStart(2, '0')},"1,${300 + i}.25",${(20 + Math.sin(i / 3)).toFixed(2)},${5000 + 13 * i}`);
  await page.locator('#data-file').setInputFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFFDate,Close,Open,Volume\r\n' + rows.join('\r\n')) });
  await page.locator('#data-preview').waitFor();
  assert.match(await page.locator('#data-counts').innerText(), /Skipped columns \(not numbers, e\.g\. dates\): Date/);
  assert.deepEqual(await page.locator('#data-target option').allTextContents(), ['Close', 'Open', 'Volume']);
  await page.getByLabel('Column to predict').selectOption({ label: 'Close' });
  await page.locator('#data-inputs').getByLabel('Volume').uncheck();
  await page.getByLabel('Window length T').fill('5');
  await page.getByRole('button', { name: 'Train on this data' }).click();
  await page.waitForFunction(() => window.__creates.length && window.__creates[window.__creates.length - 1].runs[0].config.task.name === 'custom');
  const task = await lastTask(page, 'lstm');
  assert.equal(task.inputs[0].length, 5, 'T = 5 steps');
  assert.equal(task.inputs[0][0].length, 2, 'Close and Open are read, Volume is not');
  assert.match(await page.locator('#data-status').innerText(), /Every run trains on your data \(CSV, 60 rows\)\. Next: press Train\./);
  assert.match(await page.locator('#data-notes').innerText(), /Skipped columns[^\n]*Date/);
  // a broken paste afterwards says the uploaded CSV is still the one in use
  await page.getByLabel('Paste here').fill('a,b\n1,x\n');
  await page.getByRole('button', { name: 'Check' }).click();
  assert.match(await page.locator('#data-errors').innerText(), /training still uses: CSV, 60 rows/);
  assert.deepEqual(errors, []);
  await page.close();
});
