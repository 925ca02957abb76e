// Accessibility checks in Chromium: axe-core (node_modules/axe-core) on the index and a lesson page in both languages, after
// training, with the data panel and downloads open, in light and dark mode; dark-mode chart colours, reduced motion and a visible
// focus outline on every control reached by Tab. Not a substitute for trying the pages with a screen reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LESSON, ROOT, watchErrors, waitReady, waitCharts, useBrowser } from './helpers.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
let server, browser;
// axe is served from the page's own origin: the pages' CSP (script-src 'self') stays on during the check
useBrowser((s, b) => { server = s; browser = b; }, { '/axe.min.js': ['text/javascript; charset=utf-8', fs.readFileSync(AXE)] });

// serious and critical violations, as "rule: target (summary)" lines
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: server.url('axe.min.js') });
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished))); // no colour caught mid-transition
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${(n.failureSummary || '').split('\n').slice(1, 2).join('')})`));
  });
}

async function trainALittle(page) {
  await waitReady(page);
  await page.locator('#btn-train').click();
  await page.waitForFunction(() => window.__lab.points('loss') > 10, null, { timeout: 30000 });
  await page.locator('#btn-pause').click();
  await page.waitForFunction(() => window.__lab.mode() === 'paused', null, { timeout: 10000 });
}

test('axe finds no serious or critical violations on the index and a trained lesson, in both languages, light and dark', { timeout: 90000 }, async () => {
  for (const scheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
    const errors = watchErrors(page);
    // dark mode changes colours only: one language of each page is enough there
    for (const lang of scheme === 'light' ? ['zh-TW', 'en'] : ['en']) {
      await page.goto(server.url(`index.html?lang=${lang}`));
      assert.deepEqual(await axeViolations(page), [], `index ${lang} ${scheme}`);
    }
    await page.goto(server.url(LESSON));
    if (scheme === 'light') await trainALittle(page); else await waitReady(page); // dark: colours only, training adds nothing
    // open everything that can be opened: data panel with an error and a preview, downloads, chart summaries
    await page.locator('#data-details summary').click();
    await page.locator('#downloads-details summary').click();
    await page.locator('#data-text').fill('a,b\n1,2\nx,4\n');
    await page.locator('#data-check').click();
    await page.locator('#data-errors').waitFor();
    for (const d of await page.locator('details.chart-summary summary').all()) await d.click();
    for (const lang of scheme === 'light' ? ['zh-TW', 'en'] : ['en']) {
      if (lang === 'en') await page.locator('[data-set-lang="en"]').click();
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.deepEqual(await axeViolations(page), [], `lesson ${lang} ${scheme} (data error shown)`);
    }
    if (scheme === 'light') {
      await page.locator('#data-text').fill('t,v\n' + Array.from({ length: 40 }, (_, i) => `${i},${Math.sin(i)}`).join('\n'));
      await page.locator('#data-check').click();
      await page.locator('#data-preview').waitFor();
      assert.deepEqual(await axeViolations(page), [], `lesson en ${scheme} (data preview shown)`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('dark mode: the page and the chart axes take their colours from the dark custom properties', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  await page.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(page);
  await waitCharts(page);
  const look = () => page.evaluate(() => {
    const css = getComputedStyle(document.documentElement);
    const chart = window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas'));
    return {
      bg: getComputedStyle(document.body).backgroundColor, rootBg: css.backgroundColor, text: css.getPropertyValue('--chart-text').trim(),
      grid: css.getPropertyValue('--chart-grid').trim(), tick: chart.options.scales.x.ticks.color, gridColor: chart.options.scales.y.grid.color,
      legend: chart.options.plugins.legend.labels.color,
    };
  });
  const dark = await look();
  assert.equal(dark.rootBg, 'rgb(20, 20, 20)');
  assert.equal(dark.tick, dark.text);
  assert.equal(dark.legend, dark.text);
  assert.equal(dark.gridColor, dark.grid);
  assert.equal(dark.text, '#d0d0cc');
  // switching the system to light restyles the existing charts without a reload
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas')).options.scales.x.ticks.color === '#444444');
  assert.equal((await look()).rootBg, 'rgb(251, 251, 250)');
  await page.close();
});

test('prefers-reduced-motion turns off Chart.js animation and CSS transitions', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ reducedMotion: 'reduce' });
  await page.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(page);
  await waitCharts(page);
  const state = () => page.evaluate(() => {
    const chart = window.Chart.getChart(document.querySelector('figure[data-chart="loss"] canvas'));
    return { defaults: window.Chart.defaults.animation, tooltip: chart.options.plugins.tooltip.animation,
             transition: getComputedStyle(document.getElementById('btn-reset')).transitionDuration };
  });
  const reduced = await state();
  assert.equal(reduced.defaults, false);
  assert.equal(reduced.tooltip, false);
  assert.equal(reduced.transition, '0s');
  await page.close();
  const normal = await browser.newPage({ reducedMotion: 'no-preference' });
  await normal.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(normal);
  assert.match(await normal.evaluate(() => getComputedStyle(document.getElementById('btn-reset')).transitionDuration), /^0\.15s/);
  assert.notEqual(await normal.evaluate(() => window.Chart.defaults.animation), false);
  await normal.close();
});

test('every control reached by Tab shows a visible focus outline', { timeout: 60000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(server.url(`${LESSON}?lang=en`));
  await waitReady(page);
  await waitCharts(page);
  await page.locator('#data-details summary').click();
  await page.locator('#downloads-details summary').click();
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const seen = new Set(), missing = [];
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const id = e.id || e.getAttribute('data-export') || e.getAttribute('data-set-lang') || e.getAttribute('name') || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30);
      return { key: `${e.tagName.toLowerCase()}#${id}#${e.closest('[data-chart],[data-run]')?.getAttribute('data-chart') || ''}${e.closest('[data-run]')?.getAttribute('data-run') || ''}`,
               outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    if (!f) continue;
    if (seen.has(f.key)) break; // wrapped around
    seen.add(f.key);
    if (!f.outline) missing.push(f.key);
  }
  assert.deepEqual(missing, []);
  // the walk reached the lesson's controls, the data panel, the chart downloads and the run downloads
  const keys = [...seen].join('\n');
  for (const want of ['button#btn-train', 'input#ctl-length', 'textarea#data-text', 'input#data-file', 'button#data-use', 'button#png#loss', 'button#weights#lstm']) {
    assert.ok(keys.includes(want), `Tab reaches ${want}`);
  }
  await page.close();
});
