// @ts-check
// The one schema of the flat UI state: every key a lesson can show as a control, with type, default, range, labels and help (zh-TW, en).
// Data plus pure helpers only: no DOM here (the build script also loads this file in Node to validate lessons).

/**
 * One key of the flat UI state: a control, a URL key, a per-run setting.
 * @typedef {object} SchemaEntry
 * @property {string} key
 * @property {'int'|'float'|'enum'} type
 * @property {any} default
 * @property {number} [min]
 * @property {number} [max]
 * @property {number} [step]
 * @property {'log'} [scale]
 * @property {'number'|'range'|'select'} widget
 * @property {string|null} path        where the value goes in a run config (dot path); null = page only
 * @property {any} [omitIf]             the value that leaves the key out of the config
 * @property {string[]} [choices]
 * @property {{[choice: string]: string}} [choiceLabels]
 * @property {{[lang: string]: string}} label
 * @property {{[lang: string]: string}} help
 * @property {string[]} [runs]          lesson run ids the control sets (lesson.json); absent = every run
 */
/** @typedef {import('./lesson-state.js').LessonData} LessonData */
import VOCAB from './vocab.json' with { type: 'json' };

// The core's vocabulary (web/vocab.json, written from core/config.cpp's parser by tools/vocab.cpp: `make vocab`): every
// choice below and the keys each optimizer accepts come from it, never from a hand copy (tests/node/vocab.test.mjs).
/** @type {{[path: string]: string[]}} */
var CHOICES = VOCAB.choices;

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
    help: { 'zh-TW': '每一層的單元數：遞迴層的隱藏狀態大小 (hidden_size)，或全連接網路（MLP）每層的寬度。', en: 'Units per layer: a recurrent layer\'s hidden state size (hidden_size), or the width of each layer of a fully connected (MLP) network.' } },
  { key: 'layers', type: 'int', default: 1, min: 1, max: 8, step: 1, widget: 'range', path: 'model.layers',
    label: { 'zh-TW': '層數', en: 'Layers' },
    help: { 'zh-TW': '堆疊的 RNN 層數 (num_layers)。', en: 'Number of stacked recurrent layers (num_layers).' } },
  { key: 'batch', type: 'int', default: 32, min: 1, max: 256, step: 1, widget: 'range', path: 'batch',
    label: { 'zh-TW': '批次大小', en: 'Batch size' },
    help: { 'zh-TW': '每一步訓練用幾筆樣本。', en: 'Samples per training step.' } },
  { key: 'optimizer', type: 'enum', default: 'adam', widget: 'select', path: 'optimizer.name',
    choices: CHOICES['optimizer.name'],
    choiceLabels: { sgd: 'SGD', momentum: 'SGD + momentum', nesterov: 'Nesterov', adagrad: 'Adagrad', rmsprop: 'RMSProp', adam: 'Adam', adamw: 'AdamW' },
    label: { 'zh-TW': '最佳化器', en: 'Optimizer' },
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

// Keys a single run can override (per-run settings, issue #4 point 1); also usable as lesson controls. Same config
// paths and allowed values as docs/api.md and core/config.cpp.
var RUN_KEYS = [
  { key: 'cell', type: 'enum', default: 'lstm', widget: 'select', path: 'model.cell', choices: CHOICES['model.cell'],
    choiceLabels: { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU', mlp: 'MLP' },
    label: { 'zh-TW': '單元種類', en: 'Cell' },
    help: { 'zh-TW': 'nn.RNN、nn.LSTM、nn.GRU，或全連接網路（MLP）。', en: 'nn.RNN, nn.LSTM, nn.GRU, or a fully connected network (MLP).' } },
  { key: 'task', type: 'enum', default: 'adding', widget: 'select', path: 'task.name', choices: CHOICES['task.name'],
    label: { 'zh-TW': '任務', en: 'Task' }, help: { 'zh-TW': '模型要學的題目（custom 用「你的資料」）。', en: 'The problem to learn (custom: "Your data").' } },
  { key: 'schedule', type: 'enum', default: 'constant', widget: 'select', path: 'schedule.name', choices: CHOICES['schedule.name'],
    label: { 'zh-TW': '學習率排程', en: 'LR schedule' }, help: { 'zh-TW': '學習率隨步數怎麼變。', en: 'How the learning rate changes over the steps.' } },
  { key: 'nonlinearity', type: 'enum', default: 'tanh', widget: 'select', path: 'model.nonlinearity', choices: CHOICES['model.nonlinearity'],
    label: { 'zh-TW': 'RNN 激活函數', en: 'RNN nonlinearity' },
    help: { 'zh-TW': '只用於 RNN 單元（nn.RNN 的 nonlinearity）。', en: 'RNN cells only (nn.RNN\'s nonlinearity).' } },
  { key: 'activation', type: 'enum', default: 'relu', widget: 'select', path: 'model.activation',
    choices: CHOICES['model.activation'],
    label: { 'zh-TW': 'MLP 激活函數', en: 'MLP activation' },
    help: { 'zh-TW': '只用於 MLP 的每一層。', en: 'Every layer of an MLP only.' } },
  { key: 'init', type: 'enum', default: 'default', widget: 'select', path: 'init.weights', choices: CHOICES['init.weights'],
    label: { 'zh-TW': '輸入權重初始化', en: 'Input weight init' },
    help: { 'zh-TW': '輸入到隱藏層（及 MLP 每層）權重的初始化方法。', en: 'Initialiser of the input-to-hidden weights (and every MLP layer).' } },
  { key: 'init_recurrent', type: 'enum', default: 'default', widget: 'select', path: 'init.recurrent', choices: CHOICES['init.recurrent'],
    label: { 'zh-TW': '遞迴權重初始化', en: 'Recurrent weight init' },
    help: { 'zh-TW': '隱藏到隱藏（W_hh）權重的初始化方法。', en: 'Initialiser of the hidden-to-hidden weights (W_hh).' } },
  { key: 'dropout', type: 'float', default: 0, min: 0, max: 0.9, step: 0.05, widget: 'range', path: 'model.dropout',
    label: { 'zh-TW': 'Dropout 機率 p', en: 'Dropout p' },
    help: { 'zh-TW': '訓練時每一層輸出被丟掉的機率。', en: 'Probability that a block\'s output is dropped while training.' } },
  { key: 'norm', type: 'enum', default: 'none', widget: 'select', path: 'model.norm', choices: CHOICES['model.norm'],
    label: { 'zh-TW': '正規化', en: 'Normalisation' },
    help: { 'zh-TW': '批次正規化或層正規化。', en: 'Batch norm or layer norm.' } },
  { key: 'momentum', type: 'float', default: 0, min: 0, max: 0.99, step: 0.01, widget: 'range', path: 'optimizer.momentum',
    label: { 'zh-TW': '動量 β', en: 'Momentum β' },
    help: { 'zh-TW': 'SGD、Nesterov 與 RMSProp 才有。', en: 'SGD, Nesterov and RMSProp only.' } },
  { key: 'weight_decay', type: 'float', default: 0, min: 0, max: 0.1, step: 0.0001, widget: 'number', path: 'optimizer.weight_decay',
    label: { 'zh-TW': '權重衰減', en: 'Weight decay' },
    help: { 'zh-TW': 'torch.optim 的 weight_decay。', en: 'torch.optim\'s weight_decay.' } }
];
KEYS.push.apply(KEYS, RUN_KEYS);

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
/** @param {LessonData} lesson @returns {SchemaEntry[]} */
function lessonSchema(lesson) {
  var out = [];
  var base = (lesson.presets && lesson.presets.base) || {};
  (lesson.controls || []).forEach(function (c) {
    var spec = typeof c === 'string' ? { key: c } : c;
    var gen = BY_KEY[spec.key];
    if (!gen) throw new Error('unknown control key "' + spec.key + '" (known: ' + KEYS.map(function (k) { return k.key; }).join(', ') + ')');
    var e = copy(gen);
    ['min', 'max', 'step', 'choices', 'label', 'help', 'widget', 'runs'].forEach(function (p) { if (spec[p] !== undefined) e[p] = copy(spec[p]); });
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
// A control with "runs": [ids] (lesson.json) sets only those lesson runs (and runs added from them; runId is the lesson run's id).
function buildConfig(base, runPatch, schema, state, runId) {
  var cfg = deepMerge(copy(base || {}), runPatch || {});
  schema.forEach(function (e) {
    if (!e.path || state[e.key] === undefined) return;
    if (e.runs && runId !== undefined && e.runs.indexOf(runId) < 0) return;
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

// ---- runs, per-run overrides, hide flags and the URL state (issue #4 points 1–3; the format is in docs/embedding.md) ----
// Besides the control keys, the flat state holds "runs" (the run ids, in order), "<run id>.<key>" (one per-run override)
// and "hide" (parts of the page to hide). A lesson run keeps its id; an added run is "<lesson run id>~N" (N ≥ 2) and starts
// from that lesson run's config.
var HIDE_PARTS = ['text', 'title', 'controls', 'presets', 'runs', 'charts', 'claim', 'share'];
var DERIVED = /^(.+)~([0-9]{1,3})$/;

// the lesson run an id derives from (itself for a lesson run), or null when the id is not valid for this lesson
/** @param {string} id @param {string[]} lessonRunIds @returns {string|null} */
function runBase(id, lessonRunIds) {
  id = String(id);
  if (lessonRunIds.indexOf(id) >= 0) return id;
  var m = DERIVED.exec(id);
  return m && Number(m[2]) >= 2 && lessonRunIds.indexOf(m[1]) >= 0 ? m[1] : null;
}
function runNumber(id) { var m = DERIVED.exec(String(id)); return m ? Number(m[2]) : 1; }
/** the first free id base~2, base~3, … @param {string} base @param {string[]} ids @returns {string} */
function nextRunId(base, ids) {
  for (var n = 2; ; n++) if (ids.indexOf(base + '~' + n) < 0) return base + '~' + n;
}
function maxRuns(lessonRunIds) { return lessonRunIds.length + 8; }

// "<run id>.<key>" → {id, key} (split at the last dot: lesson run ids may contain dots, keys never do)
/** @param {string} k @returns {{id: string, key: string} | null} */
function splitOverride(k) {
  var i = String(k).lastIndexOf('.');
  return i > 0 && i < k.length - 1 ? { id: k.slice(0, i), key: k.slice(i + 1) } : null;
}
function overridesOf(state, id, keys) {
  var o = {};
  keys.forEach(function (e) { var v = state[id + '.' + e.key]; if (v !== undefined) o[e.key] = v; });
  return o;
}

// The keys a run can override: every key with a config path, as the lesson adjusted it where it shows that control.
function runKeys(schema) {
  var own = {};
  schema.forEach(function (e) { own[e.key] = e; });
  return KEYS.filter(function (k) { return k.path; }).map(function (k) { return own[k.key] || k; });
}

// Keys each optimizer (cell, task, schedule) accepts (the core's vocabulary); a run config drops the keys its optimizer,
// cell, task or schedule refuses (a playground control or a per-run override changed it), except keys the user set
// explicitly on that run, so that the error names them.
/** @type {{[name: string]: string[]}} */
var OPT_KEYS = VOCAB.keys.optimizer.accepts;
var FIT_DEFAULT = { model: 'lstm', optimizer: 'adam', task: '', schedule: 'constant' };
function fitConfig(cfg, explicit) {
  Object.keys(FIT_DEFAULT).forEach(function (sec) {
    var o = cfg[sec], voc = /** @type {any} */ (VOCAB.keys)[sec], allowed = o && voc && voc.accepts[o[voc.by] || FIT_DEFAULT[sec]];
    if (allowed) Object.keys(o).forEach(function (k) { if (allowed.indexOf(k) < 0 && !explicit[sec + '.' + k]) delete o[k]; });
  });
  return cfg;
}

// Config = base → lesson run patch → page state → the run's overrides.
function runConfig(base, runPatch, schema, state, overrides, keys, runId) {
  var cfg = buildConfig(base, runPatch, schema, state, runId), explicit = {};
  (keys || []).forEach(function (e) {
    if (!overrides || overrides[e.key] === undefined) return;
    explicit[e.path] = true;
    if (e.omitIf !== undefined && overrides[e.key] === e.omitIf) deletePath(cfg, e.path);
    else setPath(cfg, e.path, overrides[e.key]);
  });
  return fitConfig(cfg, explicit);
}

// A run's label in both languages: the lesson run's, "(N)" for an added run, then its overrides ("LSTM (2) → Hidden units = 16").
function runLabel(lessonRun, id, overrides, keys, field) {
  var n = runNumber(id), src = lessonRun[field || 'label'] || lessonRun.label, out = {};
  ['zh-TW', 'en'].forEach(function (l) {
    var s = typeof src === 'string' ? src : (src[l] || src.en || src['zh-TW'] || lessonRun.id);
    if (n > 1) s += ' (' + n + ')';
    // what the run changed, after an arrow and in the page's words ("p = 0.5 (2) → Dropout p = 0.8", not "· dropout 0.8")
    var changed = keys.filter(function (e) { return overrides[e.key] !== undefined; }).map(function (e) {
      var v = overrides[e.key], name = (e.label && (e.label[l] || e.label.en)) || e.key;
      return name + ' = ' + (e.choiceLabels && e.choiceLabels[v] ? e.choiceLabels[v] : format(e, v));
    });
    if (changed.length) s += ' → ' + changed.join(l === 'zh-TW' ? '、' : ', ');
    out[l] = s;
  });
  return out;
}

// URL hash pairs → {state (only what was valid), notices: [{key, name, value?}]} for everything ignored.
// ctx: {schema, lessonRuns: [ids], runKeys, hide: [valid hide tokens]}. "lang" is left to the page.
function parseState(pairs, ctx) {
  var out = {}, notices = [], byKey = {}, rk = {};
  ctx.schema.forEach(function (e) { byKey[e.key] = e; });
  ctx.runKeys.forEach(function (e) { rk[e.key] = e; });
  var clip = function (v) { v = String(v); return v.length > 40 ? v.slice(0, 39) + '…' : v; };
  var note = function (key, name, value) { notices.push(value === undefined ? { key: key, name: clip(name) } : { key: key, name: clip(name), value: clip(value) }); };
  var runs = ctx.lessonRuns.slice(), cap = maxRuns(ctx.lessonRuns);
  pairs.forEach(function (p) {
    if (p[0] !== 'runs') return;
    var list = [];
    String(p[1]).split(',').forEach(function (id) {
      id = id.trim();
      if (!id || list.indexOf(id) >= 0) return;
      if (!runBase(id, ctx.lessonRuns)) note('noticeUnknownRun', id);
      else if (list.length >= cap) note('noticeTooManyRuns', id);
      else list.push(id);
    });
    if (list.length) { out.runs = list; runs = list; } else note('noticeBadValue', 'runs', p[1]);
  });
  pairs.forEach(function (p) {
    var k = p[0], v = p[1];
    if (k === 'runs' || k === 'lang') return;
    if (k === 'hide') {
      var h = [];
      String(v).split(',').forEach(function (t) {
        t = t.trim();
        if (!t || h.indexOf(t) >= 0) return;
        if ((ctx.hide || HIDE_PARTS).indexOf(t) >= 0) h.push(t); else note('noticeBadHide', t);
      });
      out.hide = h;
      return;
    }
    if (byKey[k]) {
      var c = coerce(byKey[k], v);
      if (c === undefined) note('noticeBadValue', k, v); else out[k] = c;
      return;
    }
    var o = splitOverride(k);
    if (o && runs.indexOf(o.id) >= 0 && rk[o.key]) {
      var cv = coerce(rk[o.key], v);
      if (cv === undefined) note('noticeBadValue', k, v); else out[k] = cv;
    } else if (o && !rk[o.key] && runs.indexOf(o.id) >= 0) note('noticeUnknownKey', k);
    else if (o && rk[o.key]) note('noticeUnknownRun', o.id);
    else note('noticeUnknownKey', k);
  });
  return { state: out, notices: notices };
}

// The state as URL hash pairs [[key, text]]: controls that differ from their default, the run list when it differs from
// the lesson's, every override (in run order, then key order), the hide flags.
function serializeState(state, ctx) {
  var pairs = [];
  ctx.schema.forEach(function (e) {
    if (state[e.key] !== undefined && state[e.key] !== e.default) pairs.push([e.key, format(e, state[e.key])]);
  });
  var runs = state.runs || ctx.lessonRuns;
  if (runs.join(',') !== ctx.lessonRuns.join(',')) pairs.push(['runs', runs.join(',')]);
  runs.forEach(function (id) {
    ctx.runKeys.forEach(function (e) {
      var v = state[id + '.' + e.key];
      if (v !== undefined) pairs.push([id + '.' + e.key, format(e, v)]);
    });
  });
  if (state.hide && state.hide.length) pairs.push(['hide', state.hide.join(',')]);
  return pairs;
}


export { KEYS, BY_KEY, CHOICES, OPT_KEYS, lessonSchema, coerce, defaults, buildConfig, getPath, setPath, deepMerge, logTicks, format, RUN_KEYS, HIDE_PARTS, runBase, runNumber, nextRunId, maxRuns, splitOverride, overridesOf, runKeys, fitConfig, runConfig, runLabel, parseState, serializeState };
