// Browser test of the course index (dist/index.html) over http and file://: 13 sections in order, the Playground entry, links,
// language switch.
// It does not train anything (lesson.test.mjs does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, fileUrl, watchErrors, useBrowser } from './helpers.mjs';

const course = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons/course.json'), 'utf8'));
let server, browser;

useBrowser((s, b) => { server = s; browser = b; });

async function checkIndex(url) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  try {
    await page.goto(url);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-TW');
    const items = page.locator('ol.sections > li');
    assert.equal(await items.count(), 13);
    for (let i = 0; i < course.sections.length; i++) {
      const s = course.sections[i];
      const li = items.nth(i);
      assert.equal((await li.locator('.t-zh').textContent()).trim(), s['zh-TW']);
      assert.equal((await li.locator('.t-en').textContent()).trim(), s.en);
      const links = await li.locator('a').count();
      if (s.folder) assert.equal(links, 1, `section ${i + 1} links its lesson`);
      else {
        assert.equal(links, 0, `section ${i + 1} has no lesson yet`);
        assert.equal((await li.locator('.badge').innerText()).trim(), '尚未推出');
      }
    }
    // the Playground is an entry of its own, not a numbered section
    assert.equal(await page.locator('.playground-link a').getAttribute('href'), 'playground.html');
    assert.equal((await page.locator('.playground-link a').innerText()).trim(), '遊樂場');
    // switch to English without reload
    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const pending = course.sections.findIndex((s) => !s.folder); // the first section without a lesson, if any is left
    if (pending >= 0) assert.equal((await items.nth(pending).locator('.badge').innerText()).trim(), 'not yet available');
    assert.match(page.url(), /#lang=en/);
    const href = await items.nth(0).locator('a').getAttribute('href');
    assert.match(href, /01-why-lstm\.html\?lang=en$/);
    // following the link opens the lesson, in English
    await items.nth(0).locator('a').click();
    await page.waitForLoadState('load');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('button', { name: 'Train' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

test('index over http', { timeout: 60000 }, async () => {
  await checkIndex(server.url('index.html'));
});

test('index from file://', { timeout: 60000 }, async () => {
  await checkIndex(fileUrl('index.html'));
});

test('index with ?lang=en starts in English', { timeout: 30000 }, async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url('index.html?lang=en'));
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.title(), /Tuning recurrent neural networks/);
  assert.deepEqual(errors, []);
  await page.close();
});
