// Browser tests of the three views (chart kinds prediction, inside, generate) in the lessons that use them: each gets data from
// its runs while they train, in zh-TW and en, from http and file://, a bad question comes back as an error and the run goes on,
// and axe finds nothing serious. Not the views' pure logic (tests/node/views.test.mjs) and not the API (tests/node/inspect.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, fileUrl, watchErrors, waitReady, useBrowser } from './helpers.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
let server, browser;
useBrowser((s, b) => { server = s; browser = b; }, { '/axe.min.js': ['text/javascript; charset=utf-8', fs.readFileSync(AXE)] });

// serious and critical violations in the page, or only in the elements `within` selects
async function axeViolations(page, within) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: server.url('axe.min.js') });
  return page.evaluate(async (within) => {
    const r = await window.axe.run(within ? { include: [[within]] } : document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  }, within);
}

// trains until every listed chart has an answer from every listed run, then stops; returns the charts' summaries
async function trainUntilViews(page, want, timeout = 90000) {
  await waitReady(page);
  await page.locator('#btn-train').click();
  await page.waitForFunction((w) => Object.keys(w).every((c) => w[c].every((r) => window.__lab.points(c, r) > 0)), want, { timeout });
  if (await page.locator('#btn-pause').isEnabled()) await page.locator('#btn-pause').click().catch(() => {});
  await page.waitForFunction(() => window.__lab.mode() !== 'training', null, { timeout: 20000 });
  // the summaries are refreshed at most once a second: wait for the views' own words
  await page.waitForFunction((ids) => ids.every((id) => !/^(No data yet|還沒有資料)/.test(document.getElementById('sum-' + id).textContent)), Object.keys(want), { timeout: 10000 });
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById('sum-' + id).textContent])), Object.keys(want));
}

test('lesson 1 shows predicted against true sums and the LSTM cell state of one sample, in English, and axe is clean', { timeout: 150000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(server.url('lessons/01-why-lstm.html?lang=en#steps=200'));
  const sums = await trainUntilViews(page, { inside: ['rnn', 'lstm', 'gru'], predicted: ['rnn', 'lstm', 'gru'] });
  assert.match(sums.inside, /LSTM c mean/);
  assert.match(sums.inside, /Vanilla RNN \(tanh\) h mean/);
  assert.match(sums.predicted, /GRU: MAE [0-9.]+, R² /);
  // the inside view's controls: another sample and the forget gate (the GRU shows its update gate z instead)
  await page.locator('#vc-inside-show').selectOption('f');
  await page.locator('#vc-inside-sample').selectOption('3');
  await page.waitForFunction(() => /^Sample #4 — .*LSTM f mean.*GRU z mean/.test(document.getElementById('sum-inside').textContent), null, { timeout: 10000 });
  for (const d of await page.locator('details.chart-summary summary').all()) await d.click();
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 11 writes text with each RNN in zh-TW; a bad prime is a clear error and the runs go on', { timeout: 150000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(server.url('lessons/11-batchnorm.html#steps=60'));
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-TW');
  const sums = await trainUntilViews(page, { writes: ['rnn-none', 'rnn-layer'] });
  assert.match(sums.writes, /第 \d+ 步, T = 0\.5\): «Alice /);
  assert.equal(await page.locator('label[for="vc-writes-temperature"]').textContent(), '溫度');
  // a prime with a byte the corpus does not have: the worker's error, shown in words
  await page.locator('#vc-writes-prime').fill('Жук');
  await page.locator('#vc-writes-prime').press('Enter');
  await page.waitForFunction(() => /generate\.prime: byte = 208: not allowed; allowed: bytes of the corpus/.test(document.getElementById('sum-writes').textContent), null, { timeout: 10000 });
  // a good prime and temperature 0 again: text again, and training goes on from where it was
  await page.locator('#vc-writes-prime').fill('The ');
  await page.locator('#vc-writes-prime').press('Enter');
  await page.locator('#vc-writes-temperature').fill('0');
  await page.waitForFunction(() => /T = 0\): «The /.test(document.getElementById('sum-writes').textContent), null, { timeout: 10000 });
  const before = await page.evaluate(() => window.__lab.runs()['rnn-layer'].step);
  await page.evaluate(() => window.__lab.setState({ steps: 120 }));
  await page.locator('#btn-train').click();
  await page.waitForFunction((b) => window.__lab.runs()['rnn-layer'].step > b, before, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.__lab.errors().length), 0);
  // (the figure only: at 360 px the page's wide formulas and the status table mid-training are other parts' business)
  assert.deepEqual(await axeViolations(page, 'figure[data-chart="writes"]'), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 13 shows the parity RNNs\' answers as tokens, wrong ones counted over 8 sequences, in zh-TW at 360 px', { timeout: 150000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(server.url('lessons/13-selu.html#steps=20'));
  const runs = ['rnn_selu', 'rnn_selu_total', 'rnn_tanh'];
  const sums = await trainUntilViews(page, { parity_answers: runs });
  assert.equal((sums.parity_answers.match(/8 條序列錯 \d 條/g) || []).length, runs.length, sums.parity_answers);
  // another sample: the token table (CSV) follows it, 50 input bits with the target and each run's answer at the last step
  const table = () => page.evaluate(() => window.__lab.table('parity_answers'));
  const before = await table();
  await page.locator('#vc-parity_answers-sample').selectOption('5');
  await page.waitForFunction((b) => JSON.stringify(window.__lab.table('parity_answers').rows) !== b, JSON.stringify(before.rows), { timeout: 10000 });
  const after = await table();
  assert.equal(after.rows.length, 50);
  assert.ok(after.rows.every((r) => r[1] === '0' || r[1] === '1'), 'the inputs read as bits');
  assert.ok(after.rows[49].slice(3).every((v) => v === '0' || v === '1'), 'every run answers at the last step');
  assert.deepEqual(await axeViolations(page, 'figure[data-chart="parity_answers"]'), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson 10 draws windows and free-running forecasts, and lesson 6 a decision surface, from file:// too', { timeout: 200000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(fileUrl('lessons/10-lr-schedules-adam.html') + '?lang=en#steps=60');
  const s10 = await trainUntilViews(page, { forecast: ['sgd', 'rmsprop', 'adam'] });
  assert.match(s10.forecast, /Adam \(default η = 0\.001\): \|predicted − target\| [0-9.]+; forecast /);
  await page.goto(server.url('lessons/06-dropout.html#steps=100'));
  const s6 = await trainUntilViews(page, { boundary: ['p0', 'p05'] });
  assert.match(s6.boundary, /p = 0[^;]*: \d+ \/ 128 ✓/);
  await page.locator('#vc-boundary-run').selectOption('p05');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
