// @ts-check
// The worker pool's pieces that know nothing of the protocol's numbering: how many workers (?workers=N, the cores), which
// worker a new run goes to (estimated cost), and starting one worker (adopting worker-bundle.js's, or a Blob worker from
// the source). Not the trainer client (web/trainer.js: epochs, seqs, crash replay) and no training: that is web/worker.js.

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
