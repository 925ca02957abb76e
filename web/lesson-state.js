// @ts-check
// The lesson page's state as pure functions: the flat state (controls, run list, per-run overrides, hide flags) and a change
// to it → the new state and what follows from it (effects); the run list → run specs; a run → its worker config. No DOM, no
// worker, no clock: web/lesson-session.js applies the effects, tests/node/lesson-state.test.mjs checks the rules.
import * as S from './schema.js';

/** @typedef {import('./schema.js').SchemaEntry} SchemaEntry */
/**
 * A run of a lesson (lesson.json presets.runs[]).
 * @typedef {{id: string, label: any, shortLabel?: any, color?: number, config?: object}} LessonRun
 */
/**
 * A lesson as the page reads it (the build embeds it; lessons/NN-*​/lesson.json).
 * @typedef {object} LessonData
 * @property {string} id
 * @property {{[lang: string]: string}} title
 * @property {{base: object, runs: LessonRun[], named?: Array<{id: string, label: any, state?: object}>, steps?: number, stepSize?: number}} presets
 * @property {Array<string|{key: string, default?: any, [k: string]: any}>} [controls]
 * @property {import('./charts.js').ChartSpec[]} [charts]
 * @property {{text: any, checks?: any[], steps?: number}|null} [claim]
 */

/** @typedef {{[key: string]: any, runs: string[], hide: string[], steps: number}} PageState */
/**
 * A run on the page: a lesson run (its template) with the page's overrides.
 * @typedef {object} PageRun
 * @property {string} id
 * @property {string} base           the lesson run it comes from
 * @property {LessonRun} lessonRun
 * @property {{[key: string]: any}} overrides
 * @property {object} config         the lesson run's patch with the overrides at their paths (what charts read)
 * @property {any} label
 * @property {any} [shortLabel]
 * @property {number} color          index into the palette
 */
/**
 * What a change asks the page to do.
 * @typedef {object} Effects
 * @property {boolean} config     something every run's config reads changed: recreate all runs
 * @property {boolean} steps      the step limit changed
 * @property {boolean} hide       the hide flags changed
 * @property {boolean} runs       the run list changed or some runs' overrides did
 * @property {string[]} removed   runs no longer in the list
 * @property {string[]} restart   runs whose overrides changed (recreate those only)
 */

/** Everything derived once from the lesson data. @param {LessonData} lesson */
export function lessonContext(lesson) {
  const schema = S.lessonSchema(lesson);
  /** @type {{[key: string]: SchemaEntry}} */
  const byKey = {};
  schema.forEach((e) => { byKey[e.key] = e; });
  const lessonRuns = lesson.presets.runs;
  const lessonRunIds = lessonRuns.map((r) => r.id);
  const runKeys = S.runKeys(schema);            // what one run can override (per-run settings)
  /** @type {{[key: string]: SchemaEntry}} */
  const runKeyBy = {};
  runKeys.forEach((e) => { runKeyBy[e.key] = e; });
  const hideTokens = S.HIDE_PARTS.concat(schema.map((e) => 'ctl-' + e.key), (lesson.charts || []).map((c) => 'chart-' + c.id));
  return {
    lesson, schema, byKey, lessonRuns, lessonRunIds, runKeys, runKeyBy, hideTokens,
    urlCtx: { schema, lessonRuns: lessonRunIds, runKeys, hide: hideTokens },
    stepSize: lesson.presets.stepSize || 10,
    maxRuns: S.maxRuns(lessonRunIds),
  };
}
/** @typedef {ReturnType<typeof lessonContext>} LessonContext */

/** The defaults with what the URL's pairs set. @param {LessonContext} ctx @param {Array<[string, string]>} pairs */
export function initialState(ctx, pairs) {
  const parsed = S.parseState(pairs, ctx.urlCtx);
  /** @type {PageState} */
  /** @type {PageState} */
  const state = /** @type {any} */ (Object.assign(S.defaults(ctx.schema), { runs: ctx.lessonRunIds.slice(), hide: [] }, parsed.state));
  if (state.steps === undefined) state.steps = ctx.lesson.presets.steps || 1000;
  return { state, notices: parsed.notices };
}

/**
 * A change: keys of the schema, "runs", "hide" and per-run overrides "<run id>.<key>" (null removes one). Values are
 * coerced; invalid ones are ignored. Overrides of runs that leave the list go with them.
 * @param {LessonContext} ctx @param {PageState} state @param {{[key: string]: any}} patch
 * @returns {{state: PageState, effects: Effects}}
 */
export function change(ctx, state, patch) {
  const next = Object.assign({}, state, { runs: state.runs.slice(), hide: state.hide.slice() });
  const effects = { config: false, steps: false, hide: false, runs: false, removed: /** @type {string[]} */ ([]), restart: /** @type {string[]} */ ([]) };
  Object.keys(patch).forEach((k) => {
    const v = patch[k];
    if (k === 'runs') {
      const runs = [];
      list(v).forEach((id) => { if (S.runBase(id, ctx.lessonRunIds) && runs.indexOf(id) < 0 && runs.length < ctx.maxRuns) runs.push(id); });
      if (runs.length && runs.join(',') !== next.runs.join(',')) next.runs = runs;
      return;
    }
    if (k === 'hide') {
      const h = list(v).filter((t, i, a) => ctx.hideTokens.indexOf(t) >= 0 && a.indexOf(t) === i);
      if (h.join(',') !== next.hide.join(',')) { next.hide = h; effects.hide = true; }
      return;
    }
    const e = ctx.byKey[k];
    if (e) {
      const c = S.coerce(e, v);
      if (c === undefined || c === next[k]) return;
      next[k] = c;
      if (e.path) effects.config = true;
      if (k === 'steps') effects.steps = true;
      return;
    }
    const o = S.splitOverride(k), re = o && ctx.runKeyBy[o.key];
    if (!o || !re) return;
    const nv = v === null || v === undefined ? undefined : S.coerce(re, v);
    if ((nv === undefined && v !== null && v !== undefined) || nv === next[k]) return;
    if (nv === undefined) delete next[k]; else next[k] = nv;
    if (effects.restart.indexOf(o.id) < 0) effects.restart.push(o.id);
  });
  Object.keys(next).forEach((k) => {
    const o = ctx.byKey[k] ? null : S.splitOverride(k);
    if (o && next.runs.indexOf(o.id) < 0) delete next[k];
  });
  effects.removed = state.runs.filter((id) => next.runs.indexOf(id) < 0);
  effects.runs = state.runs.join(',') !== next.runs.join(',') || effects.restart.length > 0;
  return { state: next, effects };
}

/** @param {any} x @returns {string[]} */
function list(x) { return Array.isArray(x) ? x.slice() : String(x == null ? '' : x).split(','); }

/** A named preset's change (the defaults with its settings). @param {LessonContext} ctx @param {string} id */
export function presetChange(ctx, id) {
  const p = (ctx.lesson.presets.named || []).filter((x) => x.id === id)[0];
  if (!p) return null;
  const patch = S.defaults(ctx.schema);
  Object.keys(p.state || {}).forEach((k) => { patch[k] = /** @type {any} */ (p.state)[k]; });
  return { patch, label: p.label };
}

/**
 * The change a new URL hash asks for: its state over the defaults; overrides it does not mention are removed; the step
 * limit stays unless it names one.
 * @param {LessonContext} ctx @param {PageState} state @param {Array<[string, string]>} pairs
 */
export function hashChange(ctx, state, pairs) {
  const parsed = S.parseState(pairs, ctx.urlCtx);
  /** @type {{[key: string]: any}} */
  const patch = Object.assign(S.defaults(ctx.schema), { runs: ctx.lessonRunIds.slice(), hide: [] }, parsed.state);
  if (patch.steps === undefined) patch.steps = state.steps;
  Object.keys(state).forEach((k) => { if (!ctx.byKey[k] && S.splitOverride(k) && patch[k] === undefined) patch[k] = null; });
  return { patch, notices: parsed.notices };
}

/**
 * The runs of a state: each run's template, overrides, label, colour and config patch. Lesson runs keep their colour; an
 * added run takes the one least used by the lesson's runs and the added runs before it.
 * @param {LessonContext} ctx @param {PageState} state @param {number} paletteSize @returns {PageRun[]}
 */
export function computeRuns(ctx, state, paletteSize) {
  const P = paletteSize, used = new Array(P).fill(0);
  const runs = state.runs.map((id) => {
    const base = /** @type {string} */ (S.runBase(id, ctx.lessonRunIds)), lr = ctx.lessonRuns[ctx.lessonRunIds.indexOf(base)];
    const ov = S.overridesOf(state, id, ctx.runKeys);
    const cfg = S.deepMerge({}, lr.config || {});
    ctx.runKeys.forEach((e) => { if (ov[e.key] !== undefined) S.setPath(cfg, /** @type {string} */ (e.path), ov[e.key]); });
    /** @type {PageRun} */
    const r = { id, base, lessonRun: lr, overrides: ov, config: cfg, label: S.runLabel(lr, id, ov, ctx.runKeys), color: -1 };
    if (lr.shortLabel) r.shortLabel = S.runLabel(lr, id, ov, ctx.runKeys, 'shortLabel');
    if (id === base) r.color = lr.color !== undefined ? lr.color : ctx.lessonRunIds.indexOf(id);
    return r;
  });
  // every lesson run's colour stays reserved (removing one never recolours the others)
  ctx.lessonRuns.forEach((lr, j) => { used[(lr.color !== undefined ? lr.color : j) % P]++; });
  runs.forEach((r) => {
    if (r.color >= 0) return;
    let best = 0;
    for (let k = 1; k < P; k++) if (used[k] < used[best]) best = k;
    r.color = best;
    used[best]++;
  });
  return runs;
}

/** A run's config: base → lesson run patch → page state → the run's overrides. @param {LessonContext} ctx @param {PageState} state @param {PageRun} r */
export function runConfig(ctx, state, r) {
  return S.runConfig(ctx.lesson.presets.base, r.lessonRun.config, ctx.schema, state, r.overrides, ctx.runKeys, r.base);
}

/**
 * Whether a run's charts need its weights with every tick (a chart with "weights": true), or a per-step trace of them
 * ("weights": "every"); only the chart's runs (spec.runs) pay. @param {LessonContext} ctx @param {string} base @param {boolean} [trace]
 */
export function wantWeights(ctx, base, trace) {
  return (ctx.lesson.charts || []).some((c) => {
    const on = trace ? c.weights === 'every' : (c.weights === true || c.weights === 'every');
    return on && (!Array.isArray(c.runs) || c.runs.indexOf(base) >= 0);
  });
}

/**
 * A chart spec for the current runs: spec.runs, spec.series[].runs and run-keyed maps (divideBy, xValues, param) also
 * cover the runs added from a lesson run they name.
 * @param {import('./charts.js').ChartSpec} spec @param {PageRun[]} runs
 */
export function chartSpecFor(spec, runs) {
  const s = Object.assign({}, spec);
  /** @param {{[run: string]: any}} map */
  const expand = (map) => {
    const out = Object.assign({}, map);
    runs.forEach((r) => { if (out[r.id] === undefined && map[r.base] !== undefined) out[r.id] = map[r.base]; });
    return out;
  };
  /** @param {string[]} ids */
  const only = (ids) => runs.filter((r) => ids.indexOf(r.base) >= 0).map((r) => r.id);
  if (Array.isArray(spec.runs)) s.runs = only(spec.runs);
  if (Array.isArray(spec.series)) s.series = spec.series.map((x) => (x && Array.isArray(x.runs) ? Object.assign({}, x, { runs: only(x.runs) }) : x));
  if (spec.divideBy) s.divideBy = expand(spec.divideBy);
  if (spec.xValues) s.xValues = expand(spec.xValues);
  if (spec.param && typeof spec.param === 'object' && !Array.isArray(spec.param)) s.param = expand(spec.param);
  return s;
}

/**
 * Adding a run from a lesson run: under its own id when it is not in the list, else as its next copy.
 * @param {LessonContext} ctx @param {PageState} state @param {string} base
 * @returns {{patch: object, id: string} | {refused: 'tooManyRuns'} | null}
 */
export function addRun(ctx, state, base) {
  if (ctx.lessonRunIds.indexOf(base) < 0) return null;
  if (state.runs.length >= ctx.maxRuns) return { refused: 'tooManyRuns' };
  const id = state.runs.indexOf(base) < 0 ? base : S.nextRunId(base, state.runs);
  return { patch: { runs: state.runs.concat([id]) }, id };
}

/**
 * A copy of a run, overrides included, right after it.
 * @param {LessonContext} ctx @param {PageState} state @param {PageRun[]} runs @param {string} id
 * @returns {{patch: {[key: string]: any}, id: string} | {refused: 'tooManyRuns'} | null}
 */
export function duplicateRun(ctx, state, runs, id) {
  const r = runs.filter((x) => x.id === id)[0];
  if (!r) return null;
  if (state.runs.length >= ctx.maxRuns) return { refused: 'tooManyRuns' };
  const nid = S.nextRunId(r.base, state.runs), list2 = state.runs.slice();
  list2.splice(list2.indexOf(id) + 1, 0, nid);
  /** @type {{[key: string]: any}} */
  const patch = { runs: list2 };
  Object.keys(r.overrides).forEach((k) => { patch[nid + '.' + k] = r.overrides[k]; });
  return { patch, id: nid };
}

/** @param {PageState} state @param {string} id @returns {{patch: object} | {refused: 'lastRun'} | null} */
export function removeRun(state, id) {
  if (state.runs.indexOf(id) < 0) return null;
  if (state.runs.length <= 1) return { refused: 'lastRun' };
  return { patch: { runs: state.runs.filter((x) => x !== id) } };
}
