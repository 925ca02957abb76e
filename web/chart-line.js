// @ts-check
// Chart kind "line" (the default): one line per run over steps (or over t, spec.x 'index'), runs overlaid in the palette,
// optional smoothing and a dashed baseline. Plotting only: it turns metrics into {x, y} points; it never trains.
import * as i18n from './i18n.js';
import { ChartBase, extend, PALETTE, DASHES, BASELINE_COLOR, decimate, fmt, logTick, summarizeSeries, newSeries, appendPoints } from './charts.js';

// spec: {id, metric, x: 'step' | <metric name> | 'index', yScale: 'linear'|'log', smooth?: 0..1, baseline?: {value, label},
//        xLabel, yLabel, caption}; runs: [{id, label, color?}]
export function LessonChart(canvas, spec, runs, opts) {
  ChartBase.call(this, canvas, spec, runs, opts);
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
  // the previous settings' curves (keepPrevious): the same colour, faded and thin; one legend entry stands for all of them
  runs.forEach(function (r, i) {
    var ci = r.color !== undefined ? r.color : i;
    datasets.push({
      label: '', data: [], prevOf: r.id, borderColor: fade(PALETTE[ci % PALETTE.length]), backgroundColor: fade(PALETTE[ci % PALETTE.length]),
      borderDash: [4, 3], borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 0, tension: 0, hidden: false
    });
  });
  this.prev = {};     // runId -> points of the previous settings (cleared by Reset)
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
        legend: { position: 'bottom', labels: { boxWidth: 24, boxHeight: 2, usePointStyle: false,
          // of the previous-settings curves only the first one with points gets an entry ("previous settings")
          filter: function (item, data) { var d = data.datasets[item.datasetIndex]; return !d.prevOf || d === firstPrev(data.datasets); } } },
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
  this.draw(cfg);
}
extend(LessonChart);

// One rule for every line chart without a fixed yMax: a run that blows up (a diverged loss of 1e31) must not flatten the
// others, so the y axis stops at 10× the largest starting value of any run when some point goes above that; the diverged
// curve runs off the top (its run's status says "diverged"). Undefined (Chart.js decides) when nothing goes that high.
var CLIP_FACTOR = 10;
/** @param {{[runId: string]: {points: Array<{x: number, y: number}>}}} series */
export function yClip(series) {
  var start = 0, top = -Infinity;
  Object.keys(series).forEach(function (k) {
    var p = series[k].points;
    if (!p.length) return;
    start = Math.max(start, Math.abs(p[0].y));
    for (var i = 0; i < p.length; i++) if (p[i].y > top) top = p[i].y;
  });
  var cap = CLIP_FACTOR * start;
  return start > 0 && top > cap ? cap : undefined;
}

/** a palette colour at 35 % opacity @param {string} hex */
function fade(hex) { return hex + '59'; }
/** the first previous-settings dataset that has points @param {any[]} ds */
function firstPrev(ds) { for (var i = 0; i < ds.length; i++) if (ds[i].prevOf && ds[i].data.length) return ds[i]; return null; }

// Keep what is drawn now as the previous settings' curves (the runs restart with new settings); Reset drops them.
LessonChart.prototype.keepPrevious = function () {
  var self = this, any = false;
  Object.keys(this.series).forEach(function (id) { if (self.series[id].points.length) { self.prev[id] = self.series[id].points.slice(); any = true; } });
  if (any) this.schedule();
  return any;
};
LessonChart.prototype.clearPrevious = function () { this.prev = {}; this.schedule(); };
/** @param {{[runId: string]: any[]}} prev */
LessonChart.prototype.setPrevious = function (prev) { this.prev = prev || {}; this.schedule(); };
LessonChart.prototype.previousCount = function () { var self = this; return Object.keys(this.prev).reduce(function (n, k) { return n + self.prev[k].length; }, 0); };

LessonChart.prototype.axisLabel = function (axis) {
  var s = this.spec;
  var l = axis === 'x' ? s.xLabel : s.yLabel;
  if (l) return i18n.pick(l);
  return axis === 'x' ? (s.x === 'index' ? 't' : (!s.x || s.x === 'step' ? i18n.t('stepAxis') : s.x)) : s.metric;
};

LessonChart.prototype.relabel = function () {
  var c = this.chart, self = this;
  c.options.scales.x.title.text = this.axisLabel('x');
  c.options.scales.y.title.text = this.axisLabel('y');
  c.data.datasets.forEach(function (d) {
    if (d.prevOf) d.label = i18n.t('previousCurves');
    else if (d.isBaseline) d.label = i18n.pick(self.spec.baseline.label) || ('baseline ' + self.spec.baseline.value);
    else {
      var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
      if (r) d.label = i18n.pick(r.label);
    }
  });
  this.schedule();
};

LessonChart.prototype.setXMax = function (xMax) {
  this.xMax = xMax;
  if (this.spec.x !== 'index') this.chart.options.scales.x.max = xMax || undefined;
  this.schedule();
};

LessonChart.prototype.clear = function () {
  this.series = {};
  this.schedule();
};

LessonChart.prototype.clearRun = function (runId) {
  delete this.series[runId];
  this.schedule();
};

// metrics: a run.metrics() object (typed arrays). Consumes only new entries for history charts.
LessonChart.prototype.setData = function (runId, metrics) {
  var spec = this.spec;
  var y = metrics && metrics[spec.metric];
  if (!y) return;
  var xs = spec.x === 'index' ? null : metrics[spec.x || 'step'];
  var s = this.series[runId];
  if (!s || spec.x === 'index' || y.length < s.done) s = this.series[runId] = newSeries();
  appendPoints(s, y, xs, spec.smooth || 0, this.log);
  this.schedule();
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
    if (d.prevOf) { d.data = self.prev[d.prevOf] ? decimate(self.prev[d.prevOf]) : []; d.label = i18n.t('previousCurves'); return; }
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
  if (this.spec.yMax === undefined) this.chart.options.scales.y.max = yClip(this.series);
  this.chart.update('none');
};

LessonChart.prototype.xName = function () { return this.axisLabel('x'); };
LessonChart.prototype.tableSeries = function () {
  var self = this;
  return this.chart.data.datasets.filter(function (d) { return !d.isBaseline && !d.prevOf; }).map(function (d) {
    var s = self.series[d.runId];
    return { name: d.label, points: s ? s.points : [] };
  });
};
LessonChart.prototype.summary = function () {
  return summarizeSeries(this.axisLabel('x'), this.tableSeries(), this.spec.x === 'index' ? 'profile' : 'history');
};
export function line(canvas, spec, runs, opts) { return new LessonChart(canvas, spec, runs, opts); }
