// @ts-check
// Chart kind "prediction": what each run outputs next to the truth, in the picture that suits the task — sine (one value per
// step): three validation windows with target and predictions, then a free-running forecast fed its own output; adding: predicted
// against true sum with the line y = x; XOR (2-D inputs): the decision surface over the input plane with the data points; copy
// and parity: input and output tokens, wrong ones marked. Plotting only: the numbers come from run.predict()/inspect().
//
// spec: {id, kind: 'prediction', metric: 'predict', samples?: n (scatter/surface points, default 64), forecast?: steps (default
//        2·T), runs?: [ids], caption}
import * as C from './charts.js';
import * as i18n from './i18n.js';
import { ViewBase, vt, paintHeatmap, textColour } from './view-base.js';
import { predictionMode, sampleIds, gridInputs, gridClass1, tokenRows, parityRows, argmax, fitStats, mean } from './view-data.js';

const WINDOWS = 3, GRID = 32, RANGE = 1.25;
const P = {
  truth: { 'zh-TW': '輸入／真實值', en: 'input / truth' },
  target: { 'zh-TW': '目標', en: 'target' },
  seriesX: { 'zh-TW': '3 個驗證視窗（目標與預測），然後自由預測（模型吃自己的輸出）→', en: '3 validation windows (target and prediction), then a free-running forecast (fed its own output) →' },
  trueSum: { 'zh-TW': '真實的和', en: 'true sum' },
  predicted: { 'zh-TW': '預測', en: 'predicted' },
  yx: { 'zh-TW': 'y = x（完全正確）', en: 'y = x (exactly right)' },
  run: { 'zh-TW': '模型', en: 'Run' },
  class0: { 'zh-TW': '類別 0（橘色區域）', en: 'class 0 (orange region)' },
  class1: { 'zh-TW': '類別 1（藍色區域）', en: 'class 1 (blue region)' },
  x1: { 'zh-TW': '輸入 x₁', en: 'input x₁' },
  x2: { 'zh-TW': '輸入 x₂', en: 'input x₂' },
  tokIn: { 'zh-TW': '輸入', en: 'input' },
  tokWant: { 'zh-TW': '目標', en: 'target' },
  wrong: { 'zh-TW': '錯 {e}／{n}', en: '{e} of {n} wrong' },
  wrongSeqs: { 'zh-TW': '{n} 條序列錯 {e} 條', en: '{e} of {n} sequences wrong' },
};
/** @param {keyof typeof P} k @param {Record<string, any>} [p] */
function pt(k, p) { return i18n.pick(P[k]).replace(/\{(\w+)\}/g, (_, x) => (p && p[x] !== undefined ? String(p[x]) : '')); }

function PredictionChart(canvas, spec, runs, opts) {
  ViewBase.call(this, canvas, spec, runs, opts);
  this.mode = null;
  this.sample = 0;
  this.shown = runs.length ? runs[0].id : null;
  const task = runs.length && opts && opts.taskOf ? opts.taskOf(runs[0]) : null;
  if (task) this.size(task.name);
  const self = this;
  this.plugin = { id: 'rnnlabPrediction', beforeDatasetsDraw: (chart) => self.paintBack(chart), afterDatasetsDraw: (chart) => self.paintFront(chart) };
  this.draw({
    type: 'scatter',
    data: { datasets: [] },
    plugins: [this.plugin],
    options: {
      animation: false, parsing: false, responsive: true, maintainAspectRatio: false,
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 18, boxHeight: 8, filter: (item, d) => !!d.datasets[item.datasetIndex].label } },
        tooltip: { enabled: false }
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: '', font: { size: 12 } }, ticks: { maxRotation: 0 } },
        y: { type: 'linear', title: { display: true, text: '', font: { size: 11 } } }
      }
    }
  });
}
C.extend(PredictionChart, ViewBase);

/** the controls this mode needs, made once the first run's task is known */
PredictionChart.prototype.setMode = function (mode, info) {
  this.mode = mode;
  this.T = info.info.length;
  if (mode === 'surface' && this.runs.length > 1) {
    this.makeControls([{ key: 'run', label: 'show', type: 'select', value: this.shown, options: () => this.runList().map((r) => [r.id, r.name]) }],
      (k, v) => { this.shown = v; this.schedule(); });
  }
  if (mode === 'tokens') {
    this.makeControls([{ key: 'sample', label: 'sample', type: 'select', value: 0, options: () => Array.from({ length: 8 }, (_, k) => [k, '#' + (k + 1)]) }],
      (k, v) => { this.sample = Number(v); this.refresh(); });
    this.size(info.info.name);
  }
  const o = this.chart.options, show = mode === 'series' || mode === 'scatter' || mode === 'surface';
  o.scales.x.display = o.scales.y.display = show;
  o.plugins.legend.display = show;
  if (mode === 'series') o.scales.x.ticks.display = false;
  if (mode === 'surface') {
    o.scales.x.min = o.scales.y.min = -RANGE; o.scales.x.max = o.scales.y.max = RANGE;
    const half = (v) => (Math.abs(v * 2 - Math.round(v * 2)) < 1e-6 ? String(v) : '');
    o.scales.x.ticks.callback = o.scales.y.ticks.callback = half;
    this.size('xor');
  }
  this.relabel();
};
/** the box's height for a task's view (surface: square-ish; tokens: a row per run), set as early as the task is known:
 *  changed after the chart was made, it cost a Chart.js resize (~25 ms) in the frame of the first tick @param {string} [task] */
PredictionChart.prototype.size = function (task) {
  const h = task === 'xor' ? 360 : task === 'parity' || task === 'copy' ? (task === 'parity' ? 130 : 110) + 26 * this.runs.length : 0;
  const box = /** @type {HTMLElement|null} */ (this.canvas.parentNode);
  if (h && box && box.style.height !== h + 'px') box.style.height = h + 'px';
};

PredictionChart.prototype.asks = function (runId, info) {
  if (!this.mode) this.setMode(predictionMode(info), info);
  const n = this.spec.samples || 64;
  /** @param {number} k @returns {any} */
  const ins = (k) => ({ op: 'inspect', sample: k, layers: false });
  switch (this.mode) {
    case 'series': return sampleIds(info.info, WINDOWS).map(ins).concat([{ op: 'forecast', sample: 0, steps: Math.min(500, this.spec.forecast || 2 * info.info.length) }]);
    case 'scatter': return sampleIds(info.info, n).map(ins);
    case 'surface': return [/** @type {any} */ ({ op: 'predict', inputs: gridInputs(GRID, -RANGE, RANGE) })].concat(sampleIds(info.info, n).map(ins));
    case 'tokens': return info.info.name === 'parity' ? sampleIds(info.info, 8).map(ins) : [ins(this.sample)]; // parity: one answer per sequence, counted over 8
    default: return null;
  }
};
PredictionChart.prototype.digest = function (runId, res, info) {
  const name = info.info.name;
  switch (this.mode) {
    case 'series': return { windows: res.slice(0, -1).map((r) => ({ inputs: r.inputs.map((x) => x[0]), target: r.target[0], output: r.output[0] })), forecast: res[res.length - 1] };
    case 'scatter': return { points: res.map((r) => ({ x: Number(r.target[0]), y: Number(r.output[0]) })) };
    case 'surface': return { grid: gridClass1(res[0], GRID), points: res.slice(1).map((r) => ({ x: r.inputs[0][0], y: r.inputs[0][1], c: Number(r.target), ok: argmax(r.output) === Number(r.target) })) };
    case 'tokens': return Object.assign({ task: name }, name === 'parity' ? parityRows(res, this.sample) : tokenRows(name, res[0]));
    default: return null;
  }
};

PredictionChart.prototype.relabel = function () {
  const x = this.chart.options.scales.x.title, y = this.chart.options.scales.y.title;
  if (this.mode === 'series') { x.text = pt('seriesX'); y.text = 'y'; }
  else if (this.mode === 'scatter') { x.text = pt('trueSum'); y.text = pt('predicted'); }
  else if (this.mode === 'surface') { x.text = pt('x1'); y.text = pt('x2'); }
  this.labelControls();
  this.schedule();
};

/** @param {string} label @param {string} color @param {any[]} data @param {any} [more] */
function ds(label, color, data, more) { return Object.assign({ label, data, borderColor: color, backgroundColor: color, pointRadius: 3, borderWidth: 1.5 }, more || {}); }

PredictionChart.prototype.redraw = function () {
  const runs = this.runList(), out = [], ref = C.BASELINE_COLOR;
  if (this.mode === 'series') {
    const d0 = runs.map((r) => this.answers[r.id] && this.answers[r.id].data).filter(Boolean)[0];
    const T = this.T || 20, gap = T + 4, truth = [], targets = [];
    if (d0) {
      d0.windows.forEach((w, k) => {
        w.inputs.forEach((v, t) => truth.push({ x: k * gap + t + 1, y: v }));
        truth.push({ x: NaN, y: NaN });
        targets.push({ x: k * gap + T + 1, y: w.target });
      });
      const o = WINDOWS * gap;
      d0.forecast.window.forEach((v, t) => truth.push({ x: o + t + 1, y: v }));
      targets.push({ x: o + T + 1, y: d0.forecast.target[0] });
    }
    out.push(ds(pt('truth'), ref, truth, { showLine: true, pointRadius: 0, isBaseline: true, spanGaps: false }));
    out.push(ds(pt('target'), ref, targets, { pointStyle: 'crossRot', pointRadius: 7, borderWidth: 2, isBaseline: true }));
    runs.forEach((r) => {
      const d = this.answers[r.id] && this.answers[r.id].data;
      const pts = d ? d.windows.map((w, k) => ({ x: k * gap + T + 1, y: w.output })) : [];
      const fc = d ? d.forecast.forecast.map((v, s) => ({ x: WINDOWS * gap + T + 1 + s, y: v })) : [];
      out.push(ds(r.name, r.color, pts, { pointRadius: 5, pointStyle: 'circle', backgroundColor: 'rgba(0,0,0,0)', borderWidth: 2, runId: r.id }));
      out.push(ds('', r.color, fc, { showLine: true, pointRadius: 0, borderDash: [5, 3], runId: r.id }));
    });
  } else if (this.mode === 'scatter') {
    let lo = Infinity, hi = -Infinity;
    runs.forEach((r) => {
      const d = this.answers[r.id] && this.answers[r.id].data;
      (d ? d.points : []).forEach((p) => { lo = Math.min(lo, p.x, p.y); hi = Math.max(hi, p.x, p.y); });
      out.push(ds(r.name, r.color, d ? d.points : [], { pointRadius: 2.5, runId: r.id }));
    });
    if (isFinite(lo)) out.unshift(ds(pt('yx'), ref, [{ x: lo, y: lo }, { x: hi, y: hi }], { showLine: true, pointRadius: 0, borderDash: [6, 4], isBaseline: true }));
  } else if (this.mode === 'surface') {
    const d = this.answers[this.shown] && this.answers[this.shown].data, pts = d ? d.points : [];
    // points in black and white, so they show on both colours of the surface (a point on the wrong colour is misclassified)
    out.push(ds(pt('class0'), '#ffffff', pts.filter((p) => p.c === 0), { pointRadius: 4, borderColor: '#222222', borderWidth: 1.5 }));
    out.push(ds(pt('class1'), '#222222', pts.filter((p) => p.c === 1), { pointRadius: 4, pointStyle: 'rect', borderColor: '#ffffff', borderWidth: 1.5 }));
  }
  C.applyTheme({ options: this.chart.options, config: this.chart.config, data: { datasets: out } });
  this.chart.data.datasets = out;
  this.chart.update('none');
};

// the surface under the points; the token rows; a note when there is nothing to draw
PredictionChart.prototype.paintBack = function (chart) {
  const area = chart.chartArea;
  if (this.mode !== 'surface' || !area) return;
  const d = this.answers[this.shown] && this.answers[this.shown].data;
  if (!d) return;
  const signed = d.grid.map((row) => row.map((p) => 2 * p - 1));
  paintHeatmap(chart.ctx, signed, area.left, area.top, area.right - area.left, area.bottom - area.top, -1, 1, false, true, true);
};
PredictionChart.prototype.paintFront = function (chart) {
  const area = chart.chartArea, ctx = chart.ctx, fg = textColour(), runs = this.runList();
  if (!area) return;
  ctx.save();
  ctx.fillStyle = fg;
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'top';
  const err = runs.map((r) => this.answers[r.id] && this.answers[r.id].error).filter(Boolean)[0];
  if (!this.mode || this.mode === 'none' || this.mode === 'classes' || err) {
    ctx.fillText(err || (this.mode ? vt('notHere') : vt('waiting')), area.left + 4, area.top + 4);
  } else if (this.mode === 'tokens') this.paintTokens(chart);
  ctx.restore();
};
PredictionChart.prototype.paintTokens = function (chart) {
  const area = chart.chartArea, ctx = chart.ctx, fg = textColour(), runs = this.runList();
  const d0 = runs.map((r) => this.answers[r.id] && this.answers[r.id].data).filter(Boolean)[0];
  if (!d0) { ctx.fillText(vt('waiting'), area.left + 4, area.top + 4); return; }
  const rows = [{ name: pt('tokIn'), toks: d0.input, color: fg }, { name: pt('tokWant'), toks: d0.target, color: fg }];
  ctx.font = '12px sans-serif';
  runs.forEach((r) => {
    const d = this.answers[r.id] && this.answers[r.id].data;
    if (!d) return;
    // the count first when the line does not fit (a phone): the run's name may be cut, its count not
    const count = pt(d.task === 'parity' ? 'wrongSeqs' : 'wrong', { e: d.errors, n: d.scored });
    const name = ctx.measureText(r.name + ' — ' + count).width <= area.right - area.left - 8 ? r.name + ' — ' + count : count + ' — ' + r.name;
    rows.push({ name, toks: d.output, wrong: d.wrong, color: r.color });
  });
  const T = d0.input.length, w = (area.right - area.left) / T, rh = Math.min(26, (area.bottom - area.top) / (rows.length * 1.7));
  let y = area.top;
  ctx.textAlign = 'center';
  ctx.font = Math.max(10, Math.min(15, Math.floor(w * 0.8))) + 'px monospace';
  rows.forEach((row) => {
    ctx.textAlign = 'left'; ctx.fillStyle = row.color; ctx.font = '12px sans-serif';
    ctx.fillText(row.name, area.left, y);
    y += 14;
    ctx.textAlign = 'center'; ctx.font = Math.max(10, Math.min(15, Math.floor(w * 0.8))) + 'px monospace';
    row.toks.forEach((tok, i) => {
      const t = row.toks.length === T ? i : T - row.toks.length + i, x = area.left + t * w;
      if (row.wrong && row.wrong[i]) {
        ctx.fillStyle = 'rgba(213,94,0,0.35)'; ctx.fillRect(x + 1, y, w - 2, rh - 2);
        ctx.fillStyle = '#D55E00'; ctx.fillRect(x + 1, y + rh - 4, w - 2, 2);
      }
      ctx.fillStyle = fg;
      ctx.fillText(tok, x + w / 2, y + 3);
    });
    y += rh + 2;
  });
};

// tables (CSV) per mode and a sentence per run
PredictionChart.prototype.table = function () {
  const runs = this.runList(), data = runs.map((r) => this.answers[r.id] && this.answers[r.id].data);
  if (this.mode === 'tokens') {
    const d0 = data.filter(Boolean)[0];
    if (!d0) return { columns: ['t'], rows: [] };
    const T = d0.input.length, at = (d, i) => (d && d.output.length === T ? d.output[i] : d && i === T - 1 ? d.output[0] : null);
    return { columns: ['t', pt('tokIn'), pt('tokWant')].concat(runs.map((r) => r.name)),
      rows: d0.input.map((tok, i) => [i + 1, tok, d0.target.length === T ? d0.target[i] : i === T - 1 ? d0.target[0] : null].concat(data.map((d) => at(d, i)))) };
  }
  if (this.mode === 'surface') {
    const d0 = data.filter(Boolean)[0];
    return { columns: ['x1', 'x2', 'class'].concat(runs.map((r) => r.name + ' ok')),
      rows: d0 ? d0.points.map((p, k) => [p.x, p.y, p.c].concat(data.map((d) => (d ? Number(d.points[k].ok) : null)))) : [] };
  }
  if (this.mode === 'scatter') return C.seriesTable(pt('trueSum'), runs.map((r, i) => ({ name: r.name, points: data[i] ? data[i].points : [] })));
  if (this.mode === 'series') {
    const series = [];
    const d0 = data.filter(Boolean)[0];
    if (d0) series.push({ name: pt('target'), points: d0.windows.map((w, k) => ({ x: k + 1, y: w.target })) });
    runs.forEach((r, i) => { if (data[i]) series.push({ name: r.name, points: data[i].windows.map((w, k) => ({ x: k + 1, y: w.output })) }); });
    runs.forEach((r, i) => { if (data[i]) series.push({ name: r.name + ' forecast', points: data[i].forecast.forecast.map((y, s) => ({ x: WINDOWS + 1 + s, y })) }); });
    return C.seriesTable('window / forecast step', series);
  }
  return { columns: ['x'], rows: [] };
};
PredictionChart.prototype.summary = function () {
  const parts = [];
  this.runList().forEach((r) => {
    const a = this.answers[r.id], d = a && a.data;
    if (!d) return;
    if (this.mode === 'series') {
      const e = mean(d.windows.map((w) => Math.abs(w.output - w.target))), f = d.forecast.forecast;
      parts.push(r.name + ': |' + pt('predicted') + ' − ' + pt('target') + '| ' + C.fmt(e) + '; forecast ' + C.fmt(f[0]) + ' → ' + C.fmt(f[f.length - 1]) +
        ' (range ' + C.fmt(Math.min.apply(null, f)) + ' … ' + C.fmt(Math.max.apply(null, f)) + ')');
    } else if (this.mode === 'scatter') {
      const s = fitStats(d.points);
      parts.push(r.name + ': MAE ' + C.fmt(s.mae) + ', R² ' + C.fmt(s.r2));
    } else if (this.mode === 'surface') {
      parts.push(r.name + ': ' + d.points.filter((p) => p.ok).length + ' / ' + d.points.length + ' ✓');
    } else if (this.mode === 'tokens') parts.push(r.name + ': ' + pt(d.task === 'parity' ? 'wrongSeqs' : 'wrong', { e: d.errors, n: d.scored }));
  });
  return parts.length ? vt('step', { n: Math.max.apply(null, Object.keys(this.answers).map((id) => this.answers[id].step)) }) + ' — ' + parts.join('; ') + '.' : i18n.t('sumEmpty');
};

export function prediction(canvas, spec, runs, opts) { return new PredictionChart(canvas, spec, runs, opts); }
