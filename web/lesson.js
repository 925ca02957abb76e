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
  var runsSpec = lesson.presets.runs;
  var namedPresets = lesson.presets.named || [];
  var state = Object.assign(S.defaults(schema), page.readHash(schema));
  if (state.steps === undefined) state.steps = lesson.presets.steps || 1000;
  var stepSize = lesson.presets.stepSize || 10;

  // ---- run status -------------------------------------------------------------------------
  var epoch = 0;
  var mode = 'loading';   // loading | idle | training | paused | done | broken
  var ready = false;
  var runState = {};      // id -> {step, loss, diverged, divergedAt, error}
  var lastMetrics = {};   // id -> metrics
  var configOverride = {};// test hook: id -> patch merged into that run's config
  var errors = [];        // readable messages shown on the page
  var rate = { t: 0, step: 0, value: 0 };
  var seq = 0;            // numbers train/step commands; a 'stopped' for an older command is stale

  var charts = {};
  // a chart with "weights": true needs the runs' parameters (exportWeights) with every tick, as metrics.weights;
  // "weights": "every" also a per-step trace of them (metrics.weightsTrace, cheap models only). Only the chart's runs (spec.runs) pay.
  function wantWeights(runId, trace) {
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

  // Change state; anything that goes into a config resets the runs (and keeps training if it was).
  function setState(patch, opts) {
    var configChanged = false, stepsChanged = false;
    Object.keys(patch).forEach(function (k) {
      var e = byKey[k];
      if (!e) return;
      var v = S.coerce(e, patch[k]);
      if (v === undefined || v === state[k]) return;
      state[k] = v;
      if (e.path) configChanged = true;
      if (k === 'steps') stepsChanged = true;
    });
    schema.forEach(function (e) { showControl(e.key); });
    page.writeHash(schema, state);
    if (stepsChanged) {
      Object.keys(charts).forEach(function (id) { charts[id].setXMax(state.steps); });
      if (mode === 'training') host.post({ type: 'train', seq: seq, maxSteps: state.steps });
      else if (mode === 'done') setMode('paused');
    }
    if (configChanged || (opts && opts.forceReset)) {
      var wasTraining = mode === 'training';
      resetRuns();
      if (wasTraining) train();
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

  function buildStatusTable() {
    var tbody = $('#run-status tbody');
    tbody.textContent = '';
    runsSpec.forEach(function (r, i) {
      var ci = r.color !== undefined ? r.color : i;
      var sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.background = R.charts.PALETTE[ci % R.charts.PALETTE.length];
      var name = el('th', { scope: 'row' }, [sw]);
      name.appendChild(bi(r.label));
      tbody.appendChild(el('tr', { 'data-run': r.id }, [
        name, el('td', { class: 'num', 'data-f': 'step' }), el('td', { class: 'num', 'data-f': 'loss' }), el('td', { 'data-f': 'status' })
      ]));
    });
  }

  function renderStatus() {
    runsSpec.forEach(function (r) {
      var row = doc.querySelector('#run-status tr[data-run="' + r.id + '"]');
      var s = runState[r.id] || {};
      if (!row) return;
      row.querySelector('[data-f=step]').textContent = s.step !== undefined ? String(s.step) : '0';
      row.querySelector('[data-f=loss]').textContent = (s.loss !== undefined && s.loss !== null) ? R.charts.fmtFixed(s.loss) : '–';
      var st = s.error ? i18n.t('failed') : s.diverged ? i18n.t('diverged', { step: s.divergedAt }) :
        (mode === 'training' && (s.step || 0) < state.steps) ? i18n.t('training') :
        (s.step || 0) >= state.steps ? i18n.t('done') : (s.step ? i18n.t('paused') : i18n.t('idle'));
      row.querySelector('[data-f=status]').textContent = st;
      row.classList.toggle('is-diverged', !!s.diverged);
      row.classList.toggle('is-error', !!s.error);
    });
    var maxStep = 0;
    Object.keys(runState).forEach(function (id) { maxStep = Math.max(maxStep, runState[id].step || 0); });
    $('#step-counter').textContent = i18n.t('stepCounter', { step: maxStep });
    $('#steps-per-sec').textContent = mode === 'training' && rate.value > 0 ? i18n.t('stepsPerSec', { rate: Math.round(rate.value) }) : '';
    var btns = { train: $('#btn-train'), pause: $('#btn-pause'), step: $('#btn-step'), reset: $('#btn-reset') };
    btns.train.disabled = !ready || mode === 'training';
    btns.pause.disabled = mode !== 'training';
    btns.step.disabled = !ready || mode === 'training';
    btns.reset.disabled = !ready;
    $('#lab-panel').setAttribute('data-mode', mode);
  }

  function setMode(m) {
    mode = m;
    if (m !== 'training') rate.value = 0;
    renderStatus();
  }

  function renderClaim() {
    var box = $('#claim-result');
    if (!box || !lesson.claim || !lesson.claim.checks) return;
    var maxStep = 0;
    Object.keys(runState).forEach(function (id) { maxStep = Math.max(maxStep, runState[id].step || 0); });
    var results = R.claim.evaluate(lesson.claim.checks, lastMetrics);
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
    if (typeof root.RnnLabWorkerSource !== 'string') {
      setMode('broken');
      addError('errorInit', null, i18n.t('noWorkerSource'));
      return;
    }
    try {
      // worker-bundle.js, at the top of the page, has usually started the worker already (RnnLabWorkerBoot): take it over
      var boot = root.RnnLabWorkerBoot;
      var w = boot ? boot.worker : new Worker(URL.createObjectURL(new Blob([root.RnnLabWorkerSource], { type: 'text/javascript' })));
      host = {
        worker: w,
        post: function (m) { w.postMessage(m); }
      };
      w.onmessage = function (ev) { onMessage(ev.data); };
      w.onerror = function (ev) {
        ev.preventDefault();
        addError('errorWorker', null, ev.message || 'unknown error');
        setMode(ready ? 'paused' : 'broken');
      };
      if (boot) boot.adopt(); else host.post({ type: 'init' });
    } catch (e) {
      setMode('broken');
      addError('errorWorker', null, e.message || String(e));
    }
  }

  function resetRuns() {
    if (!host || !ready) return;
    epoch++;
    errors = [];
    renderErrors();
    runState = {};
    lastMetrics = {};
    var specs = runsSpec.map(function (r) {
      runState[r.id] = { step: 0, loss: null, diverged: false, divergedAt: null, error: null };
      var cfg = S.buildConfig(lesson.presets.base, r.config, schema, state);
      if (configOverride[r.id]) S.deepMerge(cfg, configOverride[r.id]);
      return { id: r.id, epoch: epoch, config: cfg, weights: wantWeights(r.id), trace: wantWeights(r.id, true) };
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
          if (r.epoch !== epoch || !runState[r.id]) return;
          var s = runState[r.id], sum = r.summary || {};
          s.step = sum.step;
          s.loss = sum.loss;
          if (sum.diverged) { s.diverged = true; s.divergedAt = sum.diverged_at != null ? sum.diverged_at : sum.step; }
          lastMetrics[r.id] = r.metrics;
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
          if (msg.epoch !== epoch) return;
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
      charts[spec.id] = R.charts.create(canvas, spec, runsSpec, { xMax: state.steps });
    });
  }

  // Move each chart figure into the slot of the visible language's article (one canvas per chart, shared by both texts).
  function placeCharts() {
    var lang = i18n.get();
    Array.prototype.forEach.call(doc.querySelectorAll('figure[data-chart]'), function (fig) {
      var id = fig.getAttribute('data-chart');
      var slot = doc.querySelector('article[data-lang="' + lang + '"] .chart-slot[data-chart="' + id + '"]') ||
                 doc.querySelector('#chart-fallback');
      if (slot && fig.parentNode !== slot) slot.appendChild(fig);
    });
  }

  // ---- wiring -----------------------------------------------------------------------------
  function init() {
    page.setupEmbed(lesson.id);
    page.setupLang(function () { page.writeHash(schema, state); });
    buildControls();
    buildStatusTable();
    placeCharts(); // canvases go into the visible article before Chart.js measures them
    buildCharts();
    i18n.onChange(function () {
      placeCharts();
      Object.keys(charts).forEach(function (id) { charts[id].relabel(); });
      renderStatus();
      renderErrors();
      if ($('#claim-result') && !$('#claim-result').hidden) renderClaim();
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
      var fromHash = Object.assign(S.defaults(schema), page.readHash(schema));
      fromHash.steps = fromHash.steps === undefined ? state.steps : fromHash.steps;
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
    train: train,
    pause: function () { if (host) host.post({ type: 'pause' }); }
  };

  init();
})(typeof self !== 'undefined' ? self : this);
