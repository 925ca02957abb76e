// @ts-check
// The chart kinds a lesson's chart spec can name (spec.kind; default 'line') and the one function that makes a chart of any
// kind. Not a chart itself: the kinds live in web/chart-<kind>.js, what they share in web/charts.js (see docs/architecture.md
// for adding a kind).
import { line } from './chart-line.js';
import { bars } from './chart-bars.js';
import { histogram } from './chart-histogram.js';
import { profile } from './chart-profile.js';
import { relative } from './chart-relative.js';
import { surface } from './chart-surface.js';
import { sweep } from './chart-sweep.js';
import { trainval } from './chart-trainval.js';
import { weights } from './chart-weights.js';
import { prediction } from './chart-prediction.js';
import { inside } from './chart-inside.js';
import { generate } from './chart-generate.js';

/** @type {{[kind: string]: (canvas: Element, spec: import('./charts.js').ChartSpec, runs: any[], opts: {xMax?: number, taskOf?: (r: any) => any}) => any}} */
export const KINDS = { line, bars, histogram, profile, relative, surface, sweep, trainval, weights, prediction, inside, generate };

/**
 * A chart of the spec's kind over the runs it shows (spec.runs: only those; a lesson comparing two experiments on one page).
 * @param {Element} canvas @param {import('./charts.js').ChartSpec} spec @param {Array<{id: string}>} runs @param {{xMax?: number, taskOf?: (r: any) => any}} opts
 * (taskOf: a run's resolved task config, for a view that sizes itself by task)
 */
export function createChart(canvas, spec, runs, opts) {
  const make = KINDS[spec.kind || 'line'];
  if (!make) throw new Error('unknown chart kind "' + spec.kind + '" (known: ' + Object.keys(KINDS).join(', ') + ')');
  const only = spec.runs;
  return make(canvas, spec, Array.isArray(only) ? runs.filter((r) => only.indexOf(r.id) >= 0) : runs, opts);
}
