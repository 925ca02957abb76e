// Browser tests of the worker pool (web/trainer.js + web/worker-pool.js): a run's numbers do not depend on the worker that
// trains it or on how many there are, runs added and removed keep their workers, file:// pages use the pool too, and the
// workers share one compiled module. Not a speed test (bench/page_bench.mjs measures what the pool gives).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LESSON, fileUrl, watchErrors, waitReady, useBrowser } from './helpers.mjs';
import { loadLab } from '../node/lab.mjs';

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

// trains the page's runs to `steps` and returns every run's whole loss history and the pool's layout
async function trainAll(page, steps) {
  await waitReady(page);
  await page.evaluate((n) => window.__lab.setState({ steps: n }), steps);
  await page.click('#btn-train');
  await page.waitForFunction(() => window.__lab.mode() === 'done', null, { timeout: 60000 });
  return page.evaluate(() => {
    const loss = {};
    for (const r of window.__lab.runList()) { const m = window.__lab.metrics(r.id); loss[r.id] = m ? Array.from(m.loss) : null; }
    return { loss, workers: window.__lab.workers(), probes: Array.from(window.__lab.metrics('gru').grad_t || []) };
  });
}

test('every run\'s loss history is bit-identical with one worker, two and three, and the workers share one compiled module', { timeout: 120000 }, async () => {
  const results = {};
  for (const n of [1, 2, 3]) {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    try {
      await page.goto(server.url(`${LESSON}?lang=en&workers=${n}`));
      results[n] = await trainAll(page, 120);
      assert.equal(results[n].workers.count, n, `${n} worker(s)`);
      assert.ok(n === 1 || results[n].workers.shared, 'the first worker\'s compiled module was handed to the others');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  }
  assert.deepEqual(Object.values(results[2].workers.hostOf).sort(), [0, 0, 1], 'three runs over two workers');
  assert.deepEqual(Object.values(results[3].workers.hostOf).sort(), [0, 1, 2], 'one run per worker');
  for (const id of ['rnn', 'lstm', 'gru']) {
    assert.equal(results[1].loss[id].length, 120);
    for (const n of [2, 3]) assert.deepEqual(results[n].loss[id], results[1].loss[id], `${id}: ${n} workers give the losses of one, bit for bit`);
  }
});

test('the first worker warms the module up before Train (2 + 40 scratch steps per cell) and the runs then train to the losses the module gives in Node without a warm-up', { timeout: 120000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(`${LESSON}?lang=en&workers=1`));
    await waitReady(page);
    // web/worker.js: 3 cells × 2 tiny steps at 'ready', 3 × 40 lesson-sized steps after worker-bundle.js's 'warm'
    await page.waitForFunction(async () => (await window.__lab.workerMemory()).workers[0].warmSteps === 3 * 2 + 3 * 40, null, { timeout: 60000, polling: 200 });
    const page1 = await trainAll(page, 120); // (the steps slider starts at 100)
    const configs = await page.evaluate(() => Object.fromEntries(window.__lab.runList().map((r) => [r.id, window.__lab.config(r.id)])));
    const lab = await loadLab();
    for (const id of ['rnn', 'lstm', 'gru']) {
      const run = lab.createRun(configs[id]);
      run.train(120);
      assert.deepEqual(page1.loss[id], Array.from(run.metrics().loss), `${id}: the page's 120 losses after the warm-up are Node's, bit for bit`);
      run.dispose();
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('added, duplicated and removed runs: the pool grows to the cap with the runs, a new run goes to the least loaded worker, the others keep theirs', { timeout: 120000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(`${LESSON}?lang=en&workers=4`));
    await waitReady(page);
    const w0 = await page.evaluate(() => window.__lab.workers());
    assert.equal(w0.count, 3, 'no more workers than runs');
    const added = await page.evaluate(() => { const id = window.__lab.addRun('lstm'); window.__lab.setOverride(id, 'seed', 2); return id; });
    const w1 = await page.evaluate(() => window.__lab.workers());
    assert.equal(w1.count, 4, 'a fourth run starts a fourth worker');
    for (const id of ['rnn', 'lstm', 'gru']) assert.equal(w1.hostOf[id], w0.hostOf[id], `${id} stays on its worker`);
    await page.evaluate(() => window.__lab.removeRun('lstm'));
    const dup = await page.evaluate(() => window.__lab.duplicateRun('gru'));
    const w2 = await page.evaluate(() => window.__lab.workers());
    assert.equal(w2.count, 4, 'at the cap');
    assert.equal(w2.hostOf.lstm, undefined, 'a removed run leaves its worker');
    assert.equal(w2.hostOf[dup], w0.hostOf.lstm, 'the duplicate goes to the worker the removed run left empty');
    const r = await trainAll(page, 100);
    for (const id of ['rnn', 'gru', added, dup]) assert.equal(r.loss[id].length, 100, `${id} trained`);
    assert.deepEqual(r.loss[dup], r.loss.gru, 'a duplicate on another worker trains the same numbers');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a lesson from file:// trains with two Blob workers that share the compiled module', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(`${fileUrl(LESSON)}?lang=en&workers=2`);
    const r = await trainAll(page, 100);
    assert.equal(r.workers.count, 2);
    assert.ok(r.workers.shared, 'the module was handed over from file:// too');
    for (const id of ['rnn', 'lstm', 'gru']) assert.equal(r.loss[id].length, 100);
    const mem = await page.evaluate(() => window.__lab.workerMemory());
    assert.equal(mem.workers.length, 2, 'each worker\'s memory is measured');
    assert.equal(mem.liveRuns, 3);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
