// @ts-check
// Chart kind "generate": for text runs, the text each char-RNN writes after a prime at a chosen temperature (a slider, 0–2),
// one block per run, refreshed as it trains (≤ 4 times a second) with a fixed seed, so what changes is the model, not the dice.
// Plotting only: the text is run.generate()'s (web/worker-look.js); nothing trains here.
//
// spec: {id, kind: 'generate', metric: 'generate', prime?: 'Alice ' , temperature?: 0.5, length?: bytes (160), seed?: 1,
//        runs?: [ids], caption}
import * as C from './charts.js';
import * as i18n from './i18n.js';
import { ViewBase, vt, textColour } from './view-base.js';

const G = {
  prime: { 'zh-TW': '開頭文字', en: 'Prime' },
  temperature: { 'zh-TW': '溫度', en: 'Temperature' },
  notText: { 'zh-TW': '這個模型不是文字任務，不會寫字。', en: 'This run is not a text task: it writes no text.' },
};

function GenerateChart(canvas, spec, runs, opts) {
  ViewBase.call(this, canvas, spec, runs, opts);
  this.prime = spec.prime !== undefined ? spec.prime : 'Alice ';
  this.temperature = spec.temperature !== undefined ? spec.temperature : 0.5;
  this.makeControls([
    { key: 'prime', label: 'prime', type: 'text', value: this.prime },
    { key: 'temperature', label: 'temperature', type: 'range', min: 0, max: 2, step: 0.1, value: this.temperature },
  ], (key, v) => {
    if (key === 'prime') this.prime = v; else this.temperature = Number(v);
    this.refresh();
  });
  this.fit(canvas.parentNode && /** @type {any} */ (canvas.parentNode).clientWidth);
  this.draw({
    type: 'scatter',
    data: { datasets: [{ label: '', data: [] }] },
    plugins: [{ id: 'rnnlabGenerate', afterDatasetsDraw: (chart) => this.paint(chart) }],
    options: {
      animation: false, parsing: false, responsive: true, maintainAspectRatio: false,
      onResize: (chart, size) => this.fit(size.width),
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: { x: { display: false, min: 0, max: 1 }, y: { display: false, min: 0, max: 1 } }
    }
  });
}
C.extend(GenerateChart, ViewBase);

/** the box tall enough for every run's text at this width (≈ 7.8 px a character in 13 px monospace) @param {number} width */
GenerateChart.prototype.fit = function (width) {
  const box = /** @type {any} */ (this.canvas.parentNode);
  if (!box || !box.style || !(width > 0)) return;
  const lines = Math.ceil(((this.spec.length || 160) + 12) * 7.8 / width);
  const h = Math.round(12 + Math.max(1, this.runs.length) * (30 + 16 * lines)) + 'px';
  if (box.style.height !== h) box.style.height = h;
};
GenerateChart.prototype.asks = function (runId, info) {
  if (!info.info || info.info.name !== 'text') return null;
  return [{ op: 'generate', prime: this.prime, length: this.spec.length || 160, temperature: this.temperature, seed: this.spec.seed || 1 }];
};
GenerateChart.prototype.digest = function (runId, results) { return { text: String(results[0]), prime: this.prime, temperature: this.temperature }; };
GenerateChart.prototype.relabel = function () {
  (this.controlItems || []).forEach((c) => { c.lab.textContent = i18n.pick(G[c.it.key]); });
  this.schedule();
};
// labels come from G (not the shared view strings)
GenerateChart.prototype.labelControls = function () { this.relabel(); };

/** lines of at most `width` pixels (breaks anywhere: the text has no reliable spaces early in training) */
function wrap(ctx, text, width) {
  const lines = [];
  let cur = '';
  for (const ch of text.replace(/\s/g, ' ')) {
    if (ctx.measureText(cur + ch).width > width && cur) { lines.push(cur); cur = ''; }
    cur += ch;
  }
  if (cur) lines.push(cur);
  return lines;
}
GenerateChart.prototype.paint = function (chart) {
  const area = chart.chartArea, ctx = chart.ctx, fg = textColour(), runs = this.runList();
  if (!area || !runs.length) return;
  const ph = (area.bottom - area.top) / runs.length;
  ctx.save();
  ctx.textBaseline = 'top';
  runs.forEach((r, k) => {
    const top = area.top + k * ph, a = this.answers[r.id], d = a && a.data;
    ctx.fillStyle = r.color;
    ctx.fillRect(area.left, top + 3, 10, 10);
    ctx.fillStyle = fg;
    ctx.font = '12px sans-serif';
    const head = r.name + (d ? ' · ' + vt('step', { n: a.step }) + ' · T = ' + d.temperature : '');
    ctx.fillText(head, area.left + 14, top + 2);
    ctx.font = '13px monospace';
    if (!d) { ctx.fillText(a && a.error ? a.error : a ? i18n.pick(G.notText) : vt('waiting'), area.left, top + 20); return; }
    const lines = wrap(ctx, d.prime + d.text, area.right - area.left), max = Math.max(1, Math.floor((ph - 22) / 16));
    let skip = d.prime.length;
    lines.slice(0, max).forEach((line, j) => {
      const y = top + 20 + 16 * j;
      // the prime in the muted reference colour, the model's own text in the text colour
      const p = line.slice(0, Math.max(0, skip)), rest = line.slice(Math.max(0, skip));
      skip -= line.length;
      ctx.fillStyle = fg;
      ctx.globalAlpha = 0.55;
      ctx.fillText(p, area.left, y);
      ctx.globalAlpha = 1;
      ctx.fillText(rest, area.left + ctx.measureText(p).width, y);
    });
  });
  ctx.restore();
};

GenerateChart.prototype.table = function () {
  return { columns: [i18n.pick({ 'zh-TW': '模型', en: 'run' }), 'step', 'temperature', 'prime', 'text'],
    rows: this.runList().filter((r) => this.answers[r.id] && this.answers[r.id].data)
      .map((r) => { const a = this.answers[r.id]; return [r.name, a.step, a.data.temperature, a.data.prime, a.data.text]; }) };
};
GenerateChart.prototype.summary = function () {
  const parts = this.table().rows.map((x) => x[0] + ' (' + vt('step', { n: x[1] }) + ', T = ' + x[2] + '): «' + x[3] + x[4] + '»');
  this.runList().forEach((r) => { const a = this.answers[r.id]; if (a && a.error) parts.push(r.name + ': ' + a.error); });
  return parts.length ? parts.join('; ') : i18n.t('sumEmpty');
};

export function generate(canvas, spec, runs, opts) { return new GenerateChart(canvas, spec, runs, opts); }
