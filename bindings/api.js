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

  function fail(err) { if (err) throw new Error(err); }

  // v nested as dims[i…] (lengths checked) of finite numbers, appended to out; else an Error naming the index
  function flat(v, dims, i, path, out) {
    if (i === dims.length) {
      if (typeof v !== 'number' || !isFinite(v)) throw new Error(path + ' = ' + String(v) + ': not allowed; allowed: a finite number');
      out.push(v);
    } else {
      if (!v || typeof v === 'string' || v.length !== dims[i])
        throw new Error(path + ' = ' + String(v).slice(0, 40) + ': not allowed; allowed: ' + dims[i] + ' entries');
      for (var k = 0; k < v.length; k++) flat(v[k], dims, i + 1, path + '[' + k + ']', out);
    }
  }

  // the next dims[0]·dims[1]·… floats of c.b from c.at as nested arrays, the innermost a Float32Array view (one copy)
  function take(c, dims) {
    if (dims.length === 1) return c.b.subarray(c.at, c.at += dims[0]);
    var out = [];
    for (var i = 0; i < dims[0]; i++) out.push(take(c, dims.slice(1)));
    return out;
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
    // taskInfo() and config().model, asked once: the sizes of predict's and inspect's arrays
    Run.prototype._sizes = function () { return this._sz || (this._sz = { t: this.taskInfo(), m: this.config().model }); };
    // predict(inputs [B][T][in]) → [B][out] or [B][T][out] (class probabilities for cross-entropy tasks)
    Run.prototype.predict = function (inputs) {
      var t = this._sizes().t, h = this._handle(), x = [], B = inputs && inputs.length, T = B && inputs[0] && inputs[0].length;
      if (!(B <= 1024 && T <= 2000)) throw new Error('predict(inputs): allowed: [B][T][' + t.inputs + '] numbers, B 1 to 1024, T 1 to 2000');
      flat(inputs, [B, T, t.inputs], 0, 'predict: inputs', x);
      h.input(x.length).set(x);
      fail(h.predict(B, T));
      return take({ b: new Float32Array(h.data()), at: 0 }, t.every ? [B, T, t.outputs] : [B, t.outputs]);
    };
    // inspect({sample: k} | {inputs: [T][in]}) → {inputs, target, output, layers: [{h, c (LSTM), gates (LSTM, GRU)}]}
    Run.prototype.inspect = function (which) {
      var s = this._sizes(), t = s.t, m = s.m, h = this._handle(), x = [], k = -1, T = t.length, n = t.val_size || t.train_size;
      var key = which && typeof which === 'object' && Object.keys(which);
      if (!key || key.length !== 1 || !/^(sample|inputs)$/.test(key[0]))
        throw new Error('inspect(which): allowed: {sample: k} or {inputs: [T][' + t.inputs + ']}');
      if (key[0] === 'sample') {
        k = which.sample;
        if (!(k >= 0 && k < n && Math.floor(k) === k))
          throw new Error('inspect.sample = ' + String(k) + ': not allowed; allowed: an integer from 0 to ' + (n - 1));
      } else {
        T = which.inputs && which.inputs.length;
        if (!(T <= 2000)) throw new Error('inspect.inputs: allowed: [T][' + t.inputs + '] numbers, T 1 to 2000');
        flat(which.inputs, [T, t.inputs], 0, 'inspect.inputs', x);
      }
      h.input(x.length).set(x);
      fail(h.inspect(k));
      var c = { b: new Float32Array(h.data()), at: 0 }, out = t.every ? [T, t.outputs] : [t.outputs], H = [T, m.hidden];
      var r = { inputs: take(c, [T, t.inputs]), target: null, output: take(c, out), layers: [] };
      if (k >= 0) r.target = !t.classes ? take(c, out) : t.every ? Array.from(take(c, [T])) : c.b[c.at++];
      var gates = m.cell === 'lstm' ? 'ifgo' : m.cell === 'gru' ? 'rzn' : '';
      for (var l = 0; l < m.layers; l++) {
        var L = { h: take(c, H) };
        if (m.cell === 'lstm') L.c = take(c, H);
        if (gates) L.gates = {};
        for (var q = 0; q < gates.length; q++) L.gates[gates[q]] = take(c, H);
        r.layers.push(L);
      }
      return r;
    };
    // generate({prime, length, temperature, seed}) → the sampled text (text task); invalid UTF-8 becomes U+FFFD
    Run.prototype.generate = function (args) {
      var a = args || {}, h = this._handle();
      for (var k in a)
        if (!/^(prime|length|temperature|seed)$/.test(k)) throw new Error('generate.' + k + ': unknown key; allowed keys: prime, length, temperature, seed');
      var num = function (k, d) {
        var v = a[k] === undefined ? d : a[k];
        if (typeof v !== 'number' || !isFinite(v)) throw new Error('generate.' + k + ' = ' + String(v) + ': not allowed; allowed: a finite number');
        return v;
      };
      if (a.prime !== undefined && typeof a.prime !== 'string') throw new Error('generate.prime: allowed: a string');
      fail(h.generate(a.prime || '', num('length', 200), num('temperature', 1), num('seed', 1)));
      return new TextDecoder().decode(Uint8Array.from(h.data()));
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
      liveRuns: function () { return live; },
      // memory probes for leak tests: wasm memory size, malloc'd bytes in use, live embind value handles
      heapBytes: function () { return M.HEAP8 ? M.HEAP8.length : 0; },
      heapInUse: function () { return M.heapInUse(); },
      handles: function () { return typeof M.count_emval_handles === 'function' ? M.count_emval_handles() : -1; }
    };
  }

  // wasmBytes() → Promise<Uint8Array | undefined>: the module's bytes from bindings/pack.mjs's string (base64 of the module
  // deflated in zlib format), inflated by the platform's DecompressionStream (Chrome 80, Firefox 113, Safari 16.4, Node 18;
  // wasm SIMD already needs Chrome 91 / Safari 16.4). Undefined in an unpacked build: Emscripten's own base64 is used then.
  function wasmBytes() {
    if (typeof RnnLabWasmDeflate !== 'string') return Promise.resolve(undefined);
    if (typeof DecompressionStream !== 'function' || typeof Response !== 'function')
      return Promise.reject(new Error('this browser cannot unpack the training module (no DecompressionStream): ' +
        'use a current Chrome, Edge, Firefox (113 or later) or Safari (16.4 or later)'));
    var s = atob(RnnLabWasmDeflate), n = s.length, b = new Uint8Array(n);
    for (var i = 0; i < n; i++) b[i] = s.charCodeAt(i);
    return new Response(new Response(b).body.pipeThrough(new DecompressionStream('deflate'))).arrayBuffer()
      .then(function (a) { return new Uint8Array(a); });
  }

  // loadLab(options?) → Promise<lab>; one module per realm, created on first call
  function loadLab(options) {
    if (!loading) {
      // the options object itself becomes the Emscripten module (MODULARIZE): callers keep a reference to it (web/worker.js
      // reads its abort hook and test binding), so it is not copied; a caller that sets wasmBinary (web/worker.js, with a
      // compiled module) skips the inflating
      var opts = options || {};
      loading = (opts.wasmBinary ? Promise.resolve() : wasmBytes().then(function (b) { if (b) opts.wasmBinary = b; }))
        .then(function () { return Core(opts).then(makeLab); });
    }
    return loading;
  }

  var api = { loadLab: loadLab, wasmBytes: wasmBytes };
  if (typeof module === 'object' && module && 'exports' in module) module.exports = api;
  root.RnnLab = api;
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this);
