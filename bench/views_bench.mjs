// views_bench.mjs — training throughput of a lesson page with its views (prediction, inside, generate) asking their runs
// questions, against the same page with the views switched off (window.__lab.viewsAsk(false)). Not a test: JSON lines out, report.mjs judges (#12: at most 10 % slower).
//
// Each round opens the page twice in one headless Chromium (the order alternates round by round), scrolls the views into
// sight, presses Train, lets it warm up, then counts the steps all runs make in the window (summed over runs, per second) and
// the page's main-thread busy time (CDP Performance.getMetrics TaskDuration). A window in which a run reached its last step
// is marked `finished` (report.mjs leaves it out): the steps slider's largest value bounds the window's length.
//
// usage: node bench/views_bench.mjs [--dist build/dist-test] [--lesson 01-why-lstm] [--rounds 4] [--seconds 5] [--warmup 1.5]
//   (a test build: the benchmark reads window.__lab; bench/run.sh makes one)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const a = process.argv.slice(2);
const opt = (k, d) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : d; };
const DIST = path.resolve(opt('--dist', path.join(ROOT, 'build/dist-test')));
const LESSON = opt('--lesson', '01-why-lstm'), ROUNDS = Number(opt('--rounds', 4));
const SECONDS = Number(opt('--seconds', 5)), WARMUP = Number(opt('--warmup', 1.5));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'];

const { server, url } = await serve(DIST, 0);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS, headless: true });
const out = (o) => console.log(JSON.stringify(o));

// one page, views on or off: steps per second summed over the lesson's runs, and how many views got an answer
async function measure(views) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    // steps: the control's largest value, so no run finishes inside the window
    await page.goto(`${url}lessons/${LESSON}.html?lang=en#steps=5000`);
    await page.waitForFunction(() => window.__lab && window.__lab.ready(), null, { timeout: 60000 });
    const charts = await page.evaluate(() => (window.__lab.lesson.charts || []).filter((c) => ['prediction', 'inside', 'generate'].includes(c.kind)).map((c) => c.id));
    if (!charts.length) throw new Error(`lesson ${LESSON} has no views`);
    await page.evaluate((on) => window.__lab.viewsAsk(on), views);
    await page.locator(`figure[data-chart="${charts[charts.length - 1]}"]`).scrollIntoViewIfNeeded();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    await page.locator('#btn-train').click();
    await page.waitForTimeout(WARMUP * 1000);
    const count = () => page.evaluate(() => {
      const runs = Object.values(window.__lab.runs());
      return { t: performance.now(), steps: runs.reduce((s, r) => s + r.step, 0), max: Math.max(...runs.map((r) => r.step)) };
    });
    const s0 = await count(), b0 = await busy();
    await page.waitForTimeout(SECONDS * 1000);
    const s1 = await count(), b1 = await busy();
    const answered = await page.evaluate((ids) => ids.map((id) => window.__lab.points(id)), charts);
    const last = await page.evaluate(() => window.__lab.state().steps);
    const secs = (s1.t - s0.t) / 1000;
    return { steps_per_s: +((s1.steps - s0.steps) / secs).toFixed(1), main_busy: +((b1 - b0) / secs).toFixed(3),
      views_answered: answered.reduce((x, y) => x + y, 0), finished: s1.max >= last };
  } finally {
    await page.close();
  }
}

try {
  for (let r = 1; r <= ROUNDS; r++) {
    for (const views of r % 2 ? [true, false] : [false, true]) {
      out({ bench: 'views', lesson: LESSON, round: r, views: views ? 'on' : 'off', seconds: SECONDS, ...(await measure(views)) });
    }
  }
} finally {
  await browser.close();
  server.close();
}
