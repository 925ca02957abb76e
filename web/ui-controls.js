// @ts-check
// The lesson's controls: one input per schema entry (select, range with a log scale where asked, or number), with its
// label and help in both languages. It reports a committed value through onChange and shows the state it is given;
// it holds no state of its own beyond its inputs.
import * as S from './schema.js';
import { el, bi } from './dom.js';

/** @typedef {import('./schema.js').SchemaEntry} SchemaEntry */

/**
 * @param {HTMLElement} box @param {SchemaEntry[]} schema
 * @param {(patch: {[key: string]: any}) => void} onChange  a committed value of one control
 */
export function createControls(box, schema, onChange) {
  /** @type {{[key: string]: {input: any, out: any, entry: SchemaEntry, ticks: number[]}}} */
  const inputs = {};
  /** @type {{[key: string]: any}} */
  let shown = {};

  schema.forEach((e) => {
    const id = 'ctl-' + e.key, helpId = 'help-' + e.key;
    const wrap = el('div', { class: 'control control-' + e.widget });
    const label = el('label', { for: id });
    label.appendChild(bi(e.label));
    /** @type {any} */
    let input;
    /** @type {any} */
    let out = null;
    /** @type {number[]} */
    let ticks = [];
    if (e.type === 'enum') {
      input = el('select', { id, 'aria-describedby': helpId });
      (e.choices || []).forEach((c) => input.appendChild(el('option', { value: c, text: (e.choiceLabels && e.choiceLabels[c]) || c })));
    } else if (e.widget === 'range') {
      input = el('input', { id, type: 'range', 'aria-describedby': helpId });
      if (e.scale === 'log') {
        ticks = S.logTicks(/** @type {number} */ (e.min), /** @type {number} */ (e.max));
        input.min = 0; input.max = ticks.length - 1; input.step = 1;
      } else {
        input.min = e.min; input.max = e.max; input.step = e.step || 1;
      }
      out = el('output', { for: id, class: 'value', 'aria-hidden': 'true' });
    } else {
      input = el('input', { id, type: 'number', inputmode: e.type === 'int' ? 'numeric' : 'decimal', 'aria-describedby': helpId });
      input.min = e.min; input.max = e.max; input.step = e.step || 'any';
    }
    wrap.appendChild(el('div', { class: 'control-row' }, [label, out]));
    wrap.appendChild(input);
    const help = el('p', { id: helpId, class: 'help' });
    help.appendChild(bi(e.help));
    wrap.appendChild(help);
    box.appendChild(wrap);
    inputs[e.key] = { input, out, entry: e, ticks };

    const read = () => (e.scale === 'log' ? ticks[Number(input.value)] : S.coerce(e, input.value));
    input.addEventListener('input', () => {
      const v = read();
      if (out && v !== undefined) out.textContent = S.format(e, v);
      if (e.scale === 'log' && v !== undefined) input.setAttribute('aria-valuetext', S.format(e, v));
    });
    input.addEventListener('change', () => {
      const v = read();
      if (v === undefined) { show(e.key, shown[e.key]); return; }
      onChange({ [e.key]: v });
    });
  });

  /** @param {string} key @param {any} v */
  function show(key, v) {
    const c = inputs[key];
    if (!c) return;
    const e = c.entry;
    if (e.scale === 'log') {
      let best = 0;
      c.ticks.forEach((t, i) => { if (Math.abs(Math.log(t / v)) < Math.abs(Math.log(c.ticks[best] / v))) best = i; });
      c.input.value = String(best);
      c.input.setAttribute('aria-valuetext', S.format(e, v));
    } else {
      c.input.value = S.format(e, v);
    }
    if (c.out) c.out.textContent = S.format(e, v);
  }

  return {
    /** shows these values @param {{[key: string]: any}} state */
    show(state) { shown = state; schema.forEach((e) => show(e.key, state[e.key])); },
    /** the element wrapping a control (hide flags act on it) @param {string} key */
    wrapper(key) { const c = inputs[key]; return c ? c.input.closest('.control') : null; },
  };
}
