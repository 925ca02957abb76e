// @ts-check
// Python source formatting for the PyTorch script: float32 numbers in their shortest exact form, wrapped lists, literals,
// nested arrays flattened. Text only: no torch names, no knowledge of configs (web/export-torch-model.js has those).

/**
 * The shortest decimal that reads back as the same float32 (Python float → torch.float32 rounds the same way as Math.fround).
 * @param {number} v
 * @returns {string}
 */
export function f32(v) {
  if (!isFinite(v)) return v !== v ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const x = Math.fround(v);
  let s = '';
  for (let p = 1; p <= 9; p++) { s = x.toPrecision(p); if (Math.fround(Number(s)) === x) break; }
  if (s.indexOf('e') >= 0) {
    const [mant, exp] = s.split('e');
    return mant + 'e' + (exp[0] === '+' ? exp.slice(1) : exp);
  }
  return s.indexOf('.') >= 0 ? s.replace(/0+$/, '').replace(/\.$/, '.0') : s + '.0';
}

/** a flat Python list, wrapped at ~width characters, each line indented @param {string[]} items @param {string} indent */
export function pyList(items, indent, width = 118) {
  const lines = [];
  let line = '';
  for (const it of items) {
    if (line && indent.length + line.length + it.length + 2 > width) { lines.push(indent + line.trimEnd()); line = ''; }
    line += it + ', ';
  }
  if (line) lines.push(indent + line.trimEnd());
  return '[\n' + lines.join('\n') + '\n' + indent.slice(4) + ']';
}

/** @param {any} a @returns {{shape: number[], flat: number[]}} nested arrays → shape + flat values */
export function flatten(a) {
  const shape = [], flat = [];
  let x = a;
  while (x && typeof x !== 'number' && x.length !== undefined) { shape.push(x.length); x = x[0]; }
  (function walk(v) {
    if (typeof v === 'number') flat.push(v);
    else for (let i = 0; i < v.length; i++) walk(v[i]);
  })(a);
  return { shape, flat };
}

/** a Python string literal @param {string} s */
export function pyStr(s) { return JSON.stringify(s); }

/** Python's repr of a config value for keyword arguments @param {any} v */
export function pyVal(v) {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : String(v).replace('e+', 'e');
  if (Array.isArray(v)) return '(' + v.map(pyVal).join(', ') + (v.length === 1 ? ',)' : ')');
  return pyStr(String(v));
}
