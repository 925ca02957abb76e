// The chart kinds a lesson's chart spec can name (spec.kind; default 'line') and the one function that makes a chart of any kind.
// Not a chart itself: the kinds live in web/chart-<kind>.js, the shared drawing machinery in web/charts.js.
import * as C from './charts.js';
import { bars } from './chart-bars.js';
import { histogram } from './chart-histogram.js';
import { profile } from './chart-profile.js';
import { relative } from './chart-relative.js';
import { surface } from './chart-surface.js';
import { sweep } from './chart-sweep.js';
import { trainval } from './chart-trainval.js';
import { weights } from './chart-weights.js';

function line(canvas, spec, runs, opts) { return new C.LessonChart(canvas, spec, runs, opts); }

export const KINDS = { line, bars, histogram, profile, relative, surface, sweep, trainval, weights };

// spec.runs: [run ids] — the chart shows only those runs (a lesson comparing two experiments on one page)
export function createChart(canvas, spec, runs, opts) {
  var make = KINDS[spec.kind || 'line'];
  if (!make) throw new Error('unknown chart kind "' + spec.kind + '" (known: ' + Object.keys(KINDS).join(', ') + ')');
  if (!Array.isArray(spec.runs)) return C.adopt(make(canvas, spec, runs, opts), canvas);
  var only = runs.filter(function (r) { return spec.runs.indexOf(r.id) >= 0; });
  var chart = make(canvas, spec, only, opts), setData = chart.setData;
  chart.setData = function (runId, metrics, summary) { if (spec.runs.indexOf(runId) >= 0) setData.call(chart, runId, metrics, summary); };
  return C.adopt(chart, canvas);
}
