// @ts-check
// The runs table of a lesson page: one group per run (colour, label, Duplicate / Remove / Change, the numbers row, the run's
// settings editor) and "Add run". It asks for changes through `actions` and shows what it is given; focus survives a rebuild.
// Not the run list's rules (web/lesson-state.js) and not the numbers (web/run-progress.js).
import * as i18n from './i18n.js';
import * as S from './schema.js';
import * as C from './charts.js';
import { el, setText } from './dom.js';
import { freshStatus } from './run-progress.js';

/** @typedef {import('./lesson-state.js').PageRun} PageRun */
/**
 * @typedef {object} RunActions
 * @property {(id: string) => void} duplicate
 * @property {(id: string) => void} remove
 * @property {(base: string) => void} add
 * @property {(patch: {[key: string]: any}, restarted?: string) => void} change  per-run overrides (restarted: the run applied)
 * @property {(r: PageRun) => any} configOf  the config the run trains with
 * @property {(text: string) => void} [say]  a message on the page's status line
 */

/** @param {import('./lesson-state.js').LessonContext} ctx @param {RunActions} actions */
export function createRunsTable(ctx, actions) {
  /** @type {PageRun[]} */
  var runs = [];
  /** @type {string[]} */
  var pageRuns = [];
  var rowEls = {};        // run id -> its <tr> in the status table
  var openEditors = {};   // run id -> true while its settings row is open
  var editorKey = {};     // run id -> the setting its editor shows
  var addBase = null;     // the template picked in "Add run"
  var runTools = null;

  function swatch(ci) {
    var sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = C.PALETTE[ci % C.PALETTE.length];
    return sw;
  }

  // focus survives a rebuild: controls carry data-fk ("dup:<id>", "apply:<id>", …); when that run is gone, the same
  // control of the next run (then the previous one), then the fallbacks, then "Add run"
  function keepFocus(build, fallbacks) {
    var a = document.activeElement, fk = a && a.getAttribute && a.getAttribute('data-fk'), oldOrder = Object.keys(rowEls);
    build();
    if (!fk) return;
    var keys = [fk], m = /^(\w+):(.*)$/.exec(fk);
    if (m && oldOrder.indexOf(m[2]) >= 0) {
      var at = oldOrder.indexOf(m[2]);
      oldOrder.slice(at + 1).concat(oldOrder.slice(0, at).reverse()).forEach(function (id) { keys.push(m[1] + ':' + id); });
    }
    keys = keys.concat(fallbacks || []);
    for (var i = 0; i < keys.length; i++) {
      var n = document.querySelector('[data-fk="' + keys[i].replace(/["\\]/g, '\\$&') + '"]');
      if (n && !/** @type {any} */ (n).disabled) { /** @type {HTMLElement} */ (n).focus(); return; }
    }
    var add = document.getElementById('btn-add-run');
    if (add) add.focus();
  }

  // One <tbody> per run: a header row (colour, label, Duplicate / Remove / Change), the numbers row (tr[data-run]) whose
  // cells name their headers, and the run's settings row (hidden until Change opens it).
  function buildStatusTable() {
    var table = document.getElementById('run-status');
    if (!table) return;
    keepFocus(function () {
      Array.prototype.forEach.call(table.querySelectorAll('tbody'), function (b) { b.parentNode.removeChild(b); });
      rowEls = {};
      var single = runs.length <= 1, full = runs.length >= ctx.maxRuns;
      runs.forEach(function (r, i) {
        var label = i18n.pick(r.label), edId = 'run-editor-' + i, hId = 'run-h-' + i;
        var dup = el('button', { type: 'button', class: 'small', 'data-fk': 'dup:' + r.id, 'aria-label': i18n.t('duplicateRun', { run: label }), text: i18n.t('duplicate') });
        var rem = el('button', { type: 'button', class: 'small', 'data-fk': 'rem:' + r.id, 'aria-label': i18n.t('removeRun', { run: label }), text: i18n.t('remove') });
        var edit = el('button', { type: 'button', class: 'small', 'data-fk': 'edit:' + r.id, 'aria-label': i18n.t('editRun', { run: label }),
          'aria-expanded': openEditors[r.id] ? 'true' : 'false', 'aria-controls': edId, text: i18n.t('edit') });
        dup.disabled = full;
        rem.disabled = single;
        dup.addEventListener('click', function () { actions.duplicate(r.id); });
        rem.addEventListener('click', function () { actions.remove(r.id); });
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
  }

  // The settings row of one run: its overrides (each removable) and "setting + value + Apply". Applying restarts that run only.
  function buildEditor(r, i) {
    var label = i18n.pick(r.label), box = el('div', { class: 'run-editor-box' });
    var keys = Object.keys(r.overrides);
    if (!keys.length) box.appendChild(el('p', { class: 'help', text: i18n.t('noOverrides') }));
    else {
      var ul = el('ul', { class: 'overrides' });
      keys.forEach(function (k) {
        var e = ctx.runKeyBy[k];
        var x = el('button', { type: 'button', class: 'small', 'data-fk': 'ovrm:' + r.id + ':' + k,
          'aria-label': i18n.t('removeOverride', { run: label, name: i18n.pick(e.label) }), text: '×' });
        x.addEventListener('click', function () {
          var p = {};
          p[r.id + '.' + k] = null;
          keepFocus(function () { actions.change(p); }, ['apply:' + r.id]);
        });
        var v = r.overrides[k], shown = (e.choiceLabels && e.choiceLabels[v]) || S.format(e, v);
        ul.appendChild(el('li', {}, [el('span', { text: i18n.pick(e.label) + ' = ' + shown + ' ' }), x]));
      });
      box.appendChild(ul);
    }
    var keyId = 'ov-key-' + i, valId = 'ov-val-' + i;
    var sel = el('select', { id: keyId, 'data-fk': 'key:' + r.id });
    // only the settings this run's model has (no sequence length for an MLP, which reads one step), by their translated names
    var cfg0 = actions.configOf(r), mlp = ((cfg0 && cfg0.model) || {}).cell === 'mlp';
    var keys2 = ctx.runKeys.filter(function (e) { return !(mlp && e.path === 'task.length'); });
    keys2.forEach(function (e) { sel.appendChild(el('option', { value: e.key, text: i18n.pick(e.label) })); });
    var want = editorKey[r.id] || (ctx.runKeyBy.lr ? 'lr' : keys2[0].key);
    sel.value = keys2.some(function (e) { return e.key === want; }) ? want : keys2[0].key;
    var valWrap = el('span', { class: 'ov-value' });
    var input = null;
    var renderValue = function () {
      var e = ctx.runKeyBy[sel.value], cur = r.overrides[e.key];
      if (cur === undefined) cur = S.getPath(actions.configOf(r), e.path);
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
      var e = ctx.runKeyBy[sel.value], v = S.coerce(e, input.value), raw = Number(input.value);
      if (v === undefined) { input.focus(); return; }
      // a value outside the setting's range is clamped, and the page says so
      var clamped = e.type !== 'enum' && isFinite(raw) && raw !== v;
      editorKey[r.id] = e.key;
      var p = {};
      p[r.id + '.' + e.key] = v;
      actions.change(p, r.id);
      if (clamped && actions.say) actions.say(i18n.t('ovClamped', { name: i18n.pick(e.label), min: S.format(e, e.min), max: S.format(e, e.max), v: S.format(e, v) }));
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
    var table = document.getElementById('run-status');
    if (!table) return;
    var wrap = table.parentNode;
    if (!runTools) {
      runTools = el('div', { class: 'run-tools' });
      wrap.parentNode.insertBefore(runTools, wrap.nextSibling);
    }
    var focused = document.activeElement && runTools.contains(document.activeElement) ? document.activeElement.id : null;
    runTools.textContent = '';
    var sel = el('select', { id: 'add-run-base' });
    ctx.lessonRuns.forEach(function (r) { sel.appendChild(el('option', { value: r.id, text: i18n.pick(r.label) })); });
    var missing = ctx.lessonRunIds.filter(function (id) { return pageRuns.indexOf(id) < 0; })[0];
    sel.value = addBase && ctx.lessonRunIds.indexOf(addBase) >= 0 ? addBase : (missing || ctx.lessonRunIds[0]);
    sel.addEventListener('change', function () { addBase = sel.value; });
    var btn = el('button', { type: 'button', id: 'btn-add-run', class: 'small', text: i18n.t('addRun') });
    btn.disabled = pageRuns.length >= ctx.maxRuns;
    btn.addEventListener('click', function () { actions.add(sel.value); });
    runTools.appendChild(el('label', { for: 'add-run-base', text: i18n.t('addFrom') }));
    runTools.appendChild(sel);
    runTools.appendChild(btn);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  /** the numbers of every row @param {import('./run-progress.js').Progress} progress @param {string} mode @param {number} maxSteps */
  function render(progress, mode, maxSteps) {
    runs.forEach(function (r) {
      var row = rowEls[r.id];
      var s = progress.status(r.id) || freshStatus();
      if (!row) return;
      setText(row.querySelector('[data-f=step]'), String(s.step || 0));
      // the loss the lesson's loss chart draws (smoothed), not the last batch's: the table and the chart agree
      var shown = s.smoothed !== undefined && s.smoothed !== null ? s.smoothed : s.loss;
      setText(row.querySelector('[data-f=loss]'), (shown !== undefined && shown !== null) ? C.fmtFixed(shown) : '–');
      var q = progress.rate(r.id), active = mode === 'training' && !s.error && !s.diverged && (s.step || 0) < maxSteps;
      setText(row.querySelector('[data-f=rate]'), active && q > 0 ? String(Math.round(q)) : '–');
      var st = s.error ? i18n.t('failed') : s.diverged ? i18n.t('diverged', { step: s.divergedAt }) :
        (mode === 'training' && (s.step || 0) < maxSteps) ? i18n.t('training') :
        (s.step || 0) >= maxSteps ? i18n.t('done') : (s.step ? i18n.t('paused') : i18n.t('idle'));
      setText(row.querySelector('[data-f=status]'), st);
      row.classList.toggle('is-diverged', !!s.diverged); // toggle(token, force) touches nothing when already so (DOM spec)
      row.classList.toggle('is-error', !!s.error);
    });
  }

  return {
    /** rebuild for this run list @param {PageRun[]} list */
    build(list) {
      var ids = list.map(function (r) { return r.id; });
      Object.keys(openEditors).forEach(function (id) { if (ids.indexOf(id) < 0) { delete openEditors[id]; delete editorKey[id]; } });
      runs = list;
      pageRuns = ids;
      buildStatusTable();
      buildRunTools();
    },
    render: render,
  };
}
