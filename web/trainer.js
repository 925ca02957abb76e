// @ts-check
// Trainer client: starts the training worker, numbers the commands it sends (epochs per run, seq per train/step), drops
// stale replies, watches for a silent worker, and restarts a crashed one with its runs replayed; tells its owner through
// events. Not the run model, the page state or the UI: it knows runs only by id and the spec it was given, and no strings.
//
// Ready for a pool (issue 15): every message for one run goes to hostFor(runId), the one place that assigns runs to workers;
// commands for all runs (train, step, pause) go to every host. Today there is one host.

/** @typedef {import('./protocol.js').WorkerRequest} WorkerRequest */
/** @typedef {import('./protocol.js').WorkerReply} WorkerReply */
/** @typedef {import('./protocol.js').RunSpec} RunSpec */
/** @typedef {import('./protocol.js').RunReport} RunReport */
/** @typedef {import('./protocol.js').TrainerEvent} TrainerEvent */

const MAX_RESTARTS = 3;

/**
 * @typedef {object} Host  one worker and what the client knows of it
 * @property {Worker} worker
 * @property {string|null} url      the Blob URL it was started from (revoked when it goes)
 * @property {boolean} heard        it has said something (loading has no deadline)
 */

/**
 * @param {{source?: () => (string|undefined), bundle?: () => (HTMLElement|null)}} [where]  where the worker's source comes from
 *   (default: the globals web/worker-boot.js sets, and its <script id="worker-bundle">)
 */
export function createTrainer(where) {
  const source = (where && where.source) || (() => /** @type {any} */ (self).RnnLabWorkerSource);
  const bundleTag = (where && where.bundle) || (() => document.getElementById('worker-bundle'));
  /** @type {Array<(e: TrainerEvent) => void>} */
  const listeners = [];
  /** @type {Host|null} */
  let host = null;
  let ready = false;
  let training = false;     // between a train command and its 'stopped' (a crash replay then goes on training)
  let epoch = 0;            // bumped with every create: a reply for an older epoch of a run is stale
  let seq = 0;              // numbers train/step commands; a 'stopped' for an older one is stale
  /** @type {Record<string, number>} */
  const epochOf = {};       // run id -> the epoch of its current worker run
  /** @type {Record<string, RunSpec & {epoch: number}>} */
  const sentSpecs = {};     // run id -> the last 'create' spec posted for it (crash replay re-creates from these)
  /** @type {Record<string, {step: number, failed: boolean, loss?: ArrayLike<number>}>} */
  const progress = {};      // run id -> how far it got (the replay target) and its loss history (the replay check)
  let restarts = 0;
  /** @type {null | {wasTraining: boolean, crashed: string|null}} */
  let recovering = null;
  const watch = { ms: 45000, lastHeard: 0, pending: false, timer: /** @type {any} */ (0), pinged: 0 };
  /** @type {Record<number, {what: 'weights'|'torch', resolve: (r: any) => void, reject: (e: Error) => void}>} */
  const exports = {};
  let exportSeq = 0;
  /** @type {Array<(m: any) => void>} */
  const memoryWaiters = [];

  /** @param {TrainerEvent} e */
  function emit(e) { listeners.slice().forEach((f) => f(e)); }

  /** a run's weights, or what the PyTorch script needs, from its worker @param {string} id @param {'weights'|'torch'} what */
  function exportRun(id, what) {
    const h = hostFor(id);
    if (!h || !ready) return Promise.reject(new Error('the training module is not ready'));
    const req = ++exportSeq;
    return new Promise((resolve, reject) => {
      exports[req] = { what, resolve, reject };
      post(h, { type: 'export', id, req, what });
    });
  }

  // the one place that assigns a run to a worker (a pool would pick among several here)
  /** @param {string} [runId] */
  function hostFor(runId) { return host; } // eslint-disable-line no-unused-vars
  function allHosts() { return host ? [host] : []; }

  /** @param {Host|null} h @param {WorkerRequest} m */
  function post(h, m) {
    if (!h) return;
    if (m.type === 'create') m.runs.forEach((r) => { sentSpecs[r.id] = r; });
    if (m.type === 'dispose') (m.ids || Object.keys(sentSpecs)).forEach((id) => { delete sentSpecs[id]; });
    if (m.type !== 'pause' && m.type !== 'dispose') {
      if (!watch.pending) watch.lastHeard = performance.now();
      watch.pending = true;
    }
    armWatchdog();
    h.worker.postMessage(m);
  }

  // ---- worker start -----------------------------------------------------------------------------------------------
  function start() {
    // worker-bundle.js is loaded async (it must not hold up parsing the page): it may still be on its way
    const tag = /** @type {any} */ (bundleTag());
    if (typeof source() !== 'string' && tag && !(/** @type {any} */ (self).RnnLabWorkerFailed) && !tag.__waited) {
      tag.__waited = true;
      tag.addEventListener('load', start);
      tag.addEventListener('error', start);
      return;
    }
    const src = source();
    if (typeof src !== 'string') { emit({ type: 'failed', scope: 'init', message: null }); return; }
    try {
      // worker-bundle.js has usually started the worker already (RnnLabWorkerBoot): take it over (once: adopt() clears
      // it, so a worker restarted after a crash is always a new one)
      const boot = /** @type {any} */ (self).RnnLabWorkerBoot;
      /** @type {string|null} */
      let url = null;
      const w = boot ? boot.worker : new Worker(url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      /** @type {Host} */
      const me = host = { worker: w, url, heard: false };
      w.onmessage = (ev) => { me.heard = true; if (host === me) receive(ev.data || {}); };
      w.onerror = (ev) => {
        ev.preventDefault();
        if (host !== me) return;
        if (ready || recovering) { recover(ev.message || 'uncaught error', null); return; }
        emit({ type: 'failed', scope: 'worker', message: ev.message || 'unknown error' });
      };
      if (boot) boot.adopt(); else post(me, { type: 'init' });
    } catch (e) {
      emit({ type: 'failed', scope: 'worker', message: (e && /** @type {any} */ (e).message) || String(e) });
    }
  }

  // ---- replies ----------------------------------------------------------------------------------------------------
  /** @param {WorkerReply} msg */
  function receive(msg) {
    watch.lastHeard = performance.now();
    watch.pending = !!recovering;
    switch (msg.type) {
      case 'crashed':
        recover(msg.message, (msg.id != null && msg.epoch === epochOf[msg.id]) ? msg.id : null);
        return;
      case 'pong': case 'replaying': case 'created': case 'disposed':
        return;
      case 'memory':
        memoryWaiters.splice(0).forEach((f) => f(msg));
        return;
      case 'exported': {
        const p = exports[msg.req];
        delete exports[msg.req];
        if (p) p.resolve(p.what === 'torch' ? msg.torch : msg.weights);
        return;
      }
      default:
        break;
    }
    if (recovering && !(msg.type === 'error' && msg.scope !== 'init')) { receiveWhileRecovering(msg); return; }
    switch (msg.type) {
      case 'ready':
        ready = true;
        emit({ type: 'ready' });
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
        if (msg.seq !== seq) break;
        training = false;
        emit({ type: 'stopped', reason: msg.reason });
        break;
      case 'error':
        if (msg.scope === 'export') {
          const p = exports[msg.req];
          delete exports[msg.req];
          if (p) p.reject(new Error(msg.message));
        } else if (msg.scope === 'create' || msg.scope === 'train') {
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

  // ---- crashed-worker recovery ------------------------------------------------------------------------------------
  // When the wasm module aborts/traps ({type:'crashed'}), the worker throws uncaught, or it stops answering while it owes a
  // reply, the worker is terminated and a new one started. The crashed run is reported failed; the others are re-created
  // from the exact specs last sent and replayed to the step they had reached (same config and seed, same trajectory), and
  // the replayed loss history is compared with the one the page has. After MAX_RESTARTS restarts it gives up.

  // The worker owes a reply (or is training) and has said nothing for watch.ms: it is pinged, and if nothing at all arrives
  // within a grace period (which also covers a laptop waking up before the queued messages are read), it is dead or stuck.
  function armWatchdog() {
    if (watch.timer) return;
    watch.timer = setInterval(() => {
      if (!host || !host.heard || !(watch.pending || training)) { watch.pinged = 0; return; }
      const now = performance.now();
      if (now - watch.lastHeard <= watch.ms) { watch.pinged = 0; return; }
      if (!watch.pinged) { watch.pinged = now; try { host.worker.postMessage({ type: 'ping' }); } catch (e) { /* gone */ } return; }
      if (now - watch.pinged > Math.min(5000, watch.ms)) {
        watch.pinged = 0;
        recover(null, null, Math.round(watch.ms / 1000));
      }
    }, 500);
  }

  function kill() {
    if (!host) return;
    const h = host;
    try { h.worker.onmessage = null; h.worker.onerror = null; h.worker.terminate(); } catch (e) { /* already gone */ }
    try { if (h.url) URL.revokeObjectURL(h.url); } catch (e) { /* fine */ }
    host = null;
    watch.pending = false;
  }

  /** @param {string|null} message @param {string|null} crashedId @param {number} [silentSeconds] */
  function recover(message, crashedId, silentSeconds) {
    const wasTraining = recovering ? recovering.wasTraining : training;
    kill();
    ready = false;
    training = false;
    if (crashedId && progress[crashedId]) progress[crashedId].failed = true;
    restarts++;
    emit({ type: 'crashed', id: crashedId, message, silentSeconds, restarting: restarts <= MAX_RESTARTS });
    if (restarts > MAX_RESTARTS) { giveUp(null); return; }
    recovering = { wasTraining, crashed: crashedId };
    start();
  }

  /** @param {string|null} message */
  function giveUp(message) {
    kill();
    recovering = null;
    ready = false;
    emit({ type: 'gaveUp', restarts, message });
  }

  function replayTargets() {
    return Object.keys(sentSpecs).filter((id) => !(progress[id] && progress[id].failed))
      .map((id) => ({ id, steps: progress[id] ? progress[id].step : 0 }));
  }

  /** @param {WorkerReply} msg */
  function receiveWhileRecovering(msg) {
    if (msg.type === 'ready') {
      const targets = replayTargets();
      const specs = targets.map((t) => sentSpecs[t.id]);
      post(hostFor(), { type: 'create', runs: specs });
      post(hostFor(), { type: 'replay', runs: targets });
    } else if (msg.type === 'replayed') {
      const rec = /** @type {{wasTraining: boolean}} */ (recovering);
      recovering = null;
      watch.pending = false;
      let differs = false;
      const runs = msg.runs.filter((r) => r.epoch === epochOf[r.id]).map((r) => {
        const p = progress[r.id] || (progress[r.id] = { step: 0, failed: false });
        const same = sameHistory(p.loss, r.metrics && r.metrics.loss);
        if (!same) differs = true;
        p.step = (r.summary && r.summary.step) || 0;
        p.loss = r.metrics && r.metrics.loss;
        return Object.assign({ differs: !same }, r);
      });
      ready = true;
      emit({ type: 'restored', runs, differs, wasTraining: rec.wasTraining });
    } else if (msg.type === 'error' && msg.scope === 'init') {
      giveUp(msg.message);
    }
    // nothing else is expected from a worker that is being brought back
  }

  /** @param {ArrayLike<number>|undefined} a @param {ArrayLike<number>|undefined} b */
  function sameHistory(a, b) {
    if (!a || !b || a.length > b.length) return !a;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
    return true;
  }

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
      const runs = specs.map((s) => {
        epochOf[s.id] = epoch;
        progress[s.id] = { step: 0, failed: false };
        return Object.assign({}, s, { epoch });
      });
      post(hostFor(), { type: 'create', runs });
    },
    /** @param {string[]} ids */
    dispose(ids) {
      if (!ready || !ids.length) return;
      ids.forEach((id) => { delete epochOf[id]; delete progress[id]; });
      post(hostFor(), { type: 'dispose', ids });
    },
    /** train every run up to maxSteps (a new command: an older one's 'stopped' is stale) @param {number} maxSteps */
    train(maxSteps) {
      if (!ready) return;
      training = true;
      seq++;
      allHosts().forEach((h) => post(h, { type: 'train', seq, maxSteps }));
    },
    /** while training: a new limit for the same command @param {number} maxSteps */
    setMaxSteps(maxSteps) {
      if (ready && training) allHosts().forEach((h) => post(h, { type: 'train', seq, maxSteps }));
    },
    /** @param {number} steps */
    step(steps) {
      if (!ready) return;
      seq++;
      allHosts().forEach((h) => post(h, { type: 'step', seq, steps }));
    },
    pause() { allHosts().forEach((h) => post(h, { type: 'pause' })); },
    /** the run's current weights (PyTorch state_dict form) @param {string} id @returns {Promise<object>} */
    exportWeights(id) { return exportRun(id, 'weights'); },
    /** what the PyTorch script needs (web/export-torch.js) @param {string} id @returns {Promise<import('./export-torch.js').TorchMaterial>} */
    exportTorch(id) { return exportRun(id, 'torch'); },
    restarts() { return restarts; },
    // test builds only (web/test-hooks.js); esbuild drops them from dist/
    testHooks: RNNLAB_TEST ? {
      /** @param {number} ms */
      setWatchdog(ms) { watch.ms = ms; },
      /** a real abort()/trap inside the module while run `id` trains (now if no id) @param {string|null} id @param {import('./protocol.js').CrashHow} how */
      crash(id, how) { post(hostFor(id || undefined), { type: '__crash', id, how }); },
      /** @returns {Promise<any>} the worker's {type:'memory'} reply */
      memory() {
        return new Promise((resolve) => {
          memoryWaiters.push(resolve);
          allHosts().forEach((h) => post(h, { type: 'memory' }));
        });
      },
    } : null,
  };
}
