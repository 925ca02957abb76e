// @ts-check
// Worker side of the views' questions ({type:'look'}): runs predict / inspect / generate (and a free-running forecast made of
// predict calls) on one run and returns plain copied arrays. Not training: every call here leaves the run as it was.
//
// An ask is {op:'predict', inputs} | {op:'inspect', sample?|inputs?, layers?: false (drop the per-layer arrays)}
//   | {op:'generate', prime?, length?, temperature?, seed?} | {op:'info'} (taskInfo(), config().task and config().model) | {op:'forecast', sample, steps} (regression, readout last,
//   one input per step: the sample's window, then each prediction appended and the window slid, `steps` times ≤ 500).

/** a deep copy with every typed array turned into a plain array: views into wasm memory go stale when it grows, and a plain
 *  array is what the page expects @param {any} v @returns {any} */
export function plain(v) {
  if (v === null || typeof v !== 'object') return v;
  if (ArrayBuffer.isView(v)) return Array.from(/** @type {Float32Array} */ (v));
  if (Array.isArray(v)) return v.map(plain);
  /** @type {{[k: string]: any}} */
  const o = {};
  Object.keys(v).forEach((k) => { o[k] = plain(v[k]); });
  return o;
}

/** @param {any} run @param {any} a */
function forecast(run, a) {
  const steps = a.steps;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= 500)) throw new Error('forecast.steps = ' + String(steps) + ': not allowed; allowed: an integer from 1 to 500');
  const start = run.inspect({ sample: a.sample });
  const win = plain(start.inputs);
  if (!win.length || win[0].length !== 1 || plain(start.output).length !== 1) throw new Error('forecast: allowed only on a task with one input and one output per step (sine, value)');
  const out = [];
  for (let s = 0; s < steps; s++) {
    const y = plain(run.predict([win]))[0][0];
    out.push(y);
    win.shift();
    win.push([y]);
  }
  return { window: plain(start.inputs).map((r) => r[0]), target: plain(start.target), forecast: out };
}

/** answers a list of asks on one run; the first bad one throws (its message names the key and what is allowed)
 *  @param {any} run @param {any[]} asks @returns {any[]} */
export function answer(run, asks) {
  if (!Array.isArray(asks) || !asks.length || asks.length > 256) throw new Error('look.asks: allowed: 1 to 256 asks');
  return asks.map((a) => {
    const op = a && a.op;
    if (op === 'predict') return plain(run.predict(a.inputs));
    if (op === 'inspect') {
      const r = run.inspect(a.inputs !== undefined ? { inputs: a.inputs } : { sample: a.sample });
      if (a.layers === false) return { inputs: plain(r.inputs), target: plain(r.target), output: plain(r.output) };
      return plain(r);
    }
    if (op === 'generate') {
      /** @type {{[k: string]: any}} */
      const g = {};
      ['prime', 'length', 'temperature', 'seed'].forEach((k) => { if (a[k] !== undefined) g[k] = a[k]; });
      return run.generate(g);
    }
    if (op === 'forecast') return forecast(run, a);
    if (op === 'info') { const c = run.config(); return plain({ info: run.taskInfo(), task: c.task, model: c.model }); }
    throw new Error('look.op = ' + String(op) + ': not allowed; allowed: predict, inspect, generate, forecast, info');
  });
}
