// @ts-check
// The current language and the lookups into the one string table (web/strings.js); the language switch shared by the index
// and the lesson pages. Lesson text is not here: it is rendered at build time, both languages embedded, shown or hidden by CSS.
import { STR } from './strings.js';

var LANGS = ['zh-TW', 'en'];
var DEFAULT = 'zh-TW';

var current = DEFAULT;

function norm(l) {
  if (!l) return null;
  var s = String(l).toLowerCase();
  if (s === 'en' || s.indexOf('en-') === 0) return 'en';
  if (s === 'zh' || s === 'zh-tw' || s === 'zh-hant' || s.indexOf('zh-') === 0) return 'zh-TW';
  return null;
}

// a runtime string in the current language, {name} placeholders filled from params
function t(key, params) { return tIn(current, key, params); }

// a string in a given language; a param given in both languages ({zh-TW, en}) is picked in that language
function tIn(lang, key, params) {
  var s = (STR[lang] && STR[lang][key]) || STR.en[key] || key;
  return s.replace(/\{(\w+)\}/g, function (_, k) {
    var v = params && params[k];
    if (v && typeof v === 'object') v = v[lang] || v.en || '';
    return v !== undefined && v !== null ? String(v) : '';
  });
}

// pick {zh-TW: ..., en: ...} (or a plain string)
function pick(obj) {
  if (obj == null) return '';
  if (typeof obj === 'string') return obj;
  return obj[current] || obj[DEFAULT] || obj.en || '';
}

// a UI string in every language, as {zh-TW, en} (for labels that a lesson's own {zh-TW, en} can replace)
function both(key) { var o = {}; LANGS.forEach(function (l) { o[l] = tIn(l, key); }); return o; }

// Language from the URL: the hash's lang wins over the query's, then the default.
function fromUrl(loc) {
  var h = new URLSearchParams(String(loc.hash || '').replace(/^#/, ''));
  var q = new URLSearchParams(loc.search || '');
  return norm(h.get('lang')) || norm(q.get('lang')) || DEFAULT;
}
function queryLang(loc) { return norm(new URLSearchParams(loc.search || '').get('lang')); }

var listeners = [];
function set(lang) {
  current = norm(lang) || DEFAULT;
  document.documentElement.lang = current;
  Array.prototype.forEach.call(document.querySelectorAll('[data-set-lang]'), function (b) {
    b.setAttribute('aria-pressed', String(b.getAttribute('data-set-lang') === current));
  });
  // links to other pages of the course carry the language along
  Array.prototype.forEach.call(document.querySelectorAll('a[data-keep-lang]'), function (a) {
    var base = a.getAttribute('data-href') || a.getAttribute('href');
    a.setAttribute('data-href', base);
    a.setAttribute('href', current === DEFAULT ? base : base + (base.indexOf('?') >= 0 ? '&' : '?') + 'lang=' + current);
  });
  var title = document.querySelector('meta[name="title-' + current + '"]');
  if (title) document.title = title.getAttribute('content');
  listeners.forEach(function (f) { f(current); });
}

function get() { return current; }
function onChange(f) { listeners.push(f); }

export { LANGS, DEFAULT, STR, t, tIn, both, pick, set, get, onChange, fromUrl, queryLang, norm };
