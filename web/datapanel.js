// @ts-check
// The "Your data" panel of a lesson page: paste or upload a CSV series or a text, see line-numbered errors or a preview, and
// switch every run of the lesson to it until "Use built-in data". Parsing and the config rule live in web/data.js; this file is
// only the DOM side. Nothing is uploaded anywhere and nothing goes into the URL; user text is only ever set as textContent.
import * as i18n from './i18n.js';
import * as C from './charts.js';
import * as D from './data.js';
import { el } from './dom.js';

// L: the lesson runtime's view for add-ons (web/lesson.js passes it)
export function startDataPanel(L) {
  var doc = document;
  if (!doc.getElementById('data-panel')) return;

  /** @param {string} id @returns {any} an input, select, canvas, … of the panel */
  function $(id) { return doc.getElementById(id); }

  var ui = {
    text: $('data-text'), file: $('data-file'), T: $('data-T'), target: $('data-target'), targetWrap: $('data-target-wrap'),
    check: $('data-check'), use: $('data-use'), builtin: $('data-builtin'), errors: $('data-errors'), preview: $('data-preview'),
    counts: $('data-counts'), spark: $('data-spark'), table: $('data-table'), notes: $('data-notes'), status: $('data-status'),
    details: $('data-details')
  };
  var last = null;     // {parsed, ds} of the latest check
  var active = null;   // the dataset every run trains on, or null (built-in data)
  var activeNotes = [];

  function kind() {
    var r = /** @type {HTMLInputElement|null} */ (doc.querySelector('input[name="data-kind"]:checked'));
    return r ? r.value : 'csv';
  }
  function setKind(k) {
    var r = /** @type {HTMLInputElement|null} */ (doc.querySelector('input[name="data-kind"][value="' + k + '"]'));
    if (r) r.checked = true;
    ui.targetWrap.hidden = k !== 'csv';
    if (inputsBox) inputsBox.hidden = k !== 'csv';
  }

  // ---- check and preview --------------------------------------------------------------------------------------------
  function check() {
    var k = kind(), parsed = k === 'text' ? D.parseText(ui.text.value) : D.parseCsv(ui.text.value);
    if (k === 'csv' && parsed.ok) fillTargets(parsed.names, D.defaultTarget(parsed));
    else if (k === 'csv') { ui.target.textContent = ''; if (inputsBox) { inputsBox.textContent = ''; inputsBox.hidden = true; } }
    var T = ui.T.value.trim() === '' ? NaN : Number(ui.T.value);
    if (k === 'csv' && parsed.ok) fillInputs(parsed.names);
    var ds = parsed.ok ? D.prepare(parsed, { T: T, target: k === 'csv' ? Number(ui.target.value || 1) : undefined, inputs: k === 'csv' ? chosenInputs() : undefined }) : parsed;
    last = { parsed: parsed, ds: ds };
    render();
    return ds.ok ? ds : null;
  }

  // "Input columns": one checkbox per numeric column (all ticked for a new file); the model reads the ticked ones
  var inputsBox = null;
  function fillInputs(names) {
    if (!inputsBox) {
      inputsBox = el('fieldset', { id: 'data-inputs', class: 'data-inputs' });
      ui.targetWrap.after(inputsBox);
    }
    var boxes = inputsBox.querySelectorAll('input');
    var same = boxes.length === names.length && names.every(function (n, i) { return boxes[i].getAttribute('data-name') === n; });
    inputsBox.hidden = false;
    if (same) return;
    inputsBox.textContent = '';
    inputsBox.appendChild(el('legend', { text: i18n.t('csvInputsLegend') }));
    names.forEach(function (n, i) {
      var id = 'data-in-' + i, cb = el('input', { type: 'checkbox', id: id, value: String(i + 1), 'data-name': n });
      cb.checked = true;
      cb.addEventListener('change', function () { if (last) check(); });
      inputsBox.appendChild(el('span', { class: 'check' }, [cb, el('label', { for: id, text: n })]));
    });
  }
  function chosenInputs() {
    if (!inputsBox) return undefined;
    return Array.prototype.filter.call(inputsBox.querySelectorAll('input'), function (c) { return c.checked; }).map(function (c) { return Number(c.value); });
  }

  function fillTargets(names, dflt) {
    var same = ui.target.options.length === names.length &&
      names.every(function (n, i) { return ui.target.options[i].textContent === n; });
    if (same) return;
    ui.target.textContent = '';
    names.forEach(function (n, i) { ui.target.appendChild(el('option', { value: String(i + 1), text: n })); });
    ui.target.value = String(dflt || 1); // new columns: the first one that is not a time/row counter
  }

  function render() {
    var lang = i18n.get();
    ui.errors.textContent = '';
    ui.preview.hidden = true;
    if (!last) { ui.errors.hidden = true; return; }
    var ds = last.ds;
    if (!ds.ok) {
      ds.errors.forEach(function (e) { ui.errors.appendChild(el('p', { text: D.message(e, lang) })); });
      ui.errors.appendChild(el('p', { class: 'data-active-note', text: i18n.t('csvFailedActive', { what: activeText() }) }));
      ui.errors.hidden = false;
      return;
    }
    ui.errors.hidden = true;
    ui.preview.hidden = false;
    var p = last.parsed;
    if (ds.kind === 'csv') {
      ui.counts.textContent = i18n.t('dataPreview', { rows: ds.rows, cols: ds.features, T: ds.T, windows: ds.windows }) + ' ' +
        (ds.skipped.length ? i18n.t('csvSkipped', { names: ds.skipped.join(', ') }) + ' ' : '') + i18n.t('dataChecked');
      previewTable(p.names, p.columns, 5);
      ui.spark.hidden = false;
      var col = p.columns[ds.target], lo = Math.min.apply(null, col.slice(0, 5000)), hi = Math.max.apply(null, col.slice(0, 5000));
      ui.spark.setAttribute('aria-label', i18n.t('dataSparkline', { name: ds.names[ds.target], min: C.fmt(lo), max: C.fmt(hi) }));
      sparkline(col);
    } else {
      ui.counts.textContent = i18n.t('dataPreviewText', { chars: ds.chars, bytes: ds.bytes, symbols: ds.symbols, T: ds.T }) + ' ' + i18n.t('dataChecked');
      var start = Array.from(ds.text).slice(0, 160).join('');
      previewText(start);
      ui.spark.hidden = true;
    }
  }

  function previewTable(names, columns, n) {
    var thead = ui.table.querySelector('thead'), tbody = ui.table.querySelector('tbody');
    thead.textContent = ''; tbody.textContent = '';
    var hr = el('tr');
    hr.appendChild(el('th', { scope: 'col', class: 'num', text: '#' }));
    names.forEach(function (name) { hr.appendChild(el('th', { scope: 'col', class: 'num', text: name })); });
    thead.appendChild(hr);
    var rows = Math.min(n, columns[0] ? columns[0].length : 0);
    for (var i = 0; i < rows; i++) {
      var tr = el('tr');
      tr.appendChild(el('th', { scope: 'row', class: 'num', text: String(i + 1) }));
      columns.forEach(function (c) { tr.appendChild(el('td', { class: 'num', text: String(c[i]) })); });
      tbody.appendChild(tr);
    }
  }

  function previewText(start) {
    var thead = ui.table.querySelector('thead'), tbody = ui.table.querySelector('tbody');
    thead.textContent = ''; tbody.textContent = '';
    var tr = el('tr'), td = el('td', { class: 'data-text-start', text: start + (start.length < ui.text.value.length ? '…' : '') });
    tr.appendChild(td);
    tbody.appendChild(tr);
  }

  // a small line of the target column (at most ~2 points per pixel)
  function sparkline(col) {
    var c = ui.spark, g = c.getContext && c.getContext('2d');
    if (!g) return;
    var w = c.width, h = c.height, pad = 4, n = col.length;
    g.clearRect(0, 0, w, h);
    var lo = Infinity, hi = -Infinity;
    col.forEach(function (v) { if (v < lo) lo = v; if (v > hi) hi = v; });
    if (!(hi > lo)) { hi = lo + 1; lo = lo - 1; }
    var css = getComputedStyle(doc.documentElement);
    g.strokeStyle = css.getPropertyValue('--blue').trim() || '#0072B2';
    g.lineWidth = 1.5;
    g.beginPath();
    var step = Math.max(1, Math.floor(n / (2 * w)));
    for (var i = 0; i < n; i += step) {
      var x = pad + (w - 2 * pad) * (n > 1 ? i / (n - 1) : 0.5), y = h - pad - (h - 2 * pad) * (col[i] - lo) / (hi - lo);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    }
    g.stroke();
  }

  // ---- switch the runs ------------------------------------------------------------------------------------------------
  function useData() {
    var ds = check();
    if (!ds) return; // the errors are shown (role=alert announces them)
    active = ds;
    var runs = L.runs().map(function (r) { return { id: r.id, label: i18n.pick(r.label), spec: r, config: L.lessonConfig(r) }; });
    activeNotes = D.notes(ds, runs, L.lesson.charts);
    L.setDataOverride(function (cfg) { return D.override(cfg, active).config; });
    renderStatus();
    ui.status.textContent += ' ' + i18n.t('dataNextTrain');
  }

  function useBuiltIn() {
    active = null;
    activeNotes = [];
    L.setDataOverride(null);
    renderStatus();
  }

  // the data the runs train on now, in words (after a failed check the panel says it is still this one)
  function activeText() {
    if (!active) return i18n.t('dataBuiltInShort');
    return active.kind === 'csv' ? i18n.t('dataUsingCsv', { rows: active.rows }) : i18n.t('dataUsingText', { chars: active.chars });
  }

  function renderStatus() {
    var lang = i18n.get();
    ui.notes.textContent = '';
    if (active) {
      var what = active.kind === 'csv' ? i18n.t('dataUsingCsv', { rows: active.rows }) : i18n.t('dataUsingText', { chars: active.chars });
      ui.status.textContent = i18n.t('dataUsing', { what: what });
      // the lesson's runs may be labelled in either language: recompute the notes' run names in this one
      var runs = L.runs().map(function (r) { return { id: r.id, label: i18n.pick(r.label), config: L.lessonConfig(r) }; });
      activeNotes = D.notes(active, runs, L.lesson.charts);
      activeNotes.forEach(function (n) { ui.notes.appendChild(el('li', { text: D.noteText(n, lang) })); });
    } else {
      ui.status.textContent = i18n.t('dataBuiltIn');
    }
    ui.builtin.disabled = !active;
    doc.getElementById('data-panel').setAttribute('data-active', active ? active.kind : 'builtin');
  }

  // ---- wiring -----------------------------------------------------------------------------------------------------------
  ui.check.addEventListener('click', check);
  ui.use.addEventListener('click', useData);
  ui.builtin.addEventListener('click', useBuiltIn);
  Array.prototype.forEach.call(doc.querySelectorAll('input[name="data-kind"]'), function (r) {
    r.addEventListener('change', function () { setKind(kind()); if (last) check(); });
  });
  ui.target.addEventListener('change', function () { if (last) check(); });
  ui.T.addEventListener('change', function () { if (last) check(); });
  ui.file.addEventListener('change', function () {
    var f = ui.file.files && ui.file.files[0];
    if (!f) return;
    if (/\.txt$/i.test(f.name) || (f.type === 'text/plain' && !/\.(csv|tsv)$/i.test(f.name))) setKind('text');
    else if (/\.(csv|tsv)$/i.test(f.name)) setKind('csv');
    var reader = new FileReader();
    reader.onload = function () { ui.text.value = String(reader.result); check(); };
    reader.onerror = function () {
      last = null; render();
      ui.errors.appendChild(el('p', { text: i18n.t('dataReadError', { message: reader.error ? reader.error.message : '' }) }));
      ui.errors.hidden = false;
    };
    reader.readAsText(f);
  });
  i18n.onChange(function () { render(); renderStatus(); });
  setKind(kind());
  renderStatus();
}
