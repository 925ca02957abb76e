// @ts-check
// Worker side of the lesson runtime: owns the RnnLab runs and the training loop; appended after rnnlab.js into one Blob worker.
// It never touches the DOM and never decides what to plot: it trains, and posts summaries and metric copies back.
//
// Protocol (types: web/protocol.js, checked by tsc on both sides; page -> worker; every reply carries the run's epoch so the page drops stale replies):
//   {type:'init', module?}                          -> {type:'module', module} (when it compiled the wasm itself: the compiled
//                                                      WebAssembly.Module for the other workers, or null), then
//                                                      {type:'ready'} | {type:'error', scope:'init', message}
//                                                      (worker-bundle.js's first worker gets none: it inits itself at once)
//   {type:'create', runs:[{id, epoch, config, weights?}]} -> per run {type:'created', id, epoch} | {type:'error', scope:'create', id, epoch, message}
//                                                    (weights: true adds metrics.weights = run.exportWeights() to a tick at most every
//                                                     WEIGHTS_MS, to the last one and to a Step's; a pause sends the missing ones)
//                                                      (stops the loop; replaces runs with the same id; other runs untouched)
//   {type:'train', seq, maxSteps, tickMs?}          -> {type:'tick', runs:[{id, epoch, summary, metrics}], steps, ms} repeatedly,
//                                                      then {type:'stopped', seq, reason:'done'|'paused'}; while running, a new
//                                                      'train' only updates maxSteps and seq
//   {type:'step', seq, steps}                       -> one {type:'tick'}, then {type:'stopped', seq, reason:'paused'}
//   (a run created with trace: true is trained one step at a time and its tick adds metrics.weightsTrace = [{step, weights}]
//    for every step since the last tick: for charts that draw a path through weight space)
//   (under 'train', a new run's first tick is one step, so its probes show the network at initialisation)
//   {type:'pause'}                                  -> {type:'stopped', seq, reason:'paused'} (after the chunk in progress)
//   {type:'dispose', ids?}                          -> {type:'disposed', ids} (all runs when ids is absent)
//   {type:'export', id, req, what?}                 -> {type:'exported', id, epoch, req, step, weights} (weights = run.exportWeights(),
//                                                      PyTorch state_dict names and shapes) | {type:'error', scope:'export', id, req, message};
//                                                      between training rounds, so the weights are those of a whole step;
//                                                      what: 'torch' adds torch = collectTorchMaterial(run) (web/export-torch-material.js:
//                                                      config, weights, every validation sample, the lab's outputs; own copies)
//   {type:'look', id, req, asks:[…]}             -> {type:'looked', id, epoch, req, step, results} (predict / inspect / generate /
//                                                      forecast, plain copied arrays: web/worker-look.js) | {type:'error',
//                                                      scope:'look', id, epoch?, req, message}; the run is not changed
// Errors from train() are posted as {type:'error', scope:'train', id, epoch, message}; that run stops, the others go on.
// Any other handler's error: {type:'error', scope:'handler', command, message}; an unknown type: scope 'protocol'.
//   {type:'replay', runs:[{id, steps}]}           -> trains each (freshly created) run to that step without ticks, then
//                                                      {type:'replayed', runs:[{id, epoch, summary, metrics}]} (crash recovery:
//                                                      the same config and seed give the same trajectory); while it
//                                                      works, {type:'replaying', id, step} after every ~50 ms slice
//   {type:'ping'}                                   -> {type:'pong'}
//   {type:'memory'}                                 -> {type:'memory', wasmBytes, mallocInUse, liveRuns} (leak tests)
// A crash of the wasm module (abort(), a trap, a non-Error throw) is not an error of one run: the module's state is gone.
// The worker posts {type:'crashed', id?, epoch?, message} once, then ignores everything; the page starts a new worker.
//   {type:'__crash', id?, how:'abort'|'trap'|'close'|'throw'} (test build only) -> a real abort()/trap inside the module, at that
//                                                      run's next training (now if no id); 'close' ends the worker silently,
//                                                      'throw' throws uncaught outside any handler (the page's onerror)
import { answer as lookAnswer } from './worker-look.js';
import { collectTorchMaterial } from './export-torch-material.js';
import { createWarmUp } from './worker-warm.js';
var api = (typeof RnnLab !== 'undefined' && RnnLab) || /** @type {any} */ (self).RnnLab;
var lab = null;
var runs = {};           // id -> {run, epoch, step, stopped}
var order = [];          // run ids in creation order
var loopToken = 0;       // bumped to cancel a scheduled loop
var running = false;
var loopSeq = 0;         // seq of the train/step command the current loop belongs to (echoed in 'stopped')
var maxSteps = Infinity;
var chunk = 4;           // steps per run per round, adapted to ~TARGET_MS per round
var TARGET_MS = 60;
var firstRound = false;  // the last round gave some new run its one-step first tick
var core = {             // the Emscripten module object (loadLab's options): the abort hook, the test-only crash binding
  onAbort: function (what) { aborted = 'wasm abort(' + (what ? String(what) : '') + ')'; }
};
var aborted = null;      // set by the module's abort()
var crashed = false;     // after a crash nothing touches the module again

/** @typedef {import('./protocol.js').WorkerReply} WorkerReply */
/** @typedef {import('./protocol.js').WorkerRequest} WorkerRequest */

/** every reply goes through here, typed as the protocol says @param {WorkerReply} msg @param {Transferable[]} [transfer] */
function post(msg, transfer) { /** @type {any} */ (self).postMessage(msg, transfer || []); } // (a worker's postMessage; tsc sees the page's)
function errText(e) { return (e && e.message) ? String(e.message) : String(e); }

// abort(), a trap (WebAssembly.RuntimeError) or a non-Error throw out of the module: its memory can no longer be trusted
function isCrash(e) {
  return !!aborted || (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) || !(e instanceof Error);
}
function crash(e, id, epoch) {
  if (crashed) return;
  crashed = true;
  running = false;
  loopToken++;
  var why = aborted || (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError ? 'wasm trap: ' + errText(e) : 'uncaught ' + errText(e));
  post({ type: 'crashed', id: id, epoch: epoch, message: why });
}
function crashNow(how) {
  if (how === 'close') { crashed = true; self.close(); return; }
  if (how === 'throw') { crashed = true; setTimeout(function () { throw new Error('uncaught error in the worker (test)'); }, 0); return; }
  core.crashForTests(how === 'trap' ? 1 : 0);
}

function metricsCopy(run, transfer) {
  var m = run.metrics(), out = {};
  Object.keys(m || {}).forEach(function (k) {
    var v = m[k];
    if (ArrayBuffer.isView(v)) {
      var c = /** @type {Float32Array} */ (v).slice(); // own buffer: never transfer a view into wasm memory
      out[k] = c;
      transfer.push(c.buffer);
    } else {
      out[k] = v;
    }
  });
  return out;
}

function active() {
  return order.filter(function (id) { var r = runs[id]; return r && !r.stopped && r.step < maxSteps; });
}

// A run's weights (create's weights: true) go with its ticks at most every WEIGHTS_MS, with its last tick (done, diverged),
// with every Step, and in one more tick at a pause (staleWeights): exported as nested arrays and drawn as histograms, they made lesson 7's ticks (6 runs, a
// 128 × 128 layer) 50–80 ms tasks on the page at 8 ticks a second (docs/performance.md, "Session 7").
var WEIGHTS_MS = 400;
/** puts the run's weights into its tick's metrics and notes when and at which step; returns the milliseconds it took */
function addWeights(r, m) {
  var t = Date.now();
  m.weights = r.run.exportWeights();
  r.weightsAt = t;
  r.weightsStep = r.step;
  return Date.now() - t;
}
/** @param {number} stepsPerRun @param {boolean} [oneFirst] @param {boolean} [whole] every run's weights, however recent */
function trainRound(stepsPerRun, oneFirst, whole) {
  var t0 = Date.now(), report = [], transfer = [], exportMs = 0;
  order.forEach(function (id) {
    var r = runs[id];
    if (!r || r.stopped || r.step >= maxSteps) return;
    var n = Math.max(1, Math.min(stepsPerRun, maxSteps - r.step));
    if (oneFirst && r.step === 0) { n = 1; firstRound = true; } // a new run's first tick carries the step-1 probes (the state at initialisation)
    if (crashed) return;
    try {
      if (r.crash) { var how = r.crash; r.crash = null; crashNow(how); if (crashed) return; }
      var s, trace = null;
      if (r.trace) { // one step at a time, recording the weights after each (cheap models only)
        trace = [];
        for (var k = 0; k < n; k++) {
          s = r.run.train(1);
          trace.push({ step: s.step, weights: r.run.exportWeights() });
          if (s.diverged) break;
        }
      } else s = r.run.train(n);
      r.step = (s && typeof s.step === 'number') ? s.step : r.step + n;
      if (s && s.diverged) r.stopped = true;
      var m = metricsCopy(r.run, transfer);
      if (r.weights && (whole || r.stopped || r.step >= maxSteps || Date.now() - r.weightsAt >= WEIGHTS_MS)) exportMs += addWeights(r, m);
      if (trace) m.weightsTrace = trace;
      report.push({ id: id, epoch: r.epoch, summary: s, metrics: m });
    } catch (e) {
      if (isCrash(e)) { crash(e, id, r.epoch); return; }
      r.stopped = true;
      post({ type: 'error', scope: 'train', id: id, epoch: r.epoch, message: errText(e) });
    }
  });
  var ms = Date.now() - t0;
  if (crashed) return ms;
  if (report.length) post({ type: 'tick', runs: report, steps: stepsPerRun, ms: ms }, transfer);
  // the chunk adapts to the training time only: exporting weights costs the same per round whatever the chunk
  return Math.max(0, ms - exportMs);
}

function loop(token) {
  if (token !== loopToken || !running || crashed) return;
  if (active().length === 0) { stop(maxSteps < Infinity ? 'done' : 'idle'); return; }
  firstRound = false;
  var ms = trainRound(chunk, true);
  // adapt the chunk so one round of all runs takes about TARGET_MS (not after a round of one-step first ticks)
  var perStep = ms / Math.max(1, chunk);
  if (firstRound) { /* keep the chunk */ }
  else if (perStep > 0) chunk = Math.max(1, Math.min(500, Math.round(0.5 * chunk + 0.5 * TARGET_MS / perStep)));
  else chunk = Math.min(500, chunk * 2);
  setTimeout(function () { loop(token); }, 0); // yield so pause/create messages get through
}

function stop(reason) {
  loopToken++;
  var was = running;
  running = false;
  if (was || reason !== 'idle') post({ type: 'stopped', reason: reason, seq: loopSeq });
}

// Pause: a tick with the weights of the runs whose last tick went without them (their metrics again, unchanged). The other
// ways training stops need none: 'done' ticks carry them, a Step's round carries them, create/dispose/replay change the runs.
function staleWeights() {
  var report = [], transfer = [];
  order.forEach(function (id) {
    var r = runs[id];
    if (!r || !r.weights || r.weightsStep === r.step || crashed) return;
    try {
      var m = metricsCopy(r.run, transfer);
      addWeights(r, m);
      report.push({ id: id, epoch: r.epoch, summary: r.run.summary(), metrics: m });
    } catch (e) { if (isCrash(e)) crash(e, id, r.epoch); }
  });
  if (report.length && !crashed) post({ type: 'tick', runs: report, steps: 0, ms: 0 }, transfer);
}

function disposeRun(id) {
  var r = runs[id];
  if (!r) return;
  try { r.run.dispose(); } catch (e) { /* already gone */ }
  delete runs[id];
  order = order.filter(function (x) { return x !== id; });
}

// Crash recovery: train each listed run to `steps` in growing chunks (slices of ~50 ms, so pings get through), then one reply.
function replay(list) {
  if (running) stop('paused');
  var todo = list.filter(function (x) { return runs[x.id]; }), i = 0, n = 1, summaries = {};
  function slice() {
    if (crashed) return;
    var t0 = Date.now();
    while (i < todo.length && Date.now() - t0 < 50) {
      var r = runs[todo[i].id], left = r ? (todo[i].steps | 0) - r.step : 0;
      if (!r || r.stopped || left <= 0) { i++; n = 1; continue; }
      var ts = Date.now(), s;
      try { s = r.run.train(Math.min(n, left)); } catch (e) {
        if (isCrash(e)) { crash(e, todo[i].id, r.epoch); return; }
        r.stopped = true; i++; continue;
      }
      r.step = s.step;
      summaries[todo[i].id] = s;
      if (s.diverged) r.stopped = true;
      if (Date.now() - ts < 20) n = Math.min(1000, n * 2);
    }
    if (i < todo.length) { post({ type: 'replaying', id: todo[i].id, step: runs[todo[i].id] ? runs[todo[i].id].step : 0 }); setTimeout(slice, 0); return; }
    var out = [], transfer = [];
    try {
      todo.forEach(function (x) {
        var r = runs[x.id];
        if (r) out.push({ id: x.id, epoch: r.epoch, summary: summaries[x.id] || r.run.summary(), metrics: metricsCopy(r.run, transfer) });
      });
    } catch (e) { if (isCrash(e)) { crash(e, null); return; } }
    post({ type: 'replayed', runs: out }, transfer);
  }
  setTimeout(slice, 0);
}

// The module is compiled once per page: a worker given the compiled WebAssembly.Module (by the page, which got it from the
// first worker) only instantiates it; one that is not compiles the embedded bytes itself and posts the Module back
// ({type:'module'}; null when it cannot be posted or compiled here, and then every worker compiles its own).
function loadShared(given) {
  var W = typeof WebAssembly !== 'undefined' ? WebAssembly : null;
  if (given && W) return loadWith(given);
  if (!W || typeof W.compile !== 'function' || typeof api.wasmBytes !== 'function') return loadOwn();
  return api.wasmBytes().then(function (bytes) { // the embedded module, inflated (bindings/api.js)
    if (!bytes) return loadOwn();
    return W.compile(bytes).then(function (mod) {
      try { post({ type: 'module', module: mod }); } catch (e) { post({ type: 'module', module: null }); }
      return loadWith(mod);
    });
  });
}
function loadOwn() {
  post({ type: 'module', module: null });
  return api.loadLab(core);
}
function loadWith(mod) {
  core.wasmBinary = new Uint8Array(0); // api.js inflates the embedded bytes only when the module object has none
  core.instantiateWasm = function (imports, receive) { // Emscripten's hook: it waits for receive(instance)
    WebAssembly.instantiate(mod, imports).then(function (inst) { receive(inst); }, function (e) {
      post({ type: 'error', scope: 'init', message: errText(e) });
    });
    return {};
  };
  return api.loadLab(core);
}

// The warm-up (web/worker-warm.js): scratch runs that get V8 to compile the module's hot code before the click on Train
var warmer = createWarmUp(function () { return lab; }, function () { return crashed || running; }, function (e) {
  if (isCrash(e)) { crash(e, null); return true; }
  return false;
});

var handlers = {
  init: function (msg) {
    if (!api || typeof api.loadLab !== 'function') {
      post({ type: 'error', scope: 'init', message: 'rnnlab.js did not define RnnLab.loadLab' });
      return;
    }
    Promise.resolve().then(function () { return loadShared(msg.module); }).then(function (l) {
      lab = l;
      post({ type: 'ready' });
      warmer.ready(!msg.module); // the worker that compiled the module warms it for all (the code is shared)
    }, function (e) {
      post({ type: 'error', scope: 'init', message: errText(e) });
    });
  },
  create: function (msg) {
    if (running) stop('paused');
    (msg.runs || []).forEach(function (spec) {
      if (crashed) return;
      disposeRun(spec.id);
      if (!lab) { post({ type: 'error', scope: 'create', id: spec.id, epoch: spec.epoch, message: 'the training module is not loaded' }); return; }
      try {
        var run = lab.createRun(spec.config);
        runs[spec.id] = { run: run, epoch: spec.epoch, step: 0, stopped: false, weights: !!spec.weights, trace: !!spec.trace, weightsAt: 0, weightsStep: -1 };
        order.push(spec.id);
        post({ type: 'created', id: spec.id, epoch: spec.epoch });
      } catch (e) {
        if (isCrash(e)) { crash(e, spec.id, spec.epoch); return; }
        post({ type: 'error', scope: 'create', id: spec.id, epoch: spec.epoch, message: errText(e) });
      }
    });
  },
  train: function (msg) {
    maxSteps = (typeof msg.maxSteps === 'number' && msg.maxSteps > 0) ? msg.maxSteps : Infinity;
    if (msg.tickMs > 0) TARGET_MS = msg.tickMs; // a pool of N workers asks for N × 60 ms: the page gets as many ticks as from one
    loopSeq = msg.seq;
    warmer.stop();
    if (running) return;
    running = true;
    var token = ++loopToken;
    setTimeout(function () { loop(token); }, 0);
  },
  step: function (msg) {
    warmer.stop();
    if (running) stop('paused');
    maxSteps = Infinity;
    loopSeq = msg.seq;
    if (active().length) trainRound(Math.max(1, msg.steps | 0), false, true);
    post({ type: 'stopped', reason: 'paused', seq: loopSeq });
  },
  pause: function () { if (running) staleWeights(); stop('paused'); },
  // the page's "weights JSON" and "PyTorch script" downloads (web/export.js)
  export: function (msg) {
    var r = runs[msg.id];
    if (!r) { post({ type: 'error', scope: 'export', id: msg.id, req: msg.req, message: 'no run "' + msg.id + '" in the worker' }); return; }
    try {
      if (msg.what === 'torch') {
        var m = r.run.metrics(), vs = m.val_step, vl = m.val_loss;
        var last = vs && vs.length ? vs.length - 1 : -1;
        var t = collectTorchMaterial(r.run, { step: r.step, val_loss: last >= 0 ? vl[last] : null }, last >= 0 ? vs[last] : null);
        post({ type: 'exported', id: msg.id, epoch: r.epoch, req: msg.req, step: r.step, weights: t.weights, torch: t },
          [t.inputs.buffer, t.targets.buffer, t.outputs.buffer]);
        return;
      }
      post({ type: 'exported', id: msg.id, epoch: r.epoch, req: msg.req, step: r.step, weights: r.run.exportWeights() });
    } catch (e) {
      post({ type: 'error', scope: 'export', id: msg.id, epoch: r.epoch, req: msg.req, message: errText(e) });
    }
  },
  // the views' questions (web/worker-look.js); between training rounds, so the run is at a whole step
  look: function (msg) {
    var r = runs[msg.id];
    if (!r) { post({ type: 'error', scope: 'look', id: msg.id, req: msg.req, message: 'no run "' + msg.id + '" in the worker' }); return; }
    try {
      post({ type: 'looked', id: msg.id, epoch: r.epoch, req: msg.req, step: r.step, results: lookAnswer(r.run, msg.asks) });
    } catch (e) {
      if (isCrash(e)) { crash(e, msg.id, r.epoch); return; }
      post({ type: 'error', scope: 'look', id: msg.id, epoch: r.epoch, req: msg.req, message: errText(e) });
    }
  },
  // worker-bundle.js, once the page has loaded and drawn: the lesson-sized warm-up (above); only the worker that compiled
  // the module does it, and not once training has been asked for
  warm: function () { warmer.request(); },
  ping: function () { post({ type: 'pong' }); },
  memory: function () {
    post({ type: 'memory', wasmBytes: lab ? lab.heapBytes() : 0, mallocInUse: lab ? lab.heapInUse() : 0, liveRuns: lab ? lab.liveRuns() : 0, warmSteps: warmer.steps() });
  },
  replay: function (msg) { replay(msg.runs || []); },
  __crash: !RNNLAB_TEST ? undefined : function (msg) {
    if (msg.id !== undefined && msg.id !== null) { if (runs[msg.id]) runs[msg.id].crash = msg.how || 'abort'; }
    else crashNow(msg.how || 'abort');
  },
  dispose: function (msg) {
    if (running) stop('paused');
    var ids = msg.ids || order.slice();
    ids.forEach(disposeRun);
    post({ type: 'disposed', ids: ids });
  }
};

// worker-bundle.js's first worker (web/worker-boot.js sets RnnLabAutoInit in front of this source) loads the module at once,
// as if it had got {type:'init'} without a module; the other workers wait for their 'init'
if (/** @type {any} */ (self).RnnLabAutoInit) handlers.init({ type: 'init' });

self.onmessage = function (ev) {
  var msg = /** @type {WorkerRequest} */ (ev.data || {});
  if (crashed) return;
  var h = handlers[msg.type];
  if (!h) { post({ type: 'error', scope: 'protocol', message: 'unknown message type "' + msg.type + '"' }); return; }
  try { h(msg); } catch (e) { if (isCrash(e)) crash(e, null); else post({ type: 'error', scope: 'handler', command: msg.type, message: errText(e) }); }
};
