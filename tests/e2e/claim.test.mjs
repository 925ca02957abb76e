// Lesson 1's claim, checked the way a student sees it: train all runs in the page (Web Worker + wasm) to the claim's step count,
// then every check of lesson.json "claim.checks" must hold. Not a speed test, but it fails if training is too slow to finish in time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, LESSON, watchErrors, waitReady, useBrowser } from './helpers.mjs';

const lesson = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons/01-why-lstm/lesson.json'), 'utf8'));
let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

test('lesson 1 claim holds after training in the browser', { timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(server.url(`${LESSON}?lang=en#steps=${lesson.claim.steps}`));
    await waitReady(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => window.__lab.mode() === 'done', null, { timeout: 55000, polling: 500 });
    const runs = await page.evaluate(() => window.__lab.runs());
    for (const r of lesson.presets.runs) assert.equal(runs[r.id].step, lesson.claim.steps, `${r.id} trained ${lesson.claim.steps} steps`);
    // the forget-gate check waits for the worker's answer to its look (run.inspect on 8 validation sequences)
    await page.waitForFunction((n) => document.querySelectorAll('#claim-result li.claim-pass, #claim-result li.claim-fail').length === n,
      lesson.claim.checks.length, { timeout: 10000 });
    const verdicts = await page.$$eval('#claim-result li', (lis) => lis.map((li) => ({ cls: li.className, text: li.textContent })));
    assert.equal(verdicts.length, lesson.claim.checks.length);
    for (const v of verdicts) assert.equal(v.cls, 'claim-pass', v.text);
    assert.equal(await page.getAttribute('#claim-result', 'data-verdict'), 'pass');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
