// Chart.js wrapper for lesson charts: one line chart per chart spec, runs overlaid in the Okabe–Ito palette, optional dashed baseline.
// It does not know about workers or lessons' meaning; it turns metrics objects into {x,y} points and redraws at most once per frame.
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
        var c = e.target.__labChart;
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

// spec: {id, metric, x: 'step' | <metric name> | 'index', yScale: 'linear'|'log', smooth?: 0..1, baseline?: {value, label},
//        xLabel, yLabel, caption}; runs: [{id, label, color?}]
function LessonChart(canvas, spec, runs, opts) {
  this.spec = spec;
  this.runs = runs;
  this.xMax = opts && opts.xMax;
  this.series = {};   // runId -> {points: [{x,y}], done: n raw entries consumed, ema, k}
  this.log = spec.yScale === 'log';
  var self = this;
  var datasets = runs.map(function (r, i) {
    var ci = r.color !== undefined ? r.color : i;
    return {
      label: i18n.pick(r.label), data: [], runId: r.id,
      borderColor: PALETTE[ci % PALETTE.length], backgroundColor: PALETTE[ci % PALETTE.length],
      borderDash: spec.dashRuns ? DASHES[i % DASHES.length] : [], borderWidth: 2, pointRadius: 0, pointHoverRadius: 3, tension: 0
    };
  });
  if (spec.baseline) {
    datasets.push({
      label: i18n.pick(spec.baseline.label) || ('baseline ' + spec.baseline.value), data: [], isBaseline: true,
      borderColor: BASELINE_COLOR, backgroundColor: BASELINE_COLOR, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 0
    });
  }
  var cfg = {
    type: 'line',
    data: { datasets: datasets },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: 'x',
      spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        decimation: { enabled: true, algorithm: 'min-max' },
        legend: { position: 'bottom', labels: { boxWidth: 24, boxHeight: 2, usePointStyle: false } },
        tooltip: {
          callbacks: {
            label: function (ctx) { return ctx.dataset.label + ': ' + fmt(ctx.parsed.y); },
            title: function (items) { return items.length ? self.axisLabel('x') + ' ' + items[0].parsed.x : ''; }
          }
        }
      },
      scales: {
        x: { type: 'linear', min: spec.x === 'index' ? 1 : 0, title: { display: true, text: '', font: { size: 12 } }, ticks: { maxRotation: 0, precision: spec.x === 'index' ? 0 : undefined } }, // index axes: whole numbers only
        // spec.yMin / spec.yMax fix the axis (e.g. keep a diverging run's spike from flattening the others; it runs off the top)
        y: { type: this.log ? 'logarithmic' : 'linear', title: { display: true, text: '', font: { size: 11 } }, beginAtZero: !this.log,
             min: spec.yMin, max: spec.yMax,
             ticks: { callback: this.log ? logTick : function (v) { return fmt(Number(v)); } } }
      }
    }
  };
  // axis titles, x range and theme colours go in before Chart.js draws the (empty) chart for the first time, so that no
  // second update is needed before data arrives (relabel() and setXMax() schedule one)
  cfg.options.scales.x.title.text = this.axisLabel('x');
  cfg.options.scales.y.title.text = this.axisLabel('y');
  if (spec.x !== 'index') cfg.options.scales.x.max = this.xMax || undefined;
  applyTheme({ config: cfg, options: cfg.options, data: cfg.data });
  this.chart = new Chart(canvas, cfg);
}

LessonChart.prototype.axisLabel = function (axis) {
  var s = this.spec;
  var l = axis === 'x' ? s.xLabel : s.yLabel;
  if (l) return i18n.pick(l);
  return axis === 'x' ? (s.x === 'index' ? 't' : (s.x || 'step')) : s.metric;
};

LessonChart.prototype.relabel = function () {
  var c = this.chart, self = this;
  c.options.scales.x.title.text = this.axisLabel('x');
  c.options.scales.y.title.text = this.axisLabel('y');
  c.data.datasets.forEach(function (d) {
    if (d.isBaseline) d.label = i18n.pick(self.spec.baseline.label) || ('baseline ' + self.spec.baseline.value);
    else {
      var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
      if (r) d.label = i18n.pick(r.label);
    }
  });
  schedule(this);
};

LessonChart.prototype.setXMax = function (xMax) {
  this.xMax = xMax;
  if (this.spec.x !== 'index') this.chart.options.scales.x.max = xMax || undefined;
  schedule(this);
};

LessonChart.prototype.clear = function () {
  this.series = {};
  schedule(this);
};

LessonChart.prototype.clearRun = function (runId) {
  delete this.series[runId];
  schedule(this);
};

// metrics: a run.metrics() object (typed arrays). Consumes only new entries for history charts.
LessonChart.prototype.setData = function (runId, metrics) {
  var spec = this.spec;
  var y = metrics && metrics[spec.metric];
  if (!y) return;
  var xs = spec.x === 'index' ? null : metrics[spec.x || 'step'];
  var s = this.series[runId];
  if (!s || spec.x === 'index' || y.length < s.done) s = this.series[runId] = { points: [], done: 0, ema: 0, k: 0 };
  var w = spec.smooth || 0;
  for (var i = s.done; i < y.length; i++) {
    var x = xs ? xs[i] : i + 1;
    var v = y[i];
    if (!isFinite(v) || !isFinite(x)) continue;
    if (w > 0) { s.ema = w * s.ema + (1 - w) * v; s.k++; v = s.ema / (1 - Math.pow(w, s.k)); }
    if (this.log && !(v > 0)) continue;
    s.points.push({ x: Number(x), y: v });
  }
  s.done = y.length;
  schedule(this);
};

LessonChart.prototype.pointCount = function (runId) {
  if (runId) return this.series[runId] ? this.series[runId].points.length : 0;
  var n = 0, self = this;
  Object.keys(this.series).forEach(function (k) { n += self.series[k].points.length; });
  return n;
};

LessonChart.prototype.redraw = function () {
  var self = this, xmin = Infinity, xmax = -Infinity;
  this.chart.data.datasets.forEach(function (d) {
    if (d.isBaseline) return;
    var s = self.series[d.runId];
    d.data = s ? decimate(s.points) : []; // assign (never push): the decimation plugin swaps dataset.data
    if (s && s.points.length) {
      xmin = Math.min(xmin, s.points[0].x);
      xmax = Math.max(xmax, s.points[s.points.length - 1].x);
    }
  });
  if (this.spec.baseline) {
    var b = this.chart.data.datasets[this.chart.data.datasets.length - 1];
    var lo = this.spec.x === 'index' ? 1 : 0;
    var hi = this.spec.x === 'index' ? (isFinite(xmax) ? xmax : 1) : (this.xMax || (isFinite(xmax) ? xmax : 1));
    b.data = [{ x: lo, y: this.spec.baseline.value }, { x: hi, y: this.spec.baseline.value }];
  }
  if (this.spec.x === 'index') this.chart.options.scales.x.max = isFinite(xmax) ? xmax : undefined;
  this.chart.update('none');
};

LessonChart.prototype.schedule = function () { schedule(this); };
LessonChart.prototype.destroy = function () {
  dirty.delete(this);
  if (seen && this.chart.canvas) seen.unobserve(this.chart.canvas);
  this.chart.destroy();
};

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
    else parts.push(i18n.t('sumLast', { name: s.name, x: xName, xv: fmt(last.x), y: fmt(last.y) }) + (tr ? ', ' + tr : ''));
  });
  return parts.length ? parts.join('; ') + '.' : i18n.t('sumEmpty');
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
        parts.push(i18n.t('sumLast', { name: name, x: xName, xv: fmt(last.x), y: fmt(last.y) }) + (tr ? ', ' + tr : ''));
      }
    }
  }
  return parts.length ? parts.join('; ') + '.' : i18n.t('sumEmpty');
}


LessonChart.prototype.table = function () {
  var self = this;
  var series = this.chart.data.datasets.filter(function (d) { return !d.isBaseline; }).map(function (d) {
    var s = self.series[d.runId];
    return { name: d.label, points: s ? s.points : [] };
  });
  return seriesTable(this.axisLabel('x'), series);
};
LessonChart.prototype.summary = function () {
  var self = this;
  var series = this.chart.data.datasets.filter(function (d) { return !d.isBaseline; }).map(function (d) {
    var s = self.series[d.runId];
    return { name: d.label, points: s ? s.points : [] };
  });
  return summarizeSeries(this.axisLabel('x'), series, this.spec.x === 'index' ? 'profile' : 'history');
};

// Colours of axes, grid, legend and reference lines come from CSS custom properties (web/lab.css; dark mode changes them).
function cssVar(name, fallback) {
  try {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  } catch (e) { return fallback; }
}
function applyTheme(chart) {
  if (!chart || !chart.options) return;
  var text = cssVar('--chart-text', '#444444'), grid = cssVar('--chart-grid', 'rgba(0,0,0,0.1)'), ref = cssVar('--chart-ref', BASELINE_COLOR);
  var o = (chart.config && chart.config.options) || chart.options; // the raw options (chart.options is a resolving proxy)
  o.color = text;
  Object.keys(o.scales || {}).forEach(function (k) {
    var sc = o.scales[k];
    sc.grid = sc.grid || {}; sc.grid.color = grid;
    sc.border = sc.border || {}; sc.border.color = grid;
    sc.ticks = sc.ticks || {}; sc.ticks.color = text;
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
var made = [];
// every chart object a kind makes goes through here once (web/chart-kinds.js): themed, and line charts watched for visibility
function adopt(c, canvas) {
  made.push(c);
  applyTheme(c.chart);
  // line charts are drawn themed by their constructor; other kinds update here
  if (c instanceof LessonChart) watchVisibility(c, canvas); else if (c.chart) c.chart.update('none');
  return c;
}
function restyleAll() {
  applyMotion();
  made.forEach(function (c) { applyTheme(c.chart); if (c.chart) c.chart.update('none'); });
}
[darkQuery, motionQuery].forEach(function (q) {
  if (!q) return;
  if (q.addEventListener) q.addEventListener('change', restyleAll); else if (q.addListener) q.addListener(restyleAll);
});
applyMotion();
// before reading a chart's canvas (PNG export): draws it now if it has a redraw pending (off-screen charts do)
function flushChart(c) { if (c instanceof LessonChart) flush(c); }
// lesson.js: true while training (off-screen charts wait), false otherwise (they catch up, one per frame as usual)
function setBusy(b) { busy = !!b; if (!busy && dirty.size) kick(); }

export {
  PALETTE, DASHES, logTick, decimate, fmt, fmtFixed, seriesTable, summarize, summarizeSeries, applyTheme, reducedMotion,
  LessonChart, adopt, flushChart as flush, setBusy, restyleAll as restyle
};
