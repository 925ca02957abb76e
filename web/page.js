// @ts-check
// Page plumbing shared by the index and lesson pages: URL hash round-trip of the flat state, language buttons, embed mode (iframe height via postMessage).
// It knows nothing about training or charts.
import * as i18n from './i18n.js';
import * as S from './schema.js';

// Hash format: #key=value&key2=value2 (URLSearchParams). Only keys in `schema` are read; values are coerced and clamped.
function readHash(schema) {
  var params = new URLSearchParams(String(location.hash || '').replace(/^#/, ''));
  var out = {};
  schema.forEach(function (e) {
    if (!params.has(e.key)) return;
    var v = S.coerce(e, params.get(e.key));
    if (v !== undefined) out[e.key] = v;
  });
  return out;
}

// Write the non-default state (and the language when it differs from the query's) into the hash, without a history entry.
function writeHash(schema, state) {
  var pairs = [];
  (schema || []).forEach(function (e) {
    if (state[e.key] !== undefined && state[e.key] !== e.default) pairs.push([e.key, S.format(e, state[e.key])]);
  });
  writeHashPairs(pairs);
}

// The hash's [key, value] pairs in order (lang included).
function readHashPairs() {
  var out = [];
  new URLSearchParams(String(location.hash || '').replace(/^#/, '')).forEach(function (v, k) { out.push([k, v]); });
  return out;
}

// Hash text for [key, value] pairs (lang first when it differs from the query's); "," and "~" stay readable.
function hashText(pairs, withLang) {
  var params = new URLSearchParams();
  var lang = i18n.get();
  if (withLang !== false && lang !== (i18n.queryLang(location) || i18n.DEFAULT)) params.set('lang', lang);
  pairs.forEach(function (p) { params.append(p[0], p[1]); });
  return params.toString().replace(/%2C/gi, ',').replace(/%7E/gi, '~');
}

function writeHashPairs(pairs) {
  var hash = hashText(pairs);
  var url = location.href.replace(/#.*$/, '') + (hash ? '#' + hash : '');
  if (url === location.href) return;
  try {
    history.replaceState(history.state, '', url);
  } catch (err) {
    // some file:// and sandboxed contexts refuse replaceState; a same-document fragment navigation still works
    try { location.replace(hash ? '#' + hash : '#'); } catch (err2) { /* leave the URL as it is */ }
  }
}

// A hash without key=value pairs (e.g. #main from an in-page link) is not state: leave the state alone.
function hashIsState() {
  var h = String(location.hash || '').replace(/^#/, '');
  return h === '' || h.indexOf('=') >= 0;
}

// The skip link focuses <main> without touching the hash (the hash holds the state).
function setupSkipLink() {
  Array.prototype.forEach.call(document.querySelectorAll('a.skip[href^="#"]'), function (a) {
    a.addEventListener('click', function (ev) {
      var target = document.getElementById(a.getAttribute('href').slice(1));
      if (!target) return;
      ev.preventDefault();
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
      target.scrollIntoView();
    });
  });
}

function inIframe() {
  try { return self !== top; } catch (e) { return true; }
}

// Message policy: a page posts exactly one kind of message (rnnlab:height, to its parent, below) and acts on none.
// Whatever reaches its window — from the embedding parent or any other window, any origin, any shape — is counted and
// dropped here; no code reads event.data (the worker talks to the page over its own channel, not window messages).
var ignored = 0;
var ignoring = false;
function ignoreMessages() {
  if (ignoring) return;
  ignoring = true;
  addEventListener('message', function () { ignored++; });
}

// Embed mode: inside an iframe or with ?embed=1. Posts {type:'rnnlab:height', height, page} to the parent on every size change.
function setupEmbed(pageId) {
  ignoreMessages();
  var q = new URLSearchParams(location.search);
  var embed = q.get('embed') === '1' || (q.get('embed') !== '0' && inIframe());
  if (!embed) return false;
  document.documentElement.classList.add('embed');
  if (inIframe() && typeof ResizeObserver === 'function') {
    var last = -1;
    var send = function () {
      var h = Math.ceil(document.documentElement.scrollHeight);
      if (h === last) return;
      last = h;
      try { parent.postMessage({ type: 'rnnlab:height', height: h, page: pageId }, '*'); } catch (e) { /* parent gone */ }
    };
    new ResizeObserver(send).observe(document.body);
    send();
  }
  return true;
}

// Wire the language buttons; onSwitch runs after the language changed (e.g. to rewrite the hash).
function setupLang(onSwitch) {
  i18n.set(i18n.fromUrl(location));
  Array.prototype.forEach.call(document.querySelectorAll('[data-set-lang]'), function (b) {
    b.addEventListener('click', function () {
      i18n.set(b.getAttribute('data-set-lang'));
      if (onSwitch) onSwitch();
    });
  });
  setupSkipLink();
  addEventListener('hashchange', function () {
    if (!hashIsState()) return;
    var l = i18n.fromUrl(location);
    if (l !== i18n.get()) i18n.set(l);
  });
}

// how many window messages were dropped (tests)
function ignoredMessages() { return ignored; }

export { readHash, writeHash, readHashPairs, writeHashPairs, hashText, hashIsState, setupEmbed, setupLang, inIframe, ignoredMessages };
