// @ts-check
// The training worker's warm-up (web/worker.js owns the worker; this only trains scratch runs and disposes them): it gets V8
// to compile the module's hot code before the student presses Train. Not training: no run of the page is touched.
//
// Warm-up, in two parts. V8 runs a wasm function first as baseline code (Liftoff), compiled lazily at its first call, and
// recompiles it with its optimizing compiler (TurboFan, on background threads) only once it has run enough ("dynamic
// tiering"). (1) Right after 'ready' the worker that compiled the module trains 2 steps of a tiny scratch run of each cell:
// the lazy compiles (0.3–0.6 s) then no longer follow a click on Train. (2) When the page has loaded and drawn
// (worker-bundle.js posts {type:'warm'}), it trains WARM_STEPS steps of a lesson-sized scratch run of each cell, so that the
// hot functions are recompiled before the click: without it lesson 1's first round took 120–160 ms instead of ~10, the
// verdict came ~0.6 s later than with tiering off, and the page had 2–6 tasks over 50 ms while training (docs/performance.md,
// "Session 7"). Started at 'ready' instead, (2) took the cores from the page's layout (Train enabled ~0.2 s later). Both
// stop as soon as training is asked for, one step per task so that messages get through. The compiled code lives in the
// module the workers share, so the others profit too. Scratch runs touch no state of other runs (each run has its own
// RNG): losses unchanged (tests/e2e/pool.test.mjs compares the page after a warm-up with Node).

export const WARM_STEPS = 40;

/**
 * @param {() => any} getLab          the loaded module (null before 'ready')
 * @param {() => boolean} busy        training runs or the module crashed: the warm-up stops
 * @param {(e: any) => boolean} crashed  an exception out of the module: true when it was a crash (the worker handled it)
 */
export function createWarmUp(getLab, busy, crashed) {
  /** @type {Array<{cell: string, hidden: number, length: number, batch: number, steps: number}>} */
  let todo = [];
  let run = null, steps = 0, going = false, total = 0;
  let isReady = false, compiler = false, wanted = false, off = false;

  /** @param {boolean} full  lesson-sized (true) or tiny (false) */
  function plan(full) {
    const s = full ? { hidden: 32, length: 30, batch: 32, steps: WARM_STEPS } : { hidden: 8, length: 4, batch: 4, steps: 2 };
    return ['lstm', 'gru', 'rnn'].map((cell) => ({ cell, ...s }));
  }
  /** @param {typeof todo} more */
  function add(more) {
    if (off || busy()) return;
    todo = todo.concat(more);
    if (!going) { going = true; setTimeout(next, 0); }
  }
  function done() {
    todo = [];
    going = false;
    if (run) { try { run.dispose(); } catch (e) { /* gone */ } run = null; }
  }
  // one step per task, so that the page's messages get through
  function next() {
    const lab = getLab();
    if (off || busy() || !lab || !todo.length) { done(); return; }
    const w = todo[0];
    try {
      if (!run) {
        steps = 0;
        run = lab.createRun({ seed: 1, task: { name: 'adding', length: w.length }, model: { cell: w.cell, hidden: w.hidden, layers: 1, readout: 'last' },
          optimizer: { name: 'adam', lr: 0.01 }, loss: 'mse', batch: w.batch });
      }
      run.train(1);
      total++;
      if (steps % 8 === 0) run.metrics(); // the probes' code too
      if (++steps >= w.steps) { run.dispose(); run = null; todo.shift(); }
    } catch (e) {
      if (crashed(e)) { going = false; run = null; todo = []; return; }
      done();
      return;
    }
    setTimeout(next, 0);
  }

  return {
    /** the module is loaded; `compiled`: this worker compiled it (the others were handed it and warm nothing) @param {boolean} compiled */
    ready(compiled) {
      isReady = true;
      compiler = compiled;
      if (compiler) add(plan(false).concat(wanted ? plan(true) : []));
    },
    /** worker-bundle.js: the page has loaded and drawn; the lesson-sized part may start (at 'ready' if that is later) */
    request() {
      if (!isReady) { wanted = true; return; }
      if (compiler) add(plan(true));
    },
    /** training was asked for: no more warm-up, now or later */
    stop() { off = true; },
    /** scratch steps trained so far */
    steps() { return total; },
  };
}
