// The charts' own tick labels (web/charts.js tickNumber) against Chart.js's default numeric formatter, which they replace
// to keep Intl.NumberFormat out of a page's first chart. Not a chart test: no canvas, only the label strings.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Ticks } from 'chart.js';
import { tickNumber } from '../../web/charts.js';

// tick sets as Chart.js's linear scale makes them: from `min` to `max` by `step` (floating steps included)
function ticks(min, max, step) {
  const out = [];
  for (let k = 0; min + k * step <= max + step * 1e-9; k++) out.push({ value: Number((min + k * step).toPrecision(12)) });
  return out;
}
const SETS = [
  ticks(0, 1500, 200), ticks(0, 5000, 500), ticks(0, 20000, 2500), ticks(0, 1, 0.1), ticks(0, 0.2, 0.02), ticks(-1, 1, 0.25),
  ticks(0.5, 10.5, 1), ticks(1, 30, 1), ticks(-3e6, 3e6, 1e6), ticks(0, 0.0003, 0.00005), ticks(0, 2e-5, 5e-6), ticks(0, 1e16, 2e15),
  ticks(-0.05, 0.05, 0.01), [{ value: 7 }],
];

test('tickNumber writes the label Chart.js\'s Intl number formatter writes in en-US and zh-TW, for every tick of linear axes of many ranges', () => {
  let n = 0;
  for (const locale of ['en-US', 'zh-TW']) for (const set of SETS) {
    const scale = { chart: { options: { locale } }, options: { ticks: {} } };
    set.forEach((t, i) => {
      const want = Ticks.formatters.numeric.call(scale, t.value, i, set);
      assert.equal(tickNumber(t.value, i, set), want, `${locale}: tick ${t.value} of [${set.map((x) => x.value).join(', ')}]`);
      n++;
    });
  }
  assert.ok(n > 200, `${n} labels compared`);
});
