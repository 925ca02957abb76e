// The pages' HTML at build time: fills the templates in web/templates/ with lesson data and the UI strings (web/strings.js,
// both languages side by side). Not Markdown (web/build-markdown.mjs), not the CSP (web/build-csp.mjs), writes no files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tIn } from './i18n.js';
import { HIDE_PARTS } from './schema.js';
import { csp } from './build-csp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const LANGS = ['zh-TW', 'en'];
export const LESSON_BUNDLE = 'assets/lesson-bundle.js';
export const INDEX_BUNDLE = 'assets/index-bundle.js';
export const KATEX_INLINE_CSS = 'assets/katex-inline.css';
const SITE_NAME = tIn('en', 'page.siteName');

export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
export const pick = (o, lang) => (o == null ? '' : typeof o === 'string' ? o : (o[lang] ?? o['zh-TW'] ?? o.en ?? ''));
// both languages as sibling spans; CSS shows the one matching <html lang>
const bi = (o) => (typeof o === 'string' ? esc(o) : LANGS.map((l) => `<span data-lang="${l}" lang="${l}">${esc(pick(o, l))}</span>`).join(''));
// a UI string (web/strings.js) in both languages
const biT = (key, params) => bi(Object.fromEntries(LANGS.map((l) => [l, tIn(l, key, params)])));
// JSON safe inside <script type="application/json">
const jsonForScript = (v) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const templates = {};
// A template from web/templates/ with {{name}} replaced by values[name] (HTML, inserted as is) and {{t:key}} by that UI string
// in both languages; a name without a value is an error (a typo would otherwise ship an empty hole).
function fill(name, values = {}) {
  const text = templates[name] ??= fs.readFileSync(path.join(HERE, 'templates', name), 'utf8');
  return text.replace(/\{\{(t:)?([\w.]+)\}\}/g, (_, t, key) => {
    if (t) return biT(key);
    if (!(key in values)) throw new Error(`web/templates/${name}: no value for {{${key}}}`);
    return values[key];
  });
}

function head({ titles, prefix, extraCss = [] }) {
  return fill('head.html', {
    csp: esc(csp([])),
    headScript: fill('head-script.js', { }).replace('HIDE_PARTS', JSON.stringify(HIDE_PARTS)).trim(),
    title: esc(titles['zh-TW']),
    titleMetas: LANGS.map((l) => `<meta name="title-${l}" content="${esc(titles[l])}">`).join('\n'),
    css: [...extraCss, 'assets/lab.css'].map((c) => `<link rel="stylesheet" href="${prefix}${c}">`).join('\n'),
  }).trimEnd();
}

const topbar = (prefix, courseTitle) => fill('topbar.html', { prefix, siteName: SITE_NAME, courseTitle: bi(courseTitle), langGroup: esc(tIn('en', 'page.langGroup')) }).trimEnd();
const scripts = (prefix, list) => list.map((s) => `<script src="${prefix}${s}"></script>`).join('\n');

export function indexPage(course) {
  const items = course.sections.map((s, i) => {
    const titles = `<span class="t-zh" lang="zh-TW">${esc(s['zh-TW'])}</span> <span class="t-en" lang="en">${esc(s.en)}</span>`;
    const body = s.page
      ? `<a href="${esc(s.page)}" data-keep-lang>${titles}</a>`
      : `<span class="unavailable">${titles} <span class="badge">${biT('page.notYet')}</span></span>`;
    return `<li class="${s.page ? 'available' : 'pending'}"><span class="num" aria-hidden="true">${i + 1}</span>${body}</li>`;
  }).join('\n');
  return fill('index.html', {
    head: head({ titles: { 'zh-TW': `${course.title['zh-TW']} · ${SITE_NAME}`, en: `${course.title.en} · ${SITE_NAME}` }, prefix: '' }),
    topbar: topbar('', course.title), courseTitle: bi(course.title), intro: bi(course.intro), items, scripts: scripts('', [INDEX_BUNDLE]),
    playground: course.playground ? `<p class="playground-link"><a href="${esc(course.playground)}" data-keep-lang>${biT('page.playground')}</a> ${biT('page.playgroundIntro')}</p>` : '',
  });
}

// sectionIndex null: the Playground (dist/playground.html, beside index.html): no section number, no prev/next, and a
// "Clear saved experiment" button (web/playground-store.js)
export function lessonPage({ lesson, course, sectionIndex, articles }) {
  const free = sectionIndex === null;
  const prefix = free ? '' : '../';
  const n = free ? 0 : sectionIndex + 1;
  const num = free ? '' : `${n}. `;
  const titles = { 'zh-TW': `${num}${lesson.title['zh-TW']} · ${SITE_NAME}`, en: `${num}${lesson.title.en} · ${SITE_NAME}` };
  const named = lesson.presets.named || [];
  const neighbour = (j, label, cls) => {
    const s = free ? null : course.sections[j];
    if (!s) return `<span class="${cls}"></span>`;
    const t = `<span class="pager-label">${biT(label)}</span> <span class="pager-title">${j + 1}. ${bi({ 'zh-TW': s['zh-TW'], en: s.en })}</span>`;
    return s.page
      ? `<a class="${cls}" href="${prefix}${esc(s.page)}" data-keep-lang>${t}</a>`
      : `<span class="${cls} unavailable">${t} <span class="badge">${biT('page.notYet')}</span></span>`;
  };
  const data = {
    id: lesson.id, title: lesson.title, presets: lesson.presets, controls: lesson.controls || [],
    charts: lesson.charts || [], claim: lesson.claim || null,
  };
  return fill('lesson.html', {
    head: head({ titles, prefix, extraCss: ['assets/katex/katex.min.css', KATEX_INLINE_CSS] }),
    prefix,
    topbar: topbar(prefix, course.title),
    section: free ? biT('page.playground') : biT('page.section', { n }),
    lessonTitle: bi(lesson.title),
    stepSize: esc(lesson.presets.stepSize || 10),
    claim: lesson.claim ? `<p class="claim-text"><strong>${biT('page.claim')}</strong>${bi(lesson.claim.text)}</p>` : '',
    presets: (named.length ? `<div class="presets"><span class="presets-label">${biT('page.tryThis')}</span> ${named.map((p) => `<button type="button" class="preset" data-preset="${esc(p.id)}">${bi(p.label)}</button>`).join(' ')}</div>` : ''),
    savedExperiment: free ? `<p class="saved-experiment"><button type="button" id="btn-clear-saved">${biT('page.clearSaved')}</button></p>` : '',
    dataPanel: fill('data-panel.html').trimEnd(),
    articles: LANGS.map((l) => `    <article data-lang="${l}" lang="${l}">\n${articles[l]}\n    </article>`).join('\n'),
    pagerLabel: `${esc(tIn('zh-TW', 'page.pager'))} / ${esc(tIn('en', 'page.pager'))}`,
    prev: neighbour(sectionIndex - 1, 'page.prev', 'pager-prev'),
    next: neighbour(sectionIndex + 1, 'page.next', 'pager-next'),
    figures: (lesson.charts || []).map((c) => fill('figure.html', { id: esc(c.id), caption: bi(c.caption) }).trimEnd()).join('\n'),
    lessonData: jsonForScript(data),
    scripts: scripts(prefix, [LESSON_BUNDLE]),
  });
}

// A documentation page of the site (docs/embedding.md → embedding.html): Markdown without raw HTML, English only (the
// docs are written in English), the site's chrome and stylesheet. Not a lesson page: no runtime, no charts.
export function docPage({ title, html, course }) {
  return fill('doc.html', {
    head: head({ titles: { 'zh-TW': `${title} · ${SITE_NAME}`, en: `${title} · ${SITE_NAME}` }, prefix: '' }),
    topbar: topbar('', course.title), body: html, scripts: scripts('', [INDEX_BUNDLE]),
  });
}
