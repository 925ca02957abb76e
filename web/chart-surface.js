// @ts-check
// Chart kind "surface": the loss surface of a linear model with two weights (contours, computed here from the run's custom data)
// and every run's path through (w₁, w₂): one point per step ("weights": "every") or per tick ("weights": true).
// Plotting only: the contours are evaluated, never optimised, and the paths are the weights the runs report; nothing here trains.
//
// spec: {id, kind: 'surface', metric: 'weights', weights: 'every' | true, runs?: [ids], param?: 'head.weight' (entries [0][0], [0][1]),
//        bias?: 'head.bias' (held at its first reported value, else 0), start?: [w1, w2] (the point before step 1),
//        xRange: [lo, hi], yRange: [lo, hi], levels?: [losses] (default: 1, 2, 5 × 10^k), xLabel, yLabel, caption,
//        minLabel?: {zh-TW, en}, height?: px (the chart box's height; default the stylesheet's)}
// The data are the first run's config.task.inputs ([B][1][2]) and targets ([B][1]); the loss is the mean squared error.
import * as C from './charts.js';
import * as i18n from './i18n.js';
var GRID = 90;  // contour grid cells per side

function dataOf(runs) {
  for (var i = 0; i < runs.length; i++) {
    var t = runs[i].config && runs[i].config.task;
    if (t && Array.isArray(t.inputs) && Array.isArray(t.targets)) {
      var X = [], Y = [];
      for (var b = 0; b < t.inputs.length; b++) {
        var seq = t.inputs[b], x = seq[seq.length - 1], y = t.targets[b];
        X.push([Number(x[0]), Number(x[1])]);
        Y.push(Number(Array.isArray(y) ? y[0] : y));
      }
      return { X: X, Y: Y };
    }
  }
  return null;
}

// mse(w1, w2) = a·w1² + b·w2² + 2c·w1·w2 − 2d·w1 − 2e·w2 + f (moments of the data, bias folded into the targets)
function moments(data, bias) {
  var m = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 }, n = data.X.length;
  for (var i = 0; i < n; i++) {
    var x = data.X[i], y = data.Y[i] - bias;
    m.a += x[0] * x[0]; m.b += x[1] * x[1]; m.c += x[0] * x[1]; m.d += x[0] * y; m.e += x[1] * y; m.f += y * y;
  }
  Object.keys(m).forEach(function (k) { m[k] /= n; });
  return m;
}
function lossAt(m, w1, w2) { return m.a * w1 * w1 + m.b * w2 * w2 + 2 * m.c * w1 * w2 - 2 * m.d * w1 - 2 * m.e * w2 + m.f; }
function minimum(m) {
  var det = m.a * m.b - m.c * m.c;
  if (!(Math.abs(det) > 1e-12)) return null;
  return [(m.d * m.b - m.e * m.c) / det, (m.a * m.e - m.c * m.d) / det];
}

function defaultLevels() {
  var out = [];
  for (var e = -4; e <= 3; e++) [1, 2, 5].forEach(function (k) { out.push(k * Math.pow(10, e)); });
  return out;
}

// marching squares on a grid of values v[j][i] (j: y index, i: x index); returns segments [[x0,y0,x1,y1], …] in grid units
function contour(v, level) {
  var segs = [], ny = v.length - 1, nx = v[0].length - 1;
  function lerp(a, b) { return (level - a) / (b - a); }
  for (var j = 0; j < ny; j++) {
    for (var i = 0; i < nx; i++) {
      var a = v[j][i], b = v[j][i + 1], c = v[j + 1][i + 1], d = v[j + 1][i];
      var code = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      var pts = [];
      if ((code & 1) !== ((code >> 1) & 1)) pts.push([i + lerp(a, b), j]);       // bottom edge a-b
      if (((code >> 1) & 1) !== ((code >> 2) & 1)) pts.push([i + 1, j + lerp(b, c)]); // right edge b-c
      if (((code >> 2) & 1) !== ((code >> 3) & 1)) pts.push([i + lerp(d, c), j + 1]); // top edge d-c
      if (((code >> 3) & 1) !== (code & 1)) pts.push([i, j + lerp(a, d)]);       // left edge a-d
      if (pts.length === 2) segs.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]);
      else if (pts.length === 4) { segs.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]); segs.push([pts[2][0], pts[2][1], pts[3][0], pts[3][1]]); }
    }
  }
  return segs;
}

function SurfaceChart(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  this.param = spec.param || 'head.weight';
  this.biasParam = spec.bias || 'head.bias';
  this.data = dataOf(runs);
  this.bias = 0;
  this.m = this.data ? moments(this.data, 0) : null;
  this.paths = {};   // runId -> {points: [{x,y}], step}
  this.cache = null; // {key, segs: [[level, segs]]}
  var self = this;
  var datasets = runs.map(function (r, i) {
    var color = C.PALETTE[(r.color !== undefined ? r.color : i) % C.PALETTE.length];
    return { label: '', data: [], runId: r.id, showLine: true, borderColor: color, backgroundColor: color, borderWidth: 1.25,
             pointRadius: 1.25, pointHoverRadius: 4, tension: 0, borderDash: spec.dashRuns ? C.DASHES[i % C.DASHES.length] : [] };
  });
  datasets.push({ label: '', data: [], isMin: true, showLine: false, order: -1, pointStyle: 'crossRot', pointRadius: 9, pointBorderWidth: 2.5,
                  borderColor: '#000000', backgroundColor: '#000000' });
  if (spec.height && canvas.parentNode && canvas.parentNode.style) canvas.parentNode.style.height = spec.height + 'px';
  var contourPlugin = { id: 'rnnlabContours', beforeDatasetsDraw: function (chart) { self.drawContours(chart); } };
  this.draw({
    type: 'scatter',
    data: { datasets: datasets },
    plugins: [contourPlugin],
    options: {
      animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false,
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 24, boxHeight: 2, filter: function (item, d) { return !!d.datasets[item.datasetIndex].label; },
                                                 sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var p = ctx.raw || {};
              var head = ctx.dataset.isMin ? ctx.dataset.label : ctx.dataset.label + (p.step !== undefined ? ' (' + p.step + ')' : '');
              return head + ': w₁ = ' + C.fmt(p.x) + ', w₂ = ' + C.fmt(p.y) + (self.m ? ', loss = ' + C.fmt(lossAt(self.m, p.x, p.y)) : '');
            }
          }
        }
      },
      scales: {
        x: { type: 'linear', min: spec.xRange ? spec.xRange[0] : undefined, max: spec.xRange ? spec.xRange[1] : undefined,
             title: { display: true, text: '', font: { size: 12 } }, ticks: { maxRotation: 0 } },
        y: { type: 'linear', min: spec.yRange ? spec.yRange[0] : undefined, max: spec.yRange ? spec.yRange[1] : undefined,
             title: { display: true, text: '', font: { size: 11 } } }
      }
    }
  });
  this.relabel();
}
C.extend(SurfaceChart);

SurfaceChart.prototype.relabel = function () {
  var self = this, c = this.chart, s = this.spec;
  c.options.scales.x.title.text = s.xLabel ? i18n.pick(s.xLabel) : 'w₁';
  c.options.scales.y.title.text = s.yLabel ? i18n.pick(s.yLabel) : 'w₂';
  c.data.datasets.forEach(function (d) {
    if (d.isMin) { d.label = self.m && minimum(self.m) ? i18n.pick(s.minLabel || i18n.both('chartMinimum')) : ''; return; }
    var r = self.runs.filter(function (x) { return x.id === d.runId; })[0];
    d.label = r ? i18n.pick(r.label) : d.runId;
  });
  this.schedule();
};


SurfaceChart.prototype.clear = function () { this.paths = {}; this.schedule(); };

// metrics.weightsTrace ([{step, weights}], one entry per step: a chart with "weights": "every") or else metrics.weights (one
// point per tick). A first step not after the path's last one means the run was created again: the path restarts.
SurfaceChart.prototype.setData = function (runId, metrics) {
  if (!metrics) return;
  var trace = metrics.weightsTrace ||
    (metrics.weights ? [{ step: metrics.step ? metrics.step.length : 0, weights: metrics.weights }] : null);
  if (!trace || !trace.length || !trace[0].weights[this.param]) return;
  var p = this.paths[runId];
  if (!p || trace[0].step <= p.step) {
    p = this.paths[runId] = { points: [], step: 0 };
    if (this.spec.start) p.points.push({ x: this.spec.start[0], y: this.spec.start[1], step: 0 });
    var b = trace[0].weights[this.biasParam];
    var bias = b !== undefined ? Number(Array.isArray(b) ? b[0] : b) : 0;
    if (isFinite(bias) && bias !== this.bias && this.data) { this.bias = bias; this.m = moments(this.data, bias); this.cache = null; }
  }
  for (var i = 0; i < trace.length; i++) {
    var e = trace[i];
    if (!(e.step > p.step)) continue;
    p.step = e.step;
    var W = e.weights[this.param], row = Array.isArray(W[0]) ? W[0] : W;
    var x = Number(row[0]), y = Number(row[1]);
    if (isFinite(x) && isFinite(y)) p.points.push({ x: x, y: y, step: e.step });
  }
  this.schedule();
};

SurfaceChart.prototype.pointCount = function (runId) {
  var self = this, n = 0;
  Object.keys(this.paths).forEach(function (id) { if (!runId || id === runId) n += self.paths[id].points.length; });
  return n;
};

SurfaceChart.prototype.drawContours = function (chart) {
  if (!this.m) return;
  var area = chart.chartArea, xs = chart.scales.x, ys = chart.scales.y;
  if (!area || !(area.right > area.left) || !(area.bottom > area.top)) return;
  var key = [area.left, area.top, area.right, area.bottom, xs.min, xs.max, ys.min, ys.max, this.bias].join(',');
  if (!this.cache || this.cache.key !== key) {
    var v = [], n = GRID;
    for (var j = 0; j <= n; j++) {
      var row = [], w2 = ys.min + (ys.max - ys.min) * j / n;
      for (var i = 0; i <= n; i++) row.push(Math.log(Math.max(1e-12, lossAt(this.m, xs.min + (xs.max - xs.min) * i / n, w2))));
      v.push(row);
    }
    var levels = (this.spec.levels || defaultLevels()), out = [];
    for (var k = 0; k < levels.length; k++) {
      var segs = contour(v, Math.log(levels[k]));
      if (segs.length) out.push({ level: levels[k], segs: segs });
    }
    this.cache = { key: key, levels: out };
  }
  var ctx = chart.ctx, sx = (area.right - area.left) / GRID, sy = (area.bottom - area.top) / GRID;
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
  ctx.clip();
  this.cache.levels.forEach(function (L) {
    var mant = L.level / Math.pow(10, Math.floor(Math.log10(L.level) + 1e-9));
    ctx.strokeStyle = Math.abs(mant - 1) < 1e-6 ? 'rgba(40,40,40,0.7)' : 'rgba(90,90,90,0.45)';
    ctx.lineWidth = Math.abs(mant - 1) < 1e-6 ? 1.1 : 0.8;
    ctx.beginPath();
    L.segs.forEach(function (s) {
      ctx.moveTo(area.left + s[0] * sx, area.bottom - s[1] * sy);
      ctx.lineTo(area.left + s[2] * sx, area.bottom - s[3] * sy);
    });
    ctx.stroke();
  });
  ctx.restore();
};

SurfaceChart.prototype.redraw = function () {
  var self = this;
  this.chart.data.datasets.forEach(function (d) {
    if (d.isMin) { var mn = self.m && minimum(self.m); d.data = mn ? [{ x: mn[0], y: mn[1] }] : []; return; }
    d.data = self.paths[d.runId] ? self.paths[d.runId].points : [];
  });
  this.chart.update('none');
};

// the plotted data (CSV export: one row per step, w1 and w2 columns per run) and a text summary (where each run is now)
SurfaceChart.prototype.table = function () {
  var self = this, series = [];
  this.runs.forEach(function (r) {
    var name = i18n.pick(r.label), pts = self.paths[r.id] ? self.paths[r.id].points : [];
    series.push({ name: name + ' w1', points: pts.map(function (p) { return { x: p.step, y: p.x }; }) });
    series.push({ name: name + ' w2', points: pts.map(function (p) { return { x: p.step, y: p.y }; }) });
  });
  return C.seriesTable('step', series);
};
SurfaceChart.prototype.summary = function () { return C.summarize(this.table(), 'last'); };

export function surface(canvas, spec, runs, opts) { return new SurfaceChart(canvas, spec, runs, opts); }
