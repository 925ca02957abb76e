// @ts-check
// "Your data": parses and validates a pasted or uploaded CSV time series or plain text, and turns it into a run's task
// (CSV -> custom regression windows, text -> the character-level task). Pure: no DOM, no I/O; loads in pages and in Node.

// Limits (docs/api.md caps: custom data <= 1024 samples, length <= 2000; kept lower here so a step stays fast in a page).
var LIMITS = {
  csvBytes: 2000000,   // pasted or uploaded CSV text
  rows: 20000,         // data rows
  columns: 16,         // numeric columns
  maxT: 200,           // window length T (CSV) / sequence length (text)
  samples: 1024,       // windows per run (the core's cap on custom samples); more are thinned evenly
  activations: 8e6,    // the core's batch·length·hidden·layers cap, used to thin windows for big models
  textBytes: 200000,   // text corpus, UTF-8 bytes (the core allows 1 MiB)
  errors: 10           // errors listed; the rest are counted
};
var DEFAULT_T = 20;

var MESSAGES = {
  'zh-TW': {
    empty: '資料是空的。',
    tooBig: '資料有 {bytes} 位元組，最多 {max}。',
    notNumber: '第 {line} 行第 {col} 欄：「{value}」不是數字',
    notFinite: '第 {line} 行第 {col} 欄：「{value}」太大了，不是有限的數字',
    emptyCell: '第 {line} 行第 {col} 欄：這一格是空的',
    columns: '第 {line} 行：有 {found} 欄，應該是 {expected} 欄（和第 {first} 行一樣）',
    tooManyColumns: '第 {line} 行：有 {found} 欄，最多 {max} 欄',
    quote: '第 {line} 行：引號沒有關上',
    tooManyRows: '資料有 {rows} 列，最多 {max} 列',
    tooFewRows: '只有 {rows} 列資料：視窗長度 T = {T} 至少需要 {need} 列（T + 1）',
    noRows: '只有標題列，沒有資料',
    zeroByte: '第 {line} 行有零位元組：這是文字檔嗎？',
    textTooLong: '文字有 {bytes} 位元組（UTF-8），最多 {max}',
    textTooShort: '文字只有 {bytes} 位元組（UTF-8）：序列長度 T = {T} 至少需要 {need}（T + 2）',
    badT: '視窗長度 T 必須是 1 到 {max} 的整數',
    badTarget: '目標欄必須是 1 到 {max}',
    noInputs: '至少要選一個輸入欄',
    more: '……還有 {n} 個錯誤'
  },
  en: {
    empty: 'The data is empty.',
    tooBig: 'The data has {bytes} bytes; at most {max}.',
    notNumber: 'line {line}, column {col}: "{value}" is not a number',
    notFinite: 'line {line}, column {col}: "{value}" is too large to be a finite number',
    emptyCell: 'line {line}, column {col}: the cell is empty',
    columns: 'line {line}: {found} columns; expected {expected} (as on line {first})',
    tooManyColumns: 'line {line}: {found} columns; at most {max}',
    quote: 'line {line}: a quote is not closed',
    tooManyRows: '{rows} data rows; at most {max}',
    tooFewRows: 'only {rows} data rows: windows of T = {T} need at least {need} (T + 1)',
    noRows: 'only a header, no data rows',
    zeroByte: 'line {line} contains a zero byte: is this a text file?',
    textTooLong: 'the text has {bytes} bytes (UTF-8); at most {max}',
    textTooShort: 'the text has only {bytes} bytes (UTF-8): sequences of T = {T} need at least {need} (T + 2)',
    badT: 'the window length T must be a whole number from 1 to {max}',
    badTarget: 'the target column must be 1 to {max}',
    noInputs: 'pick at least one input column',
    more: '… and {n} more errors'
  }
};

function message(err, lang) {
  var table = MESSAGES[lang] || MESSAGES.en;
  var s = table[err.code] || MESSAGES.en[err.code] || err.code;
  return s.replace(/\{(\w+)\}/g, function (_, k) { return err[k] !== undefined ? String(err[k]) : ''; });
}

function utf8Length(s) {
  if (typeof TextEncoder === 'function') return new TextEncoder().encode(s).length;
  return unescape(encodeURIComponent(s)).length;
}

var NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
function shortValue(v) { v = String(v); return v.length > 40 ? v.slice(0, 37) + '…' : v; }

// Split one line into fields (quotes: "a,b" and "" inside quotes); null when a quote is left open.
function splitLine(line, sep) {
  var out = [], cur = '', q = false;
  for (var i = 0; i < line.length; i++) {
    var ch = line[i];
    if (q) {
      if (ch === '"') { if (line[i + 1] === '"') { cur += '"'; i++; } else q = false; }
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') { q = true; cur = ''; }
    else if (ch === sep) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  if (q) return null;
  out.push(cur);
  return out;
}

// The separator: of comma, semicolon and tab, the one that splits the first lines (quotes respected) into the same number
// of fields, the most fields winning; a spreadsheet export with decimal commas uses semicolons ("1,5;2,25").
function detectSep(lines) {
  var best = ',', most = 0;
  ['\t', ';', ','].forEach(function (s) {
    var n = -1, same = true;
    lines.forEach(function (l) { var f = splitLine(l, s); var k = f ? f.length : -1; if (n < 0) n = k; else if (k !== n) same = false; });
    if (same && n > most) { most = n; best = s; }
  });
  if (most <= 1) { // no separator splits every line alike: the one most frequent on the first line
    var n0 = 0;
    [',', ';', '\t'].forEach(function (s) { var k = lines[0].split(s).length - 1; if (k > n0) { n0 = k; best = s; } });
  }
  return best;
}

// A cell as a number: plain, with a decimal comma (semicolon files), with thousands separators ("1,234.5" in quotes) or a
// currency sign or percent; the text of the cell when it is none of these.
var THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
function numberText(f, sep) {
  f = f.trim().replace(/^[$€£¥]\s?|\s?%$/g, '');
  if (NUM.test(f)) return f;
  if (sep !== ',' && /^[+-]?\d*,\d+$/.test(f)) return f.replace(',', '.');
  if (THOUSANDS.test(f)) return f.replace(/,/g, '');
  return null;
}

// Which columns hold numbers: a column is numeric when at least 80 % of its non-empty cells in the first data rows are
// numbers. Dates, names and other text columns are skipped (with a note) instead of being errors; when no column is
// numeric, all are kept (and their cells reported), so a wrong file still gets line-numbered errors.
function numericColumns(rows, width, sep) {
  var ok = [];
  for (var c = 0; c < width; c++) {
    var n = 0, num = 0;
    rows.forEach(function (r) { if (r && r.length === width && r[c].trim() !== '') { n++; if (numberText(r[c], sep) !== null) num++; } });
    ok.push(n === 0 || num >= 0.8 * n);
  }
  return ok.some(Boolean) ? ok : ok.map(function () { return true; });
}

// CSV time series: one or several numeric columns, optional header (a first row with text in a numeric column); a byte-order
// mark, quoted fields, comma/semicolon/tab separators and non-numeric columns (dates) are handled: those are skipped.
// -> {ok, errors: [{code, line, col, value, ...}], header: [names] | null, names, columns: [[numbers]], rows, sep,
//     skipped: [names of the skipped columns]}
function parseCsv(text) {
  var errors = [], more = 0;
  function fail(e) { if (errors.length < LIMITS.errors) errors.push(e); else more++; }
  function done(extra) {
    if (more) errors.push({ code: 'more', n: more });
    return Object.assign({ ok: errors.length === 0, errors: errors, kind: 'csv', skipped: [] }, extra || {});
  }
  text = String(text == null ? '' : text).replace(/^\uFEFF/, '');
  if (text.length > LIMITS.csvBytes) { fail({ code: 'tooBig', bytes: text.length, max: LIMITS.csvBytes }); return done(); }
  if (text.trim() === '') { fail({ code: 'empty' }); return done(); }
  var lines = text.split(/\r\n|\n|\r/);
  var first = -1;
  for (var i = 0; i < lines.length; i++) if (lines[i].trim() !== '') { first = i; break; }
  var sample = lines.slice(first).filter(function (l) { return l.trim() !== ''; }).slice(0, 12);
  var sep = detectSep(sample);
  var split0 = sample.map(function (l) { return splitLine(l, sep); });
  var width0 = split0[0] ? split0[0].length : 0;
  if (width0 > LIMITS.columns * 2) { fail({ code: 'tooManyColumns', line: first + 1, found: width0, max: LIMITS.columns }); return done(); }
  var numeric = numericColumns(split0.slice(1).length ? split0.slice(1) : split0, width0, sep);
  var keep = [];
  numeric.forEach(function (ok, c) { if (ok) keep.push(c); });
  if (keep.length > LIMITS.columns) { fail({ code: 'tooManyColumns', line: first + 1, found: keep.length, max: LIMITS.columns }); return done(); }
  var header = null, width = 0, firstData = 0, columns = [], rows = 0, allFields = null;
  for (var ln = first; ln < lines.length; ln++) {
    var raw = lines[ln], lineNo = ln + 1;
    if (raw.trim() === '') continue;
    if (raw.indexOf('\u0000') >= 0) { fail({ code: 'zeroByte', line: lineNo }); return done(); }
    var fields = splitLine(raw, sep);
    if (!fields) { fail({ code: 'quote', line: lineNo }); continue; }
    if (ln === first) {
      width = fields.length;
      allFields = fields.map(function (f) { return f.trim(); });
      for (var c0 = 0; c0 < keep.length; c0++) columns.push([]);
      var allNum = keep.every(function (c) { return numberText(fields[c], sep) !== null; });
      if (!allNum) { header = allFields; continue; }
    }
    if (!firstData) firstData = lineNo;
    if (fields.length !== width) {
      fail({ code: 'columns', line: lineNo, found: fields.length, expected: width, first: header ? first + 1 : firstData });
      continue;
    }
    rows++;
    if (rows > LIMITS.rows) { fail({ code: 'tooManyRows', rows: '> ' + LIMITS.rows, max: LIMITS.rows }); return done(); }
    for (var j = 0; j < keep.length; j++) {
      var c = keep[j], f = fields[c].trim();
      if (f === '') { fail({ code: 'emptyCell', line: lineNo, col: c + 1 }); continue; }
      var t = numberText(f, sep);
      if (t === null) { fail({ code: 'notNumber', line: lineNo, col: c + 1, value: shortValue(f) }); continue; }
      var v = Number(t);
      if (!isFinite(v) || Math.abs(v) > 3.4e38) { fail({ code: 'notFinite', line: lineNo, col: c + 1, value: shortValue(f) }); continue; }
      columns[j].push(v);
    }
  }
  if (!errors.length && rows === 0) fail({ code: 'noRows' });
  var name = function (k) { return header && header[k] ? header[k] : (header ? 'column ' + (k + 1) : 'x' + (k + 1)); };
  var names = keep.map(name), skipped = [];
  for (var k = 0; k < width0; k++) if (keep.indexOf(k) < 0) skipped.push(name(k));
  return done({ header: header, names: names, columns: columns, rows: rows, sep: sep, skipped: skipped, source: keep.map(function (x) { return x + 1; }) });
}

// Plain text for the character-level task (the core works on UTF-8 bytes: a CJK character is three symbols).
function parseText(text) {
  var errors = [];
  text = String(text == null ? '' : text).replace(/^\uFEFF/, '');
  var bytes = utf8Length(text);
  if (text.length === 0) errors.push({ code: 'empty' });
  else if (bytes > LIMITS.textBytes) errors.push({ code: 'textTooLong', bytes: bytes, max: LIMITS.textBytes });
  else {
    var z = text.indexOf('\u0000');
    if (z >= 0) errors.push({ code: 'zeroByte', line: text.slice(0, z).split(/\r\n|\n|\r/).length });
  }
  var seen = {};
  if (!errors.length && typeof TextEncoder === 'function') {
    var enc = new TextEncoder().encode(text);
    for (var i = 0; i < enc.length; i++) seen[enc[i]] = 1;
  }
  return { ok: errors.length === 0, errors: errors, kind: 'text', text: text, chars: Array.from(text).length, bytes: bytes,
           symbols: Object.keys(seen).length, lines: text.split(/\r\n|\n|\r/).length };
}

function checkT(T) {
  return (typeof T === 'number' && T === Math.floor(T) && T >= 1 && T <= LIMITS.maxT) ? null : { code: 'badT', max: LIMITS.maxT };
}

// A parsed CSV or text plus the user's settings -> a dataset ready for runs, or {ok: false, errors}.
// opts: {T (window/sequence length), target (1-based CSV column predicted), inputs (1-based columns the model reads;
// default all)}
function prepare(parsed, opts) {
  opts = opts || {};
  if (!parsed || !parsed.ok) return { ok: false, errors: (parsed && parsed.errors) || [{ code: 'empty' }] };
  var T = opts.T === undefined ? DEFAULT_T : Number(opts.T);
  var bad = checkT(T);
  if (bad) return { ok: false, errors: [bad] };
  if (parsed.kind === 'text') {
    if (parsed.bytes < T + 2) return { ok: false, errors: [{ code: 'textTooShort', bytes: parsed.bytes, T: T, need: T + 2 }] };
    return { ok: true, kind: 'text', T: T, text: parsed.text, bytes: parsed.bytes, chars: parsed.chars, symbols: parsed.symbols };
  }
  var F = parsed.columns.length, target = opts.target === undefined ? 1 : Number(opts.target);
  if (!(target === Math.floor(target) && target >= 1 && target <= F)) return { ok: false, errors: [{ code: 'badTarget', max: F }] };
  var inputs = Array.isArray(opts.inputs) ? opts.inputs.map(Number).filter(function (c, i, a) { return c === Math.floor(c) && c >= 1 && c <= F && a.indexOf(c) === i; }).sort(function (a, b) { return a - b; }) : [];
  if (!Array.isArray(opts.inputs) || !inputs.length) { if (Array.isArray(opts.inputs) && opts.inputs.length) return { ok: false, errors: [{ code: 'noInputs' }] }; inputs = []; for (var q = 1; q <= F; q++) inputs.push(q); }
  if (parsed.rows < T + 1) return { ok: false, errors: [{ code: 'tooFewRows', rows: parsed.rows, T: T, need: T + 1 }] };
  // standardise every column: (x − mean) / std, so prices in the thousands and rates near zero train alike
  var mean = [], std = [], z = [];
  parsed.columns.forEach(function (col) {
    var m = 0, q = 0;
    col.forEach(function (v) { m += v; });
    m /= col.length;
    col.forEach(function (v) { q += (v - m) * (v - m); });
    var s = Math.sqrt(q / col.length);
    if (!(s > 0)) s = 1;
    mean.push(m); std.push(s);
    z.push(col.map(function (v) { return Math.round(((v - m) / s) * 1e6) / 1e6; }));
  });
  return { ok: true, kind: 'csv', T: T, target: target - 1, names: parsed.names, rows: parsed.rows, features: inputs.length,
           inputs: inputs.map(function (c) { return c - 1; }), skipped: parsed.skipped || [], windows: parsed.rows - T, mean: mean, std: std, z: z };
}

// At most `max` window start positions, spread evenly over all windows (every window when they fit).
function windowStarts(total, max) {
  var out = [];
  if (total <= max) { for (var i = 0; i < total; i++) out.push(i); return out; }
  for (var k = 0; k < max; k++) out.push(Math.round(k * (total - 1) / Math.max(1, max - 1)));
  return out;
}

// Windows of a CSV dataset: T rows of every column -> the next value of the target column.
// flat: one step of T·F numbers (for an mlp, which reads only the last step). -> {inputs, targets, used, total}
function windows(ds, max, flat) {
  var starts = windowStarts(ds.windows, Math.max(1, Math.min(max || LIMITS.samples, LIMITS.samples)));
  var inputs = [], targets = [];
  starts.forEach(function (s) {
    var seq = [];
    for (var t = 0; t < ds.T; t++) {
      var row = [];
      for (var f = 0; f < ds.features; f++) row.push(ds.z[ds.inputs ? ds.inputs[f] : f][s + t]);
      seq.push(row);
    }
    inputs.push(flat ? [[].concat.apply([], seq)] : seq);
    targets.push([ds.z[ds.target][s + ds.T]]);
  });
  return { inputs: inputs, targets: targets, used: starts.length, total: ds.windows };
}

// The run config with the user's data in place of the lesson's task; the rule:
//   CSV  -> task {name: 'custom', inputs, targets}: MSE regression of the target column's next value (no validation set:
//           the core trains custom data full batch); an mlp gets each window flattened into one step of T·F numbers.
//   text -> task {name: 'text', text, length: T} (train_size kept when the lesson sets it): cross-entropy over the next byte.
// model.readout / model.outputs / loss are set from the task. A run whose lesson config brings its own custom data (e.g. a
// 2-weight loss surface) keeps it: -> {config, kept: true}. Otherwise -> {config, kept: false, used?, total?}.
function override(cfg, ds) {
  cfg = JSON.parse(JSON.stringify(cfg || {}));
  var task = cfg.task || {};
  if (task.name === 'custom') return { config: cfg, kept: true };
  var model = cfg.model = cfg.model || {};
  delete model.readout;
  delete model.outputs;
  if (ds.kind === 'text') {
    var t = { name: 'text', text: ds.text, length: ds.T };
    if (task.train_size !== undefined) t.train_size = task.train_size;
    if (task.val_size !== undefined) t.val_size = task.val_size;
    cfg.task = t;
    cfg.loss = 'cross_entropy';
    return { config: cfg, kept: false };
  }
  var mlp = model.cell === 'mlp';
  var hidden = model.hidden || 32, layers = model.layers === undefined ? 1 : model.layers;
  var perSample = (mlp ? 1 : ds.T) * hidden * Math.max(1, layers);
  var max = Math.max(1, Math.floor(LIMITS.activations / perSample));
  var w = windows(ds, max, mlp);
  cfg.task = { name: 'custom', inputs: w.inputs, targets: w.targets };
  cfg.loss = 'mse';
  return { config: cfg, kept: false, used: w.used, total: w.total };
}

// Notes for a lesson about what changes with this dataset: [{code, ...}] (texts in NOTES).
// runs: [{id, label, config (built)}]; charts: the lesson's chart specs.
function notes(ds, runs, charts) {
  var out = [], kept = [], thinned = null, mlp = false, classif = false, regress = false;
  runs.forEach(function (r) {
    var cfg = r.config || {};
    var task = cfg.task || {};
    if (task.name === 'custom') { kept.push(r.label); return; }
    var o = override(cfg, ds);
    if (o.used !== undefined && o.used < o.total) thinned = { used: Math.min(o.used, thinned ? thinned.used : Infinity), total: o.total };
    if ((cfg.model || {}).cell === 'mlp') mlp = true;
    var ce = cfg.loss === 'cross_entropy' || ['parity', 'text', 'xor', 'copy'].indexOf(task.name) >= 0 || task.target === 'direction';
    if (ce) classif = true; else regress = true;
  });
  var metrics = (charts || []).map(function (c) { return String(c.metric || ''); });
  (charts || []).forEach(function (c) { (c.series || []).forEach(function (s) { metrics.push(String(s.metric || '')); }); });
  var usesVal = metrics.some(function (m) { return /^val_/.test(m); }) || (charts || []).some(function (c) { return c.kind === 'trainval'; });
  var usesAcc = metrics.some(function (m) { return /accuracy/.test(m); });
  if (ds.kind === 'csv') {
    out.push({ code: 'csvRule', T: ds.T, target: ds.names[ds.target] });
    if (ds.inputs && ds.inputs.length < ds.names.length) out.push({ code: 'csvInputs', names: ds.inputs.map(function (c) { return ds.names[c]; }).join(', ') });
    if (ds.skipped && ds.skipped.length) out.push({ code: 'csvSkipped', names: ds.skipped.join(', ') });
    if (classif) out.push({ code: 'csvWasClassification' });
    if (usesVal) out.push({ code: 'csvNoValidation' });
    if (usesAcc) out.push({ code: 'csvNoAccuracy' });
    if (mlp) out.push({ code: 'csvMlp', T: ds.T, F: ds.features, n: ds.T * ds.features });
    if (thinned) out.push({ code: 'csvThinned', used: thinned.used, total: thinned.total });
  } else {
    out.push({ code: 'textRule', T: ds.T });
    if (regress) out.push({ code: 'textWasRegression' });
  }
  if ((charts || []).some(function (c) { return c.baseline || c.kind === 'relative'; })) out.push({ code: 'baselines' });
  if (kept.length) out.push({ code: 'kept', runs: kept.join(', ') });
  return out;
}

var NOTES = {
  'zh-TW': {
    csvRule: 'CSV 變成回歸題：每 {T} 列（所有欄）預測下一列的「{target}」欄，損失是 MSE。每一欄先標準化（減平均、除以標準差）。',
    csvInputs: '模型讀的輸入欄：{names}',
    csvSkipped: '略過的欄（不是數字，例如日期）：{names}',
    csvWasClassification: '這一課原本的題目是分類（cross-entropy）；換成你的 CSV 後是回歸（MSE），損失數值不能和原本的比較。',
    csvNoValidation: '自訂資料沒有驗證集（核心以整批資料訓練），所以驗證損失的圖會是空的。',
    csvNoAccuracy: '回歸題沒有準確率，所以準確率的圖會是空的。',
    csvMlp: '全連接網路（MLP）把每個視窗攤平成一個 {T} × {F} = {n} 個數字的向量。',
    csvThinned: '視窗太多：每個模型最多用 {used} 個（共 {total} 個，平均挑選），以免超過記憶體上限。',
    textRule: '文字變成字元層級的分類題：看 {T} 個位元組，預測下一個（UTF-8：一個中文字是三個位元組），損失是 cross-entropy。',
    textWasRegression: '這一課原本的題目是回歸（MSE）；換成文字後是分類（cross-entropy），損失數值不能和原本的比較。',
    baselines: '圖上的虛線參考值（例如「什麼都沒學到」的損失）是這一課原本題目的，不適用於你的資料。',
    kept: '這些模型保留這一課自己的資料（它們的圖表是為那份資料畫的）：{runs}'
  },
  en: {
    csvRule: 'A CSV becomes a regression task: every {T} rows (all columns) predict the next row\'s "{target}" column, with an MSE loss. Each column is standardised first (minus its mean, divided by its std).',
    csvInputs: 'Input columns the model reads: {names}',
    csvSkipped: 'Skipped columns (not numbers, e.g. dates): {names}',
    csvWasClassification: 'This lesson\'s own task is classification (cross-entropy); with your CSV it is regression (MSE), so the loss values are not comparable.',
    csvNoValidation: 'Custom data has no validation set (the core trains it full batch), so validation-loss charts stay empty.',
    csvNoAccuracy: 'A regression task has no accuracy, so accuracy charts stay empty.',
    csvMlp: 'Fully connected (MLP) runs see each window flattened into one vector of {T} × {F} = {n} numbers.',
    csvThinned: 'Too many windows: each run uses at most {used} of the {total} (picked evenly) to stay within the memory caps.',
    textRule: 'Text becomes a character-level classification task: {T} bytes in, the next byte out (UTF-8: a CJK character is three bytes), with a cross-entropy loss.',
    textWasRegression: 'This lesson\'s own task is regression (MSE); with text it is classification (cross-entropy), so the loss values are not comparable.',
    baselines: 'The dashed reference lines (e.g. the loss of a model that learned nothing) belong to the lesson\'s own task, not to your data.',
    kept: 'These runs keep the lesson\'s own data (their charts are drawn for it): {runs}'
  }
};
function noteText(n, lang) {
  var s = (NOTES[lang] || NOTES.en)[n.code] || n.code;
  return s.replace(/\{(\w+)\}/g, function (_, k) { return n[k] !== undefined ? String(n[k]) : ''; });
}

// The column a CSV most likely wants predicted: the first one that is not an evenly spaced counter (a time or row index).
function defaultTarget(parsed) {
  var cols = (parsed && parsed.columns) || [];
  for (var c = 0; c < cols.length; c++) {
    var v = cols[c], d = v.length > 1 ? v[1] - v[0] : 0, counter = v.length > 2 && d !== 0;
    for (var i = 2; counter && i < v.length; i++) if (Math.abs(v[i] - v[i - 1] - d) > 1e-9 * Math.max(1, Math.abs(d))) counter = false;
    if (!counter) return c + 1;
  }
  return 1;
}


export { LIMITS, DEFAULT_T, MESSAGES, NOTES, message, noteText, parseCsv, parseText, defaultTarget, prepare, windows, override, notes, utf8Length };
