// @ts-check
// Trainer client: runs the training workers (a pool, web/worker-pool.js), numbers the commands it sends (epochs per run,
// seq per train/step), drops stale replies, watches for a silent worker, and restarts a crashed one with its runs replayed;
// tells its owner through events. Not the run model, the page state or the UI: it knows runs only by id and spec, no strings.
//
// The pool: every message for one run goes to hostFor(runId) (a run stays on the worker it was first given, the least
// loaded one); commands for all runs (train, step, pause) go to every host, and 'stopped' is told once every host that got
// the command has stopped. The first worker compiles the wasm and hands the compiled module to the others. A crash restarts
// only that worker and replays only its runs; the other workers go on. Epochs and seqs are the client's, not a worker's.

import { createReplies } from './replies.js';
import { poolCap, runCost, leastLoaded, spawnWorker, createModuleShare, sameHistory, sumMemory, stoppedReason } from './worker-pool.js';

/** @typedef {import('./protocol.js').WorkerRequest} WorkerRequest */
/** @typedef {import('./protocol.js').WorkerReply} WorkerReply */
/** @typedef {import('./protocol.js').RunSpec} RunSpec */
/** @typedef {import('./protocol.js').RunReport} RunReport */
/** @typedef {import('./protocol.js').TrainerEvent} TrainerEvent */
/** @typedef {import('./worker-pool.js').Host} Host */

const MAX_RESTARTS = 3;
const TICK_MS = 60;        // a worker's training time per tick (web/worker.js TARGET_MS) when it is alone

/**
 * @param {{source?: () => (string|undefined), bundle?: () => (HTMLElement|null), workers?: number}} [where]  where the
 *   worker's source comes from (default: the globals web/worker-boot.js sets, and its <script id="worker-bundle">);
 *   `workers`: the most workers (default: web/worker-pool.js poolCap(), ?workers=N or the cores)
 */
export function createTrainer(where) {
  const source = (where && where.source) || (() => /** @type {any} */ (self).RnnLabWorkerSource);
  const bundleTag = (where && where.bundle) || (() => document.getElementById('worker-bundle'));
  const cap = (where && where.workers) || poolCap();
  /** @type {Array<(e: TrainerEvent) => void>} */
  const listeners = [];
  /** @type {Array<Host|null>} */
  const hosts = [];
  let ready = false;
  let training = false;     // between a train command and its 'stopped' (a crash replay then goes on training)
  let stopOwed = false;     // a 'stopped' for the current seq is still to be told
  let epoch = 0;            // bumped with every create: a reply for an older epoch of a run is stale
  let seq = 0;              // numbers train/step commands; a 'stopped' for an older one is stale
  /** @type {Record<string, number>} */
  const epochOf = {};       // run id -> the epoch of its current worker run
  /** @type {Record<string, number>} */
  const hostOf = {};        // run id -> the slot of the worker that trains it
  /** @type {Record<string, RunSpec & {epoch: number}>} */
  const sentSpecs = {};     // run id -> the last 'create' spec posted for it (crash replay re-creates from these)
  /** @type {Record<string, {step: number, failed: boolean, loss?: ArrayLike<number>}>} */
  const progress = {};      // run id -> how far it got (the replay target) and its loss history (the replay check)
  let restarts = 0;
  const watch = { ms: 45000, timer: /** @type {any} */ (0) };
  const replies = createReplies(); // weight exports and the views' questions (web/worker-look.js), by request number
  /** @type {null | {want: number, got: import('./protocol.js').MemoryReport[], done: (m: any) => void}} */
  let memoryAsk = null;
  // the compiled wasm module, from the first worker to the others
  const wasm = createModuleShare((/** @type {Host} */ h) => hosts[h.slot] === h);
  let expected = 1;         // runs the page said it will create (start(n)): workers started before the first create

  /** @param {TrainerEvent} e */
  function emit(e) { listeners.slice().forEach((f) => f(e)); }
  const live = () => /** @type {Host[]} */ (hosts.filter((h) => h));
  const anyRecovering = () => live().some((h) => !!h.recovering);

  // the one place that assigns a run to a worker: where it already is, else the least loaded (starting a worker while the
  // pool has fewer than min(runs, cap))
  /** @param {string} [runId] @param {object} [config] */
  function hostFor(runId, config) {
    if (runId === undefined) return hosts[0] || live()[0] || null;
    if (hostOf[runId] !== undefined) return hosts[hostOf[runId]];
    const runs = Object.keys(hostOf).length + 1;
    if (hosts.length < Math.min(cap, runs)) startHost(hosts.length);
    const slot = leastLoaded(hosts);
    if (slot < 0) return null;
    hostOf[runId] = slot;
    /** @type {Host} */ (hosts[slot]).load += runCost(config);
    return hosts[slot];
  }
  function allHosts() { return live(); }
  /** the worker that trains run `id` (none before its create) @param {string} id */
  const ownerOf = (id) => (hostOf[id] !== undefined ? hosts[hostOf[id]] : null);
  const notReady = () => Promise.reject(new Error('the training module is not ready'));
  /** a request with a reply (web/replies.js) @param {Host|null} h @param {(h: Host, req: number) => void} send */
  function ask(h, send) { if (!h || !ready) return notReady(); const r = replies.open(); send(h, r.req); return r.promise; }
  /** @param {string} id */
  function unassign(id) {
    const h = hostOf[id] !== undefined ? hosts[hostOf[id]] : null;
    if (h) h.load = Math.max(0, h.load - runCost(sentSpecs[id] && sentSpecs[id].config));
    delete hostOf[id];
  }

  /** @param {Host|null} h @param {WorkerRequest} m */
  function post(h, m) {
    if (!h) return;
    if (m.type === 'create') m.runs.forEach((r) => { sentSpecs[r.id] = r; });
    if (m.type === 'dispose') (m.ids || []).forEach((id) => { delete sentSpecs[id]; });
    if (m.type === 'train' || m.type === 'step') { h.busy = m.seq; h.reason = null; }
    if (!h.ready) { h.queue.push(m); return; }
    send(h, m);
  }
  /** @param {Host} h @param {WorkerRequest} m */
  function send(h, m) {
    if (m.type !== 'pause' && m.type !== 'dispose') {
      if (!h.watch.pending) h.watch.lastHeard = performance.now();
      h.watch.pending = true;
    }
    armWatchdog();
    h.worker.postMessage(m);
  }

  // ---- workers ----------------------------------------------------------------------------------------------------
  /** @param {number} [runs]  how many runs the page is about to create: that many workers (up to the cap) start now */
  function start(runs) {
    if (runs) expected = runs;
    // worker-bundle.js runs before the lesson bundle; should a page load it async, it may still be on its way
    const tag = /** @type {any} */ (bundleTag());
    if (typeof source() !== 'string' && tag && !(/** @type {any} */ (self).RnnLabWorkerFailed) && !tag.__waited) {
      tag.__waited = true;
      tag.addEventListener('load', () => start());
      tag.addEventListener('error', () => start());
      return;
    }
    if (typeof source() !== 'string') { emit({ type: 'failed', scope: 'init', message: null }); return; }
    // (hosts.length anew each time: adopting worker 0 may replay its 'ready', and the runs created then start workers via hostFor)
    for (let i = 0; i < Math.max(1, Math.min(cap, expected)); i++) if (i >= hosts.length && !startHost(i)) return;
  }

  /** @param {number} slot @param {Host['recovering']} [recovering] @param {number} [load] */
  function startHost(slot, recovering, load) {
    try {
      // worker-bundle.js has usually started the first worker already (RnnLabWorkerBoot): take it over (once: adopting
      // clears it, so a worker restarted after a crash is always a new one)
      const s = spawnWorker(/** @type {string} */ (source()), slot === 0 && !recovering);
      /** @type {Host} */
      const me = { slot, worker: s.worker, url: s.url, heard: false, ready: false, queue: [], load: load || 0,
        busy: 0, reason: null, compiling: false, recovering: recovering || null, watch: { lastHeard: 0, pending: false, pinged: 0 } };
      hosts[slot] = me;
      me.worker.onmessage = (ev) => { me.heard = true; if (hosts[slot] === me) receive(me, ev.data || {}); };
      me.worker.onmessageerror = () => { if (hosts[slot] === me) wasm.got(null); }; // the module did not survive the trip
      me.worker.onerror = (ev) => {
        ev.preventDefault();
        if (hosts[slot] !== me) return;
        if (ready || me.recovering) { recover(me, ev.message || 'uncaught error', null); return; }
        emit({ type: 'failed', scope: 'worker', message: ev.message || 'unknown error' });
      };
      if (s.booted) { wasm.booted(me); s.adoptNow(); } else wasm.init(me);
      return true;
    } catch (e) {
      emit({ type: 'failed', scope: 'worker', message: (e && /** @type {any} */ (e).message) || String(e) });
      return false;
    }
  }

  /** @param {Host} h */
  function kill(h) {
    try { h.worker.onmessage = null; h.worker.onerror = null; h.worker.onmessageerror = null; h.worker.terminate(); } catch (e) { /* already gone */ }
    try { if (h.url) URL.revokeObjectURL(h.url); } catch (e) { /* fine */ }
    if (hosts[h.slot] === h) hosts[h.slot] = null;
    wasm.died(h);
  }

  // ---- replies ----------------------------------------------------------------------------------------------------
  /** @param {Host} h @param {WorkerReply} msg */
  function receive(h, msg) {
    h.watch.lastHeard = performance.now();
    h.watch.pending = !!h.recovering;
    switch (msg.type) {
      case 'module': wasm.got(msg.module || null); return;
      case 'crashed':
        recover(h, msg.message, (msg.id != null && msg.epoch === epochOf[msg.id] && hostOf[msg.id] === h.slot) ? msg.id : null);
        return;
      case 'pong': case 'replaying': case 'created': case 'disposed':
        return;
      case 'memory':
        if (memoryAsk) {
          memoryAsk.got.push({ wasmBytes: msg.wasmBytes, mallocInUse: msg.mallocInUse, liveRuns: msg.liveRuns, warmSteps: msg.warmSteps });
          if (memoryAsk.got.length >= memoryAsk.want) memoryDone();
        }
        return;
      case 'looked':
        if (msg.epoch === epochOf[msg.id]) replies.resolve(msg.req, { step: msg.step, results: msg.results });
        else replies.reject(msg.req, new Error('stale'));
        return;
      case 'exported': replies.resolve(msg.req, msg); return;
      default:
        break;
    }
    if (h.recovering && !(msg.type === 'error' && msg.scope !== 'init')) { receiveWhileRecovering(h, msg); return; }
    switch (msg.type) {
      case 'ready':
        h.ready = true;
        h.queue.splice(0).forEach((m) => send(h, m));
        if (!ready && !anyRecovering() && restarts <= MAX_RESTARTS) {
          ready = true;
          emit({ type: 'ready' });
        }
        break;
      case 'tick': {
        const runs = msg.runs.filter((r) => r.epoch === epochOf[r.id]);
        runs.forEach((r) => {
          const p = progress[r.id] || (progress[r.id] = { step: 0, failed: false });
          p.step = (r.summary && r.summary.step) || p.step;
          p.loss = r.metrics && r.metrics.loss;
        });
        if (runs.length) emit({ type: 'tick', runs });
        break;
      }
      case 'stopped':
        if (msg.seq !== seq || h.busy !== seq) break;
        h.busy = 0;
        h.reason = msg.reason;
        maybeStopped();
        break;
      case 'error':
        if (msg.scope === 'export' || msg.scope === 'look') replies.reject(/** @type {number} */ (msg.req), new Error(msg.message));
        else if (msg.scope === 'create' || msg.scope === 'train') {
          if (msg.epoch !== epochOf[msg.id]) break;
          (progress[msg.id] || (progress[msg.id] = { step: 0, failed: false })).failed = true;
          emit({ type: 'runError', scope: msg.scope, id: msg.id, message: msg.message });
        } else {
          emit({ type: 'failed', scope: msg.scope === 'init' ? 'init' : 'reply', message: msg.message });
        }
        break;
      default:
        break;
    }
  }

  // every worker that got the current command has stopped: one 'stopped' ('done' only when all of them are done). While a
  // worker is being brought back there is none: the owner trains again after 'restored' if it was training.
  function maybeStopped() {
    if (!stopOwed || anyRecovering() || live().some((x) => x.busy === seq)) return;
    stopOwed = false;
    training = false;
    emit({ type: 'stopped', reason: stoppedReason(live().map((x) => x.reason)) });
  }

  // ---- crashed-worker recovery ------------------------------------------------------------------------------------
  // When a worker's wasm module aborts/traps ({type:'crashed'}), the worker throws uncaught, or it stops answering while it
  // owes a reply, that worker is terminated and a new one started in its place. The crashed run is reported failed; the
  // worker's other runs are re-created from the exact specs last sent and replayed to the step they had reached (same config
  // and seed, same trajectory), and the replayed loss histories are compared with the ones the page has. The other workers
  // are not touched. After MAX_RESTARTS restarts (over the whole pool) it gives up.

  // A worker owes a reply (or is training) and has said nothing for watch.ms: it is pinged, and if nothing at all arrives
  // within a grace period (which also covers a laptop waking up before the queued messages are read), it is dead or stuck.
  function armWatchdog() {
    if (watch.timer) return;
    watch.timer = setInterval(() => {
      const now = performance.now();
      live().forEach((h) => {
        const w = h.watch;
        if (!h.heard || !(w.pending || h.busy) || now - w.lastHeard <= watch.ms) { w.pinged = 0; return; }
        if (!w.pinged) { w.pinged = now; try { h.worker.postMessage({ type: 'ping' }); } catch (e) { /* gone */ } return; }
        if (now - w.pinged > Math.min(5000, watch.ms)) {
          w.pinged = 0;
          recover(h, null, null, Math.round(watch.ms / 1000));
        }
      });
    }, 500);
  }

  /** @param {Host} h @param {string|null} message @param {string|null} crashedId @param {number} [silentSeconds] */
  function recover(h, message, crashedId, silentSeconds) {
    const wasTraining = h.recovering ? h.recovering.wasTraining : training;
    kill(h);
    ready = false;
    if (crashedId && progress[crashedId]) progress[crashedId].failed = true;
    restarts++;
    emit({ type: 'crashed', id: crashedId, message, silentSeconds, restarting: restarts <= MAX_RESTARTS });
    if (restarts > MAX_RESTARTS) { giveUp(null); return; }
    startHost(h.slot, { wasTraining, crashed: crashedId }, h.load);
  }

  /** @param {string|null} message */
  function giveUp(message) {
    live().forEach(kill);
    ready = false;
    training = false;
    stopOwed = false;
    emit({ type: 'gaveUp', restarts, message });
  }

  /** @param {Host} h @param {WorkerReply} msg */
  function receiveWhileRecovering(h, msg) {
    if (msg.type === 'ready') {
      h.ready = true;
      const targets = Object.keys(sentSpecs).filter((id) => hostOf[id] === h.slot && !(progress[id] && progress[id].failed))
        .map((id) => ({ id, steps: progress[id] ? progress[id].step : 0 }));
      send(h, { type: 'create', runs: targets.map((t) => sentSpecs[t.id]) });
      send(h, { type: 'replay', runs: targets });
    } else if (msg.type === 'replayed') {
      const rec = /** @type {{wasTraining: boolean}} */ (h.recovering);
      h.recovering = null;
      h.watch.pending = false;
      h.queue.splice(0).forEach((m) => send(h, m));
      let differs = false;
      const runs = msg.runs.filter((r) => r.epoch === epochOf[r.id]).map((r) => {
        const p = progress[r.id] || (progress[r.id] = { step: 0, failed: false });
        const same = sameHistory(p.loss, r.metrics && r.metrics.loss);
        if (!same) differs = true;
        p.step = (r.summary && r.summary.step) || 0;
        p.loss = r.metrics && r.metrics.loss;
        return Object.assign({ differs: !same }, r);
      });
      ready = !anyRecovering();
      emit({ type: 'restored', runs, differs, wasTraining: rec.wasTraining });
    } else if (msg.type === 'error' && msg.scope === 'init') {
      giveUp(msg.message);
    }
    // nothing else is expected from a worker that is being brought back
  }


  /** @param {number} want @param {(m: any) => void} resolve */
  function askMemory(want, resolve) {
    memoryAsk = { want, got: [], done: resolve };
    live().forEach((h) => post(h, { type: 'memory' }));
  }
  function memoryDone() { const a = /** @type {NonNullable<typeof memoryAsk>} */ (memoryAsk); memoryAsk = null; a.done(sumMemory(a.got)); }

  // ---- commands -----------------------------------------------------------------------------------------------------
  return {
    start,
    /** @param {(e: TrainerEvent) => void} f */
    on(f) { listeners.push(f); },
    isReady() { return ready; },
    /** (re)create runs: each gets a new epoch; replies for their older epochs are dropped from now on
     *  @param {RunSpec[]} specs */
    create(specs) {
      if (!ready || !specs.length) return;
      epoch++;
      /** @type {Map<Host, Array<RunSpec & {epoch: number}>>} */
      const by = new Map();
      specs.forEach((s) => {
        epochOf[s.id] = epoch;
        progress[s.id] = { step: 0, failed: false };
        const h = hostFor(s.id, s.config);
        if (h) { if (!by.has(h)) by.set(h, []); /** @type {any[]} */ (by.get(h)).push(Object.assign({}, s, { epoch })); }
      });
      by.forEach((runs, h) => post(h, { type: 'create', runs }));
    },
    /** @param {string[]} ids */
    dispose(ids) {
      if (!ready || !ids.length) return;
      /** @type {Map<Host, string[]>} */
      const by = new Map();
      ids.forEach((id) => {
        const h = hostOf[id] !== undefined ? hosts[hostOf[id]] : null;
        if (h) { if (!by.has(h)) by.set(h, []); /** @type {string[]} */ (by.get(h)).push(id); }
        unassign(id);
        delete epochOf[id]; delete progress[id];
      });
      by.forEach((list, h) => post(h, { type: 'dispose', ids: list }));
    },
    /** train every run up to maxSteps (a new command: an older one's 'stopped' is stale) @param {number} maxSteps */
    train(maxSteps) {
      if (!ready) return;
      training = true;
      seq++; stopOwed = true;
      const tickMs = TICK_MS * Math.max(1, live().length); // the page's work stays that of one worker's ticks
      allHosts().forEach((h) => post(h, { type: 'train', seq, maxSteps, tickMs }));
    },
    /** while training: a new limit for the same command @param {number} maxSteps */
    setMaxSteps(maxSteps) {
      if (ready && training) { stopOwed = true; allHosts().forEach((h) => post(h, { type: 'train', seq, maxSteps })); }
    },
    /** @param {number} steps */
    step(steps) {
      if (!ready) return;
      seq++; stopOwed = true;
      allHosts().forEach((h) => post(h, { type: 'step', seq, steps }));
    },
    pause() { allHosts().forEach((h) => post(h, { type: 'pause' })); },
    /** the run's current weights (PyTorch state_dict form) @param {string} id @returns {Promise<object>} */
    exportWeights(id) { return ask(ownerOf(id), (h, req) => post(h, { type: 'export', id, req })).then((m) => m.weights); },
    /** what the PyTorch script needs (web/export-torch-material.js) @param {string} id @returns {Promise<import('./export-torch-material.js').TorchMaterial>} */
    exportTorch(id) { return ask(ownerOf(id), (h, req) => post(h, { type: 'export', id, req, what: 'torch' })).then((m) => m.torch); },
    /** a view's questions to one run (predict / inspect / generate / forecast); never changes the run
     *  @param {string} id @param {import('./protocol.js').LookAsk[]} asks @returns {Promise<{step: number, results: any[]}>} */
    look(id, asks) {
      const h = ownerOf(id); // (not through post(): a question owes no watched reply)
      return h && h.recovering ? notReady() : ask(h, (w, req) => w.worker.postMessage({ type: 'look', id, req, asks }));
    },
    restarts() { return restarts; },
    /** how many workers the pool has now, which one trains each run (slots), whether they share one compiled module */
    workers() { return { count: live().length, cap, hostOf: Object.assign({}, hostOf), shared: wasm.shared() }; },
    /** every worker's wasm memory, summed, and per worker in `workers` @returns {Promise<any>} */
    memory() {
      return new Promise((resolve) => { if (live().length) askMemory(live().length, resolve); else resolve(sumMemory([])); });
    },
    // test builds only (web/test-hooks.js); esbuild drops them from dist/
    testHooks: RNNLAB_TEST ? {
      /** @param {number} ms */
      setWatchdog(ms) { watch.ms = ms; },
      /** a real abort()/trap inside the module while run `id` trains (now, in the first worker, if no id)
       * @param {string|null} id @param {import('./protocol.js').CrashHow} how */
      crash(id, how) { const h = id && hostOf[id] !== undefined ? hosts[hostOf[id]] : hostFor(); if (h) post(h, { type: '__crash', id, how }); },
    } : null,
  };
}
