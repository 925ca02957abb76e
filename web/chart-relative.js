// @ts-check
// Chart kind "relative": the line chart with each run's metric divided by a number of its own (spec.divideBy {runId: n}),
// e.g. validation loss ÷ the loss of a model that knows nothing, so an MSE and a cross-entropy can share one axis. Nothing else.
import * as i18n from './i18n.js';
import { extend } from './charts.js';
import { LessonChart } from './chart-line.js';

const KNOWS_NOTHING = { value: 1, label: i18n.both('chartKnowsNothing') };

function RelativeChart(canvas, spec, runs, opts) {
  LessonChart.call(this, canvas, Object.assign({ baseline: KNOWS_NOTHING }, spec), runs, opts);
}
extend(RelativeChart, LessonChart);

RelativeChart.prototype.setData = function (runId, metrics, summary) {
  var d = (this.spec.divideBy || {})[runId];
  var src = metrics && metrics[this.spec.metric];
  if (!src || !(d > 0)) { LessonChart.prototype.setData.call(this, runId, metrics, summary); return; }
  var scaled = new Float32Array(src.length);
  for (var i = 0; i < src.length; i++) scaled[i] = src[i] / d;
  var m = Object.assign({}, metrics);
  m[this.spec.metric] = scaled;
  LessonChart.prototype.setData.call(this, runId, m, summary);
};

export function relative(canvas, spec, runs, opts) { return new RelativeChart(canvas, spec, runs, opts); }
