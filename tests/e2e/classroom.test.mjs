// classroom.test.mjs — issue #17 in Chromium on lesson 1: the run table shows the charted loss, the claim panel labels its
// values and greys out checks that do not apply, a slider after training keeps the previous curves (Reset clears them),
// a removed run comes back with Undo, the toolbar stays in view, the phone order, the embed options and the embedding guide.
// Not the Share dialog's basics (share.test.mjs) and not "Your data" (upload.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, LESSON, watchErrors, waitReady, waitCharts, useBrowser } from './helpers.mjs';

const lesson = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons/01-why-lstm/lesson.json'), 'utf8'));

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

/** a page of lesson 1 in English, trained to `steps` and done */
async function trained(viewport, steps = 200, hash = '') {
  const page = await browser.newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(server.url(`${LESSON}?lang=en#steps=${steps}${hash}`));
  await waitReady(page);
  await page.locator('#btn-train').click();
  await page.waitForFunction(() => window.__lab.mode() === 'done', null, { timeout: 60000 });
  return { page, errors };
}

test('the run table shows the loss the loss chart draws (smoothed), labelled so, not the last batch', { timeout: 90000 }, async () => {
  const { page, errors } = await trained({ width: 1280, height: 900 });
  try {
    await page.waitForFunction(() => { // the chart has drawn the last step (redraws are spread over frames)
      const d = window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas')).data.datasets.find((x) => x.runId === 'rnn');
      return d.data.length && d.data[d.data.length - 1].x === 200;
    });
    const r = await page.evaluate(() => {
      const ch = window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas'));
      const d = ch.data.datasets.find((x) => x.runId === 'rnn');
      const last = d.data[d.data.length - 1].y;
      return { last, cell: Number(document.querySelector('tr[data-run="rnn"] [data-f="loss"]').textContent), batch: window.__lab.runs().rnn.loss,
        head: document.getElementById('col-loss').textContent };
    });
    assert.ok(Math.abs(r.cell - r.last) <= 1e-3 * Math.abs(r.last), `table ${r.cell} = chart ${r.last} ${JSON.stringify(r)}`);
    assert.match(r.head, /smoothed/);
    assert.notEqual(r.cell, Number(r.batch.toPrecision(4)), 'not the last batch');
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('the claim panel labels measured values and thresholds, and greys out checks when the settings are not the default experiment', { timeout: 90000 }, async () => {
  const { page, errors } = await trained({ width: 1280, height: 900 }, 200, '&hidden=16');
  try {
    await page.waitForSelector('#claim-result:not([hidden])');
    // a check on the LSTM's insides gets its value from the worker's answer to a look, a moment later
    await page.waitForFunction(() => !/measured …/.test(document.getElementById('claim-result').textContent));
    const items = await page.locator('#claim-result li').allTextContents();
    assert.equal(items.length, lesson.claim.checks.length);
    items.forEach((t) => assert.match(t, /measured \S+ · (threshold [<>]=? \S+|compared with LSTM: [<>]=? \S+)/));
    assert.equal(await page.locator('#claim-result li.claim-na').count(), items.length, 'every check greyed out');
    assert.equal(await page.locator('#claim-result li.claim-fail').count(), 0, 'none failed');
    assert.equal(await page.locator('#claim-result').getAttribute('data-verdict'), 'na');
    assert.match(await page.locator('#claim-result .claim-na-note').textContent(), /do not apply/);
    // the verdict also sits right after the first chart
    assert.match(await page.locator('figure[data-chart="loss"] + #claim-near').textContent(), /Claim check \(step 200\)/);
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('which claim checks apply: all with a new seed, none with a changed setting or own data, not a lesson run\'s own with its overrides', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    const na = async (hash) => {
      await page.goto(server.url(`${LESSON}?lang=en#${hash}`));
      await waitReady(page);
      return page.evaluate(() => window.__lab.claimApplies());
    };
    assert.deepEqual(await na('seed=7'), { all: null, runs: {} });
    assert.deepEqual(await na('rnn.hidden=8'), { all: null, runs: { rnn: 'claimNaRun' } });
    assert.deepEqual(await na('runs=rnn,lstm'), { all: null, runs: { gru: 'claimNaRemoved' } });
    assert.equal((await na('hidden=16')).all, 'claimNaSettings');
    assert.equal((await na('steps=200')).all, 'claimNaSettings');
  } finally { await page.close(); }
});

test('moving a slider after training keeps the finished curves faded with a legend entry and the claim marked as previous; Reset clears them', { timeout: 90000 }, async () => {
  const { page, errors } = await trained({ width: 1280, height: 900 });
  try {
    await page.waitForSelector('#claim-result:not([hidden])');
    const before = await page.evaluate(() => window.__lab.points('loss'));
    await page.evaluate(() => { const i = document.getElementById('ctl-hidden'); i.value = '16'; i.dispatchEvent(new Event('change')); }); // the slider, moved
    await page.waitForFunction(() => window.__lab.state().hidden === 16);
    assert.equal(await page.evaluate(() => window.__lab.previousPoints('loss')), before, 'every point kept as the previous curve');
    assert.match(await page.locator('#lab-message').textContent(), /previous settings' curves stay/);
    assert.equal(await page.locator('#claim-result').isVisible(), true, 'the claim stays');
    assert.match(await page.locator('#claim-result').textContent(), /previous settings' result/);
    await page.waitForFunction(() => {
      const ch = window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas'));
      return ch.legend.legendItems.some((i) => i.text === 'previous settings (faded)');
    });
    await page.locator('#btn-reset').click();
    await page.waitForFunction(() => window.__lab.previousPoints('loss') === 0);
    assert.equal(await page.locator('#claim-result').isHidden(), true);
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('a slider moved during training restarts the runs and says so', { timeout: 90000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(`${LESSON}?lang=en#steps=3000`));
    await waitReady(page);
    await page.locator('#btn-train').click();
    await page.waitForFunction(() => window.__lab.points('loss') > 20);
    await page.evaluate(() => window.__lab.setState({ hidden: 16 }));
    assert.match(await page.locator('#lab-message').textContent(), /restarted with the new settings/);
    assert.equal(await page.evaluate(() => window.__lab.mode()), 'training');
    assert.ok(await page.evaluate(() => window.__lab.previousPoints('loss')) > 20);
    await page.locator('#btn-pause').click();
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('removing a run shows a toast whose Undo puts the run back with its own settings', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(`${LESSON}?lang=en#lstm.hidden=8`));
    await waitReady(page);
    await page.getByRole('button', { name: 'Remove LSTM → Hidden units = 8', exact: true }).click();
    await page.waitForFunction(() => window.__lab.state().runs.join() === 'rnn,gru');
    const toast = page.locator('#lab-toast');
    assert.match(await toast.textContent(), /Removed LSTM/);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.waitForFunction(() => window.__lab.state().runs.join() === 'rnn,lstm,gru');
    assert.equal(await page.evaluate(() => window.__lab.state()['lstm.hidden']), 8);
    assert.equal(await toast.count(), 0);
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('at 1280 px the toolbar stays in view while the side panel scrolls', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 600 } });
  try {
    await page.goto(server.url(`${LESSON}?lang=en`));
    await waitReady(page);
    await page.evaluate(() => { const s = document.querySelector('.side'); s.scrollTop = s.scrollHeight; });
    await page.waitForFunction(() => document.querySelector('.side').scrollTop > 300);
    const box = await page.locator('#btn-train').boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 600, `Train at y = ${box && box.y}`);
  } finally { await page.close(); }
});

for (const lang of ['en', 'zh-TW']) {
  test(`at 360 px (${lang}) the introduction and the first chart come before the settings, which start folded; "Charts" jumps to the chart`, { timeout: 60000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    const errors = watchErrors(page);
    try {
      await page.goto(server.url(`${LESSON}?lang=${lang}`));
      await waitReady(page);
      const y = await page.evaluate(() => {
        const top = (s) => document.querySelector(s).getBoundingClientRect().top + scrollY;
        return { intro: top(`article[data-lang="${document.documentElement.lang}"] p`), chart: top('.lesson-text figure.chart'), settings: top('#settings-details'), runs: top('#run-status') };
      });
      assert.ok(y.intro < y.chart && y.chart < y.settings && y.chart < y.runs, JSON.stringify(y));
      assert.equal(await page.evaluate(() => document.getElementById('settings-details').open), false);
      await page.locator('#jump-charts').click();
      await page.waitForFunction(() => { const r = document.querySelector('.lesson-text figure.chart').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; });
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scroll');
      assert.deepEqual(errors, []);
    } finally { await page.close(); }
  });
}

test('a display formula wider than a phone scrolls inside its box with a visible hint', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  try {
    await page.goto(server.url('lessons/04-init-theory.html?lang=en'));
    await page.waitForFunction(() => document.querySelector('.math-display.scrolls'));
    const r = await page.evaluate(() => {
      const m = document.querySelector('.math-display.scrolls');
      return { scrolls: m.scrollWidth > m.clientWidth, hint: m.nextElementSibling.classList.contains('math-hint') && !m.nextElementSibling.hidden, tab: m.getAttribute('tabindex') };
    });
    assert.deepEqual(r, { scrolls: true, hint: true, tab: '0' });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true);
  } finally { await page.close(); }
});

test('Share: "charts only" hides the text, settings and runs in the link; the guide it links is a real page; own data is warned about', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(`${LESSON}?lang=en`));
    await waitReady(page);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog');
    assert.equal(await page.locator('#share-warn').isHidden(), true);
    await dialog.getByLabel(/Charts only/).check();
    assert.match(await dialog.getByLabel('Link').inputValue(), /hide=text,controls,presets,runs,share$/);
    const href = await page.locator('#share-docs').getAttribute('href');
    const res = await page.request.get(new URL(href, page.url()).href);
    assert.equal(res.status(), 200);
    assert.match(await res.text(), /Embed in a course site/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    // own data: the dialog says the link will not carry it
    await page.locator('#data-details summary').click();
    await page.locator('#data-text').fill('x\n' + Array.from({ length: 60 }, (_, i) => String(Math.sin(i / 5))).join('\n'));
    await page.locator('#data-use').click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    assert.match(await page.locator('#share-warn').textContent(), /own data/);
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('a shared view with the controls hidden lists the settings that differ from the defaults', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(server.url(`${LESSON}?lang=en#hidden=16&gru.lr=0.002&hide=controls`));
    await waitReady(page);
    const t = await page.locator('#differs-note').textContent();
    assert.match(t, /differs from the defaults/);
    assert.match(t, /Hidden units = 16/);
    assert.match(t, /GRU[^:]*: Learning rate = 0\.002/);
    await page.goto(server.url(`${LESSON}?lang=en#hidden=16`));
    await waitReady(page);
    assert.equal(await page.locator('#differs-note').isHidden(), true, 'with the controls shown, no note');
  } finally { await page.close(); }
});

test('a diverged run does not stretch the y axis: lesson 9\'s learning rate 1.0 preset stops the axis at 10× the starting loss', { timeout: 90000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  try {
    await page.goto(server.url('lessons/09-momentum.html?lang=en'));
    await waitReady(page);
    await page.locator('[data-preset="lr1"]').first().click();
    await page.locator('#btn-train').click();
    await page.waitForFunction(() => Object.values(window.__lab.runs()).some((r) => r.diverged), null, { timeout: 60000 });
    await page.locator('#btn-pause').click();
    await page.waitForFunction(() => window.__lab.mode() !== 'training');
    const r = await page.evaluate(() => {
      const ch = window.Chart.getChart(document.querySelector('figure[data-chart="loss_net"] canvas'));
      ch.update('none');
      const firsts = ch.data.datasets.filter((d) => d.runId && d.data.length).map((d) => d.data[0].y);
      return { max: ch.scales.y.max, start: Math.max(...firsts) };
    });
    assert.ok(r.max <= 10 * r.start * 1.01 + 1e-9, JSON.stringify(r));
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('in Chinese the chart summaries say 訓練步數 (not "step") and use full-width punctuation', { timeout: 90000 }, async () => {
  const { page, errors } = await trained({ width: 1280, height: 900 }, 100);
  try {
    await page.locator('[data-set-lang="zh-TW"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-TW');
    await page.waitForFunction(() => /訓練步數/.test(document.getElementById('sum-loss').textContent));
    const text = await page.locator('#sum-loss').textContent();
    assert.match(text, /訓練步數/);
    assert.doesNotMatch(text, /\bstep\b|; |\.$/m);
    assert.match(text, /。/);
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('the run editor names settings in the reader\'s language without raw keys, hides sequence length for MLPs, and says when a value was clamped', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  try {
    await page.goto(server.url('lessons/04-init-theory.html?lang=zh-TW'));
    await waitReady(page);
    await page.locator('[data-fk="edit:relu_xavier"]').click();
    const opts = await page.locator('[data-fk="key:relu_xavier"] option').allTextContents();
    assert.ok(opts.length > 2);
    assert.ok(opts.every((t) => !/\(\w+\)/.test(t) && !/^[a-z_]+$/.test(t)), opts.join(' | '));
    assert.equal(await page.locator('[data-fk="key:relu_xavier"] option[value="length"]').count(), 0, 'an MLP has no sequence length');
    await page.locator('[data-set-lang="en"]').click();
    await page.locator('[data-fk="key:relu_xavier"]').selectOption('hidden');
    await page.locator('[data-fk="val:relu_xavier"]').fill('100000');
    await page.locator('[data-fk="apply:relu_xavier"]').click();
    await page.waitForFunction(() => window.__lab.state()['relu_xavier.hidden'] !== undefined);
    const max = await page.evaluate(() => window.__lab.state()['relu_xavier.hidden']);
    assert.match(await page.locator('#lab-message').textContent(), new RegExp(`must be from \\d+ to ${max}: set to ${max}`));
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});

test('lesson 11\'s sweep legend shows the diverged entry as its ✕ mark, the series as lines', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  try {
    await page.goto(server.url('lessons/11-batchnorm.html?lang=en'));
    await waitReady(page);
    await waitCharts(page);
    const items = await page.evaluate(() => {
      const ch = window.Chart.getChart(document.querySelector('figure[data-chart="sweep"] canvas'));
      return ch.legend.legendItems.map((i) => [ch.data.datasets[i.datasetIndex].isDiverged === true, i.pointStyle]);
    });
    assert.ok(items.some(([dv, ps]) => dv && ps === 'crossRot'), JSON.stringify(items));
    assert.ok(items.filter(([dv]) => !dv).every(([, ps]) => ps === 'line'), JSON.stringify(items));
    assert.deepEqual(errors, []);
  } finally { await page.close(); }
});
