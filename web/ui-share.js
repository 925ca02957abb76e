// @ts-check
// The Share dialog: the page's link with the current state, which parts to hide in it, and the <iframe> snippet for a
// course site (docs/embedding.md). It reads the state it is given and changes nothing on the page.
import * as i18n from './i18n.js';
import * as S from './schema.js';
import * as page from './page.js';
import { el, bi, biT } from './dom.js';

/** @param {import('./lesson-state.js').LessonContext} ctx @param {{state: () => import('./lesson-state.js').PageState}} get */
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
    var snippet = '<iframe src="' + attr(embed) + '" title="' + attr(document.title) + '" width="100%" height="' + EMBED_HEIGHT +
      '" style="border:0;max-width:100%" loading="lazy"></iframe>';
    return { link: link, embed: embed, snippet: snippet };
  }

  function updateShare() {
    var u = shareUrls();
    share.link.value = u.link;
    share.snippet.value = u.snippet;
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
    var snippet = el('textarea', { id: 'share-snippet', readonly: '', rows: '4', spellcheck: 'false' });
    var note = el('p', { class: 'help' });
    note.appendChild(biT('embedNote'));
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
    share = { dialog: d, link: link, snippet: snippet, boxes: boxes, status: status, opener: null };
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
