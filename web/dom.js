// @ts-check
// The DOM helpers every page part uses: make an element, both languages as sibling spans, write text only when it changed.
// Nothing page-specific and no state; never parses HTML (text goes in as textContent).
import * as i18n from './i18n.js';

/**
 * An element with attributes ('text' sets textContent, 'class' the class) and children (nodes or strings; falsy skipped).
 * @param {string} tag @param {Record<string, any>} [attrs] @param {Array<Node|string|null|undefined|false>} [children]
 * @returns {any} the element (typed loosely: callers set input/select properties on it)
 */
export function el(tag, attrs, children) {
  const n = document.createElement(tag);
  Object.keys(attrs || {}).forEach((k) => {
    const v = /** @type {Record<string, any>} */ (attrs)[k];
    if (k === 'text') n.textContent = v;
    else if (k === 'class') n.className = v;
    else n.setAttribute(k, v);
  });
  (children || []).forEach((c) => { if (c) n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
  return n;
}

/**
 * Both languages as sibling spans (CSS shows the one matching <html lang>): from {zh-TW, en}, a plain string, or a
 * function of the language.
 * @param {string | {[lang: string]: string} | ((lang: string) => string)} obj
 */
export function bi(obj) {
  const f = document.createDocumentFragment();
  if (typeof obj === 'string') { f.appendChild(document.createTextNode(obj)); return f; }
  i18n.LANGS.forEach((l) => {
    const text = typeof obj === 'function' ? obj(l) : (obj[l] || obj.en || '');
    f.appendChild(el('span', { 'data-lang': l, lang: l, text }));
  });
  return f;
}

/** A runtime string (web/strings.js) in both languages. @param {string} key @param {Record<string, any>} [params] */
export function biT(key, params) { return bi((l) => i18n.tIn(l, key, params)); }

/** Writes only what changed (an unchanged textContent written again still costs a style and layout pass).
 * @param {Node|null} node @param {string} text */
export function setText(node, text) { if (node && node.textContent !== text) node.textContent = text; }
/** @param {any} node @param {string} prop @param {boolean} on */
export function setFlag(node, prop, on) { if (node && node[prop] !== on) node[prop] = on; }
