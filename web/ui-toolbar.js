// @ts-check
// The toolbar of a lesson page: Train, Pause, Step and Reset (wired to the handlers it is given, enabled by mode), the step
// counter and the steps per second, and the panel's data-mode attribute (CSS and the add-ons read it). No training logic.
import * as i18n from './i18n.js';
import { setText, setFlag } from './dom.js';

/** @param {{train: () => void, pause: () => void, step: () => void, reset: () => void}} on */
export function createToolbar(on) {
  /** @param {string} id */
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const train = $('btn-train'), pause = $('btn-pause'), step = $('btn-step'), reset = $('btn-reset'), panel = $('lab-panel');
  train.addEventListener('click', on.train);
  pause.addEventListener('click', on.pause);
  step.addEventListener('click', on.step);
  reset.addEventListener('click', on.reset);
  return {
    /** @param {{mode: string, ready: boolean, step: number, rate: number}} v */
    render(v) {
      const training = v.mode === 'training';
      setText($('step-counter'), i18n.t('stepCounter', { step: v.step }));
      setText($('steps-per-sec'), training && v.rate > 0 ? i18n.t('stepsPerSec', { rate: Math.round(v.rate) }) : '');
      setFlag(train, 'disabled', !v.ready || training);
      setFlag(pause, 'disabled', !training);
      setFlag(step, 'disabled', !v.ready || training);
      setFlag(reset, 'disabled', !v.ready);
      if (panel.getAttribute('data-mode') !== v.mode) panel.setAttribute('data-mode', v.mode);
    },
    focusTrain() { train.focus(); },
  };
}
