// @ts-check
// How far each run on the page got: step, loss, divergence, error, its first and latest metrics (charts rebuilt after a
// run-list change replay those), weight traces, and steps per second (per run and overall). Not the worker (web/trainer.js)
// and not the display: it keeps numbers, the UI parts read them.

/** @typedef {import('./protocol.js').RunReport} RunReport */
/** @typedef {import('./protocol.js').Summary} Summary */
/** @typedef {import('./protocol.js').Metrics} Metrics */
/** @typedef {{step: number, loss: number|null, smoothed: number|null, diverged: boolean, divergedAt: number|null, error: string|null, ema?: {done: number, ema: number, k: number}}} RunStatus */

/** @returns {RunStatus} a run that has not trained yet */
export function freshStatus() { return { step: 0, loss: null, smoothed: null, diverged: false, divergedAt: null, error: null }; }

/**
 * The training loss as the lesson's loss chart draws it: a bias-corrected EMA of weight w over the history (the same rule
 * as appendPoints in web/charts.js, so the table and the chart show one number). @param {RunStatus} s
 * @param {ArrayLike<number>|undefined} y the run's whole loss history @param {number} w
 */
export function smoothLoss(s, y, w) {
  if (!y) return;
  let e = s.ema;
  if (!e || y.length < e.done) e = s.ema = { done: 0, ema: 0, k: 0 };
  for (let i = e.done; i < y.length; i++) {
    const v = y[i];
    if (!isFinite(v)) continue;
    e.ema = w * e.ema + (1 - w) * v; e.k++;
    s.smoothed = w > 0 ? e.ema / (1 - Math.pow(w, e.k)) : v;
  }
  e.done = y.length;
}

// Steps per second, averaged: every ≥ 250 ms the rate since the last sample, smoothed half and half with the previous value.
function rateMeter() {
  let t = 0, step = 0, value = 0;
  return {
    /** @param {number} now @param {number} s */
    start(now, s) { t = now; step = s; value = 0; },
    /** @param {number} now @param {number} s */
    sample(now, s) {
      if (!t) { this.start(now, s); return; }
      if (now - t <= 250) return;
      const inst = (s - step) * 1000 / (now - t);
      value = value ? 0.5 * value + 0.5 * inst : inst;
      t = now; step = s;
    },
    stop() { value = 0; },
    value() { return value; },
  };
}

/** @param {{smooth?: number}} [opts] smooth: the EMA weight of the lesson's loss chart (the table's loss column follows it) */
export function createProgress(opts) {
  const smooth = opts && opts.smooth !== undefined ? opts.smooth : 0.8;
  /** @type {{[id: string]: RunStatus}} */
  let status = {};
  /** @type {{[id: string]: {first?: Metrics, last?: Metrics, summary?: Summary, trace?: any[]}}} */
  let kept = {};
  /** @type {{[id: string]: ReturnType<typeof rateMeter>}} */
  let rates = {};
  const overall = rateMeter();

  /** @param {string} id */
  function forget(id) { delete status[id]; delete kept[id]; delete rates[id]; }
  /** @param {RunStatus} s @param {Summary} sum */
  function noteDiverged(s, sum) { if (sum.diverged) { s.diverged = true; s.divergedAt = sum.diverged_at != null ? sum.diverged_at : sum.step; } }
  function maxStep() { let m = 0; Object.keys(status).forEach((id) => { m = Math.max(m, status[id].step || 0); }); return m; }

  return {
    /** every run starts over (the others are forgotten) @param {string[]} ids */
    reset(ids) { status = {}; kept = {}; rates = {}; ids.forEach((id) => { status[id] = freshStatus(); }); },
    /** these runs start over, the others keep theirs @param {string[]} ids */
    restart(ids) { ids.forEach((id) => { forget(id); status[id] = freshStatus(); }); },
    forget,
    /** @param {string} id */
    status(id) { return status[id]; },
    all() { return status; },
    maxStep,
    /** @param {string} id */
    metrics(id) { return kept[id] && kept[id].last; },
    /** the first and latest metrics of a run, its summary, its whole weight trace (to redraw a new chart) @param {string} id */
    replay(id) { return kept[id]; },
    /** a tick's report for a run of the page @param {RunReport} r @param {boolean} training */
    tick(r, training) {
      const s = status[r.id];
      if (!s) return false;
      const sum = r.summary || /** @type {Summary} */ ({}), m = r.metrics;
      s.step = sum.step;
      s.loss = sum.loss;
      smoothLoss(s, m && m.loss, smooth);
      noteDiverged(s, sum);
      const k = kept[r.id] || (kept[r.id] = {});
      // weights come with a tick at most every 400 ms (web/worker.js WEIGHTS_MS): the latest ones stay until new ones come
      if (m && !m.weights && k.last && k.last.weights) m.weights = k.last.weights;
      if (!k.first) k.first = m;
      k.last = m;
      k.summary = sum;
      if (m && m.weightsTrace) k.trace = (k.trace || []).concat(m.weightsTrace);
      if (training && typeof sum.step === 'number') (rates[r.id] || (rates[r.id] = rateMeter())).sample(performance.now(), sum.step);
      return true;
    },
    /** a run replayed after a crash @param {RunReport} r */
    restored(r) {
      const s = status[r.id];
      if (!s) return false;
      const sum = r.summary || /** @type {Summary} */ ({});
      s.step = sum.step || 0;
      noteDiverged(s, sum);
      (kept[r.id] || (kept[r.id] = {})).last = r.metrics;
      return true;
    },
    /** @param {string} id @param {string} message */
    fail(id, message) { if (status[id]) status[id].error = message; },
    /** training (re)starts: rates are measured from now */
    startRates() { rates = {}; overall.start(performance.now(), maxStep()); },
    sampleOverall() { overall.sample(performance.now(), maxStep()); },
    stopRates() { overall.stop(); },
    /** steps per second of one run, or of the page (the furthest run) @param {string} [id] */
    rate(id) { return id ? (rates[id] ? rates[id].value() : 0) : overall.value(); },
    /** every run is done: failed, diverged or at the limit (a run without a status counts as done when `orMissing`)
     * @param {string[]} ids @param {number} maxSteps @param {boolean} [orMissing] */
    finished(ids, maxSteps, orMissing) {
      return ids.every((id) => { const s = status[id]; return s ? (!!s.error || s.diverged || s.step >= maxSteps) : !!orMissing; });
    },
  };
}
/** @typedef {ReturnType<typeof createProgress>} Progress */
