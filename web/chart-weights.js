// @ts-check
// Chart kind "weights": a histogram of one parameter tensor's current values for every run (from the exported weights each tick),
// plus the fraction of weights with |w| < eps in the legend. Plotting only: it reads metrics.weights and never changes a run.
//
// spec: {id, kind: 'weights', metric: 'weights', weights: true, param: 'mlp.1.weight' (or [names], pooled),
//        scale?: 'logabs' (x = log10|w|, ticks labelled 1e-k; default) | 'linear' (x = w), range?: [lo, hi] (x range; default [-6, 1] or [-1, 1]),
//        bins?: 40, eps?: 1e-3, yScale?: 'linear'|'log', xLabel, yLabel, caption}
// The y value is the fraction of the tensor's weights in each bin; values outside the range go to the end bins
// (with logabs, exact zeros go to the first bin).
import * as C from './charts.js';
import * as i18n from './i18n.js';

function flatten(v, out) {
  if (Array.isArray(v)) for (var i = 0; i < v.length; i++) flatten(v[i], out);
  else if (typeof v === 'number') out.push(v);
  return out;
}

function WeightsChart(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  this.logabs = spec.scale !== 'linear';
  this.range = spec.range || (this.logabs ? [-6, 1] : [-1, 1]);
  this.bins = spec.bins || 40;
  this.eps = spec.eps || 1e-3;
  this.params = Array.isArray(spec.param) ? spec.param : [spec.param];
  this.hist = {};   // runId -> {points, small, n}
  this.seen = {};   // runId -> the weights object last given (run-progress repeats it in ticks without new weights)
  this.fresh = {};  // runId -> weights given since the last drawing, not binned yet
  var self = this;
  var datasets = runs.map(function (r, i) {
    var color = C.PALETTE[(r.color !== undefined ? r.color : i) % C.PALETTE.length];
    return { label: '', data: [], runId: r.id, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0,
             pointHoverRadius: 3, stepped: 'middle', borderDash: spec.dashRuns ? C.DASHES[i % C.DASHES.length] : [] };
  });
  var log = spec.yScale === 'log';
  this.log = log;
  var xTick = this.logabs
    ? function (v) { v = Number(v); return Math.abs(v - Math.round(v)) < 1e-9 ? '1e' + Math.round(v) : ''; }
    : function (v) { return C.fmt(Number(v)); };
  this.draw({
    type: 'line',
    data: { datasets: datasets },
    options: {
      animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 24, boxHeight: 2 } },
        tooltip: {
          callbacks: {
            title: function (items) {
              if (!items.length) return '';
              var x = items[0].parsed.x, h = (self.range[1] - self.range[0]) / self.bins / 2;
              return self.logabs ? '|w| ≈ ' + C.fmt(Math.pow(10, x - h)) + ' … ' + C.fmt(Math.pow(10, x + h)) : 'w ≈ ' + C.fmt(x);
            },
            label: function (ctx) { return ctx.dataset.label.split(' · ')[0] + ': ' + (100 * ctx.parsed.y).toFixed(1) + '%'; }
          }
        }
      },
      scales: {
        x: { type: 'linear', min: this.range[0], max: this.range[1], title: { display: true, text: '', font: { size: 12 } },
             ticks: { maxRotation: 0, stepSize: this.logabs ? 1 : undefined, callback: xTick } },
        y: { type: log ? 'logarithmic' : 'linear', beginAtZero: !log, title: { display: true, text: '', font: { size: 11 } },
             ticks: { callback: log ? C.logTick : function (v) { return (100 * Number(v)).toFixed(0) + '%'; } } }
      }
    }
  });
  this.relabel();
}
C.extend(WeightsChart);

WeightsChart.prototype.defaultLabel = function (axis) {
  if (axis === 'x') return i18n.both(this.logabs ? 'chartWLog' : 'chartW');
  return i18n.both('chartWShare');
};

WeightsChart.prototype.relabel = function () {
  var c = this.chart;
  c.options.scales.x.title.text = i18n.pick(this.spec.xLabel || this.defaultLabel('x'));
  c.options.scales.y.title.text = i18n.pick(this.spec.yLabel || this.defaultLabel('y'));
  this.labels();
  this.schedule();
};
// each run's legend entry: its name and the share of its weights under eps
WeightsChart.prototype.labels = function () {
  var self = this;
  this.chart.data.datasets.forEach(function (d) {
    var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
    var name = r ? i18n.pick(r.label) : d.runId;
    var h = self.hist[d.runId];
    d.label = h ? name + ' · |w| < ' + C.fmt(self.eps) + ': ' + (100 * h.small / h.n).toFixed(0) + '%' : name;
  });
};


WeightsChart.prototype.clear = function () { this.hist = {}; this.seen = {}; this.fresh = {}; this.relabel(); };

// The histogram of a run's weights is made when the chart is drawn, not when a tick brings them: an off-screen chart is not
// redrawn while training (web/charts.js), and a tick of six runs no longer bins 6 × 16,384 weights in its message task.
WeightsChart.prototype.setData = function (runId, metrics) {
  var w = metrics && metrics.weights;
  if (!w || this.seen[runId] === w) return; // the same weights as last tick (web/run-progress.js keeps them)
  this.seen[runId] = w;
  this.fresh[runId] = w;
  this.schedule();
};
// bins the weights that came since the last drawing
WeightsChart.prototype.settle = function () {
  var self = this, fresh = this.fresh;
  this.fresh = {};
  Object.keys(fresh).forEach(function (runId) { var h = self.bin(fresh[runId]); if (h) self.hist[runId] = h; });
  return Object.keys(fresh).length > 0;
};
/** @returns {{points: Array<{x: number, y: number}>, small: number, n: number}|null} */
WeightsChart.prototype.bin = function (w) {
  var vals = [];
  this.params.forEach(function (p) { if (w[p]) flatten(w[p], vals); });
  if (!vals.length) return null;
  var lo = this.range[0], hi = this.range[1], nb = this.bins, width = (hi - lo) / nb;
  var counts = new Array(nb).fill(0), small = 0, n = 0;
  for (var i = 0; i < vals.length; i++) {
    var v = vals[i];
    if (!isFinite(v)) continue;
    n++;
    if (Math.abs(v) < this.eps) small++;
    var x = this.logabs ? (v === 0 ? -Infinity : Math.log10(Math.abs(v))) : v;
    var b = Math.floor((x - lo) / width);
    counts[b < 0 ? 0 : b >= nb ? nb - 1 : b]++;
  }
  if (!n) return null;
  var points = [];
  for (var k = 0; k < nb; k++) {
    var y = counts[k] / n;
    if (this.log && !(y > 0)) continue;
    points.push({ x: lo + (k + 0.5) * width, y: y });
  }
  return { points: points, small: small, n: n };
};

WeightsChart.prototype.pointCount = function (runId) {
  var self = this, n = 0;
  this.settle();
  Object.keys(this.hist).forEach(function (id) { if (!runId || id === runId) n += self.hist[id].points.length; });
  return n;
};

// fraction of |w| < eps of a run's latest weights (for tests and the console)
WeightsChart.prototype.smallFraction = function (runId) {
  this.settle();
  var h = this.hist[runId];
  return h ? h.small / h.n : NaN;
};

WeightsChart.prototype.redraw = function () {
  var self = this;
  if (this.settle()) this.labels();
  this.chart.data.datasets.forEach(function (d) { d.data = self.hist[d.runId] ? self.hist[d.runId].points : []; });
  this.chart.update('none');
};

// the plotted data (CSV export: one row per bin centre, a column per run) and a text summary (each run's peak, |w| < eps share)
WeightsChart.prototype.tableSeries = function () {
  var self = this;
  if (this.settle()) this.labels();
  return this.chart.data.datasets.map(function (d) {
    return { name: d.label, points: self.hist[d.runId] ? self.hist[d.runId].points : [] };
  });
};
// per run: the share of |w| < eps and where most weights are (the x of the tallest bin, back from log10|w| when logabs)
WeightsChart.prototype.summary = function () {
  var self = this, parts = [];
  if (this.settle()) this.labels();
  this.runs.forEach(function (r) {
    var h = self.hist[r.id];
    if (!h || !h.points.length) return;
    var top = h.points[0];
    h.points.forEach(function (p) { if (p.y > top.y) top = p; });
    parts.push(i18n.t('sumWeights', { name: i18n.pick(r.label), share: (100 * h.small / h.n).toFixed(0) + '%', eps: C.fmt(self.eps),
                                     w: (self.logabs ? '|w| ≈ ' : 'w ≈ ') + C.fmt(self.logabs ? Math.pow(10, top.x) : top.x) }));
  });
  return parts.length ? parts.join('; ') + '.' : i18n.t('sumEmpty');
};

export function weights(canvas, spec, runs, opts) { return new WeightsChart(canvas, spec, runs, opts); }
