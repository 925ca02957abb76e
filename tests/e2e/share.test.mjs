// share.test.mjs — the Share dialog of lesson 1 in Chromium (focus in and back, Esc, link, hide choices, copy, iframe snippet),
// hide flags that survive language and state changes, the snippet embedded cross-origin, and keyboard-only use.
// Not the runs UI (runs.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { LESSON, SHOTS, startServer, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
fs.mkdirSync(SHOTS, { recursive: true });
useBrowser((s, b) => { server = s; browser = b; });

test('the Share dialog: focus moves in and back, Esc closes it, and its link and iframe snippet carry the experiment', { timeout: 60000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url('').replace(/\/$/, '') });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en#seed=3`));
  await waitReady(page);
  await page.getByRole('button', { name: 'Duplicate LSTM', exact: true }).click();

  const share = page.getByRole('button', { name: 'Share', exact: true });
  await share.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Share this experiment' });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'share-link', 'focus moved into the dialog');
  const link = await dialog.getByLabel('Link').inputValue();
  assert.equal(link, server.url(`${LESSON}#lang=en&seed=3&runs=rnn,lstm,lstm~2,gru`));

  await dialog.getByLabel('lesson text').check();
  await dialog.getByText('Individual settings').click();
  await dialog.getByLabel('Learning rate').check();
  const hidden = await dialog.getByLabel('Link').inputValue();
  assert.match(hidden, /#lang=en&seed=3&runs=rnn,lstm,lstm~2,gru&hide=text,ctl-lr$/);
  const snippet = await dialog.getByLabel('Embed in a course site (iframe)').inputValue();
  assert.match(snippet, /^<iframe id="rnnlab-01-why-lstm" src="[^"]+" title="[^"]+" width="100%" height="\d+"[^>]*><\/iframe>\n<script>[^<]*rnnlab:height[^<]*<\/script>$/);
  const src = /src="([^"]+)"/.exec(snippet)[1].replace(/&amp;/g, '&');
  assert.equal(src, server.url(`${LESSON}?embed=1&lang=en#seed=3&runs=rnn,lstm,lstm~2,gru&hide=text,ctl-lr`));
  assert.match(snippet, /title="1\. Why is an LSTM easy to train\? · RNN Tuning Lab"/);

  await dialog.getByRole('button', { name: 'Copy link' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), hidden);
  await page.screenshot({ path: `${SHOTS}/share-360.png` });

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-share', 'focus returned to Share');
  assert.doesNotMatch(page.url(), /hide=/, 'the choices only go into the shared link');
  assert.deepEqual(errors, []);
  await context.close();
});

test('parts hidden by the link stay hidden after a language switch and a state change; the page still trains', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  // the <html> classes at the moment <main> is parsed, before any runtime script has run: hidden parts never flash
  await page.addInitScript(() => {
    new MutationObserver((list, obs) => {
      if (!document.getElementById('main')) return;
      window.__classesAtMain = document.documentElement.className;
      window.__runtimeAtMain = !!window.__lab;
      obs.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(server.url(`${LESSON}?lang=en#hide=text,presets,ctl-lr,share`));
  await waitReady(page);
  const early = await page.evaluate(() => ({ classes: window.__classesAtMain.split(/\s+/).filter((c) => c.startsWith('hide-')).sort(), runtime: window.__runtimeAtMain }));
  assert.deepEqual(early, { classes: ['hide-presets', 'hide-share', 'hide-text'], runtime: false });
  const visible = () => page.evaluate(() => ({
    text: [...document.querySelectorAll('.lesson-text article')].some((a) => a.offsetParent !== null),
    lr: document.getElementById('ctl-lr').offsetParent !== null,
    length: document.getElementById('ctl-length').offsetParent !== null,
    presets: [...document.querySelectorAll('button.preset')].some((b) => b.offsetParent !== null),
    share: document.getElementById('btn-share').offsetParent !== null,
    chart: document.querySelector('figure[data-chart="loss"]').offsetParent !== null,
  }));
  const expected = { text: false, lr: false, length: true, presets: false, share: false, chart: true };
  assert.deepEqual(await visible(), expected);
  await page.click('[data-set-lang="zh-TW"]');
  assert.deepEqual(await visible(), expected, 'after a language switch');
  await page.click('[data-set-lang="en"]');
  await page.locator('#ctl-length').evaluate((el) => { el.value = '40'; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); });
  await page.getByRole('button', { name: 'Duplicate GRU', exact: true }).click();
  assert.deepEqual(await visible(), expected, 'after state changes');
  assert.match(page.url(), /length=40&runs=rnn,lstm,gru,gru~2&hide=text,presets,ctl-lr,share/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.points('loss', 'gru~2') > 0, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.screenshot({ path: `${SHOTS}/hidden-1280.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the iframe snippet works on a course page of another origin as pasted: embed mode, same runs, trains, and its own script fits the height', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en#runs=gru,gru~2&gru~2.hidden=8`));
  await waitReady(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const snippet = await page.locator('#share-snippet').inputValue();
  await page.close();
  // the course page: the snippet as given (its script sets the height); the page only records the messages
  const origin = server.url('').replace(/\/$/, '');
  const hostHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>course</title></head><body>
<h1>Week 9</h1>
${snippet}
<script>window.heights = [];
window.addEventListener('message', function (e) {
  if (e.origin !== ${JSON.stringify(origin)} || !e.data || e.data.type !== 'rnnlab:height') return;
  heights.push(e.data.height);
});</script></body></html>`;
  const host = await startServer(undefined, { '/course.html': ['text/html; charset=utf-8', hostHtml] });
  const course = await browser.newPage();
  errors.push(...watchErrors(course));
  try {
    await course.goto(host.url('course.html'));
    const f = await (await course.waitForSelector('iframe')).contentFrame();
    await waitReady(f);
    assert.equal(await f.evaluate(() => document.documentElement.classList.contains('embed')), true);
    assert.equal(await f.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(await f.evaluate(() => window.__lab.runList().map((r) => r.label)), ['GRU', 'GRU (2) → Hidden units = 8']);
    await f.getByRole('button', { name: 'Train', exact: true }).click();
    await f.waitForFunction(() => window.__lab.points('loss', 'gru~2') > 0, null, { timeout: 30000 });
    await f.getByRole('button', { name: 'Pause' }).click();
    await course.waitForFunction(() => window.heights.length > 0);
    const h = await course.evaluate(() => window.heights[window.heights.length - 1]);
    assert.ok(h > 300, `posted height ${h}`);
    // the snippet's own script fitted the iframe to the page's latest height (no listener of the course page's)
    await course.waitForFunction(() => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - window.heights[window.heights.length - 1]) < 1);
  } finally {
    await course.close();
    await host.close();
  }
  assert.deepEqual(errors, []);
});

test('keyboard only: Tab reaches Train, Share, Duplicate and a slider; arrow keys move the slider; focus is visible', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(page);
  await page.locator('body').focus();
  const want = { train: 'btn-train', share: 'btn-share', duplicate: 'dup:lstm', slider: 'ctl-length' };
  const seen = {};
  for (let i = 0; i < 80 && Object.keys(seen).length < 4; i++) {
    await page.keyboard.press('Tab');
    const a = await page.evaluate(() => {
      const e = document.activeElement;
      return { id: e.id, fk: e.getAttribute('data-fk'), outline: getComputedStyle(e).outlineStyle };
    });
    for (const [k, v] of Object.entries(want)) {
      if (seen[k] || (a.id !== v && a.fk !== v)) continue;
      seen[k] = true;
      assert.notEqual(a.outline, 'none', `${k} shows its focus`);
      if (k === 'slider') {
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => /length=35/.test(location.hash)); // lesson 1: step 5 from 30
      }
      if (k === 'duplicate') {
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => window.__lab.runList().some((r) => r.id === 'lstm~2'));
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-fk')), 'dup:lstm', 'focus stays on Duplicate');
      }
    }
  }
  assert.deepEqual(seen, { train: true, share: true, duplicate: true, slider: true });
  await page.locator('#btn-train').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__lab.points('loss', 'lstm~2') > 0, null, { timeout: 30000 });
  await page.locator('#btn-pause').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__lab.mode() === 'paused', null, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await page.close();
});
