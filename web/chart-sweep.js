// @ts-check
// Chart kind "sweep": one point per run, x = that run's setting (spec.xPath in the run's config, e.g. task.train_size),
// y = a statistic of a metric at the latest tick (web/claim.js's stats), one line per spec.series. Not a history: it redraws the latest values.
import * as C from './charts.js';
import * as i18n from './i18n.js';
import { stat } from './claim.js';
import { getPath } from './schema.js';
import { Chart } from './chartjs.js';

// spec: {xPath, xScale?: 'log'|'linear', yScale?, series?: [{metric, stat?, n?, m?, label?, color?, runs?}] (default: one series
//        of spec.metric, mean of the last 3; a series' runs: only those run ids), xLabel, yLabel,
//        diverged?: true (runs whose summary says diverged become ✕ marks along the top instead of points)};
//        runs: [{id, label, config}] (already filtered by spec.runs)
var DIVERGED = i18n.both('chartDiverged');
function Sweep(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  var self = this;
  this.latest = {};
  this.diverged = {};
  this.series = spec.series || [{ metric: spec.metric, stat: 'mean_last', n: 3 }];
  this.xs = {};
  runs.forEach(function (r) {
    var x = spec.xValues && spec.xValues[r.id] !== undefined ? spec.xValues[r.id] : getPath(r.config || {}, spec.xPath || '');
    self.xs[r.id] = Number(x);
  });
  var logY = spec.yScale === 'log', logX = spec.xScale === 'log';
  var xr = { ticks: [] };
  Object.keys(this.xs).forEach(function (k) { if (isFinite(self.xs[k]) && (!logX || self.xs[k] > 0) && xr.ticks.indexOf(self.xs[k]) < 0) xr.ticks.push(self.xs[k]); });
  xr.ticks.sort(function (a, b) { return a - b; });
  if (xr.ticks.length) {
    var lo = xr.ticks[0], hi = xr.ticks[xr.ticks.length - 1];
    if (logX) { xr.min = lo / 1.4; xr.max = hi * 1.4; } else { var pad = 0.05 * ((hi - lo) || 1); xr.min = lo - pad; xr.max = hi + pad; }
  }
  var datasets = this.series.map(function (s, i) {
    var c = C.PALETTE[(s.color !== undefined ? s.color : i) % C.PALETTE.length];
    return { label: '', data: [], borderColor: c, backgroundColor: c, borderWidth: 2, borderDash: C.DASHES[i % C.DASHES.length],
             pointRadius: 4, pointHoverRadius: 6, showLine: true, tension: 0 };
  });
  if (spec.diverged) {
    datasets.push({ label: '', data: [], isDiverged: true, borderColor: '#555555', backgroundColor: '#555555', pointStyle: 'crossRot',
                    pointRadius: 7, pointHoverRadius: 8, pointBorderWidth: 2.5, showLine: false });
  }
  this.draw({
    type: 'scatter',
    data: { datasets: datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: {
        // the diverged entry shows its ✕ mark (not a grey line that reads as one more series); the series keep a line
        legend: { position: 'bottom', labels: { boxWidth: 24, boxHeight: 8, usePointStyle: true,
          generateLabels: function (chart) {
            return Chart.defaults.plugins.legend.labels.generateLabels(chart).map(function (it) {
              var d = chart.data.datasets[it.datasetIndex];
              it.pointStyle = d && d.isDiverged ? 'crossRot' : 'line';
              if (d && d.isDiverged) it.lineWidth = 2.5;
              return it;
            });
          } } },
        tooltip: { callbacks: { label: function (ctx) {
          var p = ctx.raw || {};
          if (ctx.dataset.isDiverged) return (p.run ? p.run + ' — ' : '') + ctx.dataset.label;
          return (p.run ? p.run + ' — ' : '') + ctx.dataset.label + ': ' + C.fmt(p.y);
        } } }
      },
      scales: {
        // ticks exactly at the runs' settings, with a little room on both sides
        x: { type: logX ? 'logarithmic' : 'linear', title: { display: true, text: '', font: { size: 12 } },
             min: xr.min, max: xr.max,
             afterBuildTicks: function (axis) { axis.ticks = xr.ticks.map(function (v) { return { value: v }; }); },
             ticks: { maxRotation: 0, autoSkip: false, callback: function (v) { return C.fmt(Number(v)); } } },
        y: { type: logY ? 'logarithmic' : 'linear', beginAtZero: !logY, title: { display: true, text: '', font: { size: 11 } },
             ticks: { callback: logY ? C.logTick : function (v) { return C.fmt(Number(v)); } } }
      }
    }
  });
  this.relabel();
}
C.extend(Sweep);

Sweep.prototype.relabel = function () {
  var o = this.chart.options.scales, s = this.spec;
  o.x.title.text = s.xLabel ? i18n.pick(s.xLabel) : (s.xPath || 'x');
  o.y.title.text = s.yLabel ? i18n.pick(s.yLabel) : (s.metric || 'y');
  this.chart.data.datasets.forEach(function (d, i) {
    if (d.isDiverged) { d.label = i18n.pick(s.divergedLabel || DIVERGED); return; }
    var l = this.series[i].label;
    d.label = l ? i18n.pick(l) : this.series[i].metric;
  }, this);
  this.schedule();
};

Sweep.prototype.setData = function (runId, metrics, summary) {
  this.latest[runId] = metrics;
  this.diverged[runId] = !!(summary && summary.diverged);
  this.schedule();
};
Sweep.prototype.clear = function () { this.latest = {}; this.diverged = {}; this.schedule(); };
Sweep.prototype.clearRun = function (runId) { delete this.latest[runId]; delete this.diverged[runId]; this.schedule(); };
Sweep.prototype.pointCount = function (runId) {
  var n = 0;
  this.chart.data.datasets.forEach(function (d) { d.data.forEach(function (p) { if (!runId || p.runId === runId) n++; }); });
  return n;
};

Sweep.prototype.points = function (s) {
  var self = this, logY = this.spec.yScale === 'log', pts = [];
  this.runs.forEach(function (r) {
    var m = self.latest[r.id], x = self.xs[r.id];
    if (s.runs && s.runs.indexOf(r.id) < 0) return;
    if (self.spec.diverged && self.diverged[r.id]) return;
    if (!m || !m[s.metric] || !isFinite(x)) return;
    var y = stat(m[s.metric], s.stat || 'mean_last', s.n, s.m);
    if (!isFinite(y) || (logY && !(y > 0))) return;
    pts.push({ x: x, y: y, runId: r.id, run: i18n.pick(r.label) });
  });
  return pts.sort(function (a, b) { return a.x - b.x; });
};

Sweep.prototype.redraw = function () {
  var self = this;
  var top = -Infinity, colors = [], marks = [];
  this.chart.data.datasets.forEach(function (d, i) {
    if (d.isDiverged) return;
    d.data = self.points(self.series[i]);
    d.data.forEach(function (p) { top = Math.max(top, p.y); });
  });
  if (this.spec.diverged) {
    // ✕ marks sit just above the highest point (log axis: ×2), in their series' colour
    var y = isFinite(top) ? (this.spec.yScale === 'log' ? top * 2 : top * 1.1) : 1;
    this.series.forEach(function (s, i) {
      self.runs.forEach(function (r) {
        if (!self.diverged[r.id] || (s.runs && s.runs.indexOf(r.id) < 0) || !isFinite(self.xs[r.id])) return;
        marks.push({ x: self.xs[r.id], y: y, runId: r.id, run: i18n.pick(r.label) });
        colors.push(C.PALETTE[(s.color !== undefined ? s.color : i) % C.PALETTE.length]);
      });
    });
    var dd = this.chart.data.datasets[this.chart.data.datasets.length - 1];
    dd.data = marks;
    dd.pointBorderColor = colors.length ? colors : '#555555';
  }
  this.chart.update('none');
};


// the plotted data (CSV export: one row per setting, a column per series) and a text summary (first and last setting)
Sweep.prototype.table = function () {
  var self = this;
  return C.seriesTable(this.chart.options.scales.x.title.text || 'x', this.chart.data.datasets.filter(function (d) { return !d.isDiverged; })
    .map(function (d, i) { return { name: d.label, points: self.points(self.series[i]) }; }));
};
Sweep.prototype.summary = function () { return C.summarize(this.table(), 'profile'); };

export function sweep(canvas, spec, runs, opts) { return new Sweep(canvas, spec, runs, opts); }
