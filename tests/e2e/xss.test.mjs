// Injection tests: HTML/JS payloads through the URL (hash keys and values, query lang/embed/unknown keys), through a lesson's
// own data (a hostile lesson built into a temporary folder) and as window messages to an embedded page. Nothing may run,
// no markup may be created, values shown at all are shown as text. Not the uploads (tests for web/data.js cover those).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, DIST, LESSON, startServer, watchErrors, waitReady, useBrowser } from './helpers.mjs';

export const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '"><script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  "'><svg onload=window.__pwned=1>",
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(1)</script>',
];
const enc = encodeURIComponent;

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

// A page with traps: dialogs and CSP reports are recorded (an injected handler blocked by the CSP is still an injection).
async function trappedPage() {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, errors, dialogs };
}

// Nothing ran, and the document holds no markup that could: no img/svg/iframe/object, no inline handler, no javascript: URL,
// no script beyond the ones the build wrote.
async function assertClean(target, dialogs, label) {
  const r = await target.evaluate(() => ({
    pwned: window.__pwned,
    csp: window.__csp || [],
    markup: document.querySelectorAll('img, svg:not(.katex svg), iframe, object, embed').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).map((e) => e.outerHTML.slice(0, 80)),
    jsUrls: [...document.querySelectorAll('[href], [src], [action], [formaction]')].filter((e) => /^\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction') || '')).length,
    inlineScripts: [...document.querySelectorAll('script:not([src])')].filter((s) => s.type !== 'application/json').length,
  }));
  assert.equal(r.pwned, undefined, `${label}: a payload ran`);
  assert.deepEqual(dialogs, [], `${label}: a dialog opened`);
  assert.deepEqual(r.csp, [], `${label}: something was injected and blocked by the CSP`);
  assert.equal(r.markup, 0, `${label}: markup from a payload`);
  assert.deepEqual(r.handlers, [], `${label}: inline event handlers`);
  assert.equal(r.jsUrls, 0, `${label}: javascript: URLs`);
  assert.equal(r.inlineScripts, 1, `${label}: only the build's own inline script`);
}

test('payloads in the URL hash (keys and values) and the query (lang, embed, unknown keys) never run and never become markup', { timeout: 90000 }, async () => {
  const { page, errors, dialogs } = await trappedPage();
  try {
    // every payload as an unknown key and its value, in the query and the hash; the known keys (lang, embed, lr, seed,
    // length, steps, optimizer) get one payload each, rotated over four page loads (two percent-encoded, two raw)
    const all = PAYLOADS.map((x) => `${enc(x)}=${enc(x)}`).join('&');
    const urls = [0, 2, 4, 1].map((k, i) => {
      const P = (j) => (i < 2 ? enc : (x) => x)(PAYLOADS[(k + j) % PAYLOADS.length]);
      return server.url(`${LESSON}?lang=${P(0)}&embed=${P(1)}&${all}#${all}&lang=${P(0)}&lr=${P(2)}&seed=${P(3)}&length=${P(4)}&steps=${P(5)}&optimizer=${P(1)}`);
    });
    for (const url of urls) {
      await page.goto(url);
      await page.waitForFunction(() => window.__lab && window.__lab.mode() !== undefined);
      const st = await page.evaluate(() => ({ state: window.__lab.state(), lang: document.documentElement.lang, embed: document.documentElement.classList.contains('embed') }));
      assert.equal(st.lang, 'zh-TW', 'an unknown language falls back to the default');
      assert.equal(st.embed, false, 'embed only for 1 (or inside a frame)');
      assert.deepEqual([st.state.lr, st.state.length, st.state.seed, st.state.steps], [0.01, 30, 1, 1500], 'payload values are not state');
      assert.ok(!Object.keys(st.state).some((k) => k.includes('<') || k.includes('javascript')), 'unknown keys are not state');
      // the page keeps working (checked once: the worker's start-up is the slow part): a Step trains and writes nothing
      // from the payloads into the page
      if (url === urls[0]) {
        await waitReady(page);
        await page.getByRole('button', { name: /^單步/ }).click();
        await page.waitForFunction(() => window.__lab.runs().lstm.step >= 10, null, { timeout: 30000 });
      }
      await assertClean(page, dialogs, url);
      // ignored URL state is listed in the notice, as text; nowhere else on the page
      const shown = await page.evaluate(() => {
        const notice = document.getElementById('url-notice');
        const noticeText = notice ? notice.innerText : '';
        if (notice) notice.remove();
        return { notice: noticeText, rest: document.body.innerText };
      });
      assert.ok(!shown.rest.includes('__pwned'), 'the payload is not shown outside the notice');
      if (url === urls[0]) assert.ok(shown.notice.includes('window.__pwned'), 'the notice names the ignored payload, as text');
    }
    // a hash change with payloads after load goes through the same path: the handler has run once the notices name the
    // new hash's values (they differ from the last URL's)
    const noticesBefore = await page.evaluate(() => JSON.stringify(window.__lab.notices()));
    await page.evaluate((h) => { location.hash = h; }, `${all}&optimizer=${enc(PAYLOADS[0])}&lr=${enc(PAYLOADS[1])}`);
    await page.waitForFunction((b) => JSON.stringify(window.__lab.notices()) !== b, noticesBefore, { timeout: 10000 });
    const after = await page.evaluate(() => ({ state: window.__lab.state(), notices: window.__lab.notices() }));
    assert.ok(after.notices.some((n) => n.includes('lr') && n.includes(PAYLOADS[1].slice(0, 20))), 'the new lr payload is a notice');
    assert.equal(after.state.lr, 0.01);
    await assertClean(page, dialogs, 'after a hashchange');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

// Builds lesson 1 with every author-supplied string replaced by payloads into a temporary site (web/ copied, so the build's
// ROOT is the temporary folder; node_modules linked).
function buildHostileSite() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-xss-'));
  fs.cpSync(path.join(ROOT, 'web'), path.join(tmp, 'web'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
  fs.cpSync(path.join(ROOT, 'docs'), path.join(tmp, 'docs'), { recursive: true }); // the build ships docs/embedding.md as a page
  const src = path.join(ROOT, 'lessons/01-why-lstm');
  const dir = path.join(tmp, 'lessons/01-why-lstm');
  fs.mkdirSync(dir, { recursive: true });
  const bi = (i) => ({ 'zh-TW': PAYLOADS[i % PAYLOADS.length], en: PAYLOADS[(i + 1) % PAYLOADS.length] });
  const course = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons/course.json'), 'utf8'));
  course.title = bi(0); course.intro = bi(1);
  course.sections = [{ ...course.sections[0], 'zh-TW': PAYLOADS[2], en: PAYLOADS[3] }, { ...course.sections[1], folder: undefined, 'zh-TW': PAYLOADS[4], en: PAYLOADS[5] }];
  fs.writeFileSync(path.join(tmp, 'lessons/course.json'), JSON.stringify(course));
  const l = JSON.parse(fs.readFileSync(path.join(src, 'lesson.json'), 'utf8'));
  l.title = bi(0);
  l.presets.steps = 60;
  l.presets.runs.forEach((r, i) => { r.label = bi(i); });
  l.presets.named.forEach((p, i) => { p.label = bi(i + 2); });
  l.controls = l.controls.map((c, i) => ({ ...c, label: bi(i), help: bi(i + 1), ...(c.key === 'steps' ? { default: 60, min: 10 } : {}) }));
  l.charts.forEach((c, i) => { c.caption = bi(i); c.xLabel = bi(i + 1); c.yLabel = bi(i + 2); if (c.baseline) c.baseline.label = bi(i + 3); });
  l.claim.text = bi(4);
  l.claim.checks.forEach((k, i) => { k.label = bi(i); });
  fs.writeFileSync(path.join(dir, 'lesson.json'), JSON.stringify(l));
  for (const lang of ['zh-TW', 'en']) {
    const md = fs.readFileSync(path.join(src, `${lang}.md`), 'utf8');
    fs.writeFileSync(path.join(dir, `${lang}.md`), `${md}\n\n${PAYLOADS.join('\n\n')}\n\n[a link](javascript:window.__pwned=1) <a href="javascript:window.__pwned=1">raw</a>\n`);
  }
  execFileSync(process.execPath, [path.join(tmp, 'web/build.mjs'), '--rnnlab', path.join(DIST, 'rnnlab.js'), '--out', path.join(tmp, 'dist'), '--test'], { stdio: 'pipe' });
  return tmp;
}

test('payloads in a lesson\'s own data (titles, labels, captions, claim, Markdown) are built and rendered as text', { timeout: 90000 }, async () => {
  const tmp = buildHostileSite();
  const site = await startServer(path.join(tmp, 'dist'));
  const { page, errors, dialogs } = await trappedPage();
  try {
    await page.goto(site.url('index.html'));
    await assertClean(page, dialogs, 'index');
    assert.equal(await page.locator('h1').innerText(), PAYLOADS[0]);
    assert.equal(await page.locator('ol.sections .t-zh').first().innerText(), PAYLOADS[2]);

    await page.goto(site.url('lessons/01-why-lstm.html'));
    await waitReady(page);
    await assertClean(page, dialogs, 'lesson');
    assert.equal(await page.locator('tbody[data-run-group="rnn"] .run-name').innerText(), PAYLOADS[0], 'a run label, as text');
    assert.equal(await page.locator('label[for="ctl-length"]').innerText(), PAYLOADS[0], 'a control label, as text');
    assert.ok((await page.locator('article[lang="zh-TW"]').innerText()).includes(PAYLOADS[1]), 'Markdown text, as text');
    // a preset with a payload label: applied, and named in the status line as text
    await page.locator('.presets button[data-preset="short"]').click();
    await page.waitForFunction((p) => document.getElementById('lab-message').textContent.includes(p), PAYLOADS[3]);
    // train to the end: the claim box lists the checks' payload labels as text
    await page.locator('#btn-train').click();
    await page.waitForFunction(() => !document.getElementById('claim-result').hidden, null, { timeout: 45000 });
    assert.ok((await page.locator('#claim-result').innerText()).includes(PAYLOADS[0]));
    await page.locator('[data-set-lang="en"]').click();
    await assertClean(page, dialogs, 'lesson after training, in English');
    assert.equal(await page.title(), `1. ${PAYLOADS[1]} · RNN Tuning Lab`);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await site.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('embedded cross-origin, the page ignores whatever its parent posts: junk, look-alike and huge messages change nothing', { timeout: 60000 }, async () => {
  const lessonUrl = server.url(`${LESSON}?lang=en#length=50`);
  const hostHtml = `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<iframe id="f" src="${lessonUrl}" style="width:800px;height:600px;border:0"></iframe>
<script>window.got=[];addEventListener('message',e=>{if(e.source===document.getElementById('f').contentWindow)got.push(e.data);});</script>
</body></html>`;
  const host = await startServer(undefined, { '/host.html': ['text/html; charset=utf-8', hostHtml] });
  const { page, errors, dialogs } = await trappedPage();
  try {
    await page.goto(host.url('host.html'));
    await page.frameLocator('#f').getByRole('button', { name: 'Train', exact: true }).waitFor({ timeout: 30000 });
    const f = page.frames().find((x) => x.url().startsWith(lessonUrl.split('?')[0]));
    await waitReady(f);
    await page.frameLocator('#f').getByRole('button', { name: /^Step/ }).click();
    await f.waitForFunction(() => window.__lab.runs().lstm.step >= 10, null, { timeout: 30000 });
    const look = () => f.evaluate(() => ({
      state: window.__lab.state(), mode: window.__lab.mode(), runs: window.__lab.runs(), errors: window.__lab.errors(),
      lang: document.documentElement.lang, hash: location.hash, message: document.getElementById('lab-message').textContent,
      points: window.__lab.points('loss'), html: document.body.innerHTML.length,
    }));
    await page.waitForTimeout(1500); // the chart summaries catch up (they refresh at most once a second)
    const before = await look();
    const sent = await page.evaluate((payloads) => {
      const w = document.getElementById('f').contentWindow;
      const junk = [
        'hello', '', 0, null, undefined, true, ...payloads,
        { type: 'rnnlab:height', height: 1 }, { type: 'rnnlab:height', height: '<img src=x onerror=alert(1)>' },
        { type: 'train' }, { type: 'pause' }, { type: 'reset' }, { type: '__crash', how: 'abort' }, { type: 'create', runs: [] },
        { type: 'setState', patch: { lr: 1, length: 2 } }, { lang: 'en', hash: '#lr=1' }, { __proto__: { polluted: 1 } },
        JSON.stringify({ type: 'train' }), [1, 2, 3], new Array(200000).fill(0.5), 'x'.repeat(5 * 1024 * 1024),
        { deep: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) }, new Float32Array(1 << 20), new Map([['type', 'train']]), new Date(0),
        new Blob(['<script>window.__pwned=1</script>'], { type: 'text/html' }), /x/g, new Error('boom'),
      ];
      junk.forEach((m) => { w.postMessage(m, '*'); w.postMessage(m, location.origin); }); // the second is dropped: not the frame's origin
      return junk.length;
    }, PAYLOADS);
    await f.waitForFunction((n) => window.__lab.ignoredMessages() >= n, sent, { timeout: 20000 });
    await page.waitForTimeout(300);
    assert.equal(await f.evaluate(() => window.__lab.ignoredMessages()), sent, 'every message arrived and was dropped');
    assert.deepEqual(await look(), before, 'nothing changed');
    assert.equal(await f.evaluate(() => window.polluted), undefined);
    await assertClean(f, dialogs, 'embedded lesson');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    // the page only ever posted its height
    const got = await page.evaluate(() => window.got);
    assert.ok(got.length > 0);
    for (const m of got) {
      assert.deepEqual(Object.keys(m).sort(), ['height', 'page', 'type']);
      assert.equal(m.type, 'rnnlab:height');
      assert.equal(typeof m.height, 'number');
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await host.close();
  }
});
