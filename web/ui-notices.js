// @ts-check
// What the lesson page tells the reader in words: the status line (role=status), the error list (role=alert), the notices
// about URL state that was ignored, and the claim check's result. Text only (textContent); it decides nothing.
import * as i18n from './i18n.js';
import { el } from './dom.js';
import { fmt } from './charts.js';
import { evaluate } from './claim.js';

/** @typedef {{key: string, run: string|null, message: string|null}} PageError */
/** @typedef {{key: string, name?: string, value?: string}} Notice */

/** @param {{runLabel: (id: string) => string, focusAfterDismiss: () => void}} deps */
export function createNotices(deps) {
  const message = /** @type {HTMLElement} */ (document.getElementById('lab-message'));
  const errorBox = /** @type {HTMLElement} */ (document.getElementById('lab-errors'));
  /** @type {PageError[]} */
  let errors = [];
  /** @type {Notice[]} */
  let notices = [];
  /** @type {HTMLElement|null} */
  let noticeBox = null;

  /** @param {PageError} e */
  const errorText = (e) => i18n.t(e.key, { run: e.run ? deps.runLabel(e.run) : '', message: e.message });
  /** @param {Notice} n */
  const noticeText = (n) => i18n.t(n.key, { name: n.name, value: n.value });

  function renderErrors() {
    errorBox.textContent = '';
    errors.forEach((e) => errorBox.appendChild(el('p', { text: errorText(e) })));
    errorBox.hidden = errors.length === 0;
  }

  function renderNotices() {
    if (!noticeBox) {
      noticeBox = el('div', { id: 'url-notice', class: 'notice', role: 'status' });
      /** @type {ParentNode} */ (errorBox.parentNode).insertBefore(/** @type {HTMLElement} */ (noticeBox), errorBox.nextSibling);
    }
    const box = /** @type {HTMLElement} */ (noticeBox);
    box.textContent = '';
    box.hidden = notices.length === 0;
    if (!notices.length) return;
    box.appendChild(el('p', { text: i18n.t('noticeTitle') }));
    const ul = el('ul');
    notices.slice(0, 5).forEach((n) => ul.appendChild(el('li', { text: noticeText(n) })));
    if (notices.length > 5) ul.appendChild(el('li', { text: i18n.t('noticeMore', { n: notices.length - 5 }) }));
    box.appendChild(ul);
    const b = el('button', { type: 'button', class: 'small', text: i18n.t('dismiss') });
    b.addEventListener('click', () => { notices = []; renderNotices(); deps.focusAfterDismiss(); });
    box.appendChild(b);
  }

  return {
    /** @param {string} text */
    say(text) { message.textContent = text; },
    /** @param {string} key @param {string|null} run @param {string|null} msg */
    addError(key, run, msg) { errors.push({ key, run, message: msg }); renderErrors(); },
    /** keep only the errors `keep` accepts (all go without it) @param {(e: PageError) => boolean} [keep] */
    clearErrors(keep) { errors = keep ? errors.filter(keep) : []; renderErrors(); },
    errors() { return errors.map(errorText); },
    /** @param {Notice[]} list */
    setNotices(list) { notices = list; renderNotices(); },
    notices() { return notices.map(noticeText); },
    relabel() { renderErrors(); renderNotices(); },
  };
}
/** @typedef {ReturnType<typeof createNotices>} Notices */

/**
 * The claim box: every check of the lesson's claim on the lesson's own runs (added runs never count).
 * @param {any} claim the lesson's claim @param {{[run: string]: any}} metrics @param {number} step
 */
export function renderClaim(claim, metrics, step) {
  const box = document.getElementById('claim-result');
  if (!box || !claim || !claim.checks) return;
  const results = evaluate(claim.checks, metrics);
  box.textContent = '';
  box.appendChild(el('p', { class: 'claim-title', text: i18n.t('claimTitle', { step }) }));
  const ul = el('ul');
  results.forEach((res) => {
    const verdict = res.pass === null ? 'unknown' : res.pass ? 'pass' : 'fail';
    ul.appendChild(el('li', { class: 'claim-' + verdict }, [
      el('span', { class: 'mark', 'aria-hidden': 'true', text: verdict === 'pass' ? '✓' : verdict === 'fail' ? '✗' : '?' }),
      el('span', { text: i18n.pick(res.check.label) + ' — ' + i18n.t(verdict) + ' (' + fmt(res.value) + ')' }),
    ]));
  });
  box.appendChild(ul);
  box.appendChild(el('p', { class: 'help', text: i18n.t('claimNote') }));
  box.hidden = false;
  box.setAttribute('data-verdict', results.every((r) => r.pass) ? 'pass' : 'fail');
}

/** hides the claim box (the runs changed) */
export function hideClaim() { const box = document.getElementById('claim-result'); if (box) box.hidden = true; }
/** whether the claim box shows a result */
export function claimShown() { const box = document.getElementById('claim-result'); return !!box && !box.hidden; }
