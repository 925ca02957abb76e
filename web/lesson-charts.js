// @ts-check
// The lesson's charts as one board: makes a chart of the right kind for every chart spec of the lesson, feeds them the runs'
// metrics (a chart's Chart.js instance is made at its first redraw after its first data: web/charts.js), rebuilds them
// when the run list changes (replaying each run's first and latest metrics), and keeps each figure in the visible article.
// Not a chart kind (web/chart-*.js) and not the run state (web/run-progress.js).
import * as i18n from './i18n.js';
import { createChart } from './chart-kinds.js';
import { chartSpecFor } from './lesson-state.js';

/** @typedef {import('./lesson-state.js').PageRun} PageRun */
/** @typedef {import('./run-progress.js').Progress} Progress */

/** @param {import('./charts.js').ChartSpec[]} specs the lesson's chart specs
 *  @param {(r: PageRun) => any} [taskOf] a run's resolved task config (a view sizes its box by task before the first tick) */
export function createChartBoard(specs, taskOf) {
  /** @type {{[id: string]: any}} */
  let charts = {};
  let changed = () => {};

  /** @param {PageRun[]} runs @param {number} xMax */
  function build(runs, xMax) {
    specs.forEach((spec) => {
      const canvas = document.querySelector('figure[data-chart="' + spec.id + '"] canvas');
      if (canvas) charts[spec.id] = createChart(canvas, chartSpecFor(spec, runs), runs, { xMax, taskOf });
    });
  }
  /** @param {(c: any) => void} f */
  const each = (f) => Object.keys(charts).forEach((id) => f(charts[id]));

  return {
    build,
    /** charts are made for a fixed run list: destroy and recreate them, then replay every kept run's first and last
     *  metrics (histories are whole; weight traces are kept whole by the progress) @param {PageRun[]} runs @param {number} xMax @param {Progress} progress */
    rebuild(runs, xMax, progress) {
      /** @type {{[id: string]: any}} */
      const prev = {};
      each((c) => { if (c.prev) prev[c.spec.id] = c.prev; try { c.destroy(); } catch (e) { /* already gone */ } }); // (destroy() also drops a redraw still queued)
      charts = {};
      build(runs, xMax);
      each((c) => { if (c.setPrevious && prev[c.spec.id]) c.setPrevious(prev[c.spec.id]); }); // the previous settings' curves stay
      each((c) => runs.forEach((r) => {
        const k = progress.replay(r.id);
        if (!k || !k.last || !c.accepts(r.id)) return;
        c.fed = true;
        if (k.first && k.first !== k.last) c.setData(r.id, k.first, k.summary);
        c.setData(r.id, k.trace ? Object.assign({}, k.last, { weightsTrace: k.trace }) : k.last, k.summary);
      }));
      changed();
    },
    /** @param {string} runId @param {any} metrics @param {any} summary */
    setData(runId, metrics, summary) { each((c) => { if (c.accepts(runId)) { c.fed = true; c.setData(runId, metrics, summary); } }); changed(); },
    clear() { each((c) => c.clear()); changed(); },
    /** the curves drawn now stay, faded, as the previous settings' (line charts); true when there were any */
    keepPrevious() { let any = false; each((c) => { if (c.keepPrevious && c.keepPrevious()) any = true; }); return any; },
    /** Reset: the previous settings' curves go */
    clearPrevious() { each((c) => { if (c.clearPrevious) c.clearPrevious(); }); },
    /** @param {string} chartId how many previous-settings points a chart holds (tests) */
    previousPoints(chartId) { return charts[chartId] && charts[chartId].previousCount ? charts[chartId].previousCount() : 0; },
    /** @param {number} n */
    setXMax(n) { each((c) => c.setXMax(n)); },
    relabel() { each((c) => c.relabel()); },
    /** the chart objects by chart id (add-ons read table() / summary()) */
    all() { return charts; },
    /** @param {string} chartId @param {string} [runId] */
    points(chartId, runId) { return charts[chartId] ? charts[chartId].pointCount(runId) : 0; },
    /** called after the charts' data changed (web/export.js refreshes the summaries) @param {() => void} f */
    onChange(f) { changed = f; },
    /** each figure into the slot of the visible language's article (one canvas per chart, shared by both texts), or
     *  the fallback when the text is hidden @param {boolean} textHidden */
    place(textHidden) {
      const lang = i18n.get();
      document.querySelectorAll('figure[data-chart]').forEach((fig) => {
        const id = fig.getAttribute('data-chart');
        const slot = (textHidden ? null : document.querySelector('article[data-lang="' + lang + '"] .chart-slot[data-chart="' + id + '"]')) ||
          document.querySelector('#chart-fallback');
        if (slot && fig.parentNode !== slot) slot.appendChild(fig);
      });
    },
  };
}
/** @typedef {ReturnType<typeof createChartBoard>} ChartBoard */
