// @ts-check
// What every chart kind shares: the base (lazy Chart.js construction, frame queue with the off-screen rule, theme, spec.runs,
// destroy, table), the Okabe–Ito palette, number formats, decimation, tables and spoken summaries. Not a chart kind itself
// (web/chart-<kind>.js).
import { Chart } from './chartjs.js';
import * as i18n from './i18n.js';

// Okabe & Ito (2008), colour-blind-safe; black/grey reserved for baselines.
var PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442'];
var DASHES = [[], [8, 3], [2, 2], [10, 3, 2, 3], [4, 4], [1, 3], [12, 4]];
var BASELINE_COLOR = '#555555';

// Dirty charts are redrawn one per animation frame (the one waiting longest first), and one chart at most every MIN_GAP
// ms: a tick that touches every chart does not become one long main-thread task, and ticks arriving faster than that
// are drawn together. The first redraw of a chart is never held back.
// While the page is busy (lesson.js: training), a chart whose canvas is off-screen (an IntersectionObserver says so)
// stays dirty and is drawn when it scrolls into view, when the page stops being busy, or when flush() needs its pixels
// (a PNG): a chart nobody can see costs no frame time while training, and every chart is up to date once it stops.
var dirty = new Set();
var frame = 0;
var MIN_GAP = 200;
var busy = false;
var clock = function () { return performance ? performance.now() : Date.now(); };
var raf = function (f) { return (requestAnimationFrame || function (g) { return setTimeout(g, 16); })(f); };
function onScreen(c) { return !busy || c.onScreen !== false; }
function kick() { if (!frame) frame = raf(next); }
function next() {
  var now = clock(), due = null, waiting = false;
  dirty.forEach(function (c) {
    if (!onScreen(c)) return;
    waiting = true;
    if (!due && !(now - c.drawnAt < MIN_GAP)) due = c;
  });
  if (due) { dirty.delete(due); due.drawnAt = now; due.redraw(); }
  frame = 0;
  if (waiting) kick();
}
function schedule(chart) {
  dirty.add(chart);
  if (onScreen(chart)) kick();
}
// draw now if a redraw is pending (the canvas' pixels are about to be read)
function flush(chart) {
  if (!dirty.has(chart)) return;
  dirty.delete(chart);
  chart.drawnAt = clock();
  chart.redraw();
}
var seen = null;
function watchVisibility(chart, canvas) {
  if (!canvas || typeof IntersectionObserver !== 'function') return;
  if (!seen) {
    seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        var c = /** @type {any} */ (e.target).__labChart;
        if (!c) return;
        c.onScreen = e.isIntersecting;
        if (c.onScreen && dirty.has(c)) kick();
      });
    }, { rootMargin: '200px 0px' });
  }
  canvas.__labChart = chart;
  seen.observe(canvas);
}

// At most `max` points of a history sorted by x, for drawing: the first and last point, and per x-bucket the lowest and
// highest (min-max decimation keeps spikes). Chart.js builds one element per data point on every update, so long
// histories are thinned here instead of by its decimation plugin (which starts only at 4 points per pixel). Always a new
// array, never `pts` itself.
var MAX_DRAWN = 300;
function decimate(pts, max) {
  max = max || MAX_DRAWN;
  var n = pts.length;
  // a copy even when nothing is thinned: Chart.js patches the push() of the array it is handed, and the series' own
  // array would then make every new point a Chart.js insert (measured: ~50 ms tasks in the first 300 steps)
  if (n <= max) return pts.slice();
  var out = [pts[0]], buckets = Math.max(1, Math.floor((max - 2) / 2)), x0 = pts[0].x, w = (pts[n - 1].x - x0) / buckets, i = 1;
  for (var b = 1; b <= buckets && i < n - 1; b++) {
    var lim = b === buckets ? Infinity : x0 + b * w, lo = null, hi = null;
    for (; i < n - 1 && !(pts[i].x >= lim); i++) {
      var p = pts[i];
      if (!lo || p.y < lo.y) lo = p;
      if (!hi || p.y > hi.y) hi = p;
    }
    if (lo === hi) { if (lo) out.push(lo); } else if (lo.x <= hi.x) out.push(lo, hi); else out.push(hi, lo);
  }
  out.push(pts[n - 1]);
  return out;
}

// A history drawn as points: {points, done: raw entries consumed, ema, k}. appendPoints() consumes only the entries added
// since the last call, smoothing with a bias-corrected EMA of weight w (0 = none) and dropping what a log axis cannot show.
function newSeries() { return { points: [], done: 0, ema: 0, k: 0 }; }
/** @param {{points: Array<{x: number, y: number}>, done: number, ema: number, k: number}} s @param {ArrayLike<number>} y
 *  @param {ArrayLike<number>|null} xs  x values (null: 1, 2, …) @param {number} w @param {boolean} log */
function appendPoints(s, y, xs, w, log) {
  for (var i = s.done; i < y.length; i++) {
    var x = xs ? xs[i] : i + 1, v = y[i];
    if (!isFinite(v) || !isFinite(x)) continue;
    if (w > 0) { s.ema = w * s.ema + (1 - w) * v; s.k++; v = s.ema / (1 - Math.pow(w, s.k)); }
    if (log && !(v > 0)) continue;
    s.points.push({ x: Number(x), y: v });
  }
  s.done = y.length;
}

function fmt(v) {
  if (!isFinite(v)) return String(v);
  var a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return Number(v.toPrecision(3)).toExponential();
  return String(Number(v.toPrecision(4)));
}

// log axes: label only 1, 2 and 5 times a power of ten (Chart.js proposes every 1..9 and they collide)
function logTick(v) {
  v = Number(v);
  if (!(v > 0)) return '';
  var m = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
  return (Math.abs(m - 1) < 1e-6 || Math.abs(m - 2) < 1e-6 || Math.abs(m - 5) < 1e-6) ? fmt(v) : '';
}

// fixed significant digits for tables (keeps trailing zeros so columns line up)
function fmtFixed(v) { return isFinite(v) ? (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? Number(v).toPrecision(4) : Number(v).toExponential(2)) : String(v); }

// ---- data tables, text summaries, theme and motion (issue #4 points 7 and 9) ------------------------------------
// Every kind implements table() -> {columns: [x name, series…], rows: [[x, y|null, …]]} (the plotted data, for CSV export)
// and summary() -> one line of text in the current language (for screen readers). The helpers below do the common work.

// series [{name, points: [{x, y}]}] -> one row per distinct x (sorted), one column per series (null where a series has no point)
function seriesTable(xName, series) {
  var xs = {}, cols = series.map(function (s) {
    var m = {};
    (s.points || []).forEach(function (p) { if (p && p.y !== null && p.y !== undefined && isFinite(p.x)) { m[p.x] = p.y; xs[p.x] = Number(p.x); } });
    return m;
  });
  var keys = Object.keys(xs).sort(function (a, b) { return xs[a] - xs[b]; });
  return {
    columns: [xName].concat(series.map(function (s) { return s.name; })),
    rows: keys.map(function (k) { return [xs[k]].concat(cols.map(function (m) { return m[k] !== undefined ? m[k] : null; })); })
  };
}

// the column's non-empty points of a table: [{x, y}]
function columnPoints(table, c) {
  var out = [];
  table.rows.forEach(function (r) { if (r[c] !== null && r[c] !== undefined && isFinite(r[c])) out.push({ x: r[0], y: r[c] }); });
  return out;
}

// falling / rising / flat: the mean of the last tenth of the points against the mean of the tenth a quarter of the way back
// (means, so one noisy batch does not decide; a change under 10 % of the larger is flat)
function trend(pts) {
  var n = pts.length;
  if (n < 3) return '';
  var k = Math.max(1, Math.round(0.1 * n));
  function mean(from, to) { var s = 0, c = 0; for (var i = Math.max(0, from); i < Math.min(n, to); i++) { s += pts[i].y; c++; } return c ? s / c : NaN; }
  var a = mean(Math.floor(0.75 * n) - k, Math.floor(0.75 * n)), b = mean(n - k, n), d = Math.max(Math.abs(a), Math.abs(b));
  if (!(d > 0) || Math.abs(b - a) <= 0.1 * d) return i18n.t('sumFlat');
  return b < a ? i18n.t('sumFalling') : i18n.t('sumRising');
}

// the same words straight from series [{name, points}] (no table built: cheap enough to run every second on long histories)
function summarizeSeries(xName, series, mode) {
  xName = String(xName).replace(/\s*[（(][^()（）]*[)）]\s*$/, '') || xName;
  var parts = [];
  series.forEach(function (s) {
    var pts = (s.points || []).filter(function (p) { return p && p.y !== null && p.y !== undefined && isFinite(p.y) && isFinite(p.x); });
    if (!pts.length) return;
    var last = pts[pts.length - 1], tr = mode === 'history' ? trend(pts) : '';
    if (mode === 'profile') parts.push(i18n.t('sumProfile', { name: s.name, x: xName, x0: fmt(pts[0].x), y0: fmt(pts[0].y), x1: fmt(last.x), y1: fmt(last.y) }));
    else parts.push(i18n.t('sumLast', { name: s.name, x: xName, xv: fmt(last.x), y: fmt(last.y) }) + (tr ? i18n.t('sumComma') + tr : ''));
  });
  return parts.length ? parts.join(i18n.t('sumSep')) + i18n.t('sumEnd') : i18n.t('sumEmpty');
}

// mode: 'history' (last value, trend), 'last' (last value), 'profile' (first and last), 'peak' (largest value), 'value' (rows are runs)
function summarize(table, mode) {
  if (!table || !table.rows.length) return i18n.t('sumEmpty');
  // the x axis' name without a trailing remark in parentheses ("layer (1 = next to the input)" -> "layer")
  var xName = String(table.columns[0]).replace(/\s*[（(][^()（）]*[)）]\s*$/, '') || table.columns[0], parts = [];
  if (mode === 'value') {
    table.rows.forEach(function (r) {
      var vals = r.slice(1).map(function (v, i) { return v === null || v === undefined ? null : (i ? table.columns[i + 1] + ' ' : '') + fmt(v); })
        .filter(function (v) { return v !== null; });
      if (vals.length) parts.push(r[0] + ': ' + vals.join(', '));
    });
  } else {
    for (var c = 1; c < table.columns.length; c++) {
      var pts = columnPoints(table, c), name = table.columns[c];
      if (!pts.length) continue;
      var last = pts[pts.length - 1];
      if (mode === 'profile') {
        parts.push(i18n.t('sumProfile', { name: name, x: xName, x0: fmt(pts[0].x), y0: fmt(pts[0].y), x1: fmt(last.x), y1: fmt(last.y) }));
      } else if (mode === 'peak') {
        var top = pts[0];
        pts.forEach(function (p) { if (p.y > top.y) top = p; });
        parts.push(i18n.t('sumPeak', { name: name, x: xName, xv: fmt(top.x), y: fmt(top.y) }));
      } else {
        var tr = mode === 'history' ? trend(pts) : '';
        parts.push(i18n.t('sumLast', { name: name, x: xName, xv: fmt(last.x), y: fmt(last.y) }) + (tr ? i18n.t('sumComma') + tr : ''));
      }
    }
  }
  return parts.length ? parts.join(i18n.t('sumSep')) + i18n.t('sumEnd') : i18n.t('sumEmpty');
}


// Colours of axes, grid, legend and reference lines come from CSS custom properties (web/lab.css; dark mode changes them).
// Read once per theme (restyleAll() forgets them): each getComputedStyle after a DOM change recomputes the page's style.
var themeColors = null;
function cssVar(name, fallback) {
  try {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  } catch (e) { return fallback; }
}
function colors() {
  if (!themeColors) themeColors = { text: cssVar('--chart-text', '#444444'), grid: cssVar('--chart-grid', 'rgba(0,0,0,0.1)'), ref: cssVar('--chart-ref', BASELINE_COLOR) };
  return themeColors;
}
// Chart.js's default numeric tick label (its formatters.numeric: as many decimals as the tick spacing needs, thousands
// grouped, scientific below 1e-4 or above 1e15) without Intl.NumberFormat, whose first use cost ~60 ms (ICU data) inside
// the page's first chart construction (docs/performance.md, "Session 7"). Both page languages group with "," and use ".".
function tickNumber(value, index, ticks) {
  var v = Number(value);
  if (v === 0 || !isFinite(v)) return String(v);
  var delta = v, sci = false;
  if (ticks && ticks.length > 1) {
    var big = Math.max(Math.abs(ticks[0].value), Math.abs(ticks[ticks.length - 1].value));
    sci = big < 1e-4 || big > 1e15;
    delta = ticks.length > 3 ? ticks[2].value - ticks[1].value : ticks[1].value - ticks[0].value;
    if (Math.abs(delta) >= 1 && v !== Math.floor(v)) delta = v - Math.floor(v);
  }
  var lg = Math.log10(Math.abs(delta)), dec = isNaN(lg) ? 1 : Math.max(Math.min(-Math.floor(lg), 20), 0);
  if (sci) return v.toExponential(dec).replace('e+', 'E').replace('e', 'E');
  var parts = Math.abs(v).toFixed(dec).split('.');
  return (v < 0 ? '-' : '') + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (parts[1] ? '.' + parts[1] : '');
}
function applyTheme(chart) {
  if (!chart || !chart.options) return;
  var c = colors(), text = c.text, grid = c.grid, ref = c.ref;
  var o = (chart.config && chart.config.options) || chart.options; // the raw options (chart.options is a resolving proxy)
  o.color = text;
  Object.keys(o.scales || {}).forEach(function (k) {
    var sc = o.scales[k];
    sc.grid = sc.grid || {}; sc.grid.color = grid;
    sc.border = sc.border || {}; sc.border.color = grid;
    sc.ticks = sc.ticks || {}; sc.ticks.color = text;
    if (!sc.ticks.callback && (sc.type === 'linear' || sc.type === 'logarithmic')) sc.ticks.callback = tickNumber;
    if (sc.title) sc.title.color = text;
  });
  o.plugins = o.plugins || {};
  if (o.plugins.legend) { o.plugins.legend.labels = o.plugins.legend.labels || {}; o.plugins.legend.labels.color = text; }
  if (reducedMotion()) { o.animation = false; if (o.plugins.tooltip) o.plugins.tooltip.animation = false; }
  chart.data.datasets.forEach(function (d) {
    if (d.isBaseline || d.isKey || d.isMin) { d.borderColor = ref; d.backgroundColor = ref; }
  });
}
function media(q) { try { return matchMedia ? matchMedia(q) : null; } catch (e) { return null; } }
var darkQuery = media('(prefers-color-scheme: dark)'), motionQuery = media('(prefers-reduced-motion: reduce)');
function reducedMotion() { return !!(motionQuery && motionQuery.matches); }
// prefers-reduced-motion: no Chart.js animation at all (the lesson charts already redraw without animating; tooltips too)
function applyMotion() {
  var C = Chart;
  if (!C || !C.defaults || !reducedMotion()) return;
  C.defaults.animation = false;
  if (C.defaults.plugins && C.defaults.plugins.tooltip) C.defaults.plugins.tooltip.animation = false;
  if (C.defaults.transitions && C.defaults.transitions.active) C.defaults.transitions.active.animation = { duration: 0 };
}
/**
 * A chart of a lesson (lesson.json charts[]); each kind reads the keys it documents at the top of web/chart-<kind>.js.
 * @typedef {object} ChartSpec
 * @property {string} id
 * @property {string} [kind]          'line' (default), 'bars', 'histogram', 'profile', 'relative', 'surface', 'sweep', 'trainval', 'weights'
 * @property {string} metric
 * @property {string} [x]
 * @property {'linear'|'log'} [yScale]
 * @property {string[]} [runs]        lesson run ids it shows (added runs of them too)
 * @property {Array<{runs?: string[], [k: string]: any}>} [series]
 * @property {{[run: string]: number}} [divideBy]
 * @property {{[run: string]: number}} [xValues]
 * @property {string|{[run: string]: string}} [param]
 * @property {boolean|'every'} [weights]  the runs' weights with every tick ('every': a per-step trace)
 * @property {{[lang: string]: string}} [caption]
 */

var made = new Set(); // live charts (restyled when the colour scheme or motion preference changes)

// ---- the base every chart kind extends ------------------------------------------------------------------------------
// A kind: function Kind(canvas, spec, runs, opts) { ChartBase.call(this, canvas, spec, runs, opts); …; this.draw(cfg); }
// then extend(Kind) before its methods. It implements setData(runId, metrics[, summary]), clear(), relabel(),
// pointCount(runId), redraw() (called by the frame queue), table() and summary(); the base gives it the frame queue with the
// off-screen rule (schedule()), the theme (draw()), accepts(runId) for spec.runs, setXMax() and destroy().
/** @constructor @param {HTMLCanvasElement} canvas @param {ChartSpec} spec @param {any[]} runs @param {{xMax?: number}} [opts] */
function ChartBase(canvas, spec, runs, opts) {
  this.canvas = canvas;
  this.spec = spec;
  this.runs = runs;
  this.xMax = opts && opts.xMax;
  this.only = Array.isArray(spec.runs) ? spec.runs : null;
  this.chart = null;
  this.onScreen = true;
  this.drawnAt = 0;
}
/** themes the Chart.js config and watches whether the canvas is on screen; the Chart.js chart itself is made at the
 *  chart's first redraw after it got data (lazy: constructing one costs 30–100 ms of main thread, which must not stand
 *  between navigation and the first point). Until then `this.chart` is a stand-in over the same config (see `pending`).
 *  @param {any} cfg */
ChartBase.prototype.draw = function (cfg) {
  applyTheme({ config: cfg, options: cfg.options, data: cfg.data });
  this.chart = pending(this, cfg);
  made.add(this);
  watchVisibility(this, this.canvas);
  idleKick();
};
/** the board says the chart got data (web/lesson-charts.js): its next redraw makes the Chart.js chart */
ChartBase.prototype.fed = false;
/** makes the Chart.js chart now if it is still a stand-in (drawn with the data and options it holds) */
ChartBase.prototype.realize = function () {
  if (this.chart && this.chart.pending) this.chart = new Chart(this.canvas, this.chart.config);
};
// Charts not fed yet are also made when the page is idle and not training (after buildIdle(), which lesson.js calls once the
// page is set up): one per idle callback, on-screen ones first, so that they are made while the worker still compiles the
// module (or trains its first step after an early Train), a student who reads before pressing Train sees the axes, and
// the first tick finds the charts made. While training only on-screen charts are made (a chart fed first is made at its
// first redraw, by the frame queue).
var idleArmed = false, idleQueued = false;
function buildIdle() { idleArmed = true; idleKick(); }
function idleKick() {
  if (!idleArmed || idleQueued) return;
  idleQueued = true;
  var ric = typeof requestIdleCallback === 'function' ? requestIdleCallback : function (f) { return setTimeout(f, 50); };
  ric(function () {
    idleQueued = false;
    // on-screen charts first; while training only those (the off-screen rule above: setBusy(false) kicks this again)
    var next = null;
    made.forEach(function (c) {
      if (!c.chart || !c.chart.pending || (busy && c.onScreen === false)) return;
      if (!next || (next.onScreen === false && c.onScreen !== false)) next = c;
    });
    if (!next) return;
    next.realize();
    idleKick();
  }, { timeout: 2000 });
}
// What a kind sees as `this.chart` before the Chart.js chart exists: the raw config under the names Chart.js gives it
// (`data`, `options`, `config`), so kinds fill datasets and set options as they would on the chart; `update()` (a kind's
// redraw) makes the real chart once the chart has been fed, and does nothing before.
function pending(owner, cfg) {
  return {
    pending: true, config: cfg, options: cfg.options, data: cfg.data,
    update: function () { if (owner.fed) owner.realize(); },
    destroy: function () {}
  };
}
ChartBase.prototype.schedule = function () { schedule(this); };
ChartBase.prototype.redraw = function () { if (this.chart) this.chart.update('none'); };
/** whether the chart shows this run (spec.runs) @param {string} runId */
ChartBase.prototype.accepts = function (runId) { return !this.only || this.only.indexOf(runId) >= 0; };
/** @param {number} [xMax] */
ChartBase.prototype.setXMax = function (xMax) { this.xMax = xMax; };
ChartBase.prototype.destroy = function () {
  dirty.delete(this);
  made.delete(this);
  if (seen) seen.unobserve(this.canvas);
  if (this.chart) this.chart.destroy();
};
/** the default table: one column per series the kind lists in tableSeries() -> [{name, points}], x named by xName() */
ChartBase.prototype.table = function () { return seriesTable(this.xName(), this.tableSeries()); };
ChartBase.prototype.xName = function () { return (this.chart && this.chart.options.scales.x.title.text) || 'x'; };
/** @returns {Array<{name: string, points: Array<{x: number, y: number}>}>} */
ChartBase.prototype.tableSeries = function () { return []; };
/** @param {Function} Kind @param {Function} [Parent] a kind it refines (default: the base) */
function extend(Kind, Parent) {
  Kind.prototype = Object.create((Parent || ChartBase).prototype);
  Kind.prototype.constructor = Kind;
}

function restyleAll() {
  themeColors = null;
  applyMotion();
  made.forEach(function (c) { if (!c.chart) return; applyTheme(c.chart); if (!c.chart.pending) c.chart.update('none'); });
}
[darkQuery, motionQuery].forEach(function (q) {
  if (!q) return;
  if (q.addEventListener) q.addEventListener('change', restyleAll); else if (q.addListener) q.addListener(restyleAll);
});
applyMotion();
// before reading a chart's canvas (PNG export): makes the Chart.js chart if it is still a stand-in, and draws it now if it
// has a redraw pending (off-screen charts do)
function flushChart(c) { if (c instanceof ChartBase) { /** @type {any} */ (c).realize(); flush(c); } }
// lesson.js: true while training (off-screen charts wait), false otherwise (they catch up, one per frame as usual)
function setBusy(b) { busy = !!b; if (!busy && dirty.size) kick(); if (!busy) idleKick(); }
/** whether the page is busy training (views ask their runs less often then) */
function isBusy() { return busy; }

export {
  newSeries, appendPoints, PALETTE, DASHES, logTick, decimate, fmt, fmtFixed, seriesTable, summarize, summarizeSeries, applyTheme, tickNumber, reducedMotion,
  BASELINE_COLOR, ChartBase, extend, flushChart as flush, setBusy, isBusy, buildIdle, restyleAll as restyle
};
