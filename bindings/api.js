// api.js — the JavaScript API of RNN Tuning Lab (DESIGN.md): loadLab → createRun → train / metrics / exportWeights /
// importWeights / dispose, wrapped around the embind module. Not UI: it works the same in a page, a worker and Node.
(function (root) {
  'use strict';
  var Core = RnnLabCore;  // defined above by Emscripten (MODULARIZE, EXPORT_NAME=RnnLabCore)
  var loading = null;

  function reply(text) {
    var r = JSON.parse(text);
    if (r && typeof r === 'object' && typeof r.error === 'string') throw new Error(r.error);
    return r;
  }

  // JSON turns NaN and ±Infinity into null: name them here, with their path, before they are lost.
  function findNonFinite(v, path) {
    if (typeof v === 'number') return isFinite(v) ? null : path + ' = ' + String(v);
    if (v && typeof v === 'object') {
      for (var k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        var r = findNonFinite(v[k], Array.isArray(v) ? path + '[' + k + ']' : path + '.' + k);
        if (r) return r;
      }
    }
    return null;
  }

  function makeLab(M) {
    var live = 0;

    function Run(handle) {
      this._h = handle;
      live++;
    }
    Run.prototype._handle = function () {
      if (!this._h) throw new Error('this run has been disposed; create a new one with lab.createRun(config)');
      return this._h;
    };
    // train(steps) → summary {step, loss, lr, grad_norm, accuracy, val_loss, val_accuracy, diverged, diverged_at}
    Run.prototype.train = function (steps) {
      if (steps === undefined) steps = 1;
      if (typeof steps !== 'number' || !isFinite(steps) || Math.floor(steps) !== steps || steps < 0 || steps > 1000000)
        throw new Error('train(steps): steps = ' + String(steps) + ' is not allowed; allowed: an integer from 0 to 1000000');
      return reply(this._handle().train(steps));
    };
    Run.prototype.summary = function () { return reply(this._handle().summary()); };
    // metrics() → {name: Float32Array} copies (histories, evaluations and the latest probes)
    Run.prototype.metrics = function () {
      var h = this._handle();
      var names = reply(h.metricNames());
      var out = {};
      for (var i = 0; i < names.length; i++) {
        var view = h.metric(names[i]);
        out[names[i]] = view ? new Float32Array(view) : new Float32Array(0);
      }
      return out;
    };
    Run.prototype.config = function () { return reply(this._handle().config()); };
    Run.prototype.taskInfo = function () { return reply(this._handle().taskInfo()); };
    // exportWeights() → {"rnn.weight_ih_l0": [[…], …], …, "head.bias": […]}: PyTorch state_dict names and shapes
    Run.prototype.exportWeights = function () { return reply(this._handle().exportWeights()); };
    Run.prototype.importWeights = function (weights) {
      if (weights === null || typeof weights !== 'object' || Array.isArray(weights))
        throw new Error('importWeights(weights): expected an object {name: nested arrays} as exportWeights() gives');
      var bad = findNonFinite(weights, 'importWeights');
      if (bad) throw new Error(bad + ': not allowed; allowed: finite numbers');
      reply(this._handle().importWeights(JSON.stringify(weights)));
    };
    Run.prototype.dispose = function () {
      if (this._h) { this._h.delete(); this._h = null; live--; }
    };

    return {
      version: '0.1.0',
      createRun: function (config) {
        if (config === null || typeof config !== 'object' || Array.isArray(config))
          throw new Error('createRun(config): config must be an object, e.g. {"task": {"name": "adding"}}');
        var text;
        try { text = JSON.stringify(config); } catch (e) { throw new Error('createRun(config): config is not plain JSON (' + e.message + ')'); }
        var bad = findNonFinite(config, 'config');
        if (bad) throw new Error(bad + ': not allowed; allowed: a finite number');
        var h = new M.RunHandle();
        var err = h.create(text);
        if (err) { h.delete(); throw new Error(err); }
        return new Run(h);
      },
      // describeConfig() → the config vocabulary read off the core's parser (docs/api.md "Vocabulary")
      describeConfig: function () { return reply(M.describeConfig()); },
      liveRuns: function () { return live; },
      // memory probes for leak tests: wasm memory size, malloc'd bytes in use, live embind value handles
      heapBytes: function () { return M.HEAP8 ? M.HEAP8.length : 0; },
      heapInUse: function () { return M.heapInUse(); },
      handles: function () { return typeof M.count_emval_handles === 'function' ? M.count_emval_handles() : -1; }
    };
  }

  // the module's bytes from bindings/pack.mjs's hex string (absent in an unpacked build: Emscripten's base64 is used)
  function wasmBytes() {
    if (typeof RnnLabWasmHex !== 'string') return undefined;
    var h = RnnLabWasmHex, n = h.length >> 1, b = new Uint8Array(n);
    for (var i = 0, j = 0; i < n; i++, j += 2) {
      var c = h.charCodeAt(j), d = h.charCodeAt(j + 1);
      b[i] = ((c > 57 ? c - 87 : c - 48) << 4) | (d > 57 ? d - 87 : d - 48);
    }
    return b;
  }

  // loadLab(options?) → Promise<lab>; one module per realm, created on first call
  function loadLab(options) {
    if (!loading) {
      // the options object itself becomes the Emscripten module (MODULARIZE): callers keep a reference to it (web/worker.js
      // reads its abort hook and test binding), so it is not copied
      var opts = options || {};
      if (!opts.wasmBinary) opts.wasmBinary = wasmBytes();
      loading = Core(opts).then(makeLab);
    }
    return loading;
  }

  var api = { loadLab: loadLab };
  if (typeof module === 'object' && module && 'exports' in module) module.exports = api;
  root.RnnLab = api;
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this);
