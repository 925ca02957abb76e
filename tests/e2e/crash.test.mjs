// Browser tests of crashed-worker recovery on lesson 1: a real abort()/trap inside the wasm module (the worker's test-only
// {type:'__crash'} message), a worker that goes silent, and the limit on restarts. Not a test of the training results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LESSON, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

const snapshot = (page) => page.evaluate(() => {
  const out = {};
  for (const id of ['rnn', 'lstm', 'gru']) {
    const m = window.__lab.metrics(id);
    out[id] = { step: window.__lab.runs()[id].step, loss: m ? Array.from(m.loss) : [], points: window.__lab.points('loss', id) };
  }
  return out;
});
const status = (page, id) => page.locator(`tr[data-run="${id}"] [data-f=status]`).innerText();

test('a wasm abort() while one run trains: that run is marked failed, its worker\'s other runs are replayed to the same history, the other worker goes on, Reset brings it back', { timeout: 90000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(`${LESSON}?lang=en&workers=2`));
    await waitReady(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => Object.values(window.__lab.runs()).every((r) => r.step >= 40), null, { timeout: 30000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForFunction(() => window.__lab.mode() === 'paused');
    const before = await snapshot(page);
    assert.ok(before.lstm.points > 0 && before.lstm.loss.length === before.lstm.step);

    // arm a real abort() inside the module at the GRU's next training, then Step: rnn and lstm train, the GRU aborts
    await page.evaluate(() => window.__lab.crashWorker('gru', 'abort'));
    await page.getByRole('button', { name: /^Step/ }).click();
    await page.waitForFunction(() => window.__lab.restarts() === 1 && window.__lab.ready() && window.__lab.mode() === 'paused', null, { timeout: 30000 });
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, /GRU crashed the training module while training: wasm abort\(\)/);
    assert.match(alert, /Reset brings it back/);
    assert.equal(await status(page, 'gru'), 'error');
    assert.match(await page.locator('#lab-message').innerText(), /Restarted the training module; the other models were replayed with the same seed/);

    // with a pool, only the GRU's worker was restarted: its other runs were replayed to the step they had reached, the runs
    // of the other workers took their Step as usual
    const after1 = await snapshot(page);
    const { hostOf, count } = await page.evaluate(() => window.__lab.workers());
    assert.equal(count, 2);
    assert.notEqual(hostOf.lstm, hostOf.gru, 'the LSTM trains on the other worker');
    for (const id of ['rnn', 'lstm']) {
      if (hostOf[id] === hostOf.gru) {
        assert.equal(after1[id].step, before[id].step, `${id} is back at its step`);
        assert.deepEqual(after1[id].loss, before[id].loss, `${id}: the replayed loss history is the one shown before the crash`);
        assert.equal(after1[id].points, before[id].points, `${id}: the chart kept its points`);
      } else {
        assert.equal(after1[id].step, before[id].step + 10, `${id}, on another worker, took its Step`);
        assert.deepEqual(after1[id].loss.slice(0, before[id].loss.length), before[id].loss, `${id}: its history went on`);
      }
    }
    assert.equal(after1.gru.points, before.gru.points, 'the crashed run keeps its history on the chart');

    // the replayed runs go on training in the new worker; the failed one does not
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction((s) => window.__lab.runs().lstm.step > s + 20, before.lstm.step, { timeout: 30000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForFunction(() => window.__lab.mode() === 'paused');
    const after2 = await snapshot(page);
    assert.equal(after2.gru.step, before.gru.step);
    assert.deepEqual(after2.lstm.loss.slice(0, before.lstm.loss.length), before.lstm.loss, 'training continues the same trajectory');

    // Reset brings the crashed run back
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.waitForFunction(() => document.getElementById('lab-errors').hidden && window.__lab.ready());
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => window.__lab.runs().gru.step > 10, null, { timeout: 30000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    assert.notEqual(await status(page, 'gru'), 'error');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a trap, a silent worker and an uncaught worker error are recovered (in Chinese), and the fourth crash gives up and says so', { timeout: 90000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(LESSON));
    await waitReady(page);
    await page.getByRole('button', { name: '單步' }).click();
    await page.waitForFunction(() => window.__lab.runs().rnn.step >= 10, null, { timeout: 30000 });
    const restored = (n) => page.waitForFunction((k) => window.__lab.restarts() === k && window.__lab.ready(), n, { timeout: 30000 });

    // 1: a wasm trap (unreachable) outside any run: every run is replayed
    await page.evaluate(() => window.__lab.crashWorker(null, 'trap'));
    await page.waitForFunction(() => window.__lab.restarts() === 1 && window.__lab.ready(), null, { timeout: 30000 });
    assert.match(await page.getByRole('alert').innerText(), /訓練模組當掉了：wasm trap: unreachable/);
    assert.match(await page.locator('#lab-message').innerText(), /已重新啟動訓練模組/);
    assert.deepEqual(Object.values(await page.evaluate(() => window.__lab.runs())).map((r) => r.step), [10, 10, 10]);

    // 2: the worker ends without a word; the watchdog notices that a Step got no answer
    await page.evaluate(() => { window.__lab.setWatchdog(1500); window.__lab.crashWorker(null, 'close'); });
    await page.getByRole('button', { name: '單步' }).click();
    await restored(2);
    assert.match(await page.getByRole('alert').innerText(), /背景執行緒超過 2 秒沒有回應/);

    // 3: an uncaught error in the worker (its onerror on the page)
    await page.evaluate(() => window.__lab.crashWorker(null, 'throw'));
    await restored(3);
    assert.match(await page.getByRole('alert').innerText(), /uncaught error in the worker \(test\)/);
    // 4: the fourth crash gives up
    await page.evaluate(() => window.__lab.crashWorker(null, 'abort'));
    await page.waitForFunction(() => window.__lab.mode() === 'broken', null, { timeout: 30000 });
    assert.match(await page.getByRole('alert').innerText(), /訓練模組已當掉 4 次，不再自動重新啟動/);
    assert.equal(await page.evaluate(() => window.__lab.restarts()), 4);
    assert.equal(await page.locator('#btn-train').isDisabled(), true);
    // the histories are still on the page
    assert.ok(await page.evaluate(() => window.__lab.points('loss', 'lstm')) > 0);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
