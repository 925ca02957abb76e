// Browser tests of lesson 1 (dist/lessons/01-why-lstm.html): Train/Pause/Step/Reset over http and file://, language and URL state,
// readable errors, cross-origin iframe embedding. They do not judge the lesson's claim (claim.test.mjs does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LESSON, startServer, fileUrl, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

async function trainAndPause(page) {
  await waitReady(page);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await page.waitForFunction(() => window.__lab.points('loss') > 0, null, { timeout: 30000 });
  // the Chart.js instance itself gets points too (at its next frame: the chart's redraw is queued, and a loaded machine may
  // deliver the next tick first)
  await page.waitForFunction(() => {
    const c = window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas'));
    return c.data.datasets.filter((d) => !d.isBaseline).reduce((n, d) => n + d.data.length, 0) > 0;
  }, null, { timeout: 10000 });
  await page.waitForFunction(() => window.__lab.points('grad_t') > 0, null, { timeout: 30000 });
  await page.waitForFunction(() => /step [1-9]/.test(document.getElementById('step-counter').textContent), null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__lab.mode() === 'paused', null, { timeout: 10000 });
  const s1 = await page.evaluate(() => Math.max(...Object.values(window.__lab.runs()).map((r) => r.step)));
  await page.waitForTimeout(300);
  const s2 = await page.evaluate(() => Math.max(...Object.values(window.__lab.runs()).map((r) => r.step)));
  assert.equal(s1, s2, 'paused runs do not advance');
  // Step trains a few more steps
  await page.getByRole('button', { name: /^Step/ }).click();
  await page.waitForFunction((s) => Math.max(...Object.values(window.__lab.runs()).map((r) => r.step)) > s, s2, { timeout: 10000 });
  // Reset clears the runs
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.waitForFunction(() => window.__lab.points('loss') === 0 && Object.values(window.__lab.runs()).every((r) => r.step === 0), null, { timeout: 10000 });
  await waitReady(page);
}

test('lesson over http: ?lang=en, Train, Pause, Step, Reset', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en`));
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await trainAndPause(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson from file://: the Blob worker trains', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${fileUrl(LESSON)}?lang=en`);
  await trainAndPause(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('language switch without reload, and the hash round-trip', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}#length=50&lr=0.003`));
  await waitReady(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-TW');
  assert.equal(await page.locator('#btn-train').innerText(), '訓練');
  assert.equal(await page.inputValue('#ctl-length'), '50');
  assert.equal((await page.evaluate(() => window.__lab.state())).lr, 0.003);
  // switch language: no navigation, <html lang> follows, the hash keeps the state and adds lang
  await page.evaluate(() => { window.__noReload = true; });
  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.evaluate(() => window.__noReload), true);
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  assert.match(page.url(), /lang=en/);
  assert.match(page.url(), /length=50/);
  assert.match(await page.title(), /Why is an LSTM easy to train/);
  // the chart moved into the English text
  assert.equal(await page.locator('article[data-lang="en"] figure[data-chart="loss"] canvas').count(), 1);
  // a control change goes into the hash
  await page.locator('#ctl-length').evaluate((el) => { el.value = '70'; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); });
  await page.waitForFunction(() => /length=70/.test(location.hash));
  // the skip link moves focus to the text without wiping the state kept in the hash
  await page.locator('a.skip').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.match(page.url(), /length=70/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  // a named preset resets the other values to the lesson defaults
  await page.getByRole('button', { name: 'Short sequences: T = 10' }).first().click();
  await page.waitForFunction(() => /length=10/.test(location.hash) && !/lr=/.test(location.hash));
  assert.equal(await page.inputValue('#ctl-length'), '10');
  // the keyboard reaches the Train button
  await page.locator('#btn-train').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__lab.points('loss') > 0, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bad config shows a readable error and the page stays usable', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(page);
  await page.evaluate(() => window.__lab.setConfigOverride('gru', { model: { hidden: 0 } }));
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 10000 });
  const text = await alert.innerText();
  assert.match(text, /GRU could not be created/);
  assert.match(text, /hidden/, 'the message names the key');
  assert.equal(await page.locator('tr[data-run="gru"] [data-f=status]').innerText(), 'error');
  // the other runs still train
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.points('loss', 'lstm') > 0 && window.__lab.points('loss', 'rnn') > 0, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  // removing the override and resetting clears the error
  await page.evaluate(() => window.__lab.setConfigOverride('gru', null));
  await page.waitForFunction(() => document.getElementById('lab-errors').hidden);
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded in a cross-origin iframe: trains and posts its height', { timeout: 60000 }, async () => {
  // the host page is served from a second server (another port = another origin)
  const lessonUrl = server.url(`${LESSON}?lang=en`);
  const hostHtml = `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><h1>host</h1>
<iframe id="f" src="${lessonUrl}" style="width:800px;height:400px;border:0"></iframe>
<script>window.heights=[];addEventListener('message',e=>{if(e.data&&e.data.type==='rnnlab:height'){heights.push(e.data.height);document.getElementById('f').style.height=e.data.height+'px';}});</script>
</body></html>`;
  const host = await startServer(undefined, { '/host.html': ['text/html; charset=utf-8', hostHtml] });
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(host.url('host.html'));
    const frame = page.frameLocator('#f');
    await frame.getByRole('button', { name: 'Train', exact: true }).waitFor({ timeout: 30000 });
    const f = page.frames().find((x) => x.url().startsWith(lessonUrl.split('?')[0]));
    assert.ok(f, 'iframe loaded');
    await waitReady(f);
    assert.equal(await f.evaluate(() => document.documentElement.classList.contains('embed')), true);
    await frame.getByRole('button', { name: 'Train', exact: true }).click();
    await f.waitForFunction(() => window.__lab.points('loss') > 0, null, { timeout: 30000 });
    await frame.getByRole('button', { name: 'Pause' }).click();
    await page.waitForFunction(() => window.heights.length > 0 && window.heights[window.heights.length - 1] > 400);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await host.close();
  }
});
