// Content-Security-Policy tests: every built page carries a <meta> policy that allows no remote origin, no eval and no
// inline code except its own hashed scripts, and lesson 1 trains under it over http and from file:// without a single
// violation (page or Blob worker). Not a test of the policy a host may add as HTTP headers (frame-ancestors etc.).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, LESSON, fileUrl, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser;
useBrowser((s, b) => { server = s; browser = b; });

const pages = () => {
  const out = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.html')) out.push(p);
  });
  walk(DIST);
  return out;
};
const unescape = (s) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

test('every built page has a CSP meta before anything it governs: no remote origin, no eval, no inline code but its hashed scripts', () => {
  const list = pages();
  assert.ok(list.length >= 14, `${list.length} pages`);
  for (const file of list) {
    const html = fs.readFileSync(file, 'utf8');
    const name = path.relative(DIST, file);
    const metas = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g) || [];
    assert.equal(metas.length, 1, `${name}: one CSP meta`);
    const at = html.indexOf(metas[0]);
    assert.ok(at < html.search(/<script|<link rel="stylesheet"|<style/), `${name}: the CSP comes before scripts and styles`);
    const policy = unescape(/content="([^"]*)"/.exec(metas[0])[1]);
    const dirs = Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(dirs['default-src'], ["'none'"], name);
    assert.deepEqual(dirs['worker-src'], ['blob:'], name);
    assert.deepEqual(dirs['style-src'], ["'self'"], name);
    for (const [k, v] of Object.entries(dirs)) {
      for (const src of v) {
        assert.ok(!/^(https?:|wss?:|\*|'unsafe-eval'|'unsafe-inline'|'unsafe-hashes'|'strict-dynamic')/.test(src) && !/\*/.test(src), `${name}: ${k} allows ${src}`);
      }
    }
    assert.ok(!('frame-ancestors' in dirs), 'frame-ancestors is ignored in a <meta> (and Chromium complains): hosts set it as a header');
    // every inline script is hashed, every hash belongs to an inline script
    const inline = [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)]
      .filter((m) => !/\ssrc=|type="application\/json"/.test(m[1] || ''))
      .map((m) => `'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
    const hashes = dirs['script-src'].filter((s) => s.startsWith("'sha256-"));
    assert.deepEqual([...new Set(inline)].sort(), hashes.sort(), `${name}: script-src hashes`);
    assert.ok(dirs['script-src'].includes("'wasm-unsafe-eval'"), `${name}: the worker may compile wasm`);
    assert.ok(!/\sstyle=["']/.test(html.replace(/<script[\s\S]*?<\/script>/g, '')), `${name}: no style="" attribute (blocked by style-src 'self')`);
    assert.ok(!/\son[a-z]+=["']/i.test(html.replace(/<script[\s\S]*?<\/script>/g, '')), `${name}: no inline event handler`);
  }
});

// Collects CSP violations: the page's securitypolicyviolation events and any console report (page or worker).
async function watchCsp(page) {
  const reports = [];
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const onConsole = (where) => (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) reports.push(`${where}: ${m.text()}`); };
  page.on('console', onConsole('page'));
  page.on('worker', (w) => w.on('console', onConsole('worker')));
  return reports;
}

async function trainUnderCsp(url) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const reports = await watchCsp(page);
  try {
    await page.goto(url);
    await waitReady(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => window.__lab.points('loss') > 0 && window.__lab.points('grad_t') > 0, null, { timeout: 30000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    // the policy is in force: string-to-code is refused in the page …
    // (DevTools evaluation lifts the eval ban unless told not to: allowUnsafeEvalBlockedByCSP false)
    const cdp = await page.context().newCDPSession(page);
    const r = await cdp.send('Runtime.evaluate', {
      expression: "(() => { try { (0, eval)('1'); return 'ran'; } catch (e) { return e.name; } })()", allowUnsafeEvalBlockedByCSP: false, returnByValue: true,
    });
    assert.equal(r.result.value, 'EvalError', 'eval is blocked');
    await cdp.detach();
    // … so is an injected inline script and a remote image (neither runs nor loads)
    await page.evaluate(() => {
      const s = document.createElement('script'); s.textContent = 'window.__inlineRan = 1'; document.body.appendChild(s);
    });
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
    const injected = await page.evaluate(() => window.__csp.splice(0));
    assert.deepEqual(injected, ['script-src eval', 'script-src-elem inline'], 'the two probes were reported');
    reports.splice(0); errors.splice(0); // the probes' own console reports
    // KaTeX layout still applies (its inline styles became classes in assets/katex-inline.css)
    const strut = await page.evaluate(() => {
      const s = document.querySelector('article:not([hidden]) .katex .strut') || document.querySelector('.katex .strut');
      return s ? parseFloat(getComputedStyle(s).height) : -1;
    });
    assert.ok(strut > 0, `a KaTeX strut has its height (${strut})`);
    await page.getByRole('button', { name: /^Step/ }).click();
    await page.waitForFunction(() => window.__lab.mode() === 'paused');
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(reports, []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

test('lesson 1 trains under the CSP over http with no violation in the page or the Blob worker', { timeout: 60000 }, async () => {
  await trainUnderCsp(server.url(`${LESSON}?lang=en`));
});

test('lesson 1 trains under the CSP from file:// with no violation', { timeout: 60000 }, async () => {
  await trainUnderCsp(`${fileUrl(LESSON)}?lang=en`);
});

test('the course index loads under the CSP with no violation', { timeout: 30000 }, async () => {
  for (const url of [server.url('index.html'), fileUrl('index.html')]) {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    const reports = await watchCsp(page);
    await page.goto(url);
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForTimeout(200);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], url);
    assert.deepEqual(reports, [], url);
    assert.deepEqual(errors, [], url);
    await page.close();
  }
});
