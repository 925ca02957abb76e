// Lesson page controller: reads the lesson data embedded by the build, builds the controls from the schema, drives the worker and the charts.
// Generic for every lesson (nothing lesson-specific here); it never trains on the main thread and never inserts HTML built from URL or user data.
(function (root) {
  'use strict';
  var R = root.LabRuntime;
  var i18n = R.i18n, S = R.schema, page = R.page;
  var doc = root.document;

  function $(sel) { return doc.querySelector(sel); }
  function el(tag, attrs, children) {
    var n = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') n.textContent = attrs[k];
      else if (k === 'class') n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c); });
    return n;
  }
  // both languages as sibling spans; CSS shows the one matching <html lang>
  function bi(obj) {
    var f = doc.createDocumentFragment();
    if (typeof obj === 'string') { f.appendChild(doc.createTextNode(obj)); return f; }
    i18n.LANGS.forEach(function (l) {
      f.appendChild(el('span', { 'data-lang': l, lang: l, text: obj[l] || obj.en || '' }));
    });
    return f;
  }

  var lesson = JSON.parse($('#lesson-data').textContent);
  var schema = S.lessonSchema(lesson);
  var byKey = {};
  schema.forEach(function (e) { byKey[e.key] = e; });
  var lessonRuns = lesson.presets.runs;
  var lessonRunIds = lessonRuns.map(function (r) { return r.id; });
  var runKeys = S.runKeys(schema);            // what one run can override (per-run settings)
  var runKeyBy = {};
  runKeys.forEach(function (e) { runKeyBy[e.key] = e; });
  var hideTokens = S.HIDE_PARTS.concat(schema.map(function (e) { return 'ctl-' + e.key; }),
    (lesson.charts || []).map(function (c) { return 'chart-' + c.id; }));
  var urlCtx = { schema: schema, lessonRuns: lessonRunIds, runKeys: runKeys, hide: hideTokens };
  var namedPresets = lesson.presets.named || [];
  var parsedHash = S.parseState(page.readHashPairs(), urlCtx);
  var state = Object.assign(S.defaults(schema), { runs: lessonRunIds.slice(), hide: [] }, parsedHash.state);
  var notices = parsedHash.notices;           // what the URL asked for and could not get
  var runsSpec = [];                          // the current runs (computeRuns): lesson runs and added ones
  if (state.steps === undefined) state.steps = lesson.presets.steps || 1000;
  var stepSize = lesson.presets.stepSize || 10;

  // ---- run status -------------------------------------------------------------------------
  var epoch = 0;
  var mode = 'loading';   // loading | idle | training | paused | done | broken
  var ready = false;
  var runState = {};      // id -> {step, loss, diverged, divergedAt, error}
  var lastMetrics = {};   // id -> metrics
  var firstMetrics = {};  // id -> the metrics of its first tick (charts rebuilt after a run-list change replay first + last)
  var lastSummary = {};   // id -> the summary of its latest tick
  var traces = {};        // id -> every weightsTrace entry so far (runs with trace: true)
  var runEpoch = {};      // id -> epoch of its current worker run (replies from older ones are dropped)
  var runRate = {};       // id -> {t, step, value}: steps per second of that run
  var configOverride = {};// test hook: id -> patch merged into that run's config
  var errors = [];        // readable messages shown on the page
  var rate = { t: 0, step: 0, value: 0 };
  var seq = 0;            // numbers train/step commands; a 'stopped' for an older command is stale

  var charts = {};
  // a chart with "weights": true needs the runs' parameters (exportWeights) with every tick, as metrics.weights;
  // "weights": "every" also a per-step trace of them (metrics.weightsTrace, cheap models only). Only the chart's runs (spec.runs) pay.
  function wantWeights(runId, trace) { // runId: a lesson run id (an added run asks for its template's)
    return (lesson.charts || []).some(function (c) {
      var on = trace ? c.weights === 'every' : (c.weights === true || c.weights === 'every');
      return on && (!Array.isArray(c.runs) || c.runs.indexOf(runId) >= 0);
    });
  }
  var host = null;

  // ---- controls ---------------------------------------------------------------------------
  var inputs = {};
  function buildControls() {
    var box = $('#controls');
    schema.forEach(function (e) {
      var id = 'ctl-' + e.key, helpId = 'help-' + e.key;
      var wrap = el('div', { class: 'control control-' + e.widget });
      var label = el('label', { for: id });
      label.appendChild(bi(e.label));
      var input, out = null;
      if (e.type === 'enum') {
        input = el('select', { id: id, 'aria-describedby': helpId });
        e.choices.forEach(function (c) {
          input.appendChild(el('option', { value: c, text: (e.choiceLabels && e.choiceLabels[c]) || c }));
        });
      } else if (e.widget === 'range') {
        input = el('input', { id: id, type: 'range', 'aria-describedby': helpId });
        if (e.scale === 'log') {
          e.ticks = S.logTicks(e.min, e.max);
          input.min = 0; input.max = e.ticks.length - 1; input.step = 1;
        } else {
          input.min = e.min; input.max = e.max; input.step = e.step || 1;
        }
        out = el('output', { for: id, class: 'value', 'aria-hidden': 'true' });
      } else {
        input = el('input', { id: id, type: 'number', inputmode: e.type === 'int' ? 'numeric' : 'decimal', 'aria-describedby': helpId });
        input.min = e.min; input.max = e.max; input.step = e.step || 'any';
      }
      var row = el('div', { class: 'control-row' }, [label, out]);
      wrap.appendChild(row);
      wrap.appendChild(input);
      var help = el('p', { id: helpId, class: 'help' });
      help.appendChild(bi(e.help));
      wrap.appendChild(help);
      box.appendChild(wrap);
      inputs[e.key] = { input: input, out: out, entry: e };

      var read = function () {
        if (e.scale === 'log') return e.ticks[Number(input.value)];
        return S.coerce(e, input.value);
      };
      input.addEventListener('input', function () {
        var v = read();
        if (out && v !== undefined) out.textContent = S.format(e, v);
        if (e.scale === 'log' && v !== undefined) input.setAttribute('aria-valuetext', S.format(e, v));
      });
      input.addEventListener('change', function () {
        var v = read();
        if (v === undefined) { showControl(e.key); return; }
        setState(pair(e.key, v));
      });
    });
    schema.forEach(function (e) { showControl(e.key); });
  }
  function pair(k, v) { var o = {}; o[k] = v; return o; }

  function showControl(key) {
    var c = inputs[key];
    if (!c) return;
    var e = c.entry, v = state[key];
    if (e.scale === 'log') {
      var best = 0;
      e.ticks.forEach(function (t, i) { if (Math.abs(Math.log(t / v)) < Math.abs(Math.log(e.ticks[best] / v))) best = i; });
      c.input.value = String(best);
      c.input.setAttribute('aria-valuetext', S.format(e, v));
    } else {
      c.input.value = S.format(e, v);
    }
    if (c.out) c.out.textContent = S.format(e, v);
  }

  // Change state; anything that goes into every config resets the runs (and keeps training if it was). The run list
  // ("runs") and per-run overrides ("<run id>.<key>", null removes one) restart only the runs they touch; "hide" hides parts.
  function setState(patch, opts) {
    var configChanged = false, stepsChanged = false, hideChanged = false;
    var prevRuns = state.runs.slice(), restart = {};
    Object.keys(patch).forEach(function (k) {
      if (k === 'runs' || k === 'hide' || (!byKey[k] && S.splitOverride(k))) {
        var r = setRunState(k, patch[k], restart);
        if (r === 'hide') hideChanged = true;
        return;
      }
      var e = byKey[k];
      if (!e) return;
      var v = S.coerce(e, patch[k]);
      if (v === undefined || v === state[k]) return;
      state[k] = v;
      if (e.path) configChanged = true;
      if (k === 'steps') stepsChanged = true;
    });
    // overrides of runs no longer in the list go with them
    Object.keys(state).forEach(function (k) {
      var o = !byKey[k] && S.splitOverride(k);
      if (o && state.runs.indexOf(o.id) < 0) delete state[k];
    });
    schema.forEach(function (e) { showControl(e.key); });
    writeState();
    if (hideChanged) applyHide();
    if (stepsChanged) {
      Object.keys(charts).forEach(function (id) { charts[id].setXMax(state.steps); });
      if (mode === 'training') host.post({ type: 'train', seq: seq, maxSteps: state.steps });
      else if (mode === 'done') setMode('paused');
    }
    var runsChanged = prevRuns.join(',') !== state.runs.join(',') || Object.keys(restart).length > 0;
    if (configChanged || (opts && opts.forceReset)) {
      var wasTraining = mode === 'training';
      if (runsChanged) {
        if (host && ready) {
          var gone = prevRuns.filter(function (id) { return state.runs.indexOf(id) < 0; });
          if (gone.length) host.post({ type: 'dispose', ids: gone });
        }
        computeRuns();
        buildStatusTable();
        rebuildCharts();
      }
      resetRuns();
      if (wasTraining) train();
    } else if (runsChanged) {
      changeRuns(prevRuns, restart);
    }
  }

  function applyPreset(id) {
    var p = namedPresets.filter(function (x) { return x.id === id; })[0];
    if (!p) return;
    var next = S.defaults(schema);
    Object.keys(p.state || {}).forEach(function (k) { next[k] = p.state[k]; });
    setState(next, { forceReset: true });
    say(i18n.t('applied', { name: i18n.pick(p.label) }));
  }

  // ---- status display ---------------------------------------------------------------------
  function say(text) { $('#lab-message').textContent = text; }

  function runLabel(id) {
    var r = runsSpec.filter(function (x) { return x.id === id; })[0];
    return r ? i18n.pick(r.label) : id;
  }

  function renderErrors() {
    var box = $('#lab-errors');
    box.textContent = '';
    errors.forEach(function (m) { box.appendChild(el('p', { text: i18n.t(m.key, { run: m.run ? runLabel(m.run) : '', message: m.message }) })); });
    box.hidden = errors.length === 0;
  }

  function addError(key, run, message) {
    errors.push({ key: key, run: run, message: message });
    renderErrors();
  }

  // Called on every tick: writes only what changed (an unchanged textContent written again still replaces the text node
  // and costs a style and layout pass of the panel).
  function setText(node, text) { if (node && node.textContent !== text) node.textContent = text; }
  function setFlag(node, prop, on) { if (node && node[prop] !== on) node[prop] = on; }
  function renderStatus() {
    runsSpec.forEach(function (r) {
      var row = rowEls[r.id];
      var s = runState[r.id] || {};
      if (!row) return;
      setText(row.querySelector('[data-f=step]'), s.step !== undefined ? String(s.step) : '0');
      setText(row.querySelector('[data-f=loss]'), (s.loss !== undefined && s.loss !== null) ? R.charts.fmtFixed(s.loss) : '–');
      var q = runRate[r.id], active = mode === 'training' && !s.error && !s.diverged && (s.step || 0) < state.steps;
      setText(row.querySelector('[data-f=rate]'), active && q && q.value > 0 ? String(Math.round(q.value)) : '–');
      var st = s.error ? i18n.t('failed') : s.diverged ? i18n.t('diverged', { step: s.divergedAt }) :
        (mode === 'training' && (s.step || 0) < state.steps) ? i18n.t('training') :
        (s.step || 0) >= state.steps ? i18n.t('done') : (s.step ? i18n.t('paused') : i18n.t('idle'));
      setText(row.querySelector('[data-f=status]'), st);
      row.classList.toggle('is-diverged', !!s.diverged); // toggle(token, force) touches nothing when already so (DOM spec)
      row.classList.toggle('is-error', !!s.error);
    });
    var maxStep = 0;
    Object.keys(runState).forEach(function (id) { maxStep = Math.max(maxStep, runState[id].step || 0); });
    setText($('#step-counter'), i18n.t('stepCounter', { step: maxStep }));
    setText($('#steps-per-sec'), mode === 'training' && rate.value > 0 ? i18n.t('stepsPerSec', { rate: Math.round(rate.value) }) : '');
    setFlag($('#btn-train'), 'disabled', !ready || mode === 'training');
    setFlag($('#btn-pause'), 'disabled', mode !== 'training');
    setFlag($('#btn-step'), 'disabled', !ready || mode === 'training');
    setFlag($('#btn-reset'), 'disabled', !ready);
    var panel = $('#lab-panel');
    if (panel.getAttribute('data-mode') !== mode) panel.setAttribute('data-mode', mode);
  }

  function setMode(m) {
    mode = m;
    if (R.charts.setBusy) R.charts.setBusy(m === 'training'); // off-screen charts are not redrawn while training
    if (m !== 'training') rate.value = 0;
    renderStatus();
  }

  function renderClaim() {
    var box = $('#claim-result');
    if (!box || !lesson.claim || !lesson.claim.checks) return;
    var maxStep = 0;
    Object.keys(runState).forEach(function (id) { maxStep = Math.max(maxStep, runState[id].step || 0); });
    var results = R.claim.evaluate(lesson.claim.checks, lessonMetrics());
    box.textContent = '';
    box.appendChild(el('p', { class: 'claim-title', text: i18n.t('claimTitle', { step: maxStep }) }));
    var ul = el('ul');
    results.forEach(function (res) {
      var verdict = res.pass === null ? 'unknown' : res.pass ? 'pass' : 'fail';
      var li = el('li', { class: 'claim-' + verdict });
      li.appendChild(el('span', { class: 'mark', 'aria-hidden': 'true', text: verdict === 'pass' ? '✓' : verdict === 'fail' ? '✗' : '?' }));
      li.appendChild(el('span', { text: i18n.pick(res.check.label) + ' — ' + i18n.t(verdict) + ' (' + R.charts.fmt(res.value) + ')' }));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.appendChild(el('p', { class: 'help', text: i18n.t('claimNote') }));
    box.hidden = false;
    box.setAttribute('data-verdict', results.every(function (r) { return r.pass; }) ? 'pass' : 'fail');
  }

  // ---- worker -----------------------------------------------------------------------------
  function startWorker() {
    // worker-bundle.js is loaded async (it must not hold up parsing the page): it may still be on its way
    var bundle = doc.getElementById('worker-bundle');
    if (typeof root.RnnLabWorkerSource !== 'string' && bundle && !root.RnnLabWorkerFailed && !bundle.__waited) {
      bundle.__waited = true;
      bundle.addEventListener('load', startWorker);
      bundle.addEventListener('error', startWorker);
      return;
    }
    if (typeof root.RnnLabWorkerSource !== 'string') {
      setMode('broken');
      addError('errorInit', null, i18n.t('noWorkerSource'));
      return;
    }
    try {
      // worker-bundle.js, at the top of the page, has usually started the worker already (RnnLabWorkerBoot): take it over
      // (once: adopt() clears it, so a worker restarted after a crash is always a new one)
      var boot = root.RnnLabWorkerBoot, url = null;
      var w = boot ? boot.worker : new Worker(url = URL.createObjectURL(new Blob([root.RnnLabWorkerSource], { type: 'text/javascript' })));
      var me = host = {
        worker: w,
        url: url,
        post: function (m) { noteSent(m); w.postMessage(m); }
      };
      w.onmessage = function (ev) { me.heard = true; if (host === me && !recoveryMessage(ev.data || {})) onMessage(ev.data || {}); };
      w.onerror = function (ev) {
        ev.preventDefault();
        if (host !== me) return;
        if (ready || recovering) { recoverWorker(ev.message || 'uncaught error', null); return; }
        addError('errorWorker', null, ev.message || 'unknown error');
        setMode(ready ? 'paused' : 'broken');
      };
      if (boot) boot.adopt(); else host.post({ type: 'init' });
    } catch (e) {
      setMode('broken');
      addError('errorWorker', null, e.message || String(e));
    }
  }

  // ---- crashed-worker recovery -------------------------------------------------------------
  // When the wasm module aborts/traps ({type:'crashed'}), the worker throws uncaught, or it stops answering while it owes a
  // reply, the worker is terminated and a new one started. The crashed run is marked failed (Reset brings it back); the
  // others are re-created from the exact specs last sent and replayed to the step they had reached (same config and seed,
  // same trajectory: the charts keep their points, and the replayed loss history is compared with the one shown).
  // After MAX_RESTARTS restarts the page gives up and says so.
  var MAX_RESTARTS = 3;
  var restarts = 0;
  var recovering = null;   // {targets: [{id, steps}], wasTraining, crashed} while a new worker loads and replays
  var sentSpecs = {};      // id -> the last 'create' spec posted for that run
  var watch = { ms: 45000, lastHeard: 0, pending: false, timer: 0, pinged: 0 };
  var memoryWaiters = [];  // test hook: resolvers waiting for the worker's {type:'memory'} reply

  function noteSent(m) {
    if (m.type === 'create') (m.runs || []).forEach(function (r) { sentSpecs[r.id] = r; });
    if (m.type === 'dispose') (m.ids || Object.keys(sentSpecs)).forEach(function (id) { delete sentSpecs[id]; });
    if (m.type !== 'pause' && m.type !== 'dispose') {
      if (!watch.pending) watch.lastHeard = performance.now();
      watch.pending = true;
    }
    armWatchdog();
  }

  // The worker owes a reply (or is training) and has said nothing for watch.ms: it is pinged, and if nothing at all arrives
  // within a grace period (which also covers a laptop waking up before the queued messages are read), it is dead or stuck.
  function armWatchdog() {
    if (watch.timer) return;
    watch.timer = setInterval(function () {
      if (!host || !host.heard || !(watch.pending || mode === 'training')) { watch.pinged = 0; return; } // (loading has no deadline)
      var now = performance.now();
      if (now - watch.lastHeard <= watch.ms) { watch.pinged = 0; return; }
      if (!watch.pinged) { watch.pinged = now; try { host.worker.postMessage({ type: 'ping' }); } catch (e) { /* gone */ } return; }
      if (now - watch.pinged > Math.min(5000, watch.ms)) {
        watch.pinged = 0;
        recoverWorker(i18n.t('workerSilent', { seconds: Math.round(watch.ms / 1000) }), null);
      }
    }, 500);
  }

  // Messages that belong to recovery; returns true when handled here (not passed on to onMessage).
  function recoveryMessage(msg) {
    watch.lastHeard = performance.now();
    watch.pending = !!recovering;
    if (msg.type === 'crashed') { recoverWorker(msg.message, (msg.id != null && msg.epoch === runEpoch[msg.id]) ? msg.id : null); return true; }
    if (msg.type === 'pong' || msg.type === 'replaying') return true;
    if (msg.type === 'memory') { memoryWaiters.splice(0).forEach(function (f) { f(msg); }); return true; }
    if (!recovering) return msg.type === 'replayed';
    if (msg.type === 'ready') { resumeAfterCrash(); return true; }
    if (msg.type === 'replayed') { finishRecovery(msg.runs || []); return true; }
    if (msg.type === 'error' && msg.scope === 'init') { giveUp(msg.message); return true; }
    if (msg.type === 'created' || msg.type === 'error') return msg.type === 'created';
    return true; // nothing else is expected from a worker that is being brought back
  }

  function killWorker() {
    if (!host) return;
    try { host.worker.onmessage = null; host.worker.onerror = null; host.worker.terminate(); } catch (e) { /* already gone */ }
    try { URL.revokeObjectURL(host.url); } catch (e) { /* fine */ }
    host = null;
    watch.pending = false;
  }

  function giveUp(message) {
    killWorker();
    recovering = null;
    ready = false;
    addError('crashGaveUp', null, String(restarts));
    if (message) say(message);
    setMode('broken');
  }

  function recoverWorker(message, crashedId) {
    var wasTraining = recovering ? recovering.wasTraining : mode === 'training';
    killWorker();
    ready = false;
    if (crashedId && runState[crashedId]) {
      runState[crashedId].error = message;
      addError('crashedRun', crashedId, message);
    } else {
      addError('crashed', null, message);
    }
    restarts++;
    if (restarts > MAX_RESTARTS) { giveUp(null); return; }
    var targets = [];
    Object.keys(sentSpecs).forEach(function (id) {
      var s = runState[id];
      if (!s || s.error || (recovering && recovering.crashed === id)) return;
      targets.push({ id: id, steps: s.step || 0 });
    });
    recovering = { targets: targets, wasTraining: wasTraining, crashed: crashedId, previous: {} };
    targets.forEach(function (t) { recovering.previous[t.id] = lastMetrics[t.id] && lastMetrics[t.id].loss; });
    say(i18n.t('crashRestarting'));
    setMode('loading');
    startWorker();
  }

  function resumeAfterCrash() {
    var specs = recovering.targets.map(function (t) { return sentSpecs[t.id]; }).filter(Boolean);
    host.post({ type: 'create', runs: specs });
    host.post({ type: 'replay', runs: recovering.targets });
  }

  function sameHistory(a, b) {
    if (!a || !b || a.length > b.length) return !a;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
    return true;
  }

  function finishRecovery(list) {
    var rec = recovering, parts = [], differs = false;
    recovering = null;
    watch.pending = false;
    list.forEach(function (r) {
      var s = runState[r.id];
      if (!s || r.epoch !== runEpoch[r.id]) return;
      var sum = r.summary || {};
      if (!sameHistory(rec.previous[r.id], r.metrics && r.metrics.loss)) {
        differs = true;
        Object.keys(charts).forEach(function (id) { charts[id].setData(r.id, r.metrics, sum); });
      }
      s.step = sum.step || 0;
      if (sum.diverged) { s.diverged = true; s.divergedAt = sum.diverged_at != null ? sum.diverged_at : sum.step; }
      lastMetrics[r.id] = r.metrics;
      parts.push(runLabel(r.id) + ' → ' + s.step);
    });
    ready = true;
    if (rec.wasTraining && parts.length) train();
    else setMode('paused');
    say(i18n.t(differs ? 'crashReplayedDiffers' : 'crashRestored', { runs: parts.join(', ') || '–' })); // (after train(), which clears it)
  }

  function resetRuns() {
    if (!host || !ready) return;
    epoch++;
    errors = [];
    renderErrors();
    runState = {};
    lastMetrics = {};
    firstMetrics = {};
    lastSummary = {};
    traces = {};
    runRate = {};
    var specs = runsSpec.map(function (r) {
      runState[r.id] = { step: 0, loss: null, diverged: false, divergedAt: null, error: null };
      runEpoch[r.id] = epoch;
      return workerSpec(r);
    });
    Object.keys(charts).forEach(function (id) { charts[id].clear(); charts[id].setXMax(state.steps); });
    var claim = $('#claim-result');
    if (claim) claim.hidden = true;
    host.post({ type: 'create', runs: specs });
    setMode('idle');
  }

  function train() {
    if (!ready) return;
    var allDone = runsSpec.every(function (r) { var s = runState[r.id]; return !s || s.error || s.diverged || s.step >= state.steps; });
    if (allDone) resetRuns();
    rate = { t: performance.now(), step: currentStep(), value: 0 };
    runRate = {};
    host.post({ type: 'train', seq: ++seq, maxSteps: state.steps });
    say('');
    setMode('training');
  }

  function currentStep() {
    var m = 0;
    Object.keys(runState).forEach(function (id) { m = Math.max(m, runState[id].step || 0); });
    return m;
  }

  function onMessage(msg) {
    if (extMessage(msg)) return; // replies for the add-on modules (weights export)
    switch (msg.type) {
      case 'ready':
        ready = true;
        say(i18n.t('ready'));
        resetRuns();
        break;
      case 'created':
        break;
      case 'tick':
        msg.runs.forEach(function (r) {
          if (r.epoch !== runEpoch[r.id] || !runState[r.id]) return;
          var s = runState[r.id], sum = r.summary || {};
          s.step = sum.step;
          s.loss = sum.loss;
          if (sum.diverged) { s.diverged = true; s.divergedAt = sum.diverged_at != null ? sum.diverged_at : sum.step; }
          lastMetrics[r.id] = r.metrics;
          keepForReplay(r.id, r.metrics, sum);
          Object.keys(charts).forEach(function (id) { charts[id].setData(r.id, r.metrics, sum); }); // sum: the run's summary (diverged, …)
        });
        if (mode === 'training') {
          var now = performance.now(), st = currentStep();
          if (now - rate.t > 250) {
            var inst = (st - rate.step) * 1000 / (now - rate.t);
            rate.value = rate.value ? 0.5 * rate.value + 0.5 * inst : inst;
            rate.t = now; rate.step = st;
          }
        }
        renderStatus();
        break;
      case 'stopped':
        if (msg.seq !== seq) break;
        if (mode === 'training' || msg.reason === 'done') setMode(msg.reason === 'done' ? 'done' : 'paused');
        if (msg.reason === 'done' || runsSpec.every(function (r) { var s = runState[r.id]; return s && (s.error || s.diverged || s.step >= state.steps); })) renderClaim();
        break;
      case 'error':
        if (msg.scope === 'create' || msg.scope === 'train') {
          if (msg.epoch !== runEpoch[msg.id]) return;
          if (runState[msg.id]) runState[msg.id].error = msg.message;
          addError(msg.scope === 'create' ? 'errorCreate' : 'errorTrain', msg.id, msg.message);
          renderStatus();
        } else if (msg.scope === 'init') {
          addError('errorInit', null, msg.message);
          setMode('broken');
        } else {
          addError('errorWorker', null, msg.message);
        }
        break;
      default:
        break;
    }
  }

  // ---- charts -----------------------------------------------------------------------------
  function buildCharts() {
    (lesson.charts || []).forEach(function (spec) {
      var canvas = doc.querySelector('figure[data-chart="' + spec.id + '"] canvas');
      if (!canvas || typeof root.Chart !== 'function') return;
      charts[spec.id] = R.charts.create(canvas, chartSpec(spec), runsSpec, { xMax: state.steps });
    });
  }

  // Move each chart figure into the slot of the visible language's article (one canvas per chart, shared by both texts).
  function placeCharts() {
    var lang = i18n.get();
    Array.prototype.forEach.call(doc.querySelectorAll('figure[data-chart]'), function (fig) {
      var id = fig.getAttribute('data-chart');
      var slot = (isHidden('text') ? null : doc.querySelector('article[data-lang="' + lang + '"] .chart-slot[data-chart="' + id + '"]')) ||
                 doc.querySelector('#chart-fallback');
      if (slot && fig.parentNode !== slot) slot.appendChild(fig);
    });
  }

  // ---- runs: the run list, per-run overrides, the runs UI (issue #4 points 1 and 10) -------------------------------------
  var rowEls = {};        // run id -> its <tr> in the status table
  var openEditors = {};   // run id -> true while its settings row is open
  var editorKey = {};     // run id -> the setting its editor shows
  var addBase = null;     // the template picked in "Add run"

  // runsSpec from state.runs: each run's template (lesson run), overrides, label, colour, and the config patch charts read
  // (the lesson run's patch with the overrides at their paths). Lesson runs keep their colour; an added run takes the one
  // least used by the lesson's runs and the added runs before it.
  function computeRuns() {
    var P = R.charts.PALETTE.length, used = [];
    for (var i = 0; i < P; i++) used.push(0);
    runsSpec = state.runs.map(function (id) {
      var base = S.runBase(id, lessonRunIds), lr = lessonRuns[lessonRunIds.indexOf(base)];
      var ov = S.overridesOf(state, id, runKeys);
      var cfg = S.deepMerge({}, lr.config || {});
      runKeys.forEach(function (e) { if (ov[e.key] !== undefined) S.setPath(cfg, e.path, ov[e.key]); });
      var r = { id: id, base: base, lessonRun: lr, overrides: ov, config: cfg, label: S.runLabel(lr, id, ov, runKeys) };
      if (lr.shortLabel) r.shortLabel = S.runLabel(lr, id, ov, runKeys, 'shortLabel');
      if (id === base) r.color = lr.color !== undefined ? lr.color : lessonRunIds.indexOf(id);
      return r;
    });
    // every lesson run's colour stays reserved (removing one never recolours the others)
    lessonRuns.forEach(function (lr, j) { used[(lr.color !== undefined ? lr.color : j) % P]++; });
    runsSpec.forEach(function (r) {
      if (r.color !== undefined) return;
      var best = 0;
      for (var k = 1; k < P; k++) if (used[k] < used[best]) best = k;
      r.color = best;
      used[best]++;
    });
  }

  // What the worker gets for one run: config = base → lesson run patch → page state → the run's overrides.
  function workerSpec(r) {
    var cfg = S.runConfig(lesson.presets.base, r.lessonRun.config, schema, state, r.overrides, runKeys, r.base);
    if (configOverride[r.id]) S.deepMerge(cfg, configOverride[r.id]);
    cfg = extRunConfig(r, cfg); // "Your data" replaces the task (web/datapanel.js); the config sent is kept for export (web/export.js)
    return { id: r.id, epoch: runEpoch[r.id], config: cfg, weights: wantWeights(r.base), trace: wantWeights(r.base, true) };
  }

  // The claim is about the lesson's own runs: added runs never count.
  function lessonMetrics() {
    var out = {};
    lessonRunIds.forEach(function (id) { if (lastMetrics[id]) out[id] = lastMetrics[id]; });
    return out;
  }

  function keepForReplay(id, m, sum) {
    if (!firstMetrics[id]) firstMetrics[id] = m;
    lastSummary[id] = sum;
    if (m && m.weightsTrace) traces[id] = (traces[id] || []).concat(m.weightsTrace);
    if (mode !== 'training' || typeof sum.step !== 'number') return;
    var now = performance.now(), q = runRate[id];
    if (!q) { runRate[id] = { t: now, step: sum.step, value: 0 }; return; }
    if (now - q.t > 250) {
      var inst = (sum.step - q.step) * 1000 / (now - q.t);
      q.value = q.value ? 0.5 * q.value + 0.5 * inst : inst;
      q.t = now;
      q.step = sum.step;
    }
  }

  // A chart spec for the current runs: spec.runs, spec.series[].runs and run-keyed maps (divideBy, xValues, param) also
  // cover the runs added from a lesson run they name.
  function chartSpec(spec) {
    var s = Object.assign({}, spec);
    var expand = function (map) {
      var out = Object.assign({}, map);
      runsSpec.forEach(function (r) { if (out[r.id] === undefined && map[r.base] !== undefined) out[r.id] = map[r.base]; });
      return out;
    };
    var ids = function (list) { return runsSpec.filter(function (r) { return list.indexOf(r.base) >= 0; }).map(function (r) { return r.id; }); };
    if (Array.isArray(spec.runs)) s.runs = ids(spec.runs);
    if (Array.isArray(spec.series)) {
      s.series = spec.series.map(function (x) { return x && Array.isArray(x.runs) ? Object.assign({}, x, { runs: ids(x.runs) }) : x; });
    }
    if (spec.divideBy) s.divideBy = expand(spec.divideBy);
    if (spec.xValues) s.xValues = expand(spec.xValues);
    if (spec.param && typeof spec.param === 'object' && !Array.isArray(spec.param)) s.param = expand(spec.param);
    return s;
  }

  // Charts are made for a fixed run list: destroy and recreate them, then replay every kept run's first and last metrics
  // (histories are whole; weight traces are kept whole here).
  function rebuildCharts() {
    Object.keys(charts).forEach(function (id) {
      var c = charts[id];
      try { c.destroy(); } catch (e) { /* already gone */ }
      c.redraw = c.schedule = function () {}; // a redraw still queued for the old chart does nothing
    });
    charts = {};
    buildCharts();
    Object.keys(charts).forEach(function (cid) {
      var c = charts[cid];
      runsSpec.forEach(function (r) {
        var last = lastMetrics[r.id], sum = lastSummary[r.id];
        if (!last) return;
        if (firstMetrics[r.id] && firstMetrics[r.id] !== last) c.setData(r.id, firstMetrics[r.id], sum);
        var m = last;
        if (traces[r.id]) { m = Object.assign({}, last); m.weightsTrace = traces[r.id]; }
        c.setData(r.id, m, sum);
      });
    });
  }

  function forgetRun(id) {
    delete runState[id]; delete lastMetrics[id]; delete firstMetrics[id]; delete lastSummary[id]; delete traces[id]; delete runRate[id];
  }

  // The run list or some runs' overrides changed: dispose the removed runs, (re)create the new and changed ones, keep the rest.
  function changeRuns(prevRuns, restart) {
    var wasTraining = mode === 'training';
    var removed = prevRuns.filter(function (id) { return state.runs.indexOf(id) < 0; });
    computeRuns();
    var fresh = runsSpec.filter(function (r) { return prevRuns.indexOf(r.id) < 0 || restart[r.id]; });
    removed.forEach(function (id) { forgetRun(id); delete openEditors[id]; delete editorKey[id]; });
    fresh.forEach(function (r) { forgetRun(r.id); });
    errors = errors.filter(function (e) {
      return !e.run || (state.runs.indexOf(e.run) >= 0 && !fresh.some(function (r) { return r.id === e.run; }));
    });
    renderErrors();
    if (host && ready) {
      if (removed.length) host.post({ type: 'dispose', ids: removed });
      if (fresh.length) {
        epoch++;
        host.post({ type: 'create', runs: fresh.map(function (r) {
          runEpoch[r.id] = epoch;
          runState[r.id] = { step: 0, loss: null, diverged: false, divergedAt: null, error: null };
          return workerSpec(r);
        }) });
      }
    }
    var claim = $('#claim-result');
    if (claim) claim.hidden = true;
    buildStatusTable();
    buildRunTools();
    rebuildCharts();
    if (host && ready && wasTraining) {
      runRate = {};
      host.post({ type: 'train', seq: ++seq, maxSteps: state.steps }); // 'create'/'dispose' paused the worker's loop
    } else if (mode === 'done') setMode('paused');
    else renderStatus();
  }

  // One key of the run part of the state (see setState). Returns what changed: 'runs', 'hide', 'override' or null.
  function setRunState(k, v, restart) {
    var list = function (x) { return Array.isArray(x) ? x.slice() : String(x == null ? '' : x).split(','); };
    if (k === 'runs') {
      var runs = [];
      list(v).forEach(function (id) {
        if (S.runBase(id, lessonRunIds) && runs.indexOf(id) < 0 && runs.length < S.maxRuns(lessonRunIds)) runs.push(id);
      });
      if (!runs.length || runs.join(',') === state.runs.join(',')) return null;
      state.runs = runs;
      return 'runs';
    }
    if (k === 'hide') {
      var h = list(v).filter(function (t, i, a) { return hideTokens.indexOf(t) >= 0 && a.indexOf(t) === i; });
      if (h.join(',') === state.hide.join(',')) return null;
      state.hide = h;
      return 'hide';
    }
    var o = S.splitOverride(k), e = o && runKeyBy[o.key];
    if (!e) return null;
    var nv = v === null || v === undefined ? undefined : S.coerce(e, v);
    if (nv === undefined && v !== null && v !== undefined) return null;
    if (nv === state[k]) return null;
    if (nv === undefined) delete state[k]; else state[k] = nv;
    restart[o.id] = true;
    return 'override';
  }

  function writeState() { page.writeHashPairs(S.serializeState(state, urlCtx)); }

  function addRun(base) {
    if (lessonRunIds.indexOf(base) < 0) return null;
    if (state.runs.length >= S.maxRuns(lessonRunIds)) { say(i18n.t('tooManyRuns', { n: S.maxRuns(lessonRunIds) })); return null; }
    var id = state.runs.indexOf(base) < 0 ? base : S.nextRunId(base, state.runs);
    setState({ runs: state.runs.concat([id]) });
    say(i18n.t('runAdded', { run: runLabel(id) }));
    return id;
  }

  // A copy of a run, overrides included, right after it.
  function duplicateRun(id) {
    var r = runsSpec.filter(function (x) { return x.id === id; })[0];
    if (!r) return null;
    if (state.runs.length >= S.maxRuns(lessonRunIds)) { say(i18n.t('tooManyRuns', { n: S.maxRuns(lessonRunIds) })); return null; }
    var nid = S.nextRunId(r.base, state.runs), runs = state.runs.slice();
    runs.splice(runs.indexOf(id) + 1, 0, nid);
    var patch = { runs: runs };
    Object.keys(r.overrides).forEach(function (k) { patch[nid + '.' + k] = r.overrides[k]; });
    setState(patch);
    say(i18n.t('runAdded', { run: runLabel(nid) }));
    return nid;
  }

  function removeRun(id) {
    if (state.runs.indexOf(id) < 0) return;
    if (state.runs.length <= 1) { say(i18n.t('lastRun')); return; }
    var label = runLabel(id);
    setState({ runs: state.runs.filter(function (x) { return x !== id; }) });
    say(i18n.t('runRemoved', { run: label }));
  }

  function swatch(ci) {
    var sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = R.charts.PALETTE[ci % R.charts.PALETTE.length];
    return sw;
  }

  // focus survives a rebuild: controls carry data-fk ("dup:<id>", "apply:<id>", …); when that run is gone, the same
  // control of the next run (then the previous one), then the fallbacks, then "Add run"
  function keepFocus(build, fallbacks) {
    var a = doc.activeElement, fk = a && a.getAttribute && a.getAttribute('data-fk'), oldOrder = Object.keys(rowEls);
    build();
    if (!fk) return;
    var keys = [fk], m = /^(\w+):(.*)$/.exec(fk);
    if (m && oldOrder.indexOf(m[2]) >= 0) {
      var at = oldOrder.indexOf(m[2]);
      oldOrder.slice(at + 1).concat(oldOrder.slice(0, at).reverse()).forEach(function (id) { keys.push(m[1] + ':' + id); });
    }
    keys = keys.concat(fallbacks || []);
    for (var i = 0; i < keys.length; i++) {
      var n = doc.querySelector('[data-fk="' + keys[i].replace(/["\\]/g, '\\$&') + '"]');
      if (n && !n.disabled) { n.focus(); return; }
    }
    var add = $('#btn-add-run');
    if (add) add.focus();
  }

  // One <tbody> per run: a header row (colour, label, Duplicate / Remove / Change), the numbers row (tr[data-run]) whose
  // cells name their headers, and the run's settings row (hidden until Change opens it).
  function buildStatusTable() {
    var table = $('#run-status');
    if (!table) return;
    keepFocus(function () {
      Array.prototype.forEach.call(table.querySelectorAll('tbody'), function (b) { b.parentNode.removeChild(b); });
      rowEls = {};
      var single = runsSpec.length <= 1, full = runsSpec.length >= S.maxRuns(lessonRunIds);
      runsSpec.forEach(function (r, i) {
        var label = i18n.pick(r.label), edId = 'run-editor-' + i, hId = 'run-h-' + i;
        var dup = el('button', { type: 'button', class: 'small', 'data-fk': 'dup:' + r.id, 'aria-label': i18n.t('duplicateRun', { run: label }), text: i18n.t('duplicate') });
        var rem = el('button', { type: 'button', class: 'small', 'data-fk': 'rem:' + r.id, 'aria-label': i18n.t('removeRun', { run: label }), text: i18n.t('remove') });
        var edit = el('button', { type: 'button', class: 'small', 'data-fk': 'edit:' + r.id, 'aria-label': i18n.t('editRun', { run: label }),
          'aria-expanded': openEditors[r.id] ? 'true' : 'false', 'aria-controls': edId, text: i18n.t('edit') });
        dup.disabled = full;
        rem.disabled = single;
        dup.addEventListener('click', function () { duplicateRun(r.id); });
        rem.addEventListener('click', function () { removeRun(r.id); });
        var head = el('tr', { class: 'run-head' }, [el('th', { scope: 'rowgroup', colspan: '4', id: hId }, [
          el('span', { class: 'run-title' }, [swatch(r.color), el('span', { class: 'run-name', text: label })]),
          el('span', { class: 'run-buttons' }, [dup, rem, edit])
        ])]);
        var cell = function (f, col, cls) { var c = el('td', { 'data-f': f, headers: col + ' ' + hId }); if (cls) c.className = cls; return c; };
        var tr = el('tr', { 'data-run': r.id }, [
          cell('step', 'col-step', 'num'), cell('loss', 'col-loss', 'num'), cell('rate', 'col-rate', 'num'), cell('status', 'col-status')
        ]);
        var ed = el('tr', { class: 'run-editor', id: edId, 'data-editor-for': r.id }, [el('td', { colspan: '4' }, [buildEditor(r, i)])]);
        ed.hidden = !openEditors[r.id];
        edit.addEventListener('click', function () {
          openEditors[r.id] = !openEditors[r.id];
          ed.hidden = !openEditors[r.id];
          edit.setAttribute('aria-expanded', String(!!openEditors[r.id]));
        });
        table.appendChild(el('tbody', { 'data-run-group': r.id }, [head, tr, ed]));
        rowEls[r.id] = tr;
      });
    });
    renderStatus();
  }

  // The settings row of one run: its overrides (each removable) and "setting + value + Apply". Applying restarts that run only.
  function buildEditor(r, i) {
    var label = i18n.pick(r.label), box = el('div', { class: 'run-editor-box' });
    var keys = Object.keys(r.overrides);
    if (!keys.length) box.appendChild(el('p', { class: 'help', text: i18n.t('noOverrides') }));
    else {
      var ul = el('ul', { class: 'overrides' });
      keys.forEach(function (k) {
        var e = runKeyBy[k];
        var x = el('button', { type: 'button', class: 'small', 'data-fk': 'ovrm:' + r.id + ':' + k,
          'aria-label': i18n.t('removeOverride', { run: label, name: i18n.pick(e.label) }), text: '×' });
        x.addEventListener('click', function () {
          var p = {};
          p[r.id + '.' + k] = null;
          keepFocus(function () { setState(p); }, ['apply:' + r.id]);
        });
        var v = r.overrides[k], shown = (e.choiceLabels && e.choiceLabels[v]) || S.format(e, v);
        ul.appendChild(el('li', {}, [el('span', { text: i18n.pick(e.label) + ' = ' + shown + ' ' }), x]));
      });
      box.appendChild(ul);
    }
    var keyId = 'ov-key-' + i, valId = 'ov-val-' + i;
    var sel = el('select', { id: keyId, 'data-fk': 'key:' + r.id });
    runKeys.forEach(function (e) { sel.appendChild(el('option', { value: e.key, text: i18n.pick(e.label) + ' (' + e.key + ')' })); });
    sel.value = editorKey[r.id] || (runKeyBy.lr ? 'lr' : runKeys[0].key);
    var valWrap = el('span', { class: 'ov-value' });
    var input = null;
    var renderValue = function () {
      var e = runKeyBy[sel.value], cur = r.overrides[e.key];
      if (cur === undefined) cur = S.getPath(workerSpec(r).config, e.path);
      if (cur === undefined) cur = e.default;
      valWrap.textContent = '';
      if (e.type === 'enum') {
        input = el('select', { id: valId, 'data-fk': 'val:' + r.id });
        e.choices.forEach(function (c) { input.appendChild(el('option', { value: c, text: (e.choiceLabels && e.choiceLabels[c]) || c })); });
        if (e.choices.indexOf(cur) >= 0) input.value = cur;
      } else {
        input = el('input', { id: valId, type: 'number', 'data-fk': 'val:' + r.id, inputmode: e.type === 'int' ? 'numeric' : 'decimal' });
        input.min = e.min; input.max = e.max; input.step = e.type === 'int' ? (e.step || 1) : 'any';
        input.value = S.format(e, cur);
      }
      var vl = el('label', { for: valId, text: i18n.t('value') });
      valWrap.appendChild(vl);
      valWrap.appendChild(input);
    };
    sel.addEventListener('change', function () { editorKey[r.id] = sel.value; renderValue(); });
    renderValue();
    var apply = el('button', { type: 'button', class: 'small', 'data-fk': 'apply:' + r.id, 'aria-label': i18n.t('applyRun', { run: label }), text: i18n.t('apply') });
    var go = function () {
      var e = runKeyBy[sel.value], v = S.coerce(e, input.value);
      if (v === undefined) { input.focus(); return; }
      editorKey[r.id] = e.key;
      var p = {};
      p[r.id + '.' + e.key] = v;
      setState(p);
      say(i18n.t('runRestarted', { run: runLabel(r.id) }));
    };
    apply.addEventListener('click', go);
    box.appendChild(el('div', { class: 'ov-form' }, [
      el('span', { class: 'ov-key' }, [el('label', { for: keyId, text: i18n.t('setting') }), sel]), valWrap, apply
    ]));
    box.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' && ev.target === input) { ev.preventDefault(); go(); } });
    return box;
  }

  var runTools = null;
  // "Add run": a template (one of the lesson's runs) and a button; a removed lesson run comes back under its own id.
  function buildRunTools() {
    var table = $('#run-status');
    if (!table) return;
    var wrap = table.parentNode;
    if (!runTools) {
      runTools = el('div', { class: 'run-tools' });
      wrap.parentNode.insertBefore(runTools, wrap.nextSibling);
    }
    var focused = doc.activeElement && runTools.contains(doc.activeElement) ? doc.activeElement.id : null;
    runTools.textContent = '';
    var sel = el('select', { id: 'add-run-base' });
    lessonRuns.forEach(function (r) { sel.appendChild(el('option', { value: r.id, text: i18n.pick(r.label) })); });
    var missing = lessonRunIds.filter(function (id) { return state.runs.indexOf(id) < 0; })[0];
    sel.value = addBase && lessonRunIds.indexOf(addBase) >= 0 ? addBase : (missing || lessonRunIds[0]);
    sel.addEventListener('change', function () { addBase = sel.value; });
    var btn = el('button', { type: 'button', id: 'btn-add-run', class: 'small', text: i18n.t('addRun') });
    btn.disabled = state.runs.length >= S.maxRuns(lessonRunIds);
    btn.addEventListener('click', function () { addRun(sel.value); });
    runTools.appendChild(el('label', { for: 'add-run-base', text: i18n.t('addFrom') }));
    runTools.appendChild(sel);
    runTools.appendChild(btn);
    if (focused && doc.getElementById(focused)) doc.getElementById(focused).focus();
  }

  // language switch: labels of runs, the runs UI, notices, the share link
  function relabelRuns() {
    computeRuns();
    buildStatusTable();
    buildRunTools();
    renderNotices();
    if (share && share.dialog.open) updateShare();
  }

  // ---- hide flags (issue #4 point 3): classes on <html> for parts, a class on single controls and charts ----------------
  function isHidden(part) { return (state.hide || []).indexOf(part) >= 0; }
  function applyHide() {
    var html = doc.documentElement;
    S.HIDE_PARTS.forEach(function (p) { html.classList.toggle('hide-' + p, isHidden(p)); });
    schema.forEach(function (e) {
      var c = inputs[e.key], w = c && c.input.closest('.control');
      if (w) w.classList.toggle('url-hidden', isHidden('ctl-' + e.key));
    });
    Array.prototype.forEach.call(doc.querySelectorAll('figure[data-chart]'), function (f) {
      f.classList.toggle('url-hidden', isHidden('chart-' + f.getAttribute('data-chart')));
    });
    placeCharts();
  }

  // ---- notices about URL state that was ignored (role=status, in the current language) ----------------------------------
  var noticeBox = null;
  function noticeText(n) { return i18n.t(n.key, { name: n.name, value: n.value }); }
  function renderNotices() {
    if (!noticeBox) {
      var anchor = $('#lab-errors');
      if (!anchor) return;
      noticeBox = el('div', { id: 'url-notice', class: 'notice', role: 'status' });
      anchor.parentNode.insertBefore(noticeBox, anchor.nextSibling);
    }
    noticeBox.textContent = '';
    noticeBox.hidden = notices.length === 0;
    if (!notices.length) return;
    noticeBox.appendChild(el('p', { text: i18n.t('noticeTitle') }));
    var ul = el('ul');
    notices.slice(0, 5).forEach(function (n) { ul.appendChild(el('li', { text: noticeText(n) })); });
    if (notices.length > 5) ul.appendChild(el('li', { text: i18n.t('noticeMore', { n: notices.length - 5 }) }));
    noticeBox.appendChild(ul);
    var b = el('button', { type: 'button', class: 'small', text: i18n.t('dismiss') });
    b.addEventListener('click', function () { notices = []; renderNotices(); var t = $('#btn-train'); if (t) t.focus(); });
    noticeBox.appendChild(b);
  }

  // ---- Share dialog (issue #4 points 3 and 4): the link, what to hide in it, the <iframe> snippet ------------------------
  var share = null;
  var EMBED_HEIGHT = 900; // a first height; the page posts its real one (docs/embedding.md)

  // a runtime string in both languages (CSS shows the one matching <html lang>)
  function biT(key) {
    var f = doc.createDocumentFragment();
    i18n.LANGS.forEach(function (l) {
      f.appendChild(el('span', { 'data-lang': l, lang: l, text: (i18n.STR[l] && i18n.STR[l][key]) || i18n.STR.en[key] || key }));
    });
    return f;
  }
  function attr(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }

  // {link, embed, snippet} for the current state with the dialog's hide choices
  function shareUrls() {
    var hide = share ? hideTokens.filter(function (t) { return share.boxes[t] && share.boxes[t].checked; }) : state.hide;
    var pairs = S.serializeState(Object.assign({}, state, { hide: hide }), urlCtx);
    var base = location.href.replace(/[?#].*$/, '');
    var q = new URLSearchParams(location.search);
    q.delete('embed');
    q.delete('lang');
    var lang = i18n.get(), qs = q.toString();
    var h = page.hashText((lang !== i18n.DEFAULT ? [['lang', lang]] : []).concat(pairs), false);
    var link = base + (qs ? '?' + qs : '') + (h ? '#' + h : '');
    q.set('embed', '1');
    if (lang !== i18n.DEFAULT) q.set('lang', lang);
    var h2 = page.hashText(pairs, false);
    var embed = base + '?' + q.toString() + (h2 ? '#' + h2 : '');
    var snippet = '<iframe src="' + attr(embed) + '" title="' + attr(doc.title) + '" width="100%" height="' + EMBED_HEIGHT +
      '" style="border:0;max-width:100%" loading="lazy"></iframe>';
    return { link: link, embed: embed, snippet: snippet };
  }

  function updateShare() {
    var u = shareUrls();
    share.link.value = u.link;
    share.snippet.value = u.snippet;
  }

  function copyText(field) {
    var done = function (ok) {
      share.status.textContent = i18n.t(ok ? 'copied' : 'copyFailed');
      if (!ok) { field.focus(); field.select(); }
    };
    var legacy = function () {
      var back = doc.activeElement;
      try { field.focus(); field.select(); var ok = doc.execCommand('copy'); if (back && back.focus) back.focus(); return ok; } catch (e) { return false; }
    };
    try {
      if (root.navigator.clipboard && root.isSecureContext) {
        root.navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(legacy()); });
        return;
      }
    } catch (e) { /* fall through */ }
    done(legacy());
  }

  function buildShare() {
    var btn = $('#btn-share');
    if (!btn) return;
    var d = el('dialog', { id: 'share-dialog', class: 'share-dialog', 'aria-labelledby': 'share-title' });
    var h = el('h2', { id: 'share-title' });
    h.appendChild(biT('shareTitle'));
    d.appendChild(h);
    var intro = el('p', { class: 'help' });
    intro.appendChild(biT('shareIntro'));
    d.appendChild(intro);
    var linkLabel = el('label', { for: 'share-link' });
    linkLabel.appendChild(biT('shareLink'));
    var link = el('input', { id: 'share-link', type: 'text', readonly: '', spellcheck: 'false' });
    var copyLink = el('button', { type: 'button', id: 'share-copy-link' });
    copyLink.appendChild(biT('copyLink'));
    d.appendChild(linkLabel);
    d.appendChild(el('div', { class: 'share-row' }, [link, copyLink]));
    var fs = el('fieldset', { class: 'share-hide' }), boxes = {};
    var lg = el('legend');
    lg.appendChild(biT('hideLegend'));
    fs.appendChild(lg);
    var box = function (token, labelNode, parent) {
      var id = 'share-hide-' + token, cb = el('input', { type: 'checkbox', id: id });
      var lab = el('label', { for: id });
      lab.appendChild(labelNode);
      parent.appendChild(el('div', { class: 'check' }, [cb, lab]));
      cb.addEventListener('change', updateShare);
      boxes[token] = cb;
    };
    var parts = el('div', { class: 'checks' });
    S.HIDE_PARTS.forEach(function (t) { box(t, biT('hide_' + t), parts); });
    fs.appendChild(parts);
    if (schema.length) {
      var det = el('details'), sum = el('summary'), each = el('div', { class: 'checks' });
      sum.appendChild(biT('hideEach'));
      det.appendChild(sum);
      schema.forEach(function (e) { box('ctl-' + e.key, bi(e.label), each); });
      det.appendChild(each);
      fs.appendChild(det);
    }
    d.appendChild(fs);
    var snLabel = el('label', { for: 'share-snippet' });
    snLabel.appendChild(biT('embedTitle'));
    var snippet = el('textarea', { id: 'share-snippet', readonly: '', rows: '4', spellcheck: 'false' });
    var note = el('p', { class: 'help' });
    note.appendChild(biT('embedNote'));
    var copySn = el('button', { type: 'button', id: 'share-copy-snippet' });
    copySn.appendChild(biT('copySnippet'));
    d.appendChild(snLabel);
    d.appendChild(snippet);
    d.appendChild(note);
    d.appendChild(el('div', { class: 'share-row' }, [copySn]));
    var status = el('p', { id: 'share-status', class: 'message', role: 'status', 'aria-live': 'polite' });
    d.appendChild(status);
    var close = el('button', { type: 'button', id: 'share-close', class: 'primary' });
    close.appendChild(biT('close'));
    d.appendChild(el('div', { class: 'share-actions' }, [close]));
    doc.body.appendChild(d);
    share = { dialog: d, link: link, snippet: snippet, boxes: boxes, status: status, opener: null };
    copyLink.addEventListener('click', function () { copyText(link); });
    copySn.addEventListener('click', function () { copyText(snippet); });
    close.addEventListener('click', function () { d.close(); });
    d.addEventListener('close', function () { if (share.opener && share.opener.focus) share.opener.focus(); });
    btn.addEventListener('click', openShare);
  }

  function openShare() {
    if (!share) return;
    share.opener = doc.activeElement;
    Object.keys(share.boxes).forEach(function (t) { share.boxes[t].checked = isHidden(t); });
    share.status.textContent = '';
    updateShare();
    if (typeof share.dialog.showModal === 'function') share.dialog.showModal(); else share.dialog.setAttribute('open', '');
    share.link.focus();
    share.link.select();
  }

  // ---- wiring -----------------------------------------------------------------------------
  function init() {
    page.setupEmbed(lesson.id);
    page.setupLang(function () { writeState(); });
    computeRuns();
    buildControls();
    buildRunTools();
    buildStatusTable();
    buildShare();
    applyHide();
    renderNotices();
    placeCharts(); // canvases go into the visible article before Chart.js measures them
    buildCharts();
    i18n.onChange(function () {
      placeCharts();
      Object.keys(charts).forEach(function (id) { charts[id].relabel(); });
      renderStatus();
      renderErrors();
      if ($('#claim-result') && !$('#claim-result').hidden) renderClaim();
      relabelRuns();
      if (!ready && mode !== 'broken') say(i18n.t('loading'));
      else if (ready && mode === 'idle') say(i18n.t('ready'));
    });

    $('#btn-train').addEventListener('click', train);
    $('#btn-pause').addEventListener('click', function () { if (host) host.post({ type: 'pause' }); });
    $('#btn-step').addEventListener('click', function () {
      if (!ready) return;
      host.post({ type: 'step', seq: ++seq, steps: stepSize });
    });
    $('#btn-reset').addEventListener('click', function () { resetRuns(); say(i18n.t('resetDone')); });
    Array.prototype.forEach.call(doc.querySelectorAll('[data-preset]'), function (b) {
      b.addEventListener('click', function () { applyPreset(b.getAttribute('data-preset')); });
    });
    root.addEventListener('hashchange', function () {
      if (!page.hashIsState()) return;
      var parsed = S.parseState(page.readHashPairs(), urlCtx);
      var fromHash = Object.assign(S.defaults(schema), { runs: lessonRunIds.slice(), hide: [] }, parsed.state);
      fromHash.steps = fromHash.steps === undefined ? state.steps : fromHash.steps;
      // overrides the new hash does not mention are removed
      Object.keys(state).forEach(function (k) { if (!byKey[k] && S.splitOverride(k) && fromHash[k] === undefined) fromHash[k] = null; });
      notices = parsed.notices;
      renderNotices();
      setState(fromHash);
    });

    say(i18n.t('loading'));
    setMode('loading');
    startWorker();
  }

  // Hooks for tests and for instructors poking at the page from the console.
  root.__lab = {
    lesson: lesson,
    state: function () { return Object.assign({}, state); },
    mode: function () { return mode; },
    ready: function () { return ready; },
    runs: function () { return JSON.parse(JSON.stringify(runState)); },
    errors: function () { return errors.map(function (e) { return i18n.t(e.key, { run: e.run ? runLabel(e.run) : '', message: e.message }); }); },
    points: function (chartId, runId) { return charts[chartId] ? charts[chartId].pointCount(runId) : 0; },
    metrics: function (runId) { return lastMetrics[runId]; },
    setState: function (patch) { setState(patch); },
    setConfigOverride: function (runId, patch) { if (patch) configOverride[runId] = patch; else delete configOverride[runId]; resetRuns(); },
    runList: function () { return runsSpec.map(function (r) { return { id: r.id, base: r.base, label: i18n.pick(r.label), color: r.color, overrides: Object.assign({}, r.overrides) }; }); },
    config: function (runId) { var r = runsSpec.filter(function (x) { return x.id === runId; })[0]; return r ? workerSpec(r).config : null; },
    addRun: function (base) { return addRun(base); },
    duplicateRun: function (id) { return duplicateRun(id); },
    removeRun: function (id) { removeRun(id); },
    setOverride: function (id, key, value) { setState(pair(id + '.' + key, value === undefined ? null : value)); },
    notices: function () { return notices.map(noticeText); },
    shareUrls: function () { return shareUrls(); },
    train: train,
    pause: function () { if (host) host.post({ type: 'pause' }); }
  };

  // ---- hooks for the add-on modules: web/export.js (downloads, chart summaries) and web/datapanel.js ("Your data") ----
  var sentConfigs = {};   // run id -> the exact config last sent to the worker
  var dataHook = null;    // function (cfg, runSpec) -> cfg: replaces the task with the user's data
  var exportReqs = {}, exportSeq = 0;
  function extRunConfig(r, cfg) {
    if (dataHook) cfg = dataHook(cfg, r);
    sentConfigs[r.id] = cfg;
    return cfg;
  }
  function extMessage(msg) {
    if (msg.type !== 'exported' && !(msg.type === 'error' && msg.scope === 'export')) return false;
    var cb = exportReqs[msg.req];
    delete exportReqs[msg.req];
    if (cb) cb(msg.type === 'exported' ? null : new Error(msg.message), msg.weights, msg);
    return true;
  }
  R.lesson = {
    lesson: lesson,
    runs: function () { return runsSpec.slice(); },
    runLabel: runLabel,
    charts: function () { return charts; },
    mode: function () { return mode; },
    ready: function () { return ready; },
    // the config a run was last created with (null before the worker is ready)
    config: function (id) { return sentConfigs[id] ? JSON.parse(JSON.stringify(sentConfigs[id])) : null; },
    // the config a run gets from the lesson and the controls, before any data override
    lessonConfig: function (r) { return r.lessonRun ? S.runConfig(lesson.presets.base, r.lessonRun.config, schema, state, r.overrides, runKeys, r.base) : S.buildConfig(lesson.presets.base, r.config, schema, state); },
    // install (or remove, with null) the data override and recreate the runs with it
    setDataHook: function (f) {
      dataHook = f || null;
      var wasTraining = mode === 'training';
      resetRuns();
      if (wasTraining) train();
    },
    // the run's current weights from the worker: cb(error, weights, reply)
    requestWeights: function (id, cb) {
      if (!host || !ready) { cb(new Error('the training module is not ready')); return; }
      var req = ++exportSeq;
      exportReqs[req] = cb;
      host.post({ type: 'export', id: id, req: req });
    }
  };

  // crash-recovery hooks for tests: a real abort()/trap inside the module while run `id` trains (now if no id)
  root.__lab.crashWorker = function (id, how) { if (host) host.post({ type: '__crash', id: id, how: how || 'abort' }); };
  root.__lab.restarts = function () { return restarts; };
  root.__lab.setWatchdog = function (ms) { watch.ms = ms; };
  root.__lab.workerMemory = function () {
    return new Promise(function (resolve) { memoryWaiters.push(resolve); if (host) host.post({ type: 'memory' }); });
  };

  init();
})(typeof self !== 'undefined' ? self : this);
