// @ts-check
// The worker pool's pieces that know nothing of the protocol's numbering: how many workers (?workers=N, the cores), which
// worker a new run goes to (estimated cost), and starting one worker (adopting worker-bundle.js's, or a Blob worker from
// the source). Not the trainer client (web/trainer.js: epochs, seqs, crash replay) and no training: that is web/worker.js.

/**
 * @typedef {object} Host  one worker and what the client knows of it
 * @property {number} slot          its place in the pool (a restarted worker takes the crashed one's)
 * @property {Worker} worker
 * @property {string|null} url      the Blob URL it was started from (revoked when it goes)
 * @property {boolean} heard        it has said something (loading has no deadline)
 * @property {boolean} ready        its module is loaded (until then messages wait in `queue`)
 * @property {import('./protocol.js').WorkerRequest[]} queue
 * @property {number} load          the estimated cost of the runs assigned to it (web/worker-pool.js runCost)
 * @property {number} busy          the seq of the train/step command it has not yet answered with 'stopped' (0: none)
 * @property {string|null} reason   its last 'stopped' reason for `busy`
 * @property {boolean} compiling    it was started without a module: it compiles one and posts it back
 * @property {null | {wasTraining: boolean, crashed: string|null}} recovering  it replaces a crashed worker: its runs are replayed
 * @property {{lastHeard: number, pending: boolean, pinged: number}} watch
 */

/** the most workers a page starts, whatever the cores: each holds a module instance (≥ 32 MB of wasm memory) */
export const MAX_WORKERS = 8;

/**
 * How many workers the page may use: `?workers=N` in the page's query pins it (1 … MAX_WORKERS), else the logical cores
 * (navigator.hardwareConcurrency), at most MAX_WORKERS. The pool never has more workers than runs.
 * @param {string} [search]  location.search (default: this page's)
 * @param {number} [cores]   navigator.hardwareConcurrency (default: this browser's)
 */
export function poolCap(search, cores) {
  const q = search !== undefined ? search : (typeof location !== 'undefined' ? location.search : '');
  const m = /[?&]workers=(\d+)/.exec(q || '');
  if (m) return Math.max(1, Math.min(MAX_WORKERS, Number(m[1]) || 1));
  const c = cores !== undefined ? cores : (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(MAX_WORKERS, c | 0));
}

const GATES = /** @type {Record<string, number>} */ ({ rnn: 1, gru: 3, lstm: 4, mlp: 1 });
const LENGTH = /** @type {Record<string, number>} */ ({ adding: 50, sine: 20, parity: 20, text: 32, copy: 25, xor: 20, gaussian: 20 });

/**
 * A rough cost of one training step of a run (multiply-adds of the recurrent products), to balance the workers' loads.
 * Only a weight for the assignment: a run's numbers never depend on where it trains.
 * @param {any} config  a run config (docs/api.md)
 */
export function runCost(config) {
  const c = config || {}, m = c.model || {}, t = c.task || {};
  const h = Number(m.hidden) || 32, layers = m.layers === 0 ? 1 : (Number(m.layers) || 1);
  const len = Number(t.length) || LENGTH[t.name] || 50, batch = Number(c.batch) || 32;
  return (GATES[m.cell] || 4) * layers * h * (h + 8) * len * batch;
}

/**
 * The host with the least assigned cost (ties: the lowest slot) among `hosts` (null slots are skipped).
 * @param {Array<{load: number}|null>} hosts
 */
export function leastLoaded(hosts) {
  let best = -1;
  hosts.forEach((h, i) => { if (h && (best < 0 || h.load < /** @type {{load: number}} */ (hosts[best]).load)) best = i; });
  return best;
}

/**
 * Starts one worker: worker-bundle.js's early worker if it is still unclaimed and `adopt` is set, else a Blob worker from
 * the source (file:// refuses `new Worker(url)`). `adoptNow()` must be called after the handlers are set (it replays the
 * boot worker's early events); a Blob worker gets nothing posted here (the caller sends its 'init').
 * @param {string} src  rnnlab.js + worker.js
 * @param {boolean} adopt
 * @returns {{worker: Worker, url: string|null, booted: boolean, adoptNow: () => void}}
 */
export function spawnWorker(src, adopt) {
  const boot = adopt ? /** @type {any} */ (self).RnnLabWorkerBoot : null;
  if (boot) return { worker: boot.worker, url: null, booted: true, adoptNow: () => boot.adopt() };
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  return { worker: new Worker(url), url, booted: false, adoptNow: () => {} };
}

/**
 * The compiled module, compiled once: the first worker started without one compiles the embedded bytes and posts the
 * WebAssembly.Module back ({type:'module'}); the workers started meanwhile wait for it and get it in their 'init'. If it
 * cannot be posted (null, or the page's 'messageerror'), each worker compiles its own. A worker that dies compiling hands
 * the job to the next one waiting.
 * @template {{worker: Worker, compiling: boolean}} H
 * @param {(h: H) => boolean} alive  the worker is still in the pool
 */
export function createModuleShare(alive) {
  /** undefined until the first worker posts it, null if it cannot be shared @type {WebAssembly.Module|null|undefined} */
  let compiled;
  /** @type {H[]} */
  const all = [];
  /** @type {H[]} */
  const waiting = [];
  const compiling = () => all.some((x) => x.compiling && alive(x));
  /** @param {H} h */
  function init(h) {
    if (all.indexOf(h) < 0) all.push(h);
    if (compiled === undefined && compiling()) { waiting.push(h); return; }
    h.compiling = compiled === undefined;
    h.worker.postMessage(compiled ? { type: 'init', module: compiled } : { type: 'init' });
  }
  return {
    init,
    /** worker-bundle.js's worker got its 'init' (without a module) already @param {H} h */
    booted(h) { all.push(h); h.compiling = compiled === undefined; },
    /** @param {WebAssembly.Module|null} mod */
    got(mod) {
      if (compiled !== undefined) return;
      compiled = mod;
      all.forEach((x) => { x.compiling = false; });
      waiting.splice(0).forEach((h) => { if (alive(h)) init(h); });
    },
    /** @param {H} h */
    died(h) {
      const i = all.indexOf(h);
      if (i >= 0) all.splice(i, 1);
      if (!h.compiling || compiled !== undefined) return;
      h.compiling = false;
      const next = waiting.shift();
      if (next) init(next);
    },
    shared() { return !!compiled; },
  };
}

/** a replayed loss history is the one the page has (NaN equals NaN) @param {ArrayLike<number>|undefined} a @param {ArrayLike<number>|undefined} b */
export function sameHistory(a, b) {
  if (!a || !b || a.length > b.length) return !a;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
}

/** the workers' 'memory' replies summed, each listed in `workers` @param {import('./protocol.js').MemoryReport[]} got */
export function sumMemory(got) {
  const sum = (/** @type {'wasmBytes'|'mallocInUse'|'liveRuns'} */ k) => got.reduce((s, m) => s + (m[k] || 0), 0);
  return { type: 'memory', wasmBytes: sum('wasmBytes'), mallocInUse: sum('mallocInUse'), liveRuns: sum('liveRuns'), workers: got };
}

/** one 'stopped' reason for the pool: 'done' when every worker is done, else 'paused' @param {Array<string|null>} reasons
 * @returns {'done'|'paused'|'idle'} */
export function stoppedReason(reasons) {
  const r = reasons.filter((x) => x);
  return r.length && r.every((x) => x === 'done') ? 'done' : r.indexOf('paused') >= 0 || !r.length ? 'paused' : /** @type {any} */ (r[0]);
}
