// @ts-check
// Chart kind "histogram": one distribution per run, drawn as a step line — either a block's activations (metric act_hist,
// 40 bins over [−4, 4], spec.layer) or a parameter tensor (spec.weights: true, spec.param), optionally with the density the
// run's initialiser formula predicts (spec.theory). It plots the latest tick only; it never changes what the runs train.
import * as C from './charts.js';
import * as i18n from './i18n.js';
var HIST_BINS = 40, HIST_RANGE = 4; // the core's act_hist (docs/api.md)

// The distribution an initialiser draws a (rows = fan_out, cols = fan_in) weight from, as core/init.hpp does:
// {shape: 'normal'|'uniform', std, bound?} or null (zeros, constant, identity, torch's default: nothing to draw).
// init: the run's "init" config block; param: the state_dict name (weight_hh → init.recurrent, head.* → init.head).
function initTheory(init, param, rows, cols) {
  init = init || {};
  var kind, scale, gain;
  if (/weight_hh/.test(param)) {
    kind = init.recurrent || 'default';
    scale = init.recurrent_scale !== undefined ? init.recurrent_scale : (init.scale !== undefined ? init.scale : 0.1);
    gain = init.recurrent_gain !== undefined ? init.recurrent_gain : (init.gain !== undefined ? init.gain : 1);
  } else if (/^head\./.test(param)) {
    kind = init.head || 'default'; scale = init.head_scale !== undefined ? init.head_scale : 0.1; gain = 1;
  } else {
    kind = init.weights || 'default'; scale = init.scale !== undefined ? init.scale : 0.1; gain = init.gain !== undefined ? init.gain : 1;
  }
  var fi = cols, fo = rows, u = function (b) { return { shape: 'uniform', bound: b, std: b / Math.sqrt(3) }; };
  var n = function (s) { return { shape: 'normal', std: s }; };
  switch (kind) {
    case 'uniform': return u(scale);
    case 'normal': return n(scale);
    case 'xavier_uniform': return u(gain * Math.sqrt(6 / (fi + fo)));
    case 'xavier_normal': return n(gain * Math.sqrt(2 / (fi + fo)));
    case 'he_uniform': return u(gain * Math.sqrt(6 / fi));
    case 'he_normal': return n(gain * Math.sqrt(2 / fi));
    case 'lecun_uniform': return u(gain * Math.sqrt(3 / fi));
    case 'lecun_normal': return n(gain * Math.sqrt(1 / fi));
    // entries of a random orthogonal matrix: mean 0, variance 1/max(rows, cols), close to normal for large sizes
    case 'orthogonal': return n(gain / Math.sqrt(Math.max(fi, fo)));
    default: return null;
  }
}
function density(t, x) {
  if (t.shape === 'uniform') return Math.abs(x) <= t.bound ? 1 / (2 * t.bound) : 0;
  return Math.exp(-0.5 * x * x / (t.std * t.std)) / (t.std * Math.sqrt(2 * Math.PI));
}
/** @param {any} a @param {number[]} out */
function flatten(a, out) {
  if (Array.isArray(a) || ArrayBuffer.isView(a)) { var arr = /** @type {ArrayLike<any>} */ (a); for (var i = 0; i < arr.length; i++) flatten(arr[i], out); } else out.push(Number(a));
  return out;
}
export { initTheory };
export function flattenAll(a) { return flatten(a, []); }

// spec: {metric: 'act_hist', layer?: 1-based (negative: from the end; default −1)} or
//       {weights: true, param: 'mlp.0.weight', range?: [lo, hi], bins?: 40, theory?: true};
//       yScale? ('linear'), xMin?, xMax?, xLabel, yLabel. runs: [{id, label, color, config}] (already filtered by spec.runs)
function Histogram(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  var self = this;
  this.latest = {};
  this.range = spec.range || null;
  var datasets = [];
  runs.forEach(function (r, i) {
    var c = C.PALETTE[(r.color !== undefined ? r.color : i) % C.PALETTE.length];
    datasets.push({ label: '', runId: r.id, data: [], borderColor: c, backgroundColor: c, borderWidth: 2, pointRadius: 0, tension: 0 });
    if (spec.theory) {
      datasets.push({ label: '', runId: r.id, theory: true, data: [], borderColor: c, backgroundColor: c, borderWidth: 1.5,
                      borderDash: [5, 4], pointRadius: 0, tension: 0 });
    }
  });
  var log = spec.yScale === 'log';
  this.draw({
    type: 'line',
    data: { datasets: datasets },
    options: {
      animation: false, parsing: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 24, boxHeight: 2, filter: function (item, data) { return !data.datasets[item.datasetIndex].theory; } } },
        tooltip: { filter: function (item) { return !item.dataset.theory; },
                   callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + C.fmt(ctx.parsed.y); },
                                title: function (items) { return items.length ? C.fmt(items[0].parsed.x) : ''; } } }
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: '', font: { size: 12 } }, ticks: { maxRotation: 0, callback: function (v) { return C.fmt(Number(v)); } } },
        y: { type: log ? 'logarithmic' : 'linear', beginAtZero: !log, title: { display: true, text: '', font: { size: 11 } },
             ticks: { callback: log ? C.logTick : function (v) { return C.fmt(Number(v)); } } }
      }
    }
  });
  this.relabel();
}
C.extend(Histogram);

Histogram.prototype.relabel = function () {
  var s = this.spec, o = this.chart.options.scales, self = this;
  o.x.title.text = s.xLabel ? i18n.pick(s.xLabel) : (s.param || 'value');
  o.y.title.text = s.yLabel ? i18n.pick(s.yLabel) : (s.theory ? 'density' : 'fraction');
  this.chart.data.datasets.forEach(function (d) {
    var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
    d.label = r ? i18n.pick(r.label) : d.runId;
  });
  this.schedule();
};

Histogram.prototype.setData = function (runId, metrics) { this.latest[runId] = metrics; this.schedule(); };
Histogram.prototype.clear = function () { this.latest = {}; this.range = this.spec.range || null; this.schedule(); };
Histogram.prototype.clearRun = function (runId) { delete this.latest[runId]; this.schedule(); };
Histogram.prototype.pointCount = function (runId) {
  var n = 0;
  this.chart.data.datasets.forEach(function (d) { if (!d.theory && (!runId || d.runId === runId)) n += d.data.length; });
  return n;
};

// {edges: [lo, hi], bins: fractions} for one run, or null
Histogram.prototype.binsOf = function (m) {
  var spec = this.spec;
  if (spec.weights) {
    var w = m.weights && m.weights[spec.param];
    if (!w) return null;
    var v = flatten(w, []);
    if (!this.range) {
      // symmetric, from the first run seen, rounded up to 1, 2 or 5 × 10^k; kept until the runs are reset
      var mx = 0;
      for (var i = 0; i < v.length; i++) if (isFinite(v[i])) mx = Math.max(mx, Math.abs(v[i]));
      if (!(mx > 0)) mx = 1;
      var p = Math.pow(10, Math.floor(Math.log10(mx))), k = mx / p;
      mx = (k <= 1 ? 1 : k <= 2 ? 2 : k <= 5 ? 5 : 10) * p;
      this.range = [-mx, mx];
    }
    var nb = spec.bins || 40, lo = this.range[0], hi = this.range[1], width = (hi - lo) / nb, counts = new Array(nb).fill(0);
    for (var j = 0; j < v.length; j++) {
      var bin = Math.floor((v[j] - lo) / width);
      if (bin >= 0 && bin < nb) counts[bin] += 1; // values outside the range are left out (still counted in the total)
    }
    return { lo: lo, width: width, bins: counts.map(function (c) { return c / Math.max(1, v.length); }), shape: [w.length, Array.isArray(w[0]) ? w[0].length : 1] };
  }
  var h = m[spec.metric || 'act_hist'];
  if (!h || h.length < HIST_BINS) return null;
  var layers = Math.floor(h.length / HIST_BINS), L = spec.layer === undefined ? -1 : spec.layer;
  var idx = L < 0 ? layers + L : L - 1;
  if (idx < 0 || idx >= layers) return null;
  return { lo: -HIST_RANGE, width: 2 * HIST_RANGE / HIST_BINS, bins: Array.prototype.slice.call(h, idx * HIST_BINS, (idx + 1) * HIST_BINS) };
};

Histogram.prototype.redraw = function () {
  var self = this, spec = this.spec, log = spec.yScale === 'log', xs = this.chart.options.scales.x;
  this.chart.data.datasets.forEach(function (d) {
    var m = self.latest[d.runId], b = m && self.binsOf(m);
    if (!b) { d.data = []; return; }
    // the x axis spans the bins (or spec.xMin / spec.xMax), not whatever Chart.js rounds the data to
    xs.min = spec.xMin !== undefined ? spec.xMin : b.lo;
    xs.max = spec.xMax !== undefined ? spec.xMax : b.lo + b.width * b.bins.length;
    var scale = spec.theory ? 1 / b.width : 1;
    if (!d.theory) {
      // explicit steps (both edges of every bin), so a lone bin still shows; on a log axis empty bins are gaps
      var steps = [];
      b.bins.forEach(function (f, i) {
        var y = f * scale, x0 = b.lo + i * b.width;
        if (log && !(y > 0)) { steps.push({ x: x0, y: null }); return; }
        steps.push({ x: x0, y: y }, { x: x0 + b.width, y: y });
      });
      d.data = steps;
      return;
    }
    var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
    var t = b.shape && initTheory(Object.assign({}, spec.init || {}, ((r && r.config) || {}).init || {}), spec.param, b.shape[0], b.shape[1]);
    if (!t) { d.data = []; return; }
    var pts = [], lo = b.lo, hi = b.lo + b.width * b.bins.length, n = 160;
    if (t.shape === 'uniform') {
      var top = density(t, 0), e = Math.min(t.bound, hi);
      pts = [{ x: lo, y: 0 }, { x: -e, y: 0 }, { x: -e, y: top }, { x: e, y: top }, { x: e, y: 0 }, { x: hi, y: 0 }];
    } else {
      for (var i = 0; i <= n; i++) { var x = lo + (hi - lo) * i / n; pts.push({ x: x, y: density(t, x) }); }
    }
    d.data = pts.filter(function (p) { return !log || p.y > 0; });
  });
  this.chart.update('none');
};


// the plotted data (CSV export: one row per bin edge, a column per run and formula) and a text summary (each run's peak)
Histogram.prototype.table = function () {
  var x = this.chart.options.scales.x.title.text || 'x';
  return C.seriesTable(x, this.chart.data.datasets.map(function (d) {
    return { name: d.label + (d.theory ? ' (' + i18n.t('chartFormula') + ')' : ''), points: d.data };
  }));
};
Histogram.prototype.summary = function () {
  var t = this.table(), keep = [0];
  this.chart.data.datasets.forEach(function (d, i) { if (!d.theory) keep.push(i + 1); });
  return C.summarize({ columns: keep.map(function (i) { return t.columns[i]; }), rows: t.rows.map(function (r) { return keep.map(function (i) { return r[i]; }); }) }, 'peak');
};

export function histogram(canvas, spec, runs, opts) { return new Histogram(canvas, spec, runs, opts); }
