// The pages' Content-Security-Policy: one <meta> per page allowing no remote origin, its inline scripts allowed by their
// sha256 (computed from each page's final HTML). Not a server header: frame-ancestors and report-uri need one (docs/reliability.md).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { esc } from './build-html.mjs';

// Every page carries a CSP <meta> that allows no remote origin (docs/reliability.md). Inline scripts are allowed by
// their sha256 (hashPages recomputes each page's list from its final HTML, so any inline script added to a page
// template is covered); 'wasm-unsafe-eval' lets the Blob worker (which inherits this policy) compile the module; no
// 'unsafe-eval' (the module is linked with -sDYNAMIC_EXECUTION=0) and no 'unsafe-inline' (KaTeX's style="" attributes
// become classes in web/build-markdown.mjs). frame-ancestors, report-uri and sandbox cannot be set from a <meta>: a host sets them as headers.
export function csp(scriptHashes) {
  return [
    "default-src 'none'",
    ["script-src 'self'", ...scriptHashes.map((h) => `'sha256-${h}'`), "'wasm-unsafe-eval'"].join(' '),
    'worker-src blob:',
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
const CSP_META = /<meta http-equiv="Content-Security-Policy" content="[^"]*">/;
const INLINE_SCRIPT = /<script(\s[^>]*)?>([\s\S]*?)<\/script>/g;
export function withCsp(html) {
  if (!CSP_META.test(html)) throw new Error('a page has no Content-Security-Policy <meta> (use head())');
  const hashes = [];
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    const attrs = m[1] || '';
    if (/\ssrc=/.test(attrs) || /type="application\/json"/.test(attrs)) continue; // external, or data (never executed)
    const h = crypto.createHash('sha256').update(m[2], 'utf8').digest('base64');
    if (!hashes.includes(h)) hashes.push(h);
  }
  return html.replace(CSP_META, `<meta http-equiv="Content-Security-Policy" content="${esc(csp(hashes))}">`);
}


// every .html under `out` gets its final CSP
export function hashPages(out) {
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.html')) fs.writeFileSync(p, withCsp(fs.readFileSync(p, 'utf8')));
  });
  walk(out);
}
