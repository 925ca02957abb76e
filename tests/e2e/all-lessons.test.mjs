// all-lessons.test.mjs — every lesson listed in lessons/course.json opens over http (Traditional Chinese), switches language
// without reload, trains its first preset until its first chart has points, with no console errors; every fourth lesson
// (1, 5, 9, 13) also from file:// in English (the runtime is the same for all; each page load costs a wasm start-up). Not a claim test (tests/node/lessons.test.mjs) and not lesson 1's controls (lesson.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, DIST, fileUrl, watchErrors, waitReady, useBrowser } from './helpers.mjs';

const course = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons/course.json'), 'utf8'));
const lessons = course.sections.filter((s) => s.folder).map((s, i) => {
  const data = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons', s.folder, 'lesson.json'), 'utf8'));
  return { id: s.id, page: `lessons/${s.id}.html`, firstChart: data.charts[0].id, file: i % 4 === 0 };
});

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

async function trainUntilPoints(page, chart) {
  await waitReady(page);
  await page.click('#btn-train');
  await page.waitForFunction((c) => window.__lab.points(c) > 0, chart, { timeout: 45000 });
  // a lesson whose preset is a single step is done already: Pause is disabled then (clicking it would wait 30 s for it)
  if (await page.locator('#btn-pause').isEnabled()) await page.click('#btn-pause', { timeout: 5000 }).catch(() => {});
}

for (const l of lessons) {
  test(`${l.id}: http in zh-TW, language switch${l.file ? ', file:// in English' : ''} — trains and plots`, { timeout: 120000 }, async () => {
    assert.ok(fs.existsSync(path.join(DIST, l.page)), `${l.page} built`);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url(l.page));
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-TW');
    await trainUntilPoints(page, l.firstChart);
    await page.click('[data-set-lang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 });
    assert.ok(await page.getByRole('button', { name: 'Train', exact: true }).isVisible());
    await page.close();

    let localErrors = [];
    if (l.file) {
      const local = await browser.newPage();
      localErrors = watchErrors(local);
      await local.goto(`${fileUrl(l.page)}?lang=en`);
      assert.equal(await local.getAttribute('html', 'lang'), 'en');
      await trainUntilPoints(local, l.firstChart);
      await local.close();
    }
    assert.deepEqual([...errors, ...localErrors], []);
  });
}
