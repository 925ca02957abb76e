// @ts-check
// Entry of a lesson page (bundled into assets/lesson-bundle.js): the composition root. Reads the lesson data the build
// embedded, makes the parts (trainer client, session, charts, controls, runs table, share dialog, notices, add-ons) and
// wires them to each other. No logic of its own beyond the wiring; generic for every lesson; never trains on the main thread.
import * as i18n from './i18n.js';
import * as page from './page.js';
import * as S from './schema.js';
import { lessonContext, initialState, hashChange } from './lesson-state.js';
import { createTrainer } from './trainer.js';
import { createProgress } from './run-progress.js';
import { createChartBoard } from './lesson-charts.js';
import { createSession } from './lesson-session.js';
import { createControls } from './ui-controls.js';
import { createRunsTable } from './ui-runs.js';
import { createShare, renderDiffers } from './ui-share.js';
import { createToolbar } from './ui-toolbar.js';
import { createNotices, claimShown } from './ui-notices.js';
import { startDataPanel } from './datapanel.js';
import { startDownloads } from './export.js';
import { installTestHooks } from './test-hooks.js';
import { setViewHost } from './view-base.js';
import { buildIdle } from './charts.js';
import { setupLayout } from './ui-layout.js';
import { loadSaved, hasState, startPlaygroundStore } from './playground-store.js';


const lesson = JSON.parse(/** @type {HTMLElement} */ (document.getElementById('lesson-data')).textContent || '{}');
const ctx = lessonContext(lesson);
// the Playground starts from the experiment saved in this browser when the URL names none (web/playground-store.js)
const playground = lesson.id === 'playground';
const urlPairs = page.readHashPairs(), saved = playground && !hasState(urlPairs) ? loadSaved() : null;
const start = initialState(ctx, saved ? saved.pairs : urlPairs);
/** @type {{save: () => void}|null} */
let store = null;
/** @param {string} part */
const isHidden = (part) => session.state().hide.indexOf(part) >= 0;

page.setupEmbed(lesson.id);
page.setupLang(() => writeUrl());

const trainer = createTrainer();
// the run table's loss column uses the smoothing of the lesson's first training-loss line chart
const lossChart = (lesson.charts || []).filter((c) => c.metric === 'loss' && (!c.kind || c.kind === 'line') && c.x !== 'index')[0];
const progress = createProgress({ smooth: lossChart && lossChart.smooth !== undefined ? lossChart.smooth : 0.8 });
const board = createChartBoard(lesson.charts || [], (r) => /** @type {any} */ (session.configOf(r)).task); // (called once the session exists)
const toolbar = createToolbar({ train: () => session.train(), pause: () => session.pause(), step: () => session.step(), reset: () => session.reset() });
const notices = createNotices({ runLabel: (id) => session.runLabel(id), focusAfterDismiss: () => toolbar.focusTrain() });
const controls = createControls(/** @type {HTMLElement} */ (document.getElementById('controls')), ctx.schema, (patch) => session.setState(patch));
const runsTable = createRunsTable(ctx, {
  duplicate: (id) => { session.duplicateRun(id); },
  remove: (id) => session.removeRun(id),
  add: (base) => { session.addRun(base); },
  change: (patch, restarted) => session.changeRun(patch, restarted),
  configOf: (r) => session.configOf(r),
  say: (text) => notices.say(text),
});
const session = createSession({
  ctx, state: start.state, trainer, board, progress, notices,
  show(state, fx) {
    controls.show(state);
    writeUrl();
    if (fx && fx.hide) applyHide();
    else renderDiffers(ctx, state, session.runs());
  },
  showRuns(runs) {
    runsTable.build(runs);
    showStatus();
    share.refresh();
    renderDiffers(ctx, session.state(), runs);
  },
  showStatus,
});
const share = createShare(ctx, { state: () => session.state(), dataActive: () => session.dataActive() });

function writeUrl() {
  page.writeHashPairs(S.serializeState(session.state(), ctx.urlCtx));
  if (store) store.save();
}

function showStatus() {
  runsTable.render(progress, session.mode(), session.state().steps);
  toolbar.render({ mode: session.mode(), ready: session.ready(), step: progress.maxStep(), rate: progress.rate() });
}

// hide flags (#hide=…): classes on <html> for whole parts, a class on single controls and charts
function applyHide() {
  const html = document.documentElement;
  S.HIDE_PARTS.forEach((t) => html.classList.toggle('hide-' + t, isHidden(t)));
  ctx.schema.forEach((e) => { const w = controls.wrapper(e.key); if (w) w.classList.toggle('url-hidden', isHidden('ctl-' + e.key)); });
  document.querySelectorAll('figure[data-chart]').forEach((f) => f.classList.toggle('url-hidden', isHidden('chart-' + f.getAttribute('data-chart'))));
  board.place(isHidden('text'));
  renderDiffers(ctx, session.state(), session.runs());
}

controls.show(session.state());
runsTable.build(session.runs());
applyHide();
notices.setNotices(start.notices);
board.place(isHidden('text')); // canvases go into the visible article before Chart.js measures them
board.build(session.runs(), session.state().steps);
buildIdle(); // the Chart.js charts are made in idle time (while the worker compiles) or at their first data (web/charts.js)
showStatus();
setupLayout();

i18n.onChange(() => {
  board.place(isHidden('text'));
  board.relabel();
  notices.relabel();
  if (claimShown()) session.claimAgain();
  runsTable.build(session.runs());
  showStatus();
  share.refresh();
  renderDiffers(ctx, session.state(), session.runs());
  if (!session.ready() && session.mode() !== 'broken') notices.say(i18n.t('loading'));
  else if (session.ready() && session.mode() === 'idle') notices.say(i18n.t('ready'));
});
document.querySelectorAll('[data-preset]').forEach((b) => b.addEventListener('click', () => session.preset(b.getAttribute('data-preset') || '')));
addEventListener('hashchange', () => {
  if (!page.hashIsState()) return;
  const h = hashChange(ctx, session.state(), page.readHashPairs());
  notices.setNotices(h.notices);
  session.setState(h.patch);
});

notices.say(i18n.t('loading'));
trainer.start(session.runs().length); // as many workers as the runs can use start now
setViewHost({ look: (id, asks) => trainer.look(id, asks) }); // the views' questions to the runs (web/view-base.js)

// the add-ons get the view of the page they need, nothing more
const view = {
  lesson,
  runs: session.runs,
  charts: board.all,
  mode: session.mode,
  step: () => progress.maxStep(),
  config: session.sentConfig,
  lessonConfig: session.lessonConfig,
  setDataOverride: session.setDataOverride,
  /** @param {string} id */
  exportWeights: (id) => trainer.exportWeights(id),
  /** @param {string} id */
  exportTorch: (id) => trainer.exportTorch(id),
  /** @param {() => void} f the views (prediction, inside, generate) change outside ticks too */
  onChartsChange: (f) => { board.onChange(f); setViewHost({ changed: f }); },
  /** @param {() => void} f */
  onModeChange: (f) => session.on('mode', f),
  /** @param {() => void} f */
  onRunsChange: (f) => session.on('runs', f),
};
startDataPanel(view);
store = playground ? startPlaygroundStore({ pairs: () => S.serializeState(session.state(), ctx.urlCtx), say: (t) => notices.say(t), cleared: i18n.t('page.savedCleared') }) : null;
if (store) store.save();
startDownloads(view);
if (RNNLAB_TEST) installTestHooks({ lesson, session, board, progress, notices, share, trainer });
