// @ts-check
// Test build only (web/build.mjs --test defines RNNLAB_TEST): window.__lab, the page's parts as the browser tests read and
// poke them, window.Chart (tests read Chart.getChart(canvas)), and the crash hooks. Never in dist/: esbuild drops this module.
import * as i18n from './i18n.js';
import * as C from './charts.js';
import { ignoredMessages } from './page.js';
import { Chart } from './chartjs.js';
import { viewsAsk } from './view-base.js';

/** @param {{lesson: any, session: import('./lesson-session.js').Session, board: import('./lesson-charts.js').ChartBoard,
 *   progress: import('./run-progress.js').Progress, notices: import('./ui-notices.js').Notices,
 *   share: {urls: () => object}, trainer: ReturnType<typeof import('./trainer.js').createTrainer>}} p */
export function installTestHooks(p) {
  const { session, board, progress, notices, trainer } = p;
  const hooks = /** @type {NonNullable<typeof trainer.testHooks>} */ (trainer.testHooks);
  /** @type {any} */ (self).Chart = Chart;
  /** @type {any} */ (self).__lab = {
    lesson: p.lesson,
    state: () => Object.assign({}, session.state()),
    mode: session.mode,
    ready: session.ready,
    runs: () => JSON.parse(JSON.stringify(progress.all())),
    errors: notices.errors,
    /** @param {string} chartId @param {string} [runId] */
    points: (chartId, runId) => board.points(chartId, runId),
    /** the views (prediction, inside, generate) ask their runs questions (true, the default) or not @param {boolean} on */
    viewsAsk: (on) => viewsAsk(on),
    /** a chart's table (what its CSV download holds) @param {string} chartId */
    table: (chartId) => { const c = board.all()[chartId]; return c ? c.table() : null; },
    /** every chart of the board is a Chart.js chart by now (they are made in idle time or at their first data) */
    chartsMade: () => Object.keys(board.all()).every((id) => { const c = board.all()[id]; return !c.chart || !c.chart.pending; }),
    /** @param {string} chartId */
    previousPoints: (chartId) => board.previousPoints(chartId),
    /** @param {string} runId */
    metrics: (runId) => progress.metrics(runId),
    /** @param {object} patch */
    setState: (patch) => session.setState(patch),
    /** @param {string} runId @param {object|null} patch */
    setConfigOverride: (runId, patch) => session.setTestPatch(runId, patch),
    runList: () => session.runs().map((r) => ({ id: r.id, base: r.base, label: i18n.pick(r.label), color: r.color, overrides: Object.assign({}, r.overrides) })),
    /** @param {string} runId */
    config: (runId) => { const r = session.runs().filter((x) => x.id === runId)[0]; return r ? session.configOf(r) : null; },
    /** @param {string} base */
    addRun: (base) => session.addRun(base),
    /** @param {string} id */
    duplicateRun: (id) => session.duplicateRun(id),
    /** @param {string} id */
    removeRun: (id) => session.removeRun(id),
    /** @param {string} id @param {string} key @param {any} value */
    setOverride: (id, key, value) => session.setState({ [id + '.' + key]: value === undefined ? null : value }),
    notices: notices.notices,
    claimApplies: () => session.claimApplies(),
    shareUrls: () => p.share.urls(),
    train: session.train,
    pause: session.pause,
    palette: () => C.PALETTE.slice(),
    ignoredMessages,
    // crash recovery: a real abort()/trap inside the module while run `id` trains (now if no id)
    /** @param {string|null} id @param {import('./protocol.js').CrashHow} [how] */
    crashWorker: (id, how) => hooks.crash(id, how || 'abort'),
    restarts: trainer.restarts,
    /** @param {number} ms */
    setWatchdog: (ms) => hooks.setWatchdog(ms),
    workerMemory: () => trainer.memory(),
    /** the pool: worker count, the cap, run id -> worker slot */
    workers: () => trainer.workers(),
  };
}
