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
    /**
     * A toast at the bottom of the screen with one action (e.g. Undo); it goes after 12 s, on its action or on the next toast.
     * @param {string} text @param {string} label @param {() => void} act
     */
    toast(text, label, act) {
      const old = document.getElementById('lab-toast');
      if (old) old.remove();
      const b = el('button', { type: 'button', class: 'small', id: 'toast-action', text: label });
      const box = el('div', { id: 'lab-toast', class: 'toast', role: 'status' }, [el('span', { text }), b]);
      const close = () => { box.remove(); clearTimeout(timer); };
      const timer = setTimeout(close, 12000);
      b.addEventListener('click', () => { close(); act(); deps.focusAfterDismiss(); });
      document.body.appendChild(box);
    },
  };
}
/** @typedef {ReturnType<typeof createNotices>} Notices */

/**
 * The claim box: every check of the lesson's claim on the lesson's own runs (added runs never count), each with its
 * measured value and its threshold. A check that does not apply (the settings, a preset or the student's own data make it
 * another experiment) is greyed out with the reason, never failed. A short verdict also goes next to the first chart.
 * @param {any} claim the lesson's claim @param {{[run: string]: any}} metrics @param {number} step
 * @param {{all: string|null, runs: {[run: string]: string}}} [na] why checks do not apply: all of them, or per run (string keys)
 */
export function renderClaim(claim, metrics, step, na) {
  const box = document.getElementById('claim-result');
  if (!box || !claim || !claim.checks) return;
  const results = evaluate(claim.checks, metrics);
  box.textContent = '';
  box.classList.remove('stale');
  box.appendChild(el('p', { class: 'claim-title', text: i18n.t('claimTitle', { step }) }));
  if (na && na.all) box.appendChild(el('p', { class: 'claim-na-note help', text: i18n.t('claimNaAll', { why: i18n.t(na.all) }) }));
  const ul = el('ul');
  let held = 0, counted = 0;
  results.forEach((res) => {
    const c = res.check, runs = [c.run].concat(c.than ? [c.than.run] : []);
    const own = na ? runs.map((r) => na.runs[r]).filter(Boolean)[0] || null : null, why = (na && na.all) || own;
    const verdict = why ? 'na' : res.pass === null ? 'unknown' : res.pass ? 'pass' : 'fail';
    if (verdict === 'pass' || verdict === 'fail') { counted++; if (verdict === 'pass') held++; }
    const threshold = c.than ? i18n.t('claimThan', { op: c.op, run: runName(c.than.run), x: fmt(res.other) }) : i18n.t('claimThreshold', { op: c.op, x: fmt(res.other) });
    ul.appendChild(el('li', { class: 'claim-' + verdict }, [
      el('span', { class: 'mark', 'aria-hidden': 'true', text: verdict === 'pass' ? '✓' : verdict === 'fail' ? '✗' : verdict === 'na' ? '–' : '?' }),
      el('span', {}, [
        el('span', { text: i18n.pick(c.label) + ' — ' + i18n.t(verdict === 'na' ? 'claimNa' : verdict) }),
        el('span', { class: 'claim-values', text: i18n.t('claimMeasured', { v: isNaN(res.value) ? '…' : fmt(res.value) }) + ' · ' + threshold + (own && !(na && na.all) ? ' · ' + i18n.t(own) : '') }),
      ]),
    ]));
  });
  box.appendChild(ul);
  box.appendChild(el('p', { class: 'help', text: i18n.t('claimNote') }));
  box.hidden = false;
  const verdict = counted === 0 ? 'na' : held === counted ? 'pass' : 'fail';
  box.setAttribute('data-verdict', verdict);
  near(i18n.t(counted === 0 ? 'claimNearNa' : 'claimNear', { step, held, n: counted }), verdict);

  /** @param {string} id */
  function runName(id) { const r = (claimRuns || []).filter((x) => x.id === id)[0]; return r ? i18n.pick(r.label) : id; }
}

/** @type {any[]|null} the lesson's runs (their labels name a "than" run) */
let claimRuns = null;
/** @param {any[]} runs */
export function setClaimRuns(runs) { claimRuns = runs; }

// The claim's verdict in one line right after the first chart in the text (charts and verdict side by side on any screen),
// with a link to the full list in the side panel.
/** @param {string|null} text @param {string} [verdict] */
function near(text, verdict) {
  let box = document.getElementById('claim-near');
  if (!text) { if (box) box.hidden = true; return; }
  const fig = document.querySelector('.lesson-text figure.chart');
  if (!fig) return;
  if (!box) {
    box = el('p', { id: 'claim-near', class: 'claim-near', role: 'status' });
  }
  if (fig.nextSibling !== box) /** @type {ParentNode} */ (fig.parentNode).insertBefore(box, fig.nextSibling);
  box.textContent = '';
  box.appendChild(el('span', { text: text + ' ' }));
  const a = el('a', { href: '#claim-result', class: 'claim-near-link', text: i18n.t('claimDetails') });
  a.addEventListener('click', (ev) => { ev.preventDefault(); const c = document.getElementById('claim-result'); if (c) { c.scrollIntoView({ block: 'center' }); c.setAttribute('tabindex', '-1'); c.focus(); } });
  box.appendChild(a);
  box.setAttribute('data-verdict', verdict || '');
  box.hidden = false;
}

/** the runs changed: the claim box stays, marked as the previous settings' result (Reset clears it) */
export function staleClaim() {
  const box = document.getElementById('claim-result');
  if (!box || box.hidden) return;
  box.classList.add('stale');
  const t = box.querySelector('.claim-title');
  if (t && !box.querySelector('.claim-stale')) t.after(el('p', { class: 'claim-stale help', text: i18n.t('claimStale') }));
  const n = document.getElementById('claim-near');
  if (n && !n.hidden) n.classList.add('stale');
}
/** hides the claim box (Reset) */
export function hideClaim() { const box = document.getElementById('claim-result'); if (box) { box.hidden = true; box.classList.remove('stale'); } near(null); const n = document.getElementById('claim-near'); if (n) n.classList.remove('stale'); }
/** whether the claim box shows a result */
export function claimShown() { const box = document.getElementById('claim-result'); return !!box && !box.hidden; }
