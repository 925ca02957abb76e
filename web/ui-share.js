// @ts-check
// The Share dialog: the page's link with the current state, which parts to hide in it, and the <iframe> snippet for a
// course site (docs/embedding.md). It reads the state it is given and changes nothing on the page.
import * as i18n from './i18n.js';
import * as S from './schema.js';
import * as page from './page.js';
import { el, bi, biT } from './dom.js';

// "Charts only" in the dialog ticks these parts (the charts, the claim and the toolbar stay)
export var CHARTS_ONLY = ['text', 'controls', 'presets', 'runs', 'share'];

/** @param {import('./lesson-state.js').LessonContext} ctx @param {{state: () => import('./lesson-state.js').PageState, dataActive: () => boolean}} get */
export function createShare(ctx, get) {
  var share = null;  // the dialog's parts once built
  var EMBED_HEIGHT = 900; // a first height; the page posts its real one (docs/embedding.md)

  function attr(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }

  // {link, embed, snippet} for the current state with the dialog's hide choices
  function shareUrls() {
    var hide = share ? ctx.hideTokens.filter(function (t) { return share.boxes[t] && share.boxes[t].checked; }) : get.state().hide;
    var pairs = S.serializeState(Object.assign({}, get.state(), { hide: hide }), ctx.urlCtx);
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
    // the snippet brings its own listener for the page's height message (web/page.js posts {type:'rnnlab:height', height}),
    // so the iframe fits its content without the course page adding anything; it believes only this iframe (and origin)
    var fid = 'rnnlab-' + ctx.lesson.id, origin = location.origin && location.origin !== 'null' ? location.origin : '';
    var snippet = '<iframe id="' + attr(fid) + '" src="' + attr(embed) + '" title="' + attr(document.title) + '" width="100%" height="' + EMBED_HEIGHT +
      '" style="border:0;max-width:100%" loading="lazy"></iframe>\n<script>addEventListener("message",function(e){var f=document.getElementById("' + fid +
      '"),d=e.data;if(f&&e.source===f.contentWindow' + (origin ? '&&e.origin===' + JSON.stringify(origin) : '') +
      '&&d&&d.type==="rnnlab:height"&&typeof d.height==="number")f.style.height=Math.min(d.height,20000)+"px";});</' + 'script>';
    return { link: link, embed: embed, snippet: snippet };
  }

  function updateShare() {
    var u = shareUrls();
    share.link.value = u.link;
    share.snippet.value = u.snippet;
    share.chartsOnly.checked = CHARTS_ONLY.every(function (t) { return share.boxes[t] && share.boxes[t].checked; });
    // what the link will not carry: own data (never in a URL) and a page opened from a file (nobody else can open it)
    share.warn.textContent = '';
    if (get.dataActive()) share.warn.appendChild(el('p', { text: i18n.t('shareWarnData') }));
    if (location.protocol === 'file:') share.warn.appendChild(el('p', { text: i18n.t('shareWarnFile') }));
    share.warn.hidden = !share.warn.firstChild;
  }

  function copyText(field) {
    var done = function (ok) {
      share.status.textContent = i18n.t(ok ? 'copied' : 'copyFailed');
      if (!ok) { field.focus(); field.select(); }
    };
    var legacy = function () {
      var back = /** @type {HTMLElement} */ (document.activeElement);
      try { field.focus(); field.select(); var ok = document.execCommand('copy'); if (back && back.focus) back.focus(); return ok; } catch (e) { return false; }
    };
    try {
      if (navigator.clipboard && isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(legacy()); });
        return;
      }
    } catch (e) { /* fall through */ }
    done(legacy());
  }

  function buildShare() {
    var btn = document.getElementById('btn-share');
    if (!btn) return;
    var d = el('dialog', { id: 'share-dialog', class: 'share-dialog', 'aria-labelledby': 'share-title' });
    var h = el('h2', { id: 'share-title' });
    h.appendChild(biT('shareTitle'));
    d.appendChild(h);
    var intro = el('p', { class: 'help' });
    intro.appendChild(biT('shareIntro'));
    d.appendChild(intro);
    var warn = el('div', { id: 'share-warn', class: 'errors', role: 'alert' });
    warn.hidden = true;
    d.appendChild(warn);
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
    var only = el('input', { type: 'checkbox', id: 'share-charts-only' }), onlyLabel = el('label', { for: 'share-charts-only' });
    onlyLabel.appendChild(biT('embedChartsOnly'));
    fs.appendChild(el('div', { class: 'check charts-only' }, [only, onlyLabel]));
    only.addEventListener('change', function () {
      CHARTS_ONLY.forEach(function (t) { if (boxes[t]) boxes[t].checked = only.checked; });
      updateShare();
    });
    var parts = el('div', { class: 'checks' });
    S.HIDE_PARTS.forEach(function (t) { box(t, biT('hide_' + t), parts); });
    fs.appendChild(parts);
    if (ctx.schema.length) {
      var det = el('details'), sum = el('summary'), each = el('div', { class: 'checks' });
      sum.appendChild(biT('hideEach'));
      det.appendChild(sum);
      ctx.schema.forEach(function (e) { box('ctl-' + e.key, bi(e.label), each); });
      det.appendChild(each);
      fs.appendChild(det);
    }
    d.appendChild(fs);
    var snLabel = el('label', { for: 'share-snippet' });
    snLabel.appendChild(biT('embedTitle'));
    var snippet = el('textarea', { id: 'share-snippet', readonly: '', rows: '6', spellcheck: 'false' });
    var note = el('p', { class: 'help' });
    note.appendChild(biT('embedNote'));
    note.appendChild(document.createTextNode(' '));
    note.appendChild(biT('embedScriptNote'));
    note.appendChild(document.createTextNode(' '));
    var docs = el('a', { id: 'share-docs', href: '../embedding.html', target: '_blank', rel: 'noopener' });
    docs.appendChild(biT('embedDocs'));
    note.appendChild(docs);
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
    document.body.appendChild(d);
    share = { dialog: d, link: link, snippet: snippet, boxes: boxes, status: status, opener: null, warn: warn, chartsOnly: only };
    copyLink.addEventListener('click', function () { copyText(link); });
    copySn.addEventListener('click', function () { copyText(snippet); });
    close.addEventListener('click', function () { d.close(); });
    d.addEventListener('close', function () { if (share.opener && share.opener.focus) share.opener.focus(); });
    btn.addEventListener('click', openShare);
  }

  function openShare() {
    if (!share) return;
    share.opener = document.activeElement;
    Object.keys(share.boxes).forEach(function (t) { share.boxes[t].checked = get.state().hide.indexOf(t) >= 0; });
    share.status.textContent = '';
    updateShare();
    if (typeof share.dialog.showModal === 'function') share.dialog.showModal(); else share.dialog.setAttribute('open', '');
    share.link.focus();
    share.link.select();
  }

  buildShare();
  return {
    /** {link, embed, snippet} for the current state */
    urls: shareUrls,
    /** the link follows the state while the dialog is open */
    refresh() { if (share && share.dialog.open) updateShare(); },
  };
}

/**
 * In a shared view with the controls hidden, the settings that differ from the lesson's defaults (page controls and each
 * run's own settings) as a note above the runs table, so a reader knows what experiment is on screen. Empty otherwise.
 * @param {import('./lesson-state.js').LessonContext} ctx @param {import('./lesson-state.js').PageState} state
 * @param {import('./lesson-state.js').PageRun[]} runs
 */
export function renderDiffers(ctx, state, runs) {
  var box = document.getElementById('differs-note');
  var panel = document.getElementById('lab-message');
  if (!box && panel) {
    box = el('div', { id: 'differs-note', class: 'differs-note' });
    panel.parentNode.insertBefore(box, panel);
  }
  if (!box) return;
  var d = S.defaults(ctx.schema), items = [];
  var shown = function (e, v) { return (e.choiceLabels && e.choiceLabels[v]) || S.format(e, v); };
  if (state.hide.indexOf('controls') >= 0) {
    ctx.schema.forEach(function (e) {
      if (state[e.key] !== undefined && state[e.key] !== d[e.key]) items.push(i18n.pick(e.label) + ' = ' + shown(e, state[e.key]));
    });
    runs.forEach(function (r) {
      var o = Object.keys(r.overrides).map(function (k) { var e = ctx.runKeyBy[k]; return i18n.pick(e.label) + ' = ' + shown(e, r.overrides[k]); });
      if (o.length) items.push(i18n.t('differsRun', { run: i18n.pick(r.label), what: o.join(', ') }));
    });
  }
  box.textContent = '';
  box.hidden = !items.length;
  if (!items.length) return;
  box.appendChild(el('p', { class: 'differs-title', text: i18n.t('differsTitle') }));
  var ul = el('ul');
  items.forEach(function (t) { ul.appendChild(el('li', { text: t })); });
  box.appendChild(ul);
}
