// @ts-check
// Evaluates a lesson's claim checks (lesson.json "claim.checks") against the runs' metrics: pure functions, usable in the page and in Node.
// It does not train anything or touch the DOM; callers supply metrics as returned by run.metrics(), plus, for a check on
// metric 'inspect', the answers to the asks lookAsks() lists (run.inspect() results, as web/worker-look.js gives them).
import { markedSteps } from './view-data.js';

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
function entry(a, i) { i = i || 0; var v = a[i < 0 ? a.length + i : i]; return v === undefined ? NaN : Number(v); }

function stat(arr, kind, n, m) {
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
    // per-layer / per-parameter arrays (act_std, weight_std, …): max, one entry, or the ratio of two entries
    //   max:   largest finite entry
    //   at:    entry n (0-based; negative counts from the end)
    //   ratio: entry n / entry m (same indexing), e.g. act_std at layer 20 relative to layer 1
    case 'max': { var g = finite(a); return g.length ? Math.max.apply(null, g) : NaN; }
    case 'at': return entry(a, n);
    case 'ratio': return entry(a, n) / entry(a, m);
    // ratio_min_last: smallest finite entry / last entry (e.g. grad_block: the weakest layer's gradient relative to the top layer's)
    case 'ratio_min_last': { var h = finite(a); return h.length ? Math.min.apply(null, h) / a[a.length - 1] : NaN; }
    // rises: fraction of consecutive finite pairs where the value went up (0 = never rose; e.g. an oscillating loss)
    case 'rises': {
      var up = 0, pairs = 0;
      for (var j = 1; j < a.length; j++) if (isFinite(a[j]) && isFinite(a[j - 1])) { pairs++; if (a[j] > a[j - 1]) up++; }
      return pairs ? up / pairs : NaN;
    }
    // positions (0-based; NaN when there is none), e.g. the step at which a validation loss bottoms out, with a number's x
    //   argmin:      position of the smallest finite entry
    //   first_below: position of the first finite entry below n
    case 'argmin': { var lo = NaN, at = NaN; for (var q = 0; q < a.length; q++) if (isFinite(a[q]) && !(a[q] >= lo)) { lo = a[q]; at = q; } return at; }
    case 'first_below': { for (var p = 0; p < a.length; p++) if (isFinite(a[p]) && a[p] < n) return p; return NaN; }
    //   first_above: position of the first entry above n or not finite (e.g. the step a loss blows up at)
    case 'first_above': { for (var r = 0; r < a.length; r++) if (!isFinite(a[r]) || a[r] > n) return r; return NaN; }
    // a sample of values (e.g. one weight matrix, flattened: a number's param): spread and share of small magnitudes
    //   std: standard deviation; max_abs: largest |x|; quantile_abs: the n-quantile of |x| (0 ≤ n ≤ 1)
    //   frac_abs_below: fraction with |x| < n; frac_abs_in: fraction with n ≤ |x| ≤ m
    case 'std': {
      var w = finite(a), mu = 0, ss = 0;
      for (var u = 0; u < w.length; u++) mu += w[u] / w.length;
      for (u = 0; u < w.length; u++) ss += (w[u] - mu) * (w[u] - mu) / w.length;
      return w.length ? Math.sqrt(ss) : NaN;
    }
    case 'max_abs': case 'quantile_abs': case 'frac_abs_below': case 'frac_abs_in': {
      var b = finite(a).map(Math.abs).sort(function (x, y) { return x - y; }), cnt = 0;
      if (!b.length) return NaN;
      if (kind === 'max_abs') return b[b.length - 1];
      if (kind === 'quantile_abs') return b[Math.min(b.length - 1, Math.floor(n * b.length))];
      for (var e = 0; e < b.length; e++) if (kind === 'frac_abs_below' ? b[e] < n : b[e] >= n && b[e] <= m) cnt++;
      return cnt / b.length;
    }
    default: throw new Error('unknown claim statistic "' + kind + '"');
  }
}

// A statistic of a run's insides (check or number with metric 'inspect'): `list` holds run.inspect({sample: k}) for the
// samples 0 … samples−1 (plain or typed arrays). One gate of one layer, on the time steps after the sample's first marked
// step (the adding task's marker channel), averaged over those steps per unit; then
//   gate_after_marker:     the mean over units      gate_after_marker_top: the largest over units (the unit that holds on)
// and that averaged over the samples. d: {gate ('f'), layer (0), samples (8)}. NaN when a sample has no marked step or no such gate.
function inspectStat(list, d) {
  if (!list || !list.length) return NaN;
  var sum = 0;
  for (var k = 0; k < list.length; k++) {
    var r = list[k], L = r && r.layers && r.layers[d.layer || 0], g = L && L.gates && L.gates[d.gate || 'f'];
    var inputs = r ? Array.prototype.map.call(r.inputs, function (x) { return Array.prototype.slice.call(x); }) : [];
    var t0 = markedSteps(inputs)[0];
    if (!g || t0 === undefined || t0 + 1 >= g.length) return NaN;
    var H = g[0].length, best = -Infinity, all = 0;
    for (var u = 0; u < H; u++) {
      var s = 0;
      for (var t = t0 + 1; t < g.length; t++) s += g[t][u];
      s /= g.length - t0 - 1;
      all += s / H;
      if (s > best) best = s;
    }
    if (d.stat === 'gate_after_marker_top') sum += best;
    else if (d.stat === 'gate_after_marker') sum += all;
    else throw new Error('unknown inspect statistic "' + d.stat + '"');
  }
  return sum / list.length;
}

// What the checks and numbers on metric 'inspect' need answered, per run: {run: [{op: 'inspect', sample: k}, …]}. The page
// sends them as a look (web/worker-look.js) when training ends, the Node tests answer them with the same function; the
// answers go into that run's metrics as `inspect`.
function lookAsks(list) {
  /** @type {{[run: string]: any[]}} */
  var out = {};
  (list || []).forEach(function (c) {
    if (c.metric !== 'inspect') return;
    [c.run].concat(c.than ? [c.than.run] : []).forEach(function (id) {
      var n = Math.max(c.samples || 8, out[id] ? out[id].length : 0);
      out[id] = [];
      for (var k = 0; k < n; k++) out[id].push({ op: 'inspect', sample: k });
    });
  });
  return out;
}

// the statistic a check or number names, of one run's metrics
function statOf(m, c) {
  return c.metric === 'inspect' ? inspectStat(m.inspect, c) : stat(m[c.metric], c.stat || 'mean_last', c.n, c.m);
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

// check: {run, metric, stat, n?, m?, op, value} or {run, metric, stat, op, than: {run, factor?}} (same metric and stat on another run)
// or, on the run's insides, {run, metric: 'inspect', stat: 'gate_after_marker'|'gate_after_marker_top', gate?, layer?, samples?, op, value}
// metricsByRun: {runId: metrics}. Returns [{check, value, other, pass}] (pass null when data is missing).
// check.minus: {metric, stat?, n?, m?} subtracts a statistic of another metric of the same run (and of the "than" run), e.g. the
// train/validation gap: {metric: 'val_loss', stat: 'mean_last', n: 3, minus: {metric: 'loss', n: 100}}
function minusOf(m, c) {
  return m ? stat(m[c.minus.metric], c.minus.stat || 'mean_last', c.minus.n, c.minus.m) : NaN;
}

function evaluate(checks, metricsByRun) {
  return (checks || []).map(function (c) {
    var m = metricsByRun[c.run];
    var v = m ? statOf(m, c) : NaN;
    if (c.minus) v -= minusOf(m, c);
    // than.factor scales the other run's value ("at least 2× lower": op '<', than {run, factor: 0.5})
    var other = c.than ? (metricsByRun[c.than.run] ? statOf(metricsByRun[c.than.run], c) * (c.than.factor || 1) : NaN) : c.value;
    if (c.minus && c.than) other -= minusOf(metricsByRun[c.than.run], c) * (c.than.factor || 1);
    var pass = (isNaN(v) || isNaN(other)) ? null : compare(v, c.op, other);
    return { check: c, value: v, other: other, pass: pass };
  });
}

// A number the lesson text states about its default experiment (lesson.json "numbers"), measured the same way as a check:
//   {id, run, metric, stat?, n?, m?, minus?, first?, x?, divide?, value, tol? | rtol?, lo?, hi?, text: {zh-TW, en}}
//   first: true     the metrics of the run's first step (the probes the page draws dashed) instead of the last ones
//   param: name     with metric 'weights' (run.exportWeights(), as the weight charts get it): that tensor, flattened
//   x: 'val_step'   the statistic is a position; report that entry of another metric instead (e.g. the step it happened at)
//   divide: {run, metric?, stat?, n?, m?}   divide by a statistic of another run (same metric, stat and minus unless given):
//                   "SGD ends 6× higher than momentum" is run sgd, divide {run: momentum}
//   pow: k        raise to the power k (e.g. 2: a variance from an act_std)
//   scale: k      multiply by k (e.g. 2 to express an MSE as a fraction of the know-nothing loss 0.5)
//   value ± tol (absolute) or value ± rtol·|value| (relative), and/or the bounds lo ≤ measured ≤ hi
// metricsByRun: {runId: metrics}; firstByRun: {runId: metrics after the first step} (only needed for first: true).
// Returns [{number, value, pass}] (pass null when data is missing).
function flat(x) { return Array.isArray(x) ? [].concat.apply([], x.map(flat)) : [x]; }

function measure(d, metricsByRun, firstByRun) {
  var m = (d.first ? firstByRun || {} : metricsByRun)[d.run];
  if (!m) return NaN;
  var arr = m[d.metric];
  if (d.param) arr = arr && arr[d.param] !== undefined ? flat(arr[d.param]) : undefined;
  var v = d.metric === 'inspect' ? inspectStat(m.inspect, d) : stat(arr, d.stat || 'mean_last', d.n, d.m);
  if (d.x) v = m[d.x] ? entry(m[d.x], v) : NaN;
  if (d.minus) v -= minusOf(m, d);
  if (d.pow !== undefined) v = Math.pow(v, d.pow);
  if (d.scale !== undefined) v *= d.scale;
  if (d.divide) {
    var o = measure({ run: d.divide.run, metric: d.divide.metric || d.metric, param: d.divide.param || d.param, stat: d.divide.stat || d.stat, n: d.divide.n !== undefined ? d.divide.n : d.n,
      m: d.divide.m !== undefined ? d.divide.m : d.m, minus: d.minus, first: d.first, gate: d.gate, layer: d.layer }, metricsByRun, firstByRun);
    v /= o;
  }
  return v;
}

function numbers(decls, metricsByRun, firstByRun) {
  return (decls || []).map(function (d) {
    var v = measure(d, metricsByRun, firstByRun);
    if (isNaN(v)) return { number: d, value: v, pass: null };
    var ok = true;
    if (d.tol !== undefined) ok = ok && Math.abs(v - d.value) <= d.tol;
    if (d.rtol !== undefined) ok = ok && Math.abs(v - d.value) <= d.rtol * Math.abs(d.value);
    if (d.lo !== undefined) ok = ok && v >= d.lo;
    if (d.hi !== undefined) ok = ok && v <= d.hi;
    return { number: d, value: v, pass: ok };
  });
}

export { stat, evaluate, numbers, lookAsks };
