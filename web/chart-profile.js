// @ts-check
// Chart kind "profile": a per-layer metric (act_mean, act_std, grad_block, …; x = layer 1…L) for each run, the latest probe
// as a solid line and the run's first probe (the start of training) dashed, with an optional shaded target band. Not a history.
import { Chart } from './chartjs.js';
import * as C from './charts.js';
import * as i18n from './i18n.js';

var FIRST = i18n.both('chartFirst');
var BAND_FILL = 'rgba(0, 158, 115, 0.13)';
var BAND_LEGEND = 'rgba(0, 158, 115, 0.35)';

function sub(s, step) { return String(s).replace('{step}', step === undefined ? '1' : String(step)); }

// spec: {metric, transform?: 'square' (plot value², e.g. act_std → variance), yScale?: 'linear'|'log', yMin?, yMax?,
//        first?: false (omit the dashed first probe), band?: {lo, hi, label} (shaded target region), xLabel, yLabel};
// runs: [{id, label, color?}] (already filtered by spec.runs)
function Profile(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  var self = this;
  this.latest = {};   // runId -> [y per layer]
  this.first = {};    // runId -> {ys, step}
  this.log = spec.yScale === 'log';
  this.showFirst = spec.first !== false;
  var datasets = [];
  if (spec.band) {
    datasets.push({ label: '', data: [], isBand: 'lo', borderColor: 'rgba(0,0,0,0)', backgroundColor: 'rgba(0,0,0,0)', pointRadius: 0, borderWidth: 0, fill: false });
    datasets.push({ label: '', data: [], isBand: 'hi', borderColor: 'rgba(0,0,0,0)', backgroundColor: BAND_FILL, pointRadius: 0, borderWidth: 0, fill: '-1' });
  }
  runs.forEach(function (r, i) {
    var c = C.PALETTE[(r.color !== undefined ? r.color : i) % C.PALETTE.length];
    datasets.push({ label: '', data: [], runId: r.id, borderColor: c, backgroundColor: c, borderWidth: 2, pointRadius: 2, pointHoverRadius: 4, tension: 0 });
    if (self.showFirst) {
      datasets.push({ label: '', data: [], runId: r.id, isFirst: true, borderColor: c, backgroundColor: c, borderWidth: 1.25,
                      borderDash: [5, 4], pointRadius: 0, pointHoverRadius: 3, tension: 0 });
    }
  });
  if (this.showFirst) {
    datasets.push({ label: '', data: [], isKey: true, borderColor: '#555555', backgroundColor: '#555555', borderWidth: 1.25, borderDash: [5, 4], pointRadius: 0 });
  }
  this.draw({
    type: 'line',
    data: { datasets: datasets },
    options: {
      animation: false, parsing: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            boxWidth: 24, boxHeight: 2,
            filter: function (item, data) { var d = data.datasets[item.datasetIndex]; return !d.isFirst && d.isBand !== 'lo'; },
            // the band's entry: a thick translucent bar like the band itself (the others are thin lines)
            generateLabels: function (chart) {
              var items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
              items.forEach(function (it) { if (chart.data.datasets[it.datasetIndex].isBand === 'hi') { it.strokeStyle = BAND_LEGEND; it.lineWidth = 5; } });
              return items;
            }
          }
        },
        tooltip: {
          filter: function (item) { return !item.dataset.isBand && !item.dataset.isKey; },
          callbacks: {
            title: function (items) { return items.length ? self.axisLabel('x') + ' ' + items[0].parsed.x : ''; },
            label: function (ctx) { return ctx.dataset.label + (ctx.dataset.isFirst ? ' (' + i18n.t('chartStart') + ')' : '') + ': ' + C.fmt(ctx.parsed.y); }
          }
        }
      },
      scales: {
        x: { type: 'linear', min: 1, title: { display: true, text: '', font: { size: 12 } }, ticks: { maxRotation: 0, precision: 0 } },
        y: { type: this.log ? 'logarithmic' : 'linear', min: spec.yMin, max: spec.yMax, beginAtZero: false,
             title: { display: true, text: '', font: { size: 11 } },
             ticks: { callback: this.log ? C.logTick : function (v) { return C.fmt(Number(v)); } } }
      }
    }
  });
  this.relabel();
}
C.extend(Profile);

Profile.prototype.axisLabel = function (axis) {
  var l = axis === 'x' ? this.spec.xLabel : this.spec.yLabel;
  if (l) return i18n.pick(l);
  return axis === 'x' ? i18n.t('chartLayer') : this.spec.metric;
};

Profile.prototype.relabel = function () {
  var self = this, o = this.chart.options.scales;
  o.x.title.text = this.axisLabel('x');
  o.y.title.text = this.axisLabel('y');
  this.chart.data.datasets.forEach(function (d) {
    if (d.isBand) d.label = d.isBand === 'hi' ? i18n.pick(self.spec.band.label) : '';
    else if (d.isKey) d.label = sub(i18n.pick(self.spec.firstLabel || FIRST), self.firstStep());
    else {
      var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
      d.label = r ? i18n.pick(r.label) : d.runId;
    }
  });
  this.schedule();
};

Profile.prototype.firstStep = function () {
  var self = this, s;
  Object.keys(this.first).forEach(function (k) { if (s === undefined) s = self.first[k].step; });
  return s;
};

Profile.prototype.values = function (metrics) {
  var y = metrics && metrics[this.spec.metric], sq = this.spec.transform === 'square', out = [];
  if (!y) return null;
  for (var i = 0; i < y.length; i++) out.push(sq ? y[i] * y[i] : Number(y[i]));
  return out;
};

Profile.prototype.setData = function (runId, metrics) {
  var ys = this.values(metrics);
  if (!ys || !ys.length) return;
  this.latest[runId] = ys;
  if (!this.first[runId]) {
    var st = metrics.step;
    this.first[runId] = { ys: ys, step: st && st.length ? st[st.length - 1] : undefined };
    this.relabel();
  }
  this.schedule();
};

Profile.prototype.clear = function () { this.latest = {}; this.first = {}; this.relabel(); };
Profile.prototype.clearRun = function (runId) { delete this.latest[runId]; delete this.first[runId]; this.schedule(); };

Profile.prototype.points = function (ys) {
  var pts = [], log = this.log;
  (ys || []).forEach(function (v, i) { if (isFinite(v) && (!log || v > 0)) pts.push({ x: i + 1, y: v }); });
  return pts;
};

Profile.prototype.pointCount = function (runId) {
  var n = 0, self = this;
  Object.keys(this.latest).forEach(function (k) { if (!runId || k === runId) n += self.points(self.latest[k]).length; });
  return n;
};

Profile.prototype.redraw = function () {
  var self = this, L = 1;
  Object.keys(this.latest).forEach(function (k) { L = Math.max(L, self.latest[k].length); });
  this.chart.data.datasets.forEach(function (d) {
    if (d.isBand) d.data = [{ x: 1, y: d.isBand === 'lo' ? self.spec.band.lo : self.spec.band.hi }, { x: L, y: d.isBand === 'lo' ? self.spec.band.lo : self.spec.band.hi }];
    else if (d.isKey) d.data = [];
    else if (d.isFirst) d.data = self.first[d.runId] ? self.points(self.first[d.runId].ys) : [];
    else d.data = self.points(self.latest[d.runId]);
  });
  this.chart.options.scales.x.max = L;
  this.chart.update('none');
};


// the plotted data (CSV export: one row per layer, a column per run, latest and start) and a text summary (first and last layer)
Profile.prototype.table = function () {
  var self = this, start = i18n.t('chartStart');
  var series = [];
  this.runs.forEach(function (r) {
    var name = i18n.pick(r.label);
    series.push({ name: name, points: self.points(self.latest[r.id]) });
    if (self.showFirst) series.push({ name: name + ' (' + start + ')', points: self.first[r.id] ? self.points(self.first[r.id].ys) : [] });
  });
  return C.seriesTable(this.axisLabel('x'), series);
};
Profile.prototype.summary = function () {
  var t = this.table(), keep = [0];
  for (var i = 1; i < t.columns.length; i += this.showFirst ? 2 : 1) keep.push(i);
  return C.summarize({ columns: keep.map(function (i) { return t.columns[i]; }), rows: t.rows.map(function (r) { return keep.map(function (i) { return r[i]; }); }) }, 'profile');
};

export function profile(canvas, spec, runs, opts) { return new Profile(canvas, spec, runs, opts); }
