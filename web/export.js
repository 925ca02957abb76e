// @ts-check
// Downloads and chart summaries on a lesson page: PNG and CSV under every chart, each run's config and weights as JSON and as
// a PyTorch script (written by web/export-torch.js), and a text summary of every chart for screen readers (refreshed at most
// once a second and when training stops). Not a chart or a trainer: it reads charts through their table()/summary() methods
// and the runs through the view web/lesson.js passes in.
import * as i18n from './i18n.js';
import * as C from './charts.js';
import { el, bi, biT } from './dom.js';
import { torchScript } from './export-torch.js';

// L: the lesson runtime's view for add-ons (web/lesson.js passes it)
export function startDownloads(L) {
  var doc = document;
  var lessonId = L.lesson.id;

  function say(text) { var m = doc.getElementById('lab-message'); if (m) m.textContent = text; }

  // ---- downloads (Blob + <a download>: works over http and from file://) ----------------------------------------------
  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el('a', { href: url, download: name });
    a.hidden = true;
    doc.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 5000);
    say(i18n.t('dlDone', { file: name }));
  }

  function cssVar(name, fallback) {
    var v = getComputedStyle(doc.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  // the chart's canvas on an opaque background (the page's panel colour), so the picture reads in any viewer
  function chartPng(canvas, cb) {
    var c = doc.createElement('canvas');
    c.width = canvas.width; c.height = canvas.height;
    var g = c.getContext('2d');
    g.fillStyle = cssVar('--panel', '#ffffff');
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(canvas, 0, 0);
    c.toBlob(cb, 'image/png');
  }

  // "-step1500": the step the runs are at, so downloads from two moments do not overwrite each other
  function stepPart() { var n = L.step ? L.step() : 0; return n ? '-step' + n : ''; }
  // how to load a weights JSON, shown under the run list (the weights are a state_dict of plain lists)
  var LOAD_SNIPPET = 'import json, torch\n\nwith open("' + lessonId + '-RUN-stepN-weights.json") as f:\n    state = {k: torch.tensor(v) for k, v in json.load(f).items()}\n' +
    '# the layers the config JSON names, e.g. model.cell "lstm", 2 inputs, hidden 32, 1 output:\nmodel = torch.nn.LSTM(2, 32, batch_first=True)\nhead = torch.nn.Linear(32, 1)\n' +
    'model.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("rnn.")})\nhead.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("head.")})\n';
  function addLoadSnippet(ul) {
    if (doc.getElementById('weights-snippet')) return;
    var box = el('div', { id: 'weights-snippet', class: 'weights-snippet' }), p = el('p', { class: 'help' });
    p.appendChild(biT('dlLoadSnippet'));
    box.appendChild(p);
    box.appendChild(el('pre', { tabindex: '0' }, [el('code', { text: LOAD_SNIPPET })]));
    ul.after(box);
  }

  // RFC 4180 CSV; text cells that a spreadsheet would run as a formula get a leading apostrophe
  function csvCell(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return isFinite(v) ? String(v) : '';
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\n\r]/.test(s) || s.trim() !== s ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCsv(table) {
    return [table.columns].concat(table.rows).map(function (r) { return r.map(csvCell).join(','); }).join('\r\n') + '\r\n';
  }

  function jsonBlob(v) { return new Blob([JSON.stringify(v, null, 1) + '\n'], { type: 'application/json' }); }

  // ---- per-chart toolbar and summary --------------------------------------------------------------------------------
  var figures = {};   // chart id -> {fig, png, csv, sum}
  function chartTitle(spec, lang) {
    var c = spec.caption || {};
    var t = (typeof c === 'string' ? c : (c[lang] || c.en || '')).split(/[。.:：]/)[0];
    return t.length > 60 ? t.slice(0, 57) + '…' : (t || spec.id);
  }
  function setupFigures() {
    (L.lesson.charts || []).forEach(function (spec) {
      var fig = doc.querySelector('figure[data-chart="' + spec.id + '"]');
      if (!fig || fig.querySelector('.chart-tools')) return;
      var tools = el('div', { class: 'chart-tools' });
      var png = el('button', { type: 'button', class: 'small', 'data-export': 'png', text: 'PNG' });
      var csv = el('button', { type: 'button', class: 'small', 'data-export': 'csv', text: 'CSV' });
      tools.appendChild(png);
      tools.appendChild(csv);
      var det = el('details', { class: 'chart-summary' });
      var sumHead = el('summary');
      sumHead.appendChild(biT('sumLabel'));
      var sum = el('p', { id: 'sum-' + spec.id, class: 'chart-summary-text', text: i18n.t('sumEmpty') });
      det.appendChild(sumHead);
      det.appendChild(sum);
      var cap = fig.querySelector('figcaption');
      fig.insertBefore(tools, cap ? cap.nextSibling : null);
      fig.insertBefore(det, tools.nextSibling);
      var canvas = fig.querySelector('canvas');
      if (canvas) {
        var d = (canvas.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
        if (d.indexOf(sum.id) < 0) d.push(sum.id);
        canvas.setAttribute('aria-describedby', d.join(' '));
      }
      png.addEventListener('click', function () {
        if (!canvas) return;
        var chart = L.charts()[spec.id], cj = chart && chart.chart, ratio = cj ? cj.options.devicePixelRatio : undefined;
        // slides want sharp pictures: drawn at twice the CSS size (at least), then the screen's ratio again
        if (cj) { cj.options.devicePixelRatio = Math.max(2, (self.devicePixelRatio || 1) * 2); cj.resize(); cj.update('none'); }
        else if (chart && C.flush) C.flush(chart); // an off-screen chart may not be drawn yet
        chartPng(canvas, function (blob) {
          if (blob) download(blob, lessonId + '-' + spec.id + stepPart() + '.png'); else say(i18n.t('dlFailed', { message: 'toBlob' }));
        });
        if (cj) { cj.options.devicePixelRatio = ratio; cj.resize(); cj.update('none'); }
      });
      csv.addEventListener('click', function () {
        var chart = L.charts()[spec.id];
        if (!chart || typeof chart.table !== 'function') { say(i18n.t('dlFailed', { message: 'no data' })); return; }
        download(new Blob([toCsv(chart.table())], { type: 'text/csv' }), lessonId + '-' + spec.id + stepPart() + '.csv');
      });
      figures[spec.id] = { fig: fig, png: png, csv: csv, sum: sum, spec: spec };
    });
    labelFigures();
  }
  function labelFigures() {
    Object.keys(figures).forEach(function (id) {
      var f = figures[id], name = chartTitle(f.spec, i18n.get());
      f.png.setAttribute('aria-label', i18n.t('dlPng', { chart: name }));
      f.csv.setAttribute('aria-label', i18n.t('dlCsv', { chart: name }));
      f.png.title = f.png.getAttribute('aria-label');
      f.csv.title = f.csv.getAttribute('aria-label');
    });
  }

  // summaries: recomputed at most once a second while charts change, and right away when training stops
  var dirty = true, lastMode = null;
  function updateSummaries() {
    dirty = false;
    var charts = L.charts();
    Object.keys(figures).forEach(function (id) {
      var c = charts[id], text;
      try { text = c && typeof c.summary === 'function' ? c.summary() : i18n.t('sumEmpty'); } catch (e) { text = i18n.t('sumEmpty'); }
      if (figures[id].sum.textContent !== text) figures[id].sum.textContent = text;
    });
  }

  // ---- per-run downloads ---------------------------------------------------------------------------------------------
  var runKey = '';
  function renderRunDownloads() {
    var ul = doc.getElementById('run-downloads');
    if (!ul) return;
    var runs = L.runs(), key = runs.map(function (r) { return r.id; }).join('\u0000');
    if (key === runKey) return;
    runKey = key;
    ul.textContent = '';
    runs.forEach(function (r) {
      var li = el('li', { 'data-run': r.id });
      var name = el('span', { class: 'run-name' });
      name.appendChild(bi(r.label || r.id));
      var cfg = el('button', { type: 'button', class: 'small', 'data-export': 'config' });
      cfg.appendChild(biT('dlConfigButton'));
      var w = el('button', { type: 'button', class: 'small', 'data-export': 'weights' });
      w.appendChild(biT('dlWeightsButton'));
      var py = el('button', { type: 'button', class: 'small', 'data-export': 'torch' });
      py.appendChild(biT('dlTorchButton'));
      li.appendChild(name);
      li.appendChild(cfg);
      li.appendChild(w);
      li.appendChild(py);
      ul.appendChild(li);
      cfg.addEventListener('click', function () {
        var c = L.config(r.id);
        if (!c) { say(i18n.t('dlFailed', { message: i18n.t('loading') })); return; }
        download(jsonBlob(c), lessonId + '-' + r.id + '-config.json');
      });
      w.addEventListener('click', function () {
        L.exportWeights(r.id).then(function (weights) {
          download(jsonBlob(weights), lessonId + '-' + r.id + stepPart() + '-weights.json');
        }, function (err) { say(i18n.t('dlFailed', { message: err.message })); });
      });
      py.addEventListener('click', function () {
        var file = (lessonId + '_' + r.id).replace(/[^A-Za-z0-9_]+/g, '_') + '.py';
        L.exportTorch(r.id).then(function (material) {
          var title = lessonId + ', run "' + i18n.pick(r.label || r.id) + '"';
          download(new Blob([torchScript(material, { title: title, file: file })], { type: 'text/x-python' }), file);
        }, function (err) { say(i18n.t('dlFailed', { message: err.message })); });
      });
    });
    labelRuns();
    addLoadSnippet(ul);
  }
  function labelRuns() {
    var runs = L.runs();
    Array.prototype.forEach.call(doc.querySelectorAll('#run-downloads li'), function (li) {
      var r = runs.filter(function (x) { return x.id === li.getAttribute('data-run'); })[0];
      var name = r ? i18n.pick(r.label) : li.getAttribute('data-run');
      li.querySelector('[data-export=config]').setAttribute('aria-label', i18n.t('dlConfig', { run: name }));
      li.querySelector('[data-export=weights]').setAttribute('aria-label', i18n.t('dlWeights', { run: name }));
      li.querySelector('[data-export=torch]').setAttribute('aria-label', i18n.t('dlTorch', { run: name }));
    });
  }

  setupFigures();
  renderRunDownloads();
  updateSummaries();
  L.onRunsChange(renderRunDownloads);
  L.onChartsChange(function () { dirty = true; });
  // while the charts change, at most once a second; when training stops, at once
  setInterval(function () { if (dirty) updateSummaries(); }, 1000);
  L.onModeChange(function () {
    var mode = L.mode();
    if (lastMode === 'training' && mode !== 'training') updateSummaries();
    lastMode = mode;
  });
  i18n.onChange(function () { labelFigures(); labelRuns(); updateSummaries(); });
}
