// @ts-check
// What the three views share (chart kinds prediction, inside, generate): asking each run's worker questions at most 4 times a
// second and once more after the last tick, a row of small controls above the chart, their strings, and heatmap painting.
// Not a chart kind and not the worker side (web/worker-look.js); the page wires the question channel in with setViewHost().
import * as C from './charts.js';
import * as i18n from './i18n.js';
import { el } from './dom.js';
import { colour } from './view-data.js';

/** @typedef {import('./protocol.js').LookAsk} LookAsk */

// the page's channel to the worker (web/lesson.js sets it): look(runId, asks) → Promise<{step, results}>; changed() after an answer
/** @type {{look: ((id: string, asks: LookAsk[]) => Promise<{step: number, results: any[]}>)|null, changed: () => void}} */
const host = { look: null, changed: () => {} };
/** @param {{look?: (id: string, asks: LookAsk[]) => Promise<{step: number, results: any[]}>, changed?: () => void}} h */
export function setViewHost(h) { if (h.look) host.look = h.look; if (h.changed) host.changed = h.changed; }
/** @type {typeof host.look} the channel while the views are switched off */
let parked = null;
/** switches the views' questions off (false) or on again: bench/views_bench.mjs measures training with and without them @param {boolean} on */
export function viewsAsk(on) {
  if (!on && host.look) { parked = host.look; host.look = null; } else if (on && parked) { host.look = parked; parked = null; }
}
/** tells the page a view's picture changed outside a tick (its text summary is refreshed) */
export function viewChanged() { host.changed(); }

const GAP = 250;        // ms between two questions to one run (≤ 4 a second) while nothing trains (a control changed)
// while training: once a second per run. Each answer is a redraw on the main thread, which shares the cores with the
// training workers (bench/views_bench.mjs: at 4 a second lesson 1 trained at about 0.6× the speed with its views on)
const GAP_TRAINING = 1000;
const PATIENCE = 5000;  // a question unanswered this long (a restarted worker) no longer holds the next one back

/** the views' own strings, both languages (web/strings.js is the table of the rest of the page) */
export const VS = {
  sample: { 'zh-TW': '樣本', en: 'Sample' },
  show: { 'zh-TW': '顯示', en: 'Show' },
  layer: { 'zh-TW': '第 {n} 層', en: 'layer {n}' },
  time: { 'zh-TW': '時間步 t', en: 'time step t' },
  units: { 'zh-TW': '單元', en: 'units' },
  input: { 'zh-TW': '輸入', en: 'input' },
  waiting: { 'zh-TW': '按「訓練」後，這裡會出現模型的輸出。', en: 'Press Train: the model\'s outputs appear here.' },
  notHere: { 'zh-TW': '這個任務沒有這種圖。', en: 'This view does not apply to this task.' },
  step: { 'zh-TW': '第 {n} 步', en: 'step {n}' },
  h: { 'zh-TW': '隱藏狀態 h', en: 'hidden state h' },
  c: { 'zh-TW': '細胞狀態 c', en: 'cell state c' },
  f: { 'zh-TW': '遺忘閘 f', en: 'forget gate f' },
  i: { 'zh-TW': '輸入閘 i', en: 'input gate i' },
  g: { 'zh-TW': '候選內容 g', en: 'candidate g' },
  o: { 'zh-TW': '輸出閘 o', en: 'output gate o' },
  z: { 'zh-TW': '更新閘 z', en: 'update gate z' },
  r: { 'zh-TW': '重設閘 r', en: 'reset gate r' },
  n: { 'zh-TW': '候選狀態 n', en: 'candidate n' },
};
/** a view string in the current language, {name} filled @param {keyof typeof VS} key @param {Record<string, any>} [p] */
export function vt(key, p) {
  return i18n.pick(VS[key]).replace(/\{(\w+)\}/g, (_, k) => (p && p[k] !== undefined ? String(p[k]) : ''));
}

/**
 * The base of a view: ChartBase plus per-run answers. A kind implements asks(runId, info) → LookAsk[] | null (null: nothing to
 * ask for this run) and digest(runId, results, info) → what it draws; answers[runId] = {step, data, error}.
 * @constructor @param {HTMLCanvasElement} canvas @param {any} spec @param {any[]} runs @param {any} opts
 */
export function ViewBase(canvas, spec, runs, opts) {
  C.ChartBase.call(this, canvas, spec, runs, opts);
  /** @type {{[id: string]: {step: number, data?: any, error?: string}}} */
  this.answers = {};
  /** @type {{[id: string]: any}} */
  this.infos = {};      // runId -> {info, task, model} (asked once per run)
  /** @type {{[id: string]: {at: number, busy: number, step: number, timer: any, seen: number}}} */
  this.asking = {};
  this.gen = 0;         // bumped by clear(): answers to older questions are dropped
  this.controls = null;
}
C.extend(ViewBase);

/** the step a tick reached @param {any} metrics @param {any} summary */
function stepOf(metrics, summary) {
  if (summary && typeof summary.step === 'number') return summary.step;
  return metrics && metrics.step ? metrics.step.length : 0;
}
ViewBase.prototype.setData = function (runId, metrics, summary) {
  const s = stepOf(metrics, summary);
  const a = this.asking[runId] || (this.asking[runId] = { at: -1e9, busy: 0, step: -1, timer: 0, seen: 0 });
  a.seen = Math.max(a.seen, s);
  this.want(runId);
};
/** asks now if allowed, else once the gap has passed (so the last tick of a run is always answered) @param {string} runId @param {boolean} [force] */
ViewBase.prototype.want = function (runId, force) {
  const a = this.asking[runId];
  if (!a || !host.look || (!force && a.step >= a.seen)) return;
  const now = Date.now(), wait = Math.max(a.busy && now - a.busy < PATIENCE ? 60 : 0, a.at + (C.isBusy() && !force ? GAP_TRAINING : GAP) - now);
  if (wait > 0) {
    if (!a.timer) a.timer = setTimeout(() => { a.timer = 0; this.want(runId, force); }, wait);
    return;
  }
  this.ask(runId);
};
/** @param {string} runId */
ViewBase.prototype.ask = function (runId) {
  const a = this.asking[runId], gen = this.gen, look = /** @type {any} */ (host.look);
  a.at = a.busy = Date.now();
  a.step = a.seen;
  const done = () => { if (gen === this.gen) a.busy = 0; };
  const info = this.infos[runId];
  if (!info) {
    look(runId, [{ op: 'info' }]).then((r) => { done(); if (gen !== this.gen) return; this.infos[runId] = r.results[0]; a.at = -1e9; this.want(runId, true); },
      (e) => { done(); this.failed(runId, gen, e); });
    return;
  }
  const asks = this.asks(runId, info);
  if (!asks) { this.answers[runId] = { step: a.step, data: null }; done(); this.schedule(); return; }
  look(runId, asks).then((r) => {
    done();
    if (gen !== this.gen) return;
    let data = null, error;
    try { data = this.digest(runId, r.results, info); } catch (e) { error = String(e && e.message || e); }
    this.answers[runId] = { step: r.step, data, error };
    this.schedule();
    host.changed();
  }, (e) => { done(); this.failed(runId, gen, e); });
};
/** @param {string} runId @param {number} gen @param {any} e */
ViewBase.prototype.failed = function (runId, gen, e) {
  const m = String(e && e.message || e);
  if (gen !== this.gen || m === 'stale') return;
  if (/not ready|no run/.test(m)) { const a = this.asking[runId]; if (a) a.step = -1; return; } // asked again with the next tick
  this.answers[runId] = { step: -1, error: m };
  this.schedule();
  host.changed();
};
/** every run asked again (a control changed) */
ViewBase.prototype.refresh = function () {
  Object.keys(this.asking).forEach((id) => { this.asking[id].at = -1e9; this.want(id, true); });
};
ViewBase.prototype.clear = function () {
  this.gen++;
  this.answers = {}; this.infos = {};
  Object.keys(this.asking).forEach((id) => clearTimeout(this.asking[id].timer));
  this.asking = {};
  this.schedule();
};
ViewBase.prototype.pointCount = function (runId) {
  let n = 0;
  Object.keys(this.answers).forEach((id) => { if ((!runId || id === runId) && this.answers[id].data) n++; });
  return n;
};
ViewBase.prototype.destroy = function () {
  this.gen++;
  Object.keys(this.asking).forEach((id) => clearTimeout(this.asking[id].timer));
  if (this.controls && this.controls.parentNode) this.controls.parentNode.removeChild(this.controls);
  C.ChartBase.prototype.destroy.call(this);
};
/** the runs in order, with their label in the current language and colour @returns {Array<{id: string, name: string, color: string}>} */
ViewBase.prototype.runList = function () {
  return this.runs.map((r, i) => ({ id: r.id, name: i18n.pick(r.label) || r.id, color: C.PALETTE[(r.color >= 0 ? r.color : i) % C.PALETTE.length] }));
};

/**
 * A row of controls above the chart box (made once; labels follow the language in relabel()). Each item:
 * {key, label: keyof VS, type: 'select'|'range'|'text', options?: () => Array<[value, text]>, min?, max?, step?, value}.
 * @param {any[]} items @param {(key: string, value: string) => void} onChange
 */
ViewBase.prototype.makeControls = function (items, onChange) {
  const box = this.canvas.parentNode, fig = box && box.parentNode;
  if (!fig) return;
  const row = el('div', { class: 'view-controls' });
  row.style.cssText = 'display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;font-size:0.85rem;margin:0 0 6px';
  const uid = 'vc-' + this.spec.id;
  this.controlItems = items.map((it) => {
    const id = uid + '-' + it.key, lab = el('label', { for: id });
    let input;
    if (it.type === 'select') input = el('select', { id });
    else input = el('input', { id, type: it.type, value: String(it.value) });
    if (it.type === 'range') { input.min = it.min; input.max = it.max; input.step = it.step; input.value = String(it.value); }
    if (it.type === 'text') { input.size = 12; input.maxLength = 40; }
    const out = it.type === 'range' ? el('output', { for: id, text: String(it.value) }) : null;
    const wrap = el('span', {}, [lab, ' ', input, out ? ' ' : null, out]);
    wrap.style.cssText = 'display:inline-flex;align-items:center;gap:4px';
    row.appendChild(wrap);
    input.addEventListener(it.type === 'text' ? 'change' : 'input', () => { if (out) out.textContent = input.value; onChange(it.key, input.value); });
    return { it, lab, input };
  });
  fig.insertBefore(row, box);
  this.controls = row;
  this.labelControls();
};
/** control labels and select options in the current language (keeps the selected value) */
ViewBase.prototype.labelControls = function () {
  (this.controlItems || []).forEach((c) => {
    c.lab.textContent = vt(c.it.label);
    if (c.it.type === 'select') {
      const keep = c.input.value || String(c.it.value), opts = c.it.options();
      c.input.textContent = '';
      opts.forEach((o) => c.input.appendChild(el('option', { value: String(o[0]), text: o[1] })));
      if (opts.some((o) => String(o[0]) === keep)) c.input.value = keep;
    }
  });
};

/** @type {OffscreenCanvas|HTMLCanvasElement|null} */
let scratch = null;
/**
 * Paints values[row][col] into the rectangle (x, y, w, h) of a 2-D context, one cell per value, no smoothing.
 * @param {CanvasRenderingContext2D} ctx @param {number[][]} values @param {number} x @param {number} y @param {number} w @param {number} h
 * @param {number} lo @param {number} hi @param {boolean} gate @param {boolean} [flipY] row 0 at the bottom
 * @param {boolean} [smooth] interpolate between cells (a surface sampled on a grid; never for units × time)
 */
export function paintHeatmap(ctx, values, x, y, w, h, lo, hi, gate, flipY, smooth) {
  const rows = values.length, cols = rows ? values[0].length : 0;
  if (!rows || !cols || !(w > 0) || !(h > 0)) return;
  // one scratch canvas for every heatmap (a new canvas and context per panel and redraw cost more than the painting)
  if (!scratch) scratch = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(cols, rows) : document.createElement('canvas');
  const img = scratch;
  if (img.width !== cols || img.height !== rows) { img.width = cols; img.height = rows; }
  const g = /** @type {any} */ (img).getContext('2d'), data = g.createImageData(cols, rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const k = ((flipY ? rows - 1 - r : r) * cols + c) * 4, rgb = colour(values[r][c], lo, hi, gate);
    data.data[k] = rgb[0]; data.data[k + 1] = rgb[1]; data.data[k + 2] = rgb[2]; data.data[k + 3] = 255;
  }
  g.putImageData(data, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = !!smooth;
  ctx.drawImage(/** @type {any} */ (img), x, y, w, h);
  ctx.restore();
}

/** the theme's text colour (dark mode aware) */
export function textColour() {
  try { return getComputedStyle(document.documentElement).getPropertyValue('--chart-text').trim() || '#444444'; } catch (e) { return '#444444'; }
}
