// The one schema of the flat UI state: every key a lesson can show as a control, with type, default, range, labels and help (zh-TW, en).
// Data plus pure helpers only: no DOM here (the build script also loads this file in Node to validate lessons).
(function (root) {
  'use strict';

  // path: where the value goes in a run config (dot path, PyTorch vocabulary); null = runtime-only (not in the config).
  // omitIf: a value that means "leave the key out of the config" (e.g. clip 0 = no clipping).
  var KEYS = [
    { key: 'seed', type: 'int', default: 1, min: 0, max: 99999, step: 1, widget: 'number', path: 'seed',
      label: { 'zh-TW': '隨機種子', en: 'Random seed' },
      help: { 'zh-TW': '同一個種子給所有模型相同的資料與起始權重。', en: 'One seed gives every model the same data and starting weights.' } },
    { key: 'length', type: 'int', default: 30, min: 2, max: 200, step: 1, widget: 'range', path: 'task.length',
      label: { 'zh-TW': '序列長度 T', en: 'Sequence length T' },
      help: { 'zh-TW': '每筆輸入有幾個時間步。越長，早期輸入與輸出的距離越遠。', en: 'Time steps per input. The longer, the farther the early inputs are from the output.' } },
    { key: 'hidden', type: 'int', default: 32, min: 1, max: 256, step: 1, widget: 'range', path: 'model.hidden',
      label: { 'zh-TW': '隱藏單元數', en: 'Hidden units' },
      help: { 'zh-TW': '每一層 RNN 的隱藏狀態大小 (hidden_size)。', en: 'Size of each recurrent layer\'s hidden state (hidden_size).' } },
    { key: 'layers', type: 'int', default: 1, min: 1, max: 8, step: 1, widget: 'range', path: 'model.layers',
      label: { 'zh-TW': '層數', en: 'Layers' },
      help: { 'zh-TW': '堆疊的 RNN 層數 (num_layers)。', en: 'Number of stacked recurrent layers (num_layers).' } },
    { key: 'batch', type: 'int', default: 32, min: 1, max: 256, step: 1, widget: 'range', path: 'batch',
      label: { 'zh-TW': '批次大小', en: 'Batch size' },
      help: { 'zh-TW': '每一步訓練用幾筆樣本。', en: 'Samples per training step.' } },
    { key: 'optimizer', type: 'enum', default: 'adam', widget: 'select', path: 'optimizer.name',
      choices: ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'],
      choiceLabels: { sgd: 'SGD', momentum: 'SGD + momentum', nesterov: 'Nesterov', adagrad: 'Adagrad', rmsprop: 'RMSProp', adam: 'Adam', adamw: 'AdamW' },
      label: { 'zh-TW': '優化器', en: 'Optimizer' },
      help: { 'zh-TW': '更新規則與 torch.optim 相同。', en: 'Update rules as in torch.optim.' } },
    { key: 'lr', type: 'float', default: 0.01, min: 0.0001, max: 1, scale: 'log', widget: 'range', path: 'optimizer.lr',
      label: { 'zh-TW': '學習率', en: 'Learning rate' },
      help: { 'zh-TW': '每一步沿梯度走多遠。太大會發散。', en: 'How far each step moves along the gradient. Too large diverges.' } },
    { key: 'clip', type: 'float', default: 0, min: 0, max: 10, step: 0.1, widget: 'range', path: 'clip.norm', omitIf: 0,
      label: { 'zh-TW': '梯度裁剪 (範數)', en: 'Gradient clipping (norm)' },
      help: { 'zh-TW': '0 表示不裁剪。', en: '0 means no clipping.' } },
    { key: 'train_size', type: 'int', default: 2048, min: 8, max: 2048, step: 8, widget: 'range', path: 'task.train_size',
      label: { 'zh-TW': '訓練資料筆數', en: 'Training samples' },
      help: { 'zh-TW': '訓練集有幾筆樣本（驗證集另外產生）。資料越少，越容易過擬合。', en: 'Samples in the training set (the validation set is separate). The fewer, the easier to overfit.' } },
    { key: 'noise', type: 'float', default: 0, min: 0, max: 1, step: 0.05, widget: 'range', path: 'task.noise',
      label: { 'zh-TW': '輸入雜訊', en: 'Input noise' },
      help: { 'zh-TW': '加在輸入上的高斯雜訊標準差（sine、xor 題目）。', en: 'Std of the Gaussian noise added to the inputs (sine and xor tasks).' } },
    { key: 'steps', type: 'int', default: 1500, min: 10, max: 20000, step: 10, widget: 'number', path: null,
      label: { 'zh-TW': '訓練步數上限', en: 'Training steps' },
      help: { 'zh-TW': '按下「訓練」後，每個模型最多訓練幾步。', en: 'How many steps each model trains after you press Train.' } }
  ];

  var BY_KEY = {};
  KEYS.forEach(function (k) { BY_KEY[k.key] = k; });

  function copy(o) { return JSON.parse(JSON.stringify(o)); }

  function getPath(obj, path) {
    var parts = path.split('.');
    for (var i = 0; i < parts.length; i++) {
      if (obj == null || typeof obj !== 'object') return undefined;
      obj = obj[parts[i]];
    }
    return obj;
  }

  function setPath(obj, path, value) {
    var parts = path.split('.');
    for (var i = 0; i < parts.length - 1; i++) {
      if (obj[parts[i]] == null || typeof obj[parts[i]] !== 'object') obj[parts[i]] = {};
      obj = obj[parts[i]];
    }
    obj[parts[parts.length - 1]] = value;
  }

  function deletePath(obj, path) {
    var parts = path.split('.');
    var chain = [obj];
    for (var i = 0; i < parts.length - 1; i++) {
      obj = obj[parts[i]];
      if (obj == null || typeof obj !== 'object') return;
      chain.push(obj);
    }
    delete obj[parts[parts.length - 1]];
    // drop parents left empty (e.g. "clip": {})
    for (var j = chain.length - 1; j > 0; j--) {
      if (Object.keys(chain[j]).length === 0) delete chain[j - 1][parts[j - 1]];
      else break;
    }
  }

  function deepMerge(target, patch) {
    Object.keys(patch || {}).forEach(function (k) {
      var v = patch[k];
      if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object' && !Array.isArray(target[k])) {
        deepMerge(target[k], v);
      } else {
        target[k] = copy(v === undefined ? null : v);
      }
    });
    return target;
  }

  // Schema entries for a lesson: the generic entry with the lesson's overrides (min/max/step/default/choices)
  // and a default taken from the lesson's base config when the key maps into it.
  function lessonSchema(lesson) {
    var out = [];
    var base = (lesson.presets && lesson.presets.base) || {};
    (lesson.controls || []).forEach(function (c) {
      var spec = typeof c === 'string' ? { key: c } : c;
      var gen = BY_KEY[spec.key];
      if (!gen) throw new Error('unknown control key "' + spec.key + '" (known: ' + KEYS.map(function (k) { return k.key; }).join(', ') + ')');
      var e = copy(gen);
      ['min', 'max', 'step', 'choices', 'label', 'help', 'widget'].forEach(function (p) { if (spec[p] !== undefined) e[p] = copy(spec[p]); });
      if (e.path) {
        var fromBase = getPath(base, e.path);
        if (fromBase !== undefined) e.default = fromBase;
        else if (e.omitIf !== undefined) e.default = e.omitIf;
      }
      if (spec.default !== undefined) e.default = spec.default;
      out.push(e);
    });
    return out;
  }

  // Parse a value from text (URL) or a control; returns undefined when it cannot be used. Numbers are clamped into range.
  function coerce(entry, raw) {
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (entry.type === 'enum') {
      var s = String(raw);
      return entry.choices.indexOf(s) >= 0 ? s : undefined;
    }
    if (entry.type === 'bool') {
      if (raw === true || raw === 'true' || raw === '1') return true;
      if (raw === false || raw === 'false' || raw === '0') return false;
      return undefined;
    }
    var n = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (!isFinite(n)) return undefined;
    if (entry.type === 'int') n = Math.round(n);
    if (entry.min !== undefined && n < entry.min) n = entry.min;
    if (entry.max !== undefined && n > entry.max) n = entry.max;
    return n;
  }

  function defaults(schema) {
    var s = {};
    schema.forEach(function (e) { s[e.key] = e.default; });
    return s;
  }

  // The config of one run: base config, then the run's own patch, then the state values that map into the config.
  function buildConfig(base, runPatch, schema, state) {
    var cfg = deepMerge(copy(base || {}), runPatch || {});
    schema.forEach(function (e) {
      if (!e.path || state[e.key] === undefined) return;
      if (e.omitIf !== undefined && state[e.key] === e.omitIf) deletePath(cfg, e.path);
      else setPath(cfg, e.path, state[e.key]);
    });
    return cfg;
  }

  // Nice positions for a log-scale slider: 1, 2, 3, 5 x 10^k within [min, max].
  function logTicks(min, max) {
    var ticks = [];
    for (var e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)); e++) {
      [1, 2, 3, 5].forEach(function (m) {
        var v = Number((m * Math.pow(10, e)).toPrecision(3));
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
      });
    }
    return ticks;
  }

  function format(entry, v) {
    if (v === undefined || v === null) return '';
    if (entry.type === 'float') return String(Number(Number(v).toPrecision(4)));
    return String(v);
  }

  var api = {
    KEYS: KEYS, BY_KEY: BY_KEY, lessonSchema: lessonSchema, coerce: coerce, defaults: defaults,
    buildConfig: buildConfig, getPath: getPath, setPath: setPath, deepMerge: deepMerge, logTicks: logTicks, format: format
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else (root.LabRuntime = root.LabRuntime || {}).schema = api;
})(typeof self !== 'undefined' ? self : this);
