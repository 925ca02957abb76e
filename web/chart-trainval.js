// @ts-check
// Chart kind "trainval": every run's training loss (dashed, smoothed) and validation loss (solid) on one axes, so the gap between them is visible.
// Plotting only: it reads the runs' metric histories (loss/step, val_loss/val_step by default) and never trains or changes a run.
//
// spec: {id, kind: 'trainval', metric: 'val_loss', yScale?: 'log'|'linear', smooth?: 0..1 (train curve EMA, default 0.9),
//        series?: [{metric, x, smooth?, dash?: bool, label: {zh-TW, en}}]   (default: loss/step dashed, val_loss/val_step solid),
//        xLabel, yLabel, caption}
import * as C from './charts.js';
import * as i18n from './i18n.js';

var DEFAULT_SERIES = [
  { metric: 'loss', x: 'step', dash: true, label: i18n.both('chartTrain') },
  { metric: 'val_loss', x: 'val_step', dash: false, label: i18n.both('chartValidation') }
];

function TrainValChart(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  this.series = spec.series || DEFAULT_SERIES;
  this.log = spec.yScale === 'log';
  this.data = {};   // runId -> [{points, done, ema, k}] one per series
  var self = this;
  var datasets = [];
  runs.forEach(function (r, i) {
    var color = C.PALETTE[(r.color !== undefined ? r.color : i) % C.PALETTE.length];
    self.series.forEach(function (s, j) {
      datasets.push({
        label: '', data: [], runId: r.id, seriesIndex: j,
        borderColor: color, backgroundColor: color, borderDash: s.dash ? [6, 4] : [],
        borderWidth: s.dash ? 1.5 : 2.5, pointRadius: 0, pointHoverRadius: 3, tension: 0
      });
    });
  });
  this.draw({
    type: 'line',
    data: { datasets: datasets },
    options: {
      animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false, spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 24, boxHeight: 2 } },
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + C.fmt(ctx.parsed.y); } } }
      },
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: '', font: { size: 12 } }, ticks: { maxRotation: 0 } },
        y: { type: this.log ? 'logarithmic' : 'linear', beginAtZero: !this.log, title: { display: true, text: '', font: { size: 11 } },
             ticks: { callback: this.log ? C.logTick : function (v) { return C.fmt(Number(v)); } } }
      }
    }
  });
  this.relabel();
  this.setXMax(opts && opts.xMax);
}
C.extend(TrainValChart);

TrainValChart.prototype.relabel = function () {
  var self = this, c = this.chart;
  c.options.scales.x.title.text = this.spec.xLabel ? i18n.pick(this.spec.xLabel) : i18n.t('stepAxis');
  c.options.scales.y.title.text = this.spec.yLabel ? i18n.pick(this.spec.yLabel) : 'loss';
  c.data.datasets.forEach(function (d) {
    var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
    d.label = (r ? i18n.pick(r.label) : d.runId) + ' · ' + i18n.pick(self.series[d.seriesIndex].label);
  });
  this.schedule();
};

TrainValChart.prototype.setXMax = function (xMax) {
  this.chart.options.scales.x.max = xMax || undefined;
  this.schedule();
};

TrainValChart.prototype.clear = function () { this.data = {}; this.schedule(); };

TrainValChart.prototype.setData = function (runId, metrics) {
  if (!metrics) return;
  var self = this;
  var per = this.data[runId] || (this.data[runId] = this.series.map(C.newSeries));
  this.series.forEach(function (s, j) {
    var y = metrics[s.metric], xs = metrics[s.x || 'step'];
    if (!y || !xs) return;
    var st = per[j];
    if (y.length < st.done) st = per[j] = C.newSeries();
    var w = s.smooth !== undefined ? s.smooth : (s.dash ? (self.spec.smooth !== undefined ? self.spec.smooth : 0.9) : 0);
    C.appendPoints(st, y, xs, w, self.log);
  });
  this.schedule();
};

TrainValChart.prototype.pointCount = function (runId) {
  var self = this, n = 0;
  Object.keys(this.data).forEach(function (id) {
    if (runId && id !== runId) return;
    self.data[id].forEach(function (st) { n += st.points.length; });
  });
  return n;
};

TrainValChart.prototype.redraw = function () {
  var self = this;
  this.chart.data.datasets.forEach(function (d) {
    var per = self.data[d.runId];
    d.data = per ? C.decimate(per[d.seriesIndex].points) : [];
  });
  this.chart.update('none');
};

// the plotted data (CSV export) and a text summary (screen readers): one column per run and series
TrainValChart.prototype.xName = function () { return this.chart.options.scales.x.title.text || 'step'; };
TrainValChart.prototype.tableSeries = function () {
  var self = this;
  return this.chart.data.datasets.map(function (d) {
    var per = self.data[d.runId];
    return { name: d.label, points: per ? per[d.seriesIndex].points : [] };
  });
};
TrainValChart.prototype.summary = function () { return C.summarizeSeries(this.xName(), this.tableSeries(), 'history'); };

export function trainval(canvas, spec, runs, opts) { return new TrainValChart(canvas, spec, runs, opts); }
