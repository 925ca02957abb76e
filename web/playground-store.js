// @ts-check
// The Playground's memory: its experiment (the URL-state pairs and the "Your data" panel's text) kept in this browser's
// localStorage under one key, so that a reload finds it again. Never sent anywhere; not the URL state itself (web/schema.js).
// Pure (de)serialisation first (tests/node/playground-store.test.mjs), then the small DOM side; without localStorage
// (file:// in some browsers, private mode) every call quietly does nothing.

export const STORE_KEY = 'rnnlab.playground.v1';
const MAX_TEXT = 2000000; // characters of data text kept (the data panel's own limit is lower)

/**
 * @typedef {object} Saved
 * @property {Array<[string, string]>} pairs  the URL-state pairs (no "lang")
 * @property {{kind: string, text: string}|null} data  the data panel's kind ("csv"|"text") and text, or null
 */

/** @param {Saved} saved @returns {string} */
export function encodeSaved(saved) {
  const pairs = (saved.pairs || []).filter((p) => p[0] !== 'lang').map((p) => [String(p[0]), String(p[1])]);
  const d = saved.data && saved.data.text ? { kind: saved.data.kind === 'text' ? 'text' : 'csv', text: String(saved.data.text).slice(0, MAX_TEXT) } : null;
  return JSON.stringify({ v: 1, pairs, data: d });
}

/** What a stored string holds, or null when it is missing, foreign or damaged. @param {string|null|undefined} s @returns {Saved|null} */
export function decodeSaved(s) {
  if (!s) return null;
  let o;
  try { o = JSON.parse(s); } catch (e) { return null; }
  if (!o || o.v !== 1 || !Array.isArray(o.pairs)) return null;
  /** @type {Array<[string, string]>} */
  const pairs = [];
  for (const p of o.pairs) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string' || p[0] === 'lang') continue;
    pairs.push([p[0], p[1]]);
  }
  const d = o.data;
  const data = d && typeof d.text === 'string' && d.text && (d.kind === 'csv' || d.kind === 'text') ? { kind: d.kind, text: d.text } : null;
  return { pairs, data };
}

/** whether a hash's pairs name any state (beyond the language) @param {Array<[string, string]>} pairs */
export function hasState(pairs) { return pairs.some((p) => p[0] !== 'lang'); }

/** localStorage, or null where it is missing or refuses (file://, private mode, a full quota) @returns {Storage|null} */
function storage() {
  try {
    const s = window.localStorage;
    s.setItem(STORE_KEY + '.probe', '1');
    s.removeItem(STORE_KEY + '.probe');
    return s;
  } catch (e) { return null; }
}

/** @returns {Saved|null} */
export function loadSaved() {
  const s = storage();
  try { return s ? decodeSaved(s.getItem(STORE_KEY)) : null; } catch (e) { return null; }
}

/**
 * The DOM side: restores the data panel's text, saves on every change (pairs() gives the current state pairs), and wires
 * the "Clear saved experiment" button (forgets, then reloads the page without state).
 * @param {{pairs: () => Array<[string, string]>, say: (text: string) => void, cleared: string}} o
 * @returns {{save: () => void}}
 */
export function startPlaygroundStore(o) {
  const s = storage();
  let off = false;
  const text = /** @type {HTMLTextAreaElement|null} */ (document.getElementById('data-text'));
  const kindBox = () => /** @type {HTMLInputElement|null} */ (document.querySelector('input[name="data-kind"]:checked'));
  function save() {
    if (!s || off) return;
    const data = text && text.value ? { kind: (kindBox() || { value: 'csv' }).value, text: text.value } : null;
    try { s.setItem(STORE_KEY, encodeSaved({ pairs: o.pairs(), data })); } catch (e) { /* quota or refusal: keep going */ }
  }
  const saved = loadSaved();
  if (saved && saved.data && text && !text.value) {
    const r = /** @type {HTMLInputElement|null} */ (document.querySelector('input[name="data-kind"][value="' + saved.data.kind + '"]'));
    if (r) { r.checked = true; r.dispatchEvent(new Event('change', { bubbles: true })); }
    text.value = saved.data.text;
  }
  const panel = document.getElementById('data-panel');
  if (panel) ['input', 'change', 'click'].forEach((ev) => panel.addEventListener(ev, () => setTimeout(save, 0)));
  addEventListener('pagehide', save);
  const btn = document.getElementById('btn-clear-saved');
  if (btn) btn.addEventListener('click', () => {
    off = true;
    try { if (s) s.removeItem(STORE_KEY); } catch (e) { /* nothing to forget */ }
    if (text) text.value = '';
    o.say(o.cleared);
    location.replace(location.href.replace(/#.*$/, '') + (location.hash.indexOf('lang=') >= 0 ? '#' + new URLSearchParams(location.hash.slice(1)).toString().split('&').filter((p) => p.indexOf('lang=') === 0).join('&') : ''));
    setTimeout(() => location.reload(), 0);
  });
  return { save };
}
