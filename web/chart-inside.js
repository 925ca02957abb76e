// @ts-check
// Chart kind "inside": one validation sample through every run, as units × time heatmaps of the hidden state h, or of the
// LSTM's cell state c and gates i, f, g, o / the GRU's r, z, n (a selector), one panel per run and recurrent layer, the sample's
// inputs drawn as a strip above each panel. Plotting only: the numbers are run.inspect()'s (web/worker-look.js); nothing trains here.
//
// spec: {id, kind: 'inside', metric: 'inspect', show?: 'h'|'c'|'f'|… (first quantity shown; default 'h'), sample?: k (0),
//        samples?: n (the selector offers 0 … n−1; default 8), runs?: [ids], caption}
import * as C from './charts.js';
import * as i18n from './i18n.js';
import { ViewBase, vt, paintHeatmap, textColour, viewChanged } from './view-base.js';
import { heatmapOf, quantities, markedSteps, mean } from './view-data.js';

const STRIP_MAX = 4;   // inputs drawn as a strip only up to this many channels (text's one-hot has 41)

function InsideChart(canvas, spec, runs, opts) {
  ViewBase.call(this, canvas, spec, runs, opts);
  this.sample = spec.sample || 0;
  this.show = spec.show || 'h';
  const self = this;
  const n = Math.max(1, Math.min(64, spec.samples || 8));
  this.makeControls([
    { key: 'sample', label: 'sample', type: 'select', value: this.sample, options: () => Array.from({ length: n }, (_, k) => [k, '#' + (k + 1)]) },
    { key: 'show', label: 'show', type: 'select', value: this.show, options: () => self.offered().map((q) => [q, vt(/** @type {any} */ (q))]) },
  ], (key, v) => {
    if (key === 'sample') { self.sample = Number(v); self.refresh(); } else { self.show = v; self.schedule(); viewChanged(); }
  });
  if (canvas.parentNode && canvas.parentNode.style) canvas.parentNode.style.height = (60 + 110 * Math.max(1, runs.length)) + 'px';
  const plugin = { id: 'rnnlabInside', afterDatasetsDraw: (chart) => self.paint(chart) };
  this.draw({
    type: 'scatter',
    data: { datasets: [{ label: '', data: [] }] },
    plugins: [plugin],
    options: {
      animation: false, parsing: false, responsive: true, maintainAspectRatio: false,
      layout: { padding: { right: 8 } },
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { type: 'linear', min: 0.5, max: 10.5, title: { display: true, text: '', font: { size: 12 } }, ticks: { maxRotation: 0, precision: 0 } },
        y: { type: 'linear', min: 0, max: 1, display: false }
      }
    }
  });
  this.relabel();
}
C.extend(InsideChart, ViewBase);

/** the quantities any shown run has (h first) */
InsideChart.prototype.offered = function () {
  const seen = ['h'];
  Object.keys(this.infos).forEach((id) => quantities(this.infos[id].model && this.infos[id].model.cell).forEach((q) => { if (seen.indexOf(q) < 0) seen.push(q); }));
  if (seen.indexOf(this.show) < 0) seen.push(this.show);
  return seen;
};
InsideChart.prototype.asks = function (runId, info) {
  const size = (info.info && (info.info.val_size || info.info.train_size)) || 1;
  return [{ op: 'inspect', sample: Math.min(this.sample, size - 1) }];
};
InsideChart.prototype.digest = function (runId, results, info) {
  this.labelControls();
  return { r: results[0], cell: info.model && info.model.cell, sample: this.sample };
};
// the LSTM's forget gate and the GRU's update gate play the same part (1 = keep the old state)
const SAME = { f: 'z', z: 'f' };
/** the quantity drawn for a run: the selected one if its cell has it, its counterpart (f ↔ z), else h @param {string} cell */
InsideChart.prototype.quantityFor = function (cell) {
  const q = quantities(cell);
  return q.indexOf(this.show) >= 0 ? this.show : q.indexOf(SAME[this.show]) >= 0 ? SAME[this.show] : 'h';
};

InsideChart.prototype.relabel = function () {
  this.chart.options.scales.x.title.text = vt('time');
  this.labelControls();
  this.schedule();
};
InsideChart.prototype.redraw = function () {
  let T = 1;
  Object.keys(this.answers).forEach((id) => { const d = this.answers[id].data; if (d && d.r) T = Math.max(T, d.r.inputs.length); });
  this.chart.options.scales.x.max = T + 0.5;
  this.chart.update('none');
};

// one panel per run and layer: a label line, the input strip, the heatmap (unit 1 at the top)
InsideChart.prototype.paint = function (chart) {
  const area = chart.chartArea, ctx = chart.ctx, xs = chart.scales.x, runs = this.runList();
  if (!area || !runs.length) return;
  const panels = [];
  runs.forEach((run) => {
    const a = this.answers[run.id], d = a && a.data;
    const layers = d && d.r && d.r.layers && d.r.layers.length ? d.r.layers.length : 1;
    for (let l = 0; l < layers; l++) panels.push({ run, a, d, l, layers });
  });
  const ph = (area.bottom - area.top) / panels.length, fg = textColour();
  ctx.save();
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'top';
  panels.forEach((p, k) => {
    const top = area.top + k * ph, x0 = xs.getPixelForValue(0.5);
    ctx.fillStyle = p.run.color;
    ctx.fillRect(area.left, top + 3, 10, 10);
    ctx.fillStyle = fg;
    let label = p.run.name + (p.layers > 1 ? ' · ' + vt('layer', { n: p.l + 1 }) : '');
    if (!p.d) { ctx.fillText(label + ' — ' + (p.a && p.a.error ? p.a.error : vt('waiting')), area.left + 14, top + 2); return; }
    const q = this.quantityFor(p.d.cell), hm = heatmapOf(p.d.r, p.l, q);
    label += ' — ' + vt(/** @type {any} */ (q)) + (q === 'h' && this.show !== 'h' ? ' (' + vt(/** @type {any} */ (this.show)) + ': —)' : '') +
      ' · ' + vt('step', { n: p.a.step });
    const range = hm ? '  [' + C.fmt(hm.lo) + ' … ' + C.fmt(hm.hi) + ']' : '';
    // the colour range only where it fits (narrow screens keep the name and the step)
    ctx.fillText(ctx.measureText(label + range).width <= area.right - area.left - 14 ? label + range : label, area.left + 14, top + 2);
    if (!hm) return;
    const inputs = p.d.r.inputs, strip = inputs[0] && inputs[0].length <= STRIP_MAX ? inputs[0].length : 0;
    const x1 = xs.getPixelForValue(hm.steps + 0.5), y = top + 18, sh = strip ? Math.min(6 * strip, 0.18 * ph) : 0;
    if (strip) {
      const rows = [];
      for (let c = 0; c < strip; c++) rows.push(inputs.map((x) => x[c]));
      paintHeatmap(ctx, rows, x0, y, x1 - x0, sh, -1, 1, false);
      const marks = markedSteps(inputs);
      ctx.fillStyle = fg;
      marks.forEach((t) => { const cx = xs.getPixelForValue(t + 1); ctx.fillRect(cx - 1, y + sh + 1, 2, 3); });
    }
    const hy = y + sh + (strip ? 5 : 0);
    paintHeatmap(ctx, hm.values, x0, hy, x1 - x0, Math.max(4, top + ph - 4 - hy), hm.lo, hm.hi, hm.gate);
  });
  ctx.restore();
};

// the mean over units of the drawn quantity at every time step, one column per run and layer (CSV and summary)
InsideChart.prototype.tableSeries = function () {
  const out = [];
  this.runList().forEach((run) => {
    const d = this.answers[run.id] && this.answers[run.id].data;
    if (!d || !d.r) return;
    const q = this.quantityFor(d.cell);
    d.r.layers.forEach((L, l) => {
      const hm = heatmapOf(d.r, l, q);
      if (hm) out.push({ name: run.name + (d.r.layers.length > 1 ? ' ' + vt('layer', { n: l + 1 }) : '') + ' ' + q + ' ' + i18n.pick({ 'zh-TW': '平均', en: 'mean' }),
        points: hm.meanT.map((y, t) => ({ x: t + 1, y })) });
    });
  });
  return out;
};
InsideChart.prototype.xName = function () { return vt('time'); };
InsideChart.prototype.summary = function () {
  const series = this.tableSeries();
  if (!series.length) return i18n.t('sumEmpty');
  const parts = series.map((s) => {
    const ys = s.points.map((p) => p.y), n = ys.length, h = Math.floor(n / 2);
    return i18n.pick({ 'zh-TW': '{s}：前半平均 {a}，後半平均 {b}', en: '{s}: mean {a} over the first half, {b} over the second' })
      .replace('{s}', s.name).replace('{a}', C.fmt(mean(ys, 0, h))).replace('{b}', C.fmt(mean(ys, h, n)));
  });
  return vt('sample') + ' #' + (this.sample + 1) + ' — ' + parts.join('; ') + '.';
};

export function inside(canvas, spec, runs, opts) { return new InsideChart(canvas, spec, runs, opts); }
