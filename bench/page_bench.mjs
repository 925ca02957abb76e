// page_bench.mjs — lesson 1's page figures in headless Chromium over http: navigation → first chart point, longest main-thread
// task while training, bytes fetched. Not a browser test (it asserts nothing; tests/e2e/ does): JSON lines out, report.mjs judges.
//
// First point: Train is pressed the moment it is enabled, each load in a fresh browser and user-data-dir; first_point_ms when the
// GRU's first loss point is in the loss chart's data, first_drawn_ms when Chart.js has drawn it. Long tasks: the
// window runs from the click on Train through the first tick (runs created, first chunk) to 10 s after it.
//
// usage: node bench/page_bench.mjs [--loads 5] [--train-seconds 10] [--settle-ms 2000] [--dist build/dist-test] [--file]
//   (--file: the first-point loads open the page from file:// instead of http, and the training part is skipped)
//   (--repeat: each measured load follows a visit of the same page in the same profile — a student's second lesson)
//   (BENCH_CHROMIUM_ARGS='--js-flags=…': extra browser flags, e.g. --no-wasm-dynamic-tiering to compare with the warm-up)
//   (a test build: the benchmark reads window.__lab; bench/run.sh makes one)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const a = process.argv.slice(2);
const opt = (k, d) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : d; };
const LOADS = Number(opt('--loads', 5)), TRAIN_S = Number(opt('--train-seconds', 10)), SETTLE_MS = Number(opt('--settle-ms', 2000));
const DIST = path.resolve(opt('--dist', path.join(ROOT, 'build/dist-test')));
const LESSON = 'lessons/01-why-lstm.html?lang=en';
const FILE = a.includes('--file');
const REPEAT = a.includes('--repeat'); // the measured load follows an earlier visit in the same profile (warm caches)
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', ...(process.env.BENCH_CHROMIUM_ARGS || '').split(' ').filter(Boolean)];

// In-page instrumentation, installed before any page script: long tasks (the PerformanceObserver 'longtask' entries, ≥ 50 ms
// by definition), and in 'auto' mode a poll that presses Train the moment it is enabled and notes when the GRU's first
// loss point is on the chart. All times are performance.now(), i.e. milliseconds since the navigation started.
function instrument(auto) {
  const B = (window.__bench = { longtasks: [], lag: 0, lagSamples: 0 });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    B.longtaskSupported = true;
  } catch (e) { B.longtaskSupported = false; }
  // long animation frames (≥ 50 ms) with their scripts: where the long tasks' time goes (attribution only, not a figure)
  B.loaf = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        B.loaf.push({
          start: e.startTime, duration: e.duration, render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          scripts: (e.scripts || []).map((x) => ({
            where: `${(x.sourceURL || '').split('/').pop().split('?')[0] || '?'} ${x.sourceFunctionName ||
              (x.invokerType === 'classic-script' ? '(top level)' : x.invoker || '')}`.trim(),
            duration: x.duration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) { /* not in this browser */ }
  // timer lag: how late a 20 ms interval fires — a lower bound on tasks shorter than the 50 ms longtask threshold
  B.startLag = () => {
    let last = performance.now();
    B.lagTimer = setInterval(() => {
      const now = performance.now();
      B.lag = Math.max(B.lag, now - last - 20);
      B.lagSamples++;
      last = now;
    }, 20);
  };
  if (!auto) return;
  const poll = () => {
    const lab = window.__lab, btn = document.getElementById('btn-train');
    if (lab && lab.ready() && btn && !btn.disabled) {
      B.tReady = performance.now();
      btn.click();
      B.tClick = performance.now();
      // tFirst: the GRU's first loss point is in the chart's data (the figure of sessions 2–5); tDrawn: Chart.js has drawn it
      // (since session 6 the Chart.js chart is made at its first data, so the two can differ by a frame)
      const drawn = () => {
        const c = window.Chart && window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas'));
        const d = c && c.data.datasets.find((x) => x.runId === 'gru');
        return !!(d && d.data.length);
      };
      const watch = () => {
        if (B.tFirst === undefined && window.__lab.points('loss', 'gru') > 0) B.tFirst = performance.now();
        if (B.tDrawn === undefined && drawn()) B.tDrawn = performance.now();
        if (B.tFirst === undefined || B.tDrawn === undefined) setTimeout(watch, 1);
      };
      watch();
    } else setTimeout(poll, 1);
  };
  poll();
}

async function withBrowser(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-bench-profile-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS, headless: true, viewport: { width: 1280, height: 900 },
  });
  try { return await fn(ctx); } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

// where the long frames' time went: script time summed by file + function, and the rendering part, top entries in ms
function attribution(frames) {
  const sum = {};
  let render = 0;
  for (const f of frames) {
    render += f.render;
    for (const x of f.scripts) sum[x.where] = (sum[x.where] || 0) + x.duration;
  }
  sum['(rendering: style, layout, paint)'] = render;
  return Object.entries(sum).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => [k, Math.round(v)]);
}

const { server, url } = await serve(DIST, 0);
const out = (o) => console.log(JSON.stringify(o));
try {
  // 1. first chart point, each load in a fresh browser with a fresh user-data-dir (cold caches)
  for (let i = 0; i < LOADS; i++) {
    await withBrowser(async (ctx) => {
      const page = ctx.pages()[0] || await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // only the URLs while the page loads: asking the browser for response bodies (CDP) costs it CPU in the measured
      // window; the bodies are fetched again from the server afterwards
      const fetched = [];
      page.on('response', (r) => { if (r.url().startsWith('http')) fetched.push(r.url()); }); // the Blob worker is no transfer
      await page.addInitScript(instrument, true);
      // a fresh profile's own start-up (Chromium loads its WebUI, ~300 internal requests) is let finish before navigating,
      // as a student's browser is already running when they click a lesson link
      await page.waitForTimeout(SETTLE_MS);
      if (REPEAT) {
        // a student's second lesson: the same bundles were loaded (and their code cached by the browser) before; here the
        // same page once, then away, then the measured load
        await page.goto((FILE ? pathToFileURL(DIST).href + '/' : url) + LESSON.replace('lang=en', 'lang=zh-TW'));
        await page.waitForTimeout(3000);
        await page.goto('about:blank');
        await page.waitForTimeout(SETTLE_MS);
      }
      await page.goto((FILE ? pathToFileURL(DIST).href + '/' : url) + LESSON, { waitUntil: 'commit' });
      await page.waitForFunction(() => window.__bench && window.__bench.tDrawn !== undefined, null, { timeout: 60000, polling: 50 });
      const b = await page.evaluate(() => ({ ...window.__bench, nav: performance.getEntriesByType('navigation')[0]?.toJSON() }));
      const rec = {
        bench: 'page', what: (FILE ? 'first_point_file' : 'first_point') + (REPEAT ? '_repeat' : ''), load: i + 1, ready_ms: +b.tReady.toFixed(1), click_ms: +b.tClick.toFixed(1),
        first_point_ms: +b.tFirst.toFixed(1), first_drawn_ms: +b.tDrawn.toFixed(1), dom_content_loaded_ms: b.nav ? +b.nav.domContentLoadedEventEnd.toFixed(1) : null,
        load_event_ms: b.nav ? +b.nav.loadEventEnd.toFixed(1) : null,
        longtasks_before_first_point: b.longtasks.filter((t) => t.start < b.tFirst).map((t) => +t.duration.toFixed(1)),
        long_frames_before_first_point: attribution(b.loaf.filter((f) => f.start < b.tFirst)),
        errors,
      };
      if (i === 0 && !FILE) {
        rec.requests = [];
        for (const u of new Set(fetched)) {
          const plain = Buffer.from(await (await fetch(u, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
          const sent = await fetch(u, { headers: { 'accept-encoding': 'gzip' } });
          rec.requests.push({ path: new URL(u).pathname, bytes: plain.length, sent: Number(sent.headers.get('content-length')) || plain.length, gzip9: gz(plain) });
          await sent.arrayBuffer();
        }
        rec.total_bytes = rec.requests.reduce((s, r) => s + r.bytes, 0);
        rec.total_sent = rec.requests.reduce((s, r) => s + r.sent, 0);
        rec.total_gzip9 = rec.requests.reduce((s, r) => s + r.gzip9, 0);
      }
      out(rec);
    });
  }

  // 2. longest main-thread task while training for TRAIN_S seconds: the lesson as shipped (3 runs), then with a 4th run
  for (const runs of FILE ? [] : [3, 4]) {
    await withBrowser(async (ctx) => {
      const page = ctx.pages()[0] || await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.addInitScript(instrument, false);
      await page.goto(url + LESSON);
      await page.waitForFunction(() => window.__lab && window.__lab.ready() && !document.getElementById('btn-train').disabled, null, { timeout: 60000 });
      // set-up, as a user would do it before pressing Train: add the run, raise the steps; then let the page settle, so that
      // the window below holds training only (the Add-run response is reported on its own: add_run_ms)
      const addRunMs = await page.evaluate((n) => {
        const lab = window.__lab, t = performance.now();
        if (lab.runList().length < n) {
          // no lesson has 4 recurrent runs: add one as a user would ("Add run" LSTM, then its own seed), so the 4th run is
          // trained, posted, smoothed and drawn in every chart. (This used to push a run into the lesson's preset list, which
          // the page stopped reading after start-up when the runs UI landed: the bench then silently trained 3 runs.)
          const id = lab.addRun('lstm');
          lab.setOverride(id, 'seed', 2);
        }
        lab.setState({ steps: 5000 }); // the slider's maximum, so that training outlasts the window
        return lab.runList().length > 3 ? performance.now() - t : null;
      }, runs);
      await page.waitForTimeout(1000);
      const t0 = await page.evaluate(() => {
        window.__bench.startLag();
        const t = performance.now();
        document.getElementById('btn-train').click();
        return t;
      });
      // the window: from the click, through (re)creating the runs and the first tick, to TRAIN_S seconds after that tick
      await page.waitForFunction(() => Object.values(window.__lab.runs()).some((r) => r.step > 0), null, { timeout: 60000, polling: 50 });
      const t1 = await page.evaluate(() => performance.now());
      await page.waitForTimeout(TRAIN_S * 1000);
      const r = await page.evaluate(([t0, t1, s]) => {
        const B = window.__bench;
        clearInterval(B.lagTimer);
        const inWindow = B.longtasks.filter((t) => t.start + t.duration > t0 && t.start < t1 + s * 1000);
        return {
          longtaskSupported: B.longtaskSupported, tasks: inWindow.map((t) => +t.duration.toFixed(1)), taskStarts: inWindow.map((t) => +(t.start - t0).toFixed(0)),
          maxLag: B.lag, lagSamples: B.lagSamples, mode: window.__lab.mode(), runs: window.__lab.runs(),
          loaf: B.loaf.filter((f) => f.start + f.duration > t0 && f.start < t1 + s * 1000),
        };
      }, [t0, t1, TRAIN_S]);
      const steps = Object.fromEntries(Object.entries(r.runs).map(([k, v]) => [k, v.step]));
      out({
        bench: 'page', what: 'longtask', runs: Object.keys(steps).length, seconds: TRAIN_S, first_tick_after_click_ms: +(t1 - t0).toFixed(0),
        add_run_ms: addRunMs === null ? null : +addRunMs.toFixed(0),
        longtask_observer: r.longtaskSupported,
        longtasks_over_50ms: r.tasks.length, longest_task_ms: r.tasks.length ? Math.max(...r.tasks) : null, tasks_ms: r.tasks, task_start_after_click_ms: r.taskStarts,
        max_timer_lag_ms: +r.maxLag.toFixed(1), still_training: r.mode === 'training', steps,
        long_frames: r.loaf.length, long_frames_attribution: attribution(r.loaf), errors,
      });
    });
  }

  // 3. the module's transfer size
  const lib = fs.readFileSync(path.join(DIST, 'rnnlab.js'));
  out({ bench: 'size', file: 'dist/rnnlab.js', bytes: lib.length, gzip9: gz(lib), gzip6: zlib.gzipSync(lib, { level: 6 }).length,
    brotli: zlib.brotliCompressSync(lib).length });
} finally {
  server.close();
}
