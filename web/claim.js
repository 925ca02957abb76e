// Evaluates a lesson's claim checks (lesson.json "claim.checks") against the runs' metrics: pure functions, usable in the page and in Node.
// It does not train anything or touch the DOM; callers supply metrics as returned by run.metrics().
(function (root) {
  'use strict';

  function finite(arr) {
    var out = [];
    for (var i = 0; i < (arr ? arr.length : 0); i++) if (isFinite(arr[i])) out.push(Number(arr[i]));
    return out;
  }

  // A statistic of one metric array.
  //   mean_last:        mean of the last n entries (default 50); NaN entries (divergence) count as +Infinity
  //   last:             last entry
  //   ratio_first_last: first / last entry (e.g. grad_t: gradient at t=1 relative to t=T)
  //   min:              smallest finite entry
  function stat(arr, kind, n) {
    if (!arr || arr.length === 0) return NaN;
    var a = Array.prototype.slice.call(arr);
    switch (kind) {
      case 'mean_last': {
        var k = Math.min(n || 50, a.length), s = 0;
        for (var i = a.length - k; i < a.length; i++) s += isFinite(a[i]) ? a[i] : Infinity;
        return s / k;
      }
      case 'last': return a[a.length - 1];
      case 'ratio_first_last': return a[0] / a[a.length - 1];
      case 'min': { var f = finite(a); return f.length ? Math.min.apply(null, f) : NaN; }
      default: throw new Error('unknown claim statistic "' + kind + '"');
    }
  }

  function compare(x, op, y) {
    switch (op) {
      case '<': return x < y;
      case '<=': return x <= y;
      case '>': return x > y;
      case '>=': return x >= y;
      default: throw new Error('unknown claim operator "' + op + '"');
    }
  }

  // check: {run, metric, stat, n?, op, value} or {run, metric, stat, op, than: {run}} (same metric and stat on another run)
  // metricsByRun: {runId: metrics}. Returns [{check, value, other, pass}] (pass null when data is missing).
  function evaluate(checks, metricsByRun) {
    return (checks || []).map(function (c) {
      var m = metricsByRun[c.run];
      var v = m ? stat(m[c.metric], c.stat || 'mean_last', c.n) : NaN;
      var other = c.than ? (metricsByRun[c.than.run] ? stat(metricsByRun[c.than.run][c.metric], c.stat || 'mean_last', c.n) : NaN) : c.value;
      var pass = (isNaN(v) || isNaN(other)) ? null : compare(v, c.op, other);
      return { check: c, value: v, other: other, pass: pass };
    });
  }

  var api = { stat: stat, evaluate: evaluate };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else (root.LabRuntime = root.LabRuntime || {}).claim = api;
})(typeof self !== 'undefined' ? self : this);
