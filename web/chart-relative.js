// Chart kind "relative": the line chart with each run's metric divided by a number of its own (spec.divideBy {runId: n}),
// e.g. validation loss ÷ the loss of a model that knows nothing, so an MSE and a cross-entropy can share one axis. Nothing else.
import * as C from './charts.js';
export function relative(canvas, spec, runs, opts) {
  var full = Object.assign({ baseline: { value: 1, label: { 'zh-TW': '什麼都不會 = 1', en: 'knows nothing = 1' } } }, spec);
  var chart = new C.LessonChart(canvas, full, runs, opts);
  var setData = chart.setData;
  chart.setData = function (runId, metrics, summary) {
    var d = (spec.divideBy || {})[runId];
    var src = metrics && metrics[spec.metric];
    if (!src || !(d > 0)) { setData.call(chart, runId, metrics, summary); return; }
    var scaled = new Float32Array(src.length);
    for (var i = 0; i < src.length; i++) scaled[i] = src[i] / d;
    var m = Object.assign({}, metrics);
    m[spec.metric] = scaled;
    setData.call(chart, runId, m, summary);
  };
  return chart;
}
