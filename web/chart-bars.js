// @ts-check
// Chart kind "bars": one bar per run at the latest tick — a statistic of a metric (spec.metric + stat, as in web/claim.js),
// or the std of a parameter tensor (spec.weights: true, spec.param) beside the std its initialiser formula predicts (spec.theory).
// It compares runs at one moment; it is not a history (use the line chart for that).
import * as C from './charts.js';
import * as i18n from './i18n.js';
import { stat } from './claim.js';
import { initTheory, flattenAll } from './chart-histogram.js';

function std(v) {
  var n = 0, s = 0, q = 0;
  for (var i = 0; i < v.length; i++) if (isFinite(v[i])) { n++; s += v[i]; }
  if (!n) return NaN;
  var mean = s / n;
  for (var j = 0; j < v.length; j++) if (isFinite(v[j])) q += (v[j] - mean) * (v[j] - mean);
  return Math.sqrt(q / n);
}

// spec: {metric, stat?, n?, m?} or {weights: true, param: name | {runId: name}, theory?: true, init?},
//       yScale?, xLabel?, yLabel, seriesLabels?: {measured, theory}; runs: [{id, label, color, config}]
function Bars(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  this.latest = {};
  var colors = runs.map(function (r, i) { return C.PALETTE[(r.color !== undefined ? r.color : i) % C.PALETTE.length]; });
  var datasets = [{ label: '', data: [], backgroundColor: colors, borderColor: colors, borderWidth: 1.5 }];
  if (spec.theory) datasets.push({ label: '', data: [], theory: true, backgroundColor: 'rgba(255,255,255,0)', borderColor: colors, borderWidth: 2, borderDash: [5, 3] });
  var log = spec.yScale === 'log';
  this.draw({
    type: 'bar',
    data: { labels: runs.map(function () { return ''; }), datasets: datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: {
        legend: { display: !!spec.theory, position: 'bottom', labels: { boxWidth: 18, boxHeight: 10,
          generateLabels: function (chart) {
            return chart.data.datasets.map(function (d, i) {
              return { text: d.label, datasetIndex: i, fillStyle: d.theory ? 'rgba(255,255,255,0)' : '#888888', strokeStyle: '#555555',
                       lineWidth: 1.5, lineDash: d.theory ? [4, 3] : [], hidden: !chart.isDatasetVisible(i) };
            });
          } } },
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + C.fmt(ctx.parsed.y); } } }
      },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkip: false, font: { size: 11 } }, title: { display: !!spec.xLabel, text: '' } },
        y: { type: log ? 'logarithmic' : 'linear', beginAtZero: !log, title: { display: true, text: '', font: { size: 11 } },
             ticks: { callback: log ? C.logTick : function (v) { return C.fmt(Number(v)); } } }
      }
    }
  });
  this.relabel();
}
C.extend(Bars);

// category labels wrap on "+" or spaces so narrow screens keep them readable
function wrap(text) {
  var parts = String(text).split(/\s*\+\s*|\s+(?=\()/);
  return parts.length > 1 ? parts : text;
}

Bars.prototype.relabel = function () {
  var s = this.spec, c = this.chart, sl = s.seriesLabels || {};
  c.data.labels = this.runs.map(function (r) { return wrap(i18n.pick(r.shortLabel || r.label)); });
  c.data.datasets[0].label = sl.measured ? i18n.pick(sl.measured) : (i18n.get() === 'en' ? 'measured' : '實測');
  if (c.data.datasets[1]) c.data.datasets[1].label = sl.theory ? i18n.pick(sl.theory) : (i18n.get() === 'en' ? 'formula' : '公式');
  c.options.scales.x.title.text = s.xLabel ? i18n.pick(s.xLabel) : '';
  c.options.scales.y.title.text = s.yLabel ? i18n.pick(s.yLabel) : (s.metric || 'std');
  this.schedule();
};

Bars.prototype.setData = function (runId, metrics) { this.latest[runId] = metrics; this.schedule(); };
Bars.prototype.clear = function () { this.latest = {}; this.schedule(); };
Bars.prototype.clearRun = function (runId) { delete this.latest[runId]; this.schedule(); };
Bars.prototype.pointCount = function (runId) {
  var d = this.chart.data.datasets[0].data, n = 0;
  this.runs.forEach(function (r, i) { if ((!runId || r.id === runId) && isFinite(d[i])) n++; });
  return n;
};

Bars.prototype.paramOf = function (runId) {
  var p = this.spec.param;
  return typeof p === 'string' ? p : (p && (p[runId] || p['*']));
};

Bars.prototype.redraw = function () {
  var self = this, spec = this.spec, ds = this.chart.data.datasets;
  ds[0].data = this.runs.map(function (r) {
    var m = self.latest[r.id];
    if (!m) return null;
    if (!spec.weights) { var v = stat(m[spec.metric], spec.stat || 'last', spec.n, spec.m); return isFinite(v) ? v : null; }
    var w = m.weights && m.weights[self.paramOf(r.id)];
    return w ? std(flattenAll(w)) : null;
  });
  if (ds[1]) {
    ds[1].data = this.runs.map(function (r) {
      var m = self.latest[r.id], name = self.paramOf(r.id), w = m && m.weights && m.weights[name];
      if (!w || !Array.isArray(w[0]) || !initTheory) return null;
      var t = initTheory(Object.assign({}, spec.init || {}, (r.config || {}).init || {}), name, w.length, w[0].length);
      return t ? t.std : null;
    });
  }
  this.chart.update('none');
};


// the plotted data (CSV export) and a text summary: one row per run, a column per dataset (measured, formula)
Bars.prototype.table = function () {
  var ds = this.chart.data.datasets, self = this;
  return {
    columns: [i18n.t('chartRun')].concat(ds.map(function (d) { return d.label; })),
    rows: this.runs.map(function (r, i) {
      return [i18n.pick(r.label)].concat(ds.map(function (d) { var v = d.data[i]; return v === null || v === undefined || !isFinite(v) ? null : v; }));
    }).filter(function (row) { return row.slice(1).some(function (v) { return v !== null; }) || self.runs.length === 0; })
  };
};
Bars.prototype.summary = function () { return C.summarize(this.table(), 'value'); };

export function bars(canvas, spec, runs, opts) { return new Bars(canvas, spec, runs, opts); }
