// @ts-check
// Entry of assets/worker-bundle.js, the first script of a lesson's <body> (not async: an async script waited in one trace
// ~0.4 s for the article's layout and the lesson bundle before it ran): starts the training worker (a Blob worker made from
// rnnlab.js + web/worker.js, so file:// works) the moment it arrives, so that the module compiles while the page parses and
// lays out, and keeps what it posts until the lesson runtime adopts it. Not the trainer client (web/trainer.js): it only
// hands over a started worker and the worker's source.
import workerSource from 'rnnlab:worker-source';

// The hand-off to the lesson bundle (a separate classic script, so through two globals): RnnLabWorkerSource (to start
// workers again after a crash) and RnnLabWorkerBoot {worker, adopt()} (once; adopt() replays the early events).
self.RnnLabWorkerSource = workerSource;

(function boot() {
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || !self.URL || typeof self.document !== 'object') return;
  try {
    // RnnLabAutoInit: the worker inits itself (web/worker.js, at its end) instead of waiting for an 'init' from here: a
    // message to a worker that is still starting is handed over by this page's main thread, which is then busy with the
    // article's layout and the lesson bundle (in one trace the 'init' reached the worker 0.43 s after its script had run)
    var w = new Worker(URL.createObjectURL(new Blob(['self.RnnLabAutoInit=1;\n', workerSource], { type: 'text/javascript' })));
    var early = [];
    w.onmessage = function (ev) { early.push(ev); };
    w.onerror = function (ev) { ev.preventDefault(); early.push(ev); };
    // once the page has loaded and drawn a frame, the worker may train its lesson-sized warm-up (web/worker.js): posted at
    // once, it took the cores from the page's own layout
    addEventListener('load', function () {
      requestAnimationFrame(function () { setTimeout(function () { w.postMessage({ type: 'warm' }); }, 0); });
    }, { once: true });
    self.RnnLabWorkerBoot = {
      worker: w,
      // call after setting w.onmessage / w.onerror: replays the early events to them
      adopt: function () {
        self.RnnLabWorkerBoot = null;
        early.splice(0).forEach(function (ev) { (ev.type === 'error' ? w.onerror : w.onmessage).call(w, ev); });
      }
    };
  } catch (e) { /* the lesson runtime starts the worker itself */ }
})();
