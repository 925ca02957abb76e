// runs.test.mjs — the runs UI of lesson 1 in Chromium: adding, duplicating and removing runs, a per-run setting that
// restarts only its run, a link that rebuilds the same experiment, and a malformed link. Not the Share dialog (share.test.mjs)
// and not every chart kind (runs-charts.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LESSON, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

const steps = (page) => page.evaluate(() => Object.fromEntries(Object.entries(window.__lab.runs()).map(([id, r]) => [id, r.step])));
const runIds = (page) => page.evaluate(() => window.__lab.runList().map((r) => r.id));

// presses "Step +10" and waits until every run has moved on by ten steps
async function stepAll(page) {
  const before = await steps(page);
  await page.getByRole('button', { name: /^Step/ }).click();
  await page.waitForFunction((b) => Object.entries(window.__lab.runs()).every(([id, r]) => r.step >= (b[id] || 0) + 10), before, { timeout: 30000 });
}

test('runs can be duplicated, added and removed; the new runs train and appear in the charts with their own colour and label', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(page);
  assert.deepEqual(await runIds(page), ['rnn', 'lstm', 'gru']);

  await page.getByRole('button', { name: 'Duplicate LSTM', exact: true }).click();
  await page.getByLabel('Based on').selectOption('gru');
  await page.getByRole('button', { name: 'Add run', exact: true }).click();
  await page.getByRole('button', { name: 'Remove Vanilla RNN (tanh)', exact: true }).click();
  assert.deepEqual(await runIds(page), ['lstm', 'lstm~2', 'gru', 'gru~2']);
  assert.match(page.url(), /runs=lstm,lstm~2,gru,gru~2/);
  assert.equal(await page.locator('#run-status tbody').count(), 4);

  await stepAll(page);
  await page.waitForFunction(() => ['lstm~2', 'gru~2'].every((id) => window.__lab.points('loss', id) > 0 && window.__lab.points('grad_t', id) > 0), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__lab.points('loss', 'rnn')), 0, 'the removed run is gone from the chart');

  // legend labels and colours: lesson runs keep theirs, new runs take unused ones from the Okabe–Ito palette
  const legend = await page.evaluate(() => {
    const c = window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas'));
    return c.data.datasets.filter((d) => d.runId).map((d) => [d.runId, d.label, d.borderColor]);
  });
  const P = await page.evaluate(() => window.__lab.palette());
  assert.deepEqual(legend, [['lstm', 'LSTM', P[0]], ['lstm~2', 'LSTM (2)', P[3]], ['gru', 'GRU', P[2]], ['gru~2', 'GRU (2)', P[4]]]);
  // the status table shows step, loss and steps per second for the new run
  const row = page.locator('tr[data-run="gru~2"]');
  assert.match(await row.locator('[data-f=step]').innerText(), /^[1-9]\d*$/);
  assert.match(await row.locator('[data-f=loss]').innerText(), /^\d/);
  assert.equal(await page.locator('#col-rate').innerText(), 'Steps/s');

  // down to one run, never zero
  for (const name of ['Remove LSTM', 'Remove LSTM (2)', 'Remove GRU (2)']) await page.getByRole('button', { name, exact: true }).click();
  assert.deepEqual(await runIds(page), ['gru']);
  assert.equal(await page.getByRole('button', { name: 'Remove GRU', exact: true }).isDisabled(), true);
  assert.ok(await page.evaluate(() => window.__lab.points('loss', 'gru') > 0), 'the kept run keeps its curve');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a per-run setting restarts only that run: the others keep their steps and curves', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(page);
  await stepAll(page);
  await page.getByRole('button', { name: 'Duplicate LSTM', exact: true }).click();
  await stepAll(page);
  assert.deepEqual(await steps(page), { rnn: 20, lstm: 20, gru: 20, 'lstm~2': 10 });

  await page.getByRole('button', { name: 'Change settings of LSTM (2)' }).click();
  const editor = page.locator('tr.run-editor[data-editor-for="lstm~2"]');
  await editor.getByLabel('Setting').selectOption('hidden');
  await editor.getByLabel('Value').fill('16');
  await editor.getByRole('button', { name: 'Apply to LSTM (2)' }).click();
  await page.waitForFunction(() => window.__lab.runs()['lstm~2'].step === 0);
  assert.deepEqual(await steps(page), { rnn: 20, lstm: 20, gru: 20, 'lstm~2': 0 }, 'only the changed run restarted');
  assert.equal((await page.evaluate(() => window.__lab.config('lstm~2'))).model.hidden, 16);
  assert.equal((await page.evaluate(() => window.__lab.config('lstm'))).model.hidden, 32);
  assert.equal(await page.evaluate(() => window.__lab.metrics('lstm').loss.length), 20, 'the other runs keep their histories');
  assert.ok(await page.evaluate(() => window.__lab.points('loss', 'lstm') > 0), 'and their curves');
  assert.match(page.url(), /lstm~2\.hidden=16/);
  assert.equal(await page.locator('tbody[data-run-group="lstm~2"] .run-name').innerText(), 'LSTM (2) → Hidden units = 16');
  // focus stays in the editor, which stays open
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-fk')), 'apply:lstm~2');
  await page.screenshot({ path: '/tmp/rnnlab-shots/runs-editor-1280.png' }).catch(() => {});

  await stepAll(page);
  assert.deepEqual(await steps(page), { rnn: 30, lstm: 30, gru: 30, 'lstm~2': 10 });
  // removing the override restarts that run again, with the page's settings
  await editor.getByRole('button', { name: 'Remove Hidden units from LSTM (2) → Hidden units = 16' }).click();
  await page.waitForFunction(() => window.__lab.runs()['lstm~2'].step === 0);
  assert.equal((await page.evaluate(() => window.__lab.config('lstm~2'))).model.hidden, 32);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with runs, overrides and a seed reproduces the first losses of the same experiment built by hand', { timeout: 60000 }, async () => {
  const linked = await browser.newPage();
  const errors = watchErrors(linked);
  await linked.goto(server.url(`${LESSON}?lang=en#seed=3&runs=lstm,gru,lstm~2&lstm~2.lr=0.05&lstm~2.hidden=16`));
  await waitReady(linked);
  assert.deepEqual(await linked.evaluate(() => window.__lab.notices()), []);

  const byHand = await browser.newPage();
  errors.push(...watchErrors(byHand));
  await byHand.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(byHand);
  await byHand.locator('#ctl-seed').fill('3');
  await byHand.locator('#ctl-seed').dispatchEvent('change');
  await byHand.getByRole('button', { name: 'Remove Vanilla RNN (tanh)', exact: true }).click();
  await byHand.getByRole('button', { name: 'Duplicate LSTM', exact: true }).click();
  const runs = await runIds(byHand);
  assert.deepEqual(runs, ['lstm', 'lstm~2', 'gru']);
  // the order differs from the link's (lstm, gru, lstm~2): the results must not depend on it
  await byHand.getByRole('button', { name: 'Change settings of LSTM (2)' }).click();
  const editor = byHand.locator('tr.run-editor[data-editor-for="lstm~2"]');
  await editor.getByLabel('Setting').selectOption('lr');
  await editor.getByLabel('Value').fill('0.05');
  await editor.getByLabel('Value').press('Enter');
  await editor.getByLabel('Setting').selectOption('hidden');
  await editor.getByLabel('Value').fill('16');
  await editor.getByRole('button', { name: /^Apply to LSTM \(2\)/ }).click();
  await byHand.waitForFunction(() => /lstm~2\.hidden=16/.test(location.hash));
  assert.match(byHand.url(), /seed=3&runs=lstm,lstm~2,gru&lstm~2\.hidden=16&lstm~2\.lr=0\.05/);

  await stepAll(linked);
  await stepAll(byHand);
  for (const id of ['lstm', 'gru', 'lstm~2']) {
    const a = await linked.evaluate((r) => Array.from(window.__lab.metrics(r).loss.slice(0, 10)), id);
    const b = await byHand.evaluate((r) => Array.from(window.__lab.metrics(r).loss.slice(0, 10)), id);
    assert.equal(a.length, 10);
    assert.deepEqual(a, b, `${id}: same first losses`);
  }
  const other = await linked.evaluate(() => Array.from(window.__lab.metrics('lstm').loss.slice(0, 10)));
  const copy = await linked.evaluate(() => Array.from(window.__lab.metrics('lstm~2').loss.slice(0, 10)));
  assert.notDeepEqual(other, copy, 'the override made a difference');
  assert.deepEqual(errors, []);
  await linked.close();
  await byHand.close();
});

test('a malformed hash is ignored with a notice in both languages, never inserted as HTML, and the page still trains', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  const evil = encodeURIComponent('<img src=x onerror=alert(1)>');
  await page.goto(server.url(`${LESSON}?lang=en#seed=abc&runs=lstm,zzz&lstm.cell=transformer&${evil}=1&hide=nope&length=%E0%A4%A`));
  await waitReady(page);
  const notice = page.getByRole('status').filter({ hasText: 'could not be used' });
  await notice.waitFor();
  const text = await notice.innerText();
  for (const part of ['invalid value "abc" for "seed"', 'this lesson has no run "zzz"', 'invalid value "transformer" for "lstm.cell"', 'cannot hide "nope"', 'unknown setting "<img src=x onerror=alert(1)>"']) {
    assert.ok(text.includes(part), `notice mentions ${part}`);
  }
  assert.equal(await page.locator('#url-notice img').count(), 0, 'URL text is text, not markup');
  assert.deepEqual(await runIds(page), ['lstm']);
  await page.click('[data-set-lang="zh-TW"]');
  assert.match(await page.locator('#url-notice').innerText(), /已略過/);
  await page.click('[data-set-lang="en"]');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.points('loss', 'lstm') > 0, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Dismiss notice' }).click();
  assert.equal(await page.locator('#url-notice').isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});
