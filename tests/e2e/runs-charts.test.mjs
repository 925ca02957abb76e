// runs-charts.test.mjs — every chart kind picks up a duplicated run (charts are rebuilt for the new run list and the kept
// runs' data replayed): line, relative, sweep, histogram, bars, trainval, weights, surface, profile. Ten steps per run only;
// the runs UI itself is runs.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

// [lesson page, run to duplicate, charts (kind) that show it]
const CASES = [
  ['02-before-tuning', 'n32', ['curve (sweep)', 'val_curves (line)']],
  ['02-before-tuning', 'value', ['framing (relative)']],
  ['05-init-methods', 'xu', ['hist (histogram)', 'std (bars)', 'loss (line)']],
  ['07-regularization', 'l2', ['trainval (trainval)', 'weights (weights)']],
  ['09-momentum', 'bowl09', ['surface (surface)', 'loss_bowl (line)']],
  ['12-resnet', 'res10', ['grad (profile)']],
];

async function stepUntil(page, id) {
  await page.click('#btn-step');
  await page.waitForFunction((r) => (window.__lab.runs()[r] || {}).step > 0, id, { timeout: 30000 });
}

test('every chart kind shows a duplicated run beside the runs it already had', { timeout: 120000 }, async () => {
  const errors = [];
  const byLesson = new Map();
  for (const [lesson, run, charts] of CASES) byLesson.set(lesson, [...(byLesson.get(lesson) || []), [run, charts]]);
  for (const [lesson, list] of byLesson) {
    const page = await browser.newPage();
    errors.push(...watchErrors(page));
    await page.goto(server.url(`lessons/${lesson}.html?lang=en`));
    await waitReady(page);
    await stepUntil(page, list[0][0]);
    const copies = [];
    for (const [run] of list) {
      copies.push(await page.evaluate((r) => window.__lab.duplicateRun(r), run));
    }
    await page.evaluate((id) => window.__lab.setOverride(id, 'lr', 0.003), copies[0]); // a changed copy: sweeps place it at its own x
    await stepUntil(page, copies[copies.length - 1]);
    for (const [i, [run, charts]] of list.entries()) {
      for (const c of charts) {
        const id = c.split(' ')[0];
        await page.waitForFunction(([chart, a, b]) => window.__lab.points(chart, a) > 0 && window.__lab.points(chart, b) > 0,
          [id, run, copies[i]], { timeout: 10000 }).catch(() => {});
        const [orig, copy] = await page.evaluate(([chart, a, b]) => [window.__lab.points(chart, a), window.__lab.points(chart, b)], [id, run, copies[i]]);
        assert.ok(orig > 0, `${lesson} ${c}: ${run} kept its data (${orig})`);
        assert.ok(copy > 0, `${lesson} ${c}: ${copies[i]} appears (${copy})`);
      }
    }
    await page.close();
  }
  assert.deepEqual(errors, []);
});
