// lesson_bench.mjs — every lesson's time from pressing Train to its claim verdict, with one worker (?workers=1) and with the
// pool, in headless Chromium over http; with the longest main-thread task in that window and the workers' wasm memory at
// the end. Not a browser test (it asserts nothing; tests/e2e/ does): JSON lines out, report.mjs makes the table.
//
// Each measurement is a fresh page (same browser): load, wait until Train is enabled, 1 s of quiet, click, and the time
// until the claim box shows its verdict. Wasm memory never shrinks, so the value at the end is the run's peak.
//
// usage: node bench/lesson_bench.mjs [--reps 3] [--dist build/dist-test] [--lessons 01,07] [--pool default|N] [--pool-only]
//   (--pool-only: skip the ?workers=1 pass)
//   (BENCH_CHROMIUM_ARGS='--js-flags=…': extra browser flags, e.g. --no-wasm-dynamic-tiering to compare with the warm-up)
//   (a test build: the benchmark reads window.__lab; bench/run.sh makes one)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const a = process.argv.slice(2);
const opt = (k, d) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : d; };
const REPS = Number(opt('--reps', 3));
const DIST = path.resolve(opt('--dist', path.join(ROOT, 'build/dist-test')));
const ONLY = opt('--lessons', '') ? opt('--lessons', '').split(',') : null;
const POOL = opt('--pool', 'default');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', ...(process.env.BENCH_CHROMIUM_ARGS || '').split(' ').filter(Boolean)];

function instrument() {
  const B = (window.__bench = { longtasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { /* not in this browser */ }
}

const lessons = fs.readdirSync(path.join(DIST, 'lessons')).filter((f) => /^\d\d-.*\.html$/.test(f))
  .filter((f) => !ONLY || ONLY.some((p) => f.startsWith(p))).sort();
const median = (xs) => { const s = xs.slice().sort((x, y) => x - y); return s.length ? s[(s.length - 1) >> 1] : null; };

const { server, url } = await serve(DIST, 0);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS });
const out = (o) => console.log(JSON.stringify(o));
try {
  for (const file of lessons) {
    for (const workers of a.includes('--pool-only') ? [POOL] : ['1', POOL]) {
      const reps = [];
      for (let i = 0; i < REPS; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.addInitScript(instrument);
        await page.goto(`${url}lessons/${file}?lang=en${workers === 'default' ? '' : '&workers=' + workers}`);
        await page.waitForFunction(() => window.__lab && window.__lab.ready() && !document.getElementById('btn-train').disabled, null, { timeout: 60000 });
        await page.waitForTimeout(1000);
        const r = await page.evaluate(() => new Promise((resolve) => {
          const box = document.getElementById('claim-result');
          const t0 = performance.now();
          document.getElementById('btn-train').click();
          const poll = setInterval(() => {
            if (!box || (box.hidden === false && box.getAttribute('data-verdict'))) {
              clearInterval(poll);
              const t1 = performance.now(), lt = window.__bench.longtasks.filter((t) => t.start + t.duration > t0 && t.start < t1);
              resolve({ ms: t1 - t0, verdict: box ? box.getAttribute('data-verdict') : null, longest: lt.length ? Math.max(...lt.map((t) => t.duration)) : 0,
                over50: lt.length, workers: window.__lab.workers(), steps: Object.fromEntries(Object.entries(window.__lab.runs()).map(([k, v]) => [k, v.step])) });
            }
          }, 5);
        }));
        r.memory = await page.evaluate(() => window.__lab.workerMemory());
        r.errors = errors;
        reps.push(r);
        await page.close();
      }
      const last = reps[reps.length - 1];
      out({
        bench: 'page', what: 'verdict', lesson: file.replace(/\.html$/, ''), workers: last.workers.count, pinned: workers !== 'default',
        verdict_ms: +median(reps.map((r) => r.ms)).toFixed(0), verdict_ms_all: reps.map((r) => +r.ms.toFixed(0)), verdict: last.verdict,
        longest_task_ms: +Math.max(...reps.map((r) => r.longest)).toFixed(1), tasks_over_50ms: reps.map((r) => r.over50),
        wasm_bytes: last.memory.wasmBytes, wasm_bytes_per_worker: last.memory.workers.map((w) => w.wasmBytes), runs: last.memory.liveRuns,
        steps: last.steps, errors: [].concat(...reps.map((r) => r.errors)),
      });
    }
  }
} finally {
  await browser.close();
  server.close();
}
