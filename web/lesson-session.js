// @ts-check
// The lesson page's session: owns the page state, the run list and the mode (loading | idle | training | paused | done |
// broken); applies a change's effects (web/lesson-state.js) to the trainer, the charts and the UI parts it is given, and
// turns the trainer's events into progress and messages. No DOM of its own: the UI parts draw, this decides.
import * as i18n from './i18n.js';
import * as L from './lesson-state.js';
import * as S from './schema.js';
import { PALETTE, setBusy } from './charts.js';
import { renderClaim, hideClaim, staleClaim, setClaimRuns } from './ui-notices.js';
import { lookAsks } from './claim.js';

/** @typedef {import('./lesson-state.js').PageState} PageState */
/** @typedef {import('./lesson-state.js').PageRun} PageRun */
/** @typedef {import('./protocol.js').TrainerEvent} TrainerEvent */
/** @typedef {'loading'|'idle'|'training'|'paused'|'done'|'broken'} Mode */
/**
 * @typedef {object} SessionParts
 * @property {L.LessonContext} ctx
 * @property {PageState} state                      the state to start from
 * @property {ReturnType<typeof import('./trainer.js').createTrainer>} trainer
 * @property {import('./lesson-charts.js').ChartBoard} board
 * @property {import('./run-progress.js').Progress} progress
 * @property {import('./ui-notices.js').Notices} notices
 * @property {(state: PageState, effects: L.Effects | null) => void} show  draw the state (controls, URL, hide flags)
 * @property {(runs: PageRun[]) => void} showRuns   the run list changed (runs table, share link)
 * @property {() => void} showStatus                the numbers or the mode changed
 */

/** @param {SessionParts} p */
export function createSession(p) {
  const { ctx, trainer, board, progress, notices } = p;
  let state = p.state;
  let runs = L.computeRuns(ctx, state, PALETTE.length);
  /** @type {Mode} */
  let mode = 'loading';
  let ready = false;
  /** @type {{[id: string]: object}} */
  let sent = {};            // run id -> the exact config last sent to the worker (downloads read it)
  /** @type {null | ((cfg: object, r: PageRun) => object)} */
  let dataOverride = null;  // "Your data" (web/datapanel.js) replaces the task
  /** @type {{[id: string]: object}} */
  const testPatch = {};     // test builds: id -> patch merged into that run's config
  /** @type {{[event: string]: Array<() => void>}} */
  const listeners = { mode: [], runs: [] };
  /** @type {null | {metrics: any, step: number, na: any}} */
  let lastClaim = null;     // what the claim box shows (redrawn in the other language)
  let claimStale = false;   // the claim box shows the previous settings' result
  setClaimRuns(ctx.lessonRuns);

  /** @param {string} e */
  const emit = (e) => listeners[e].forEach((f) => f());
  /** @param {string} id */
  const runLabel = (id) => { const r = runs.filter((x) => x.id === id)[0]; return r ? i18n.pick(r.label) : id; };

  /** @param {Mode} m */
  function setMode(m) {
    mode = m;
    setBusy(m === 'training'); // off-screen charts are not redrawn while training
    if (m !== 'training') progress.stopRates();
    p.showStatus();
    emit('mode');
  }

  // What the worker gets for one run: its config (with the data override and test patch), weights/trace as its charts need.
  /** @param {PageRun} r @returns {import('./protocol.js').RunSpec} */
  function workerSpec(r) {
    let cfg = L.runConfig(ctx, state, r);
    if (testPatch[r.id]) S.deepMerge(cfg, testPatch[r.id]);
    if (dataOverride) cfg = dataOverride(cfg, r);
    sent[r.id] = cfg;
    return { id: r.id, config: cfg, weights: L.wantWeights(ctx, r.base), trace: L.wantWeights(ctx, r.base, true) };
  }

  // keep: the curves drawn so far stay faded as the previous settings' and the claim stays marked as theirs (a change of
  // settings); without it (Reset, the worker's first start) both go
  /** @param {boolean} [keep] */
  function resetRuns(keep) {
    if (!ready) return;
    notices.clearErrors();
    const kept = keep && progress.maxStep() > 0 && board.keepPrevious();
    progress.reset(runs.map((r) => r.id));
    board.clear();
    board.setXMax(state.steps);
    if (kept) { staleClaim(); claimStale = true; } else { board.clearPrevious(); hideClaim(); claimStale = false; lastClaim = null; }
    trainer.create(runs.map(workerSpec));
    setMode('idle');
  }

  function train() {
    if (!ready) return;
    if (progress.finished(runs.map((r) => r.id), state.steps, true)) resetRuns();
    progress.startRates();
    trainer.train(state.steps);
    notices.say('');
    setMode('training');
  }

  function setRuns() {
    runs = L.computeRuns(ctx, state, PALETTE.length);
    p.showRuns(runs);
    emit('runs');
  }

  // The run list or some runs' overrides changed: dispose the removed runs, (re)create the new and changed ones, keep the rest.
  /** @param {L.Effects} fx @param {string[]} prevRuns */
  function changeRuns(fx, prevRuns) {
    const wasTraining = mode === 'training';
    setRuns();
    const fresh = runs.filter((r) => prevRuns.indexOf(r.id) < 0 || fx.restart.indexOf(r.id) >= 0);
    fx.removed.forEach((id) => progress.forget(id));
    progress.restart(fresh.map((r) => r.id));
    notices.clearErrors((e) => !e.run || (state.runs.indexOf(e.run) >= 0 && !fresh.some((r) => r.id === e.run)));
    if (ready) {
      trainer.dispose(fx.removed);
      trainer.create(fresh.map(workerSpec));
    }
    staleClaim(); claimStale = claimStale || !!lastClaim;
    board.rebuild(runs, state.steps, progress);
    if (ready && wasTraining) {
      progress.startRates();
      trainer.train(state.steps); // 'create'/'dispose' paused the worker's loop
    } else if (mode === 'done') setMode('paused');
    else p.showStatus();
  }

  // Anything that goes into every config resets the runs (and keeps training if it was); the run list and per-run
  // overrides restart only the runs they touch.
  /** @param {{[key: string]: any}} patch @param {{forceReset?: boolean}} [opts] */
  function setState(patch, opts) {
    const prevRuns = state.runs;
    const r = L.change(ctx, state, patch);
    state = r.state;
    const fx = r.effects;
    p.show(state, fx);
    if (fx.steps) {
      board.setXMax(state.steps);
      if (mode === 'training') trainer.setMaxSteps(state.steps);
      else if (mode === 'done') setMode('paused');
    }
    if (fx.config || (opts && opts.forceReset)) {
      const wasTraining = mode === 'training';
      if (fx.runs) {
        trainer.dispose(fx.removed);
        setRuns();
        board.rebuild(runs, state.steps, progress);
      }
      const had = progress.maxStep() > 0;
      resetRuns(true);
      if (wasTraining) train();
      if (had) notices.say(i18n.t(wasTraining ? 'settingsRestarted' : 'settingsKept'));
    } else if (fx.runs) {
      changeRuns(fx, prevRuns);
    }
  }

  /** @param {TrainerEvent} e */
  function onTrainer(e) {
    switch (e.type) {
      case 'ready':
        ready = true;
        notices.say(i18n.t('ready'));
        resetRuns();
        break;
      case 'tick':
        e.runs.forEach((r) => { if (progress.tick(r, mode === 'training')) board.setData(r.id, r.metrics, r.summary); });
        if (mode === 'training') progress.sampleOverall();
        p.showStatus();
        break;
      case 'stopped':
        if (mode === 'training' || e.reason === 'done') setMode(e.reason === 'done' ? 'done' : 'paused');
        if (e.reason === 'done' || progress.finished(runs.map((r) => r.id), state.steps)) showClaim();
        break;
      case 'runError':
        progress.fail(e.id, e.message);
        notices.addError(e.scope === 'create' ? 'errorCreate' : 'errorTrain', e.id, e.message);
        p.showStatus();
        break;
      case 'failed':
        if (e.scope === 'init') {
          notices.addError('errorInit', null, e.message === null ? i18n.t('noWorkerSource') : e.message);
          setMode('broken');
        } else {
          notices.addError('errorWorker', null, e.message);
          if (e.scope === 'worker') setMode(ready ? 'paused' : 'broken');
        }
        break;
      case 'crashed': {
        ready = false;
        const why = e.message !== null ? e.message : i18n.t('workerSilent', { seconds: e.silentSeconds });
        if (e.id && progress.status(e.id)) { progress.fail(e.id, why); notices.addError('crashedRun', e.id, why); }
        else notices.addError('crashed', null, why);
        if (e.restarting) { notices.say(i18n.t('crashRestarting')); setMode('loading'); }
        break;
      }
      case 'restored': {
        /** @type {string[]} */
        const parts = [];
        e.runs.forEach((r) => {
          if (!progress.restored(r)) return;
          if (r.differs) board.setData(r.id, r.metrics, r.summary);
          parts.push(runLabel(r.id) + ' → ' + progress.status(r.id).step);
        });
        ready = true;
        if (e.wasTraining && parts.length) train();
        else setMode('paused');
        notices.say(i18n.t(e.differs ? 'crashReplayedDiffers' : 'crashRestored', { runs: parts.join(', ') || '–' })); // (after train(), which clears it)
        break;
      }
      case 'gaveUp':
        ready = false;
        notices.addError('crashGaveUp', null, String(e.restarts));
        if (e.message) notices.say(e.message);
        setMode('broken');
        break;
      default:
        break;
    }
  }
  trainer.on(onTrainer);

  // The claim is about the lesson's own runs: added runs never count. A check on a run's insides (metric 'inspect') shows
  // "?" until the worker has answered its look (web/claim.js lookAsks); the box is then drawn again, unless it moved on.
  function showClaim() {
    /** @type {{[id: string]: any}} */
    const m = {};
    ctx.lessonRunIds.forEach((id) => { if (progress.metrics(id)) m[id] = progress.metrics(id); });
    const shown = lastClaim = { metrics: m, step: progress.maxStep(), na: claimApplies() };
    claimStale = false;
    renderClaim(ctx.lesson.claim, m, lastClaim.step, lastClaim.na);
    const asks = lookAsks(ctx.lesson.claim && ctx.lesson.claim.checks);
    Object.keys(asks).forEach((id) => {
      if (!m[id]) return;
      trainer.look(id, asks[id]).then((a) => {
        m[id] = Object.assign({}, m[id], { inspect: a.results });
        if (lastClaim === shown) claimAgain();
      }, () => {});
    });
  }
  function claimAgain() {
    if (!lastClaim) return;
    renderClaim(ctx.lesson.claim, lastClaim.metrics, lastClaim.step, lastClaim.na);
    if (claimStale) staleClaim();
  }

  // Whether the claim's checks apply: they are about the lesson's default experiment. Own data or a changed setting that
  // goes into the config (a preset, a slider; the seed excepted: the claim holds over seeds) makes all of them another
  // experiment; a lesson run's own overrides make that run's checks another experiment. Those are greyed out, not failed.
  function claimApplies() {
    const d = S.defaults(ctx.schema);
    /** @type {{all: string|null, runs: {[run: string]: string}}} */
    const na = { all: null, runs: {} };
    if (dataOverride) na.all = 'claimNaData';
    else if (ctx.schema.some((e) => e.path && e.key !== 'seed' && state[e.key] !== d[e.key]) ||
      (ctx.lesson.claim && ctx.lesson.claim.steps && state.steps < ctx.lesson.claim.steps)) na.all = 'claimNaSettings';
    runs.forEach((r) => { if (r.id === r.base && Object.keys(r.overrides).length) na.runs[r.id] = 'claimNaRun'; });
    ctx.lessonRunIds.forEach((id) => { if (state.runs.indexOf(id) < 0) na.runs[id] = 'claimNaRemoved'; });
    return na;
  }

  /** @param {{patch: object, id?: string} | {refused: string} | null} r @param {string} [said] */
  function runChange(r, said) {
    if (!r) return null;
    if ('refused' in r) { notices.say(i18n.t(r.refused, { n: ctx.maxRuns })); return null; }
    setState(r.patch);
    if (said && r.id) notices.say(i18n.t(said, { run: runLabel(r.id) }));
    return r.id || null;
  }

  return {
    state: () => state,
    runs: () => runs,
    mode: () => mode,
    ready: () => ready,
    runLabel,
    setState,
    train,
    pause() { trainer.pause(); },
    step() { trainer.step(ctx.stepSize); },
    reset() { resetRuns(); notices.say(i18n.t('resetDone')); },
    /** why claim checks do not apply now (tests) */
    claimApplies,
    /** @param {string} id */
    preset(id) {
      const pr = L.presetChange(ctx, id);
      if (!pr) return;
      setState(pr.patch, { forceReset: true });
      notices.say(i18n.t('applied', { name: i18n.pick(pr.label) }));
    },
    /** @param {string} base */
    addRun(base) { return runChange(L.addRun(ctx, state, base), 'runAdded'); },
    /** @param {string} id */
    duplicateRun(id) { return runChange(L.duplicateRun(ctx, state, runs, id), 'runAdded'); },
    /** @param {string} id */
    removeRun(id) {
      const label = runLabel(id), r = L.removeRun(state, id);
      if (!r || 'refused' in r) { runChange(r); return; }
      // Undo puts the run back where it was, with its own settings (it trains again from step 0)
      /** @type {{[key: string]: any}} */
      const back = { runs: state.runs.slice() };
      Object.keys(state).forEach((k) => { const o = S.splitOverride(k); if (o && o.id === id && !ctx.byKey[k]) back[k] = state[k]; });
      setState(r.patch);
      notices.say(i18n.t('runRemoved', { run: label }));
      notices.toast(i18n.t('runRemoved', { run: label }), i18n.t('undo'), () => { setState(back); notices.say(i18n.t('runBack', { run: label })); });
    },
    /** @param {{[key: string]: any}} patch @param {string} [restarted] */
    changeRun(patch, restarted) { setState(patch); if (restarted) notices.say(i18n.t('runRestarted', { run: runLabel(restarted) })); },
    /** @param {PageRun} r */
    configOf(r) { return workerSpec(r).config; },
    claimAgain,
    /** whether "Your data" replaces the lesson's task */
    dataActive: () => !!dataOverride,
    /** the config a run was last created with (null before the worker is ready) @param {string} id */
    sentConfig(id) { return sent[id] ? JSON.parse(JSON.stringify(sent[id])) : null; },
    /** the config a run gets from the lesson and the controls, before any data override @param {PageRun} r */
    lessonConfig(r) { return L.runConfig(ctx, state, r); },
    /** install (or remove, with null) the data override and recreate the runs with it @param {null | ((cfg: object, r: PageRun) => object)} f */
    setDataOverride(f) {
      dataOverride = f;
      const wasTraining = mode === 'training';
      resetRuns(true);
      if (wasTraining) train();
    },
    /** test builds: a patch merged into one run's config @param {string} id @param {object|null} patch */
    setTestPatch(id, patch) { if (patch) testPatch[id] = patch; else delete testPatch[id]; resetRuns(); },
    /** @param {'mode'|'runs'} event @param {() => void} f */
    on(event, f) { listeners[event].push(f); },
  };
}
/** @typedef {ReturnType<typeof createSession>} Session */
