// Browser tests of the Playground (dist/playground.html): a preset, a setting, an added run, training, the experiment
// surviving a reload (localStorage) and "Clear saved experiment" forgetting it, both languages, file://, axe at 360 px.
// The storage format itself is tested in tests/node/playground-store.test.mjs; the lesson engine in the other e2e files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SHOTS, fileUrl, watchErrors, waitReady, useBrowser } from './helpers.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const PAGE = 'playground.html';
let server, browser;
useBrowser((s, b) => { server = s; browser = b; }, { '/axe.min.js': ['text/javascript; charset=utf-8', fs.readFileSync(AXE)] });

const lr = (page) => page.evaluate(() => window.__lab.state().lr);
const runIds = (page) => page.evaluate(() => window.__lab.state().runs);

async function trainUntilPoints(page) {
  await page.getByRole('button', { name: /^(Train|訓練)$/ }).click();
  await page.waitForFunction(() => Object.keys(window.__lab.runs()).every((id) => window.__lab.points('loss', id) > 3), null, { timeout: 45000 });
  await page.evaluate(() => window.__lab.pause()); // a short preset may have finished already
}

test('a preset, a changed setting and an added run train and draw loss points; a reload without the hash keeps them; Clear forgets them', { timeout: 120000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${PAGE}?lang=en`));
  await waitReady(page);
  assert.equal(await page.locator('h1').innerText(), 'Playground: free experiments');
  assert.equal(await page.locator('.claim-text').count(), 0, 'a playground has no claim');
  await page.getByRole('button', { name: 'Sine forecasting (GRU)' }).click();
  await waitReady(page);
  assert.equal((await page.evaluate(() => window.__lab.config('a'))).task.name, 'sine');
  await page.locator('#ctl-optimizer').selectOption('rmsprop');
  await page.getByRole('button', { name: 'Add run', exact: true }).click();
  await waitReady(page);
  assert.deepEqual(await runIds(page), ['a', 'a~2']);
  const cfg = await page.evaluate(() => window.__lab.config('a~2'));
  assert.equal(cfg.optimizer.name, 'rmsprop');
  assert.equal(cfg.model.cell, 'gru');
  await trainUntilPoints(page);
  assert.deepEqual(await page.evaluate(() => window.__lab.errors()), []);

  // the same page without its hash: the saved experiment comes back
  await page.goto(server.url(`${PAGE}?lang=en`));
  await waitReady(page);
  assert.deepEqual(await runIds(page), ['a', 'a~2']);
  assert.equal(await page.evaluate(() => window.__lab.state().optimizer), 'rmsprop');
  assert.equal(await page.evaluate(() => window.__lab.state().task), 'sine');

  // Clear forgets it: the page reloads with the defaults, and so does the next visit
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Clear saved experiment' }).click()]);
  await waitReady(page);
  assert.deepEqual(await runIds(page), ['a']);
  assert.equal(await page.evaluate(() => window.__lab.state().optimizer), 'adam');
  assert.equal(await page.evaluate(() => localStorage.getItem('rnnlab.playground.v1') === null || JSON.parse(localStorage.getItem('rnnlab.playground.v1')).pairs.every((p) => p[0] !== 'optimizer')), true);
  await page.goto(server.url(`${PAGE}?lang=en`));
  await waitReady(page);
  assert.equal(await page.evaluate(() => window.__lab.state().optimizer), 'adam');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the data panel\'s text survives a reload', { timeout: 60000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${PAGE}?lang=en`));
  await waitReady(page);
  await page.locator('#data-details summary').click();
  await page.getByLabel('Paste here').fill('t,y\n1,2\n2,3\n3,5\n');
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('#data-text').inputValue(), 't,y\n1,2\n2,3\n3,5\n');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('in zh-TW the presets, the clear button and the section label are Chinese, and the char-RNN preset trains', { timeout: 90000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${PAGE}?lang=zh-TW`));
  await waitReady(page);
  assert.equal(await page.locator('.section-no').innerText(), '遊樂場');
  await page.getByRole('button', { name: '清除儲存的實驗' }).waitFor();
  await page.getByRole('button', { name: '字元 RNN：內建文字（LSTM）' }).click();
  await waitReady(page);
  assert.equal((await page.evaluate(() => window.__lab.config('a'))).task.name, 'text');
  await trainUntilPoints(page);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('from file:// the playground trains (with or without localStorage)', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(fileUrl(PAGE) + '?lang=en');
  await waitReady(page);
  await page.getByRole('button', { name: 'XOR (MLP)' }).click();
  await waitReady(page);
  await trainUntilPoints(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('axe finds no serious or critical violations on the playground at 360 px, in both languages', { timeout: 90000 }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  for (const lang of ['en', 'zh-TW']) {
    await page.goto(server.url(`${PAGE}?lang=${lang}`));
    await waitReady(page);
    await page.addScriptTag({ url: server.url('axe.min.js') });
    const v = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').flatMap((x) => x.nodes.map((n) => `${x.id}: ${n.target.join(' ')}`));
    });
    assert.deepEqual(v, [], lang);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `playground-${lang}-360.png`), fullPage: true });
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the share link of an experiment built by hand gives the same first losses in a fresh browser', { timeout: 90000 }, async () => {
  const firstLosses = async (page) => {
    await page.getByRole('button', { name: /^Step/ }).click();
    await page.waitForFunction(() => Object.values(window.__lab.runs()).every((r) => r.step >= 10), null, { timeout: 30000 });
    return page.evaluate(() => Object.keys(window.__lab.runs()).map((id) => Array.from(window.__lab.metrics(id).loss).slice(0, 10)));
  };
  const ctxA = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const byHand = await ctxA.newPage();
  const errors = watchErrors(byHand);
  await byHand.goto(server.url(`${PAGE}?lang=en`));
  await waitReady(byHand);
  await byHand.getByRole('button', { name: 'Adding problem: LSTM vs RNN' }).click();
  await waitReady(byHand);
  await byHand.locator('#ctl-hidden').fill('16');
  await byHand.locator('#ctl-hidden').dispatchEvent('change');
  await waitReady(byHand);
  const link = (await byHand.evaluate(() => window.__lab.shareUrls())).link;
  assert.match(link, /hidden=16/);
  const a = await firstLosses(byHand);

  const ctxB = await browser.newContext({ viewport: { width: 1280, height: 900 } }); // its own, empty localStorage
  const linked = await ctxB.newPage();
  errors.push(...watchErrors(linked));
  await linked.goto(link);
  await waitReady(linked);
  assert.deepEqual(await linked.evaluate(() => window.__lab.state().runs), ['a', 'a~2']);
  assert.deepEqual(await firstLosses(linked), a);
  assert.deepEqual(errors, []);
  await ctxA.close();
  await ctxB.close();
});
