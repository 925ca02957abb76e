// Takes screenshots of the index and lesson 1 at 360 px and 1280 px (after some training) into /tmp for a person to look at.
// It asserts only that the pages render without horizontal overflow and without errors; it writes nothing into the repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LESSON, SHOTS, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
fs.mkdirSync(SHOTS, { recursive: true });
useBrowser((s, b) => { server = s; browser = b; });

for (const width of [360, 1280]) {
  test(`screenshots at ${width} px`, { timeout: 60000 }, async () => {
    const page = await browser.newPage({ viewport: { width, height: width < 500 ? 740 : 860 } });
    const errors = watchErrors(page);
    try {
      for (const lang of ['zh-TW', 'en']) {
        await page.goto(server.url(`index.html?lang=${lang}`));
        await page.screenshot({ path: path.join(SHOTS, `index-${width}-${lang}.png`), fullPage: true });
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `index ${lang} fits ${width} px`);
      }
      // the lesson trains once; the second language is a switch without reload (the charts keep their points)
      await page.goto(server.url(LESSON));
      await waitReady(page);
      await page.locator('#btn-train').click();
      await page.waitForFunction(() => window.__lab.points('loss') > 30 && window.__lab.points('grad_t') > 0, null, { timeout: 30000 });
      await page.waitForTimeout(1500);
      await page.locator('#btn-pause').click();
      await page.waitForFunction(() => window.__lab.mode() === 'paused');
      for (const lang of ['zh-TW', 'en']) {
        if (lang === 'en') {
          await page.locator('[data-set-lang="en"]').click();
          await page.waitForFunction(() => document.documentElement.lang === 'en');
        }
        await page.waitForTimeout(200);
        await page.screenshot({ path: path.join(SHOTS, `lesson-${width}-${lang}.png`), fullPage: true });
        await page.screenshot({ path: path.join(SHOTS, `lesson-${width}-${lang}-top.png`) });
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `lesson ${lang} fits ${width} px`);
      }
      // keyboard focus is visible: tab to the first control and capture it
      await page.locator('#btn-reset').focus();
      await page.keyboard.press('Tab');
      await page.screenshot({ path: path.join(SHOTS, `lesson-${width}-focus.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
}
