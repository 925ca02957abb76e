// @ts-check
// Screen-size behaviour of a lesson page: settings start collapsed on a phone (the lesson text and its first chart come
// first, web/lab.css orders them), "Charts ↓" in the toolbar jumps to the first chart, and a display formula wider than
// its column scrolls with a visible hint. Layout only: no state of the lesson, no training.
import * as i18n from './i18n.js';
import { el, biT } from './dom.js';

const NARROW = '(max-width: 999px)';

/** @param {string} q */
function matches(q) { try { return typeof matchMedia === 'function' && matchMedia(q).matches; } catch (e) { return false; } }

/** the first chart of the visible text (or of the fallback when the text is hidden) */
export function firstChart() {
  const figs = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.lesson-text figure.chart'));
  for (let i = 0; i < figs.length; i++) if (figs[i].offsetParent !== null) return figs[i];
  return null;
}

export function setupLayout() {
  // phones and narrow windows: the settings start folded (the choice is the reader's after that)
  const det = /** @type {HTMLDetailsElement|null} */ (document.getElementById('settings-details'));
  if (det && matches(NARROW)) det.open = false;
  const jump = document.getElementById('jump-charts');
  if (jump) {
    jump.addEventListener('click', (ev) => {
      const f = firstChart();
      if (!f) return;
      ev.preventDefault();
      f.scrollIntoView({ block: 'start', behavior: matches('(prefers-reduced-motion: reduce)') ? 'auto' : 'smooth' });
      f.setAttribute('tabindex', '-1');
      f.focus({ preventScroll: true });
    });
  }
  // after the first frame: measuring the formulas now would lay the whole article out before the experiment panel is usable
  requestAnimationFrame(() => setTimeout(markWideMath, 0));
  let pending = 0;
  addEventListener('resize', () => { if (!pending) pending = requestAnimationFrame(() => { pending = 0; markWideMath(); }); });
  i18n.onChange(markWideMath);
}

// A display formula wider than its column: keyboard-scrollable (tabindex), labelled, with a hint under it.
export function markWideMath() {
  document.querySelectorAll('.lesson-text .math-display').forEach((n) => {
    const box = /** @type {HTMLElement} */ (n);
    if (box.offsetParent === null) return; // the other language's article
    const wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle('scrolls', wide);
    let hint = box.nextElementSibling && box.nextElementSibling.classList.contains('math-hint') ? box.nextElementSibling : null;
    if (wide && !hint) {
      hint = el('p', { class: 'math-hint', 'aria-hidden': 'true' }, [biT('mathScroll')]);
      box.after(hint);
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'group');
    }
    if (hint) /** @type {HTMLElement} */ (hint).hidden = !wide;
    if (wide) box.setAttribute('aria-label', i18n.t('mathScroll')); else box.removeAttribute('aria-label');
  });
}
