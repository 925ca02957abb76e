// Build script: assembles the static dist/ folder (course index, one page per lesson, assets, worker bundle) from web/, lessons/ and rnnlab.js.
// It does not compile the wasm core (that is CMake's job) and fetches nothing: every asset comes from the repo or node_modules.
//
// usage: node web/build.mjs [--rnnlab build/wasm/rnnlab.js] [--out dist]
import fs from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import * as esbuild from 'esbuild';
import * as schemaLib from './schema.js';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const LANGS = ['zh-TW', 'en'];

function parseArgs(argv) {
  const args = { rnnlab: path.join(ROOT, 'build/wasm/rnnlab.js'), out: path.join(ROOT, 'dist') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(rnnlab|out)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument "${a}" (usage: node web/build.mjs [--rnnlab FILE] [--out DIR])`);
    const v = m[2] !== undefined ? m[2] : argv[++i];
    if (!v) throw new Error(`--${m[1]} needs a value`);
    args[m[1]] = path.resolve(v);
  }
  return args;
}

const MarkdownIt = require('markdown-it');
const katex = require('katex');

// ---------- small helpers ----------
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const pick = (o, lang) => (o == null ? '' : typeof o === 'string' ? o : (o[lang] ?? o['zh-TW'] ?? o.en ?? ''));
// both languages as sibling spans; CSS shows the one matching <html lang>
const bi = (o) => (typeof o === 'string' ? esc(o) : LANGS.map((l) => `<span data-lang="${l}" lang="${l}">${esc(pick(o, l))}</span>`).join(''));
// JSON safe inside <script type="application/json">
const jsonForScript = (v) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const readJson = (p) => {
  try { return JSON.parse(fs.readFileSync(p, 'utf8')); } catch (e) { throw new Error(`${path.relative(ROOT, p)}: ${e.message}`); }
};

function copyDir(src, dst) {
  fs.mkdirSync(dst, { recursive: true });
  for (const ent of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, ent.name), d = path.join(dst, ent.name);
    if (ent.isDirectory()) copyDir(s, d); else fs.copyFileSync(s, d);
  }
}

// ---------- Markdown + KaTeX ----------
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
const defaultLinkOpen = md.renderer.rules.link_open || ((tokens, idx, options, env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = tokens[idx].attrGet('href') || '';
  if (/^https?:\/\//.test(href)) { tokens[idx].attrSet('target', '_blank'); tokens[idx].attrSet('rel', 'noopener noreferrer'); }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Renders lesson Markdown: $…$ inline and $$…$$ display math (KaTeX, at build time), and placeholder lines
// {{chart:ID}} (where that chart goes) and {{preset:ID}} (a button applying a named preset).
function renderMarkdown(src, { file, lang, lesson }) {
  const math = [], blocks = [];
  src = src.replace(/<!--[\s\S]*?-->\n?/g, ''); // authors' comments (markdown-it runs with html: false)
  src = src.replace(/^[ \t]*\{\{\s*(chart|preset)\s*:\s*([\w-]+)\s*\}\}[ \t]*$/gm, (_, kind, id) => {
    blocks.push({ kind, id });
    return `\n\nRNNLABBLOCK${blocks.length - 1}X\n\n`;
  });
  src = src.replace(/\$\$([\s\S]+?)\$\$/g, (_, tex) => {
    math.push({ tex, display: true });
    return `\n\nRNNLABMATH${math.length - 1}X\n\n`;
  });
  src = src.replace(/(^|[^\\$])\$([^\s$](?:[^$\n]*?[^\s\\$])?)\$(?![\d$])/g, (_, pre, tex) => {
    math.push({ tex, display: false });
    return `${pre}RNNLABMATH${math.length - 1}X`;
  });
  let html = md.render(src);
  const tex = (i) => {
    try {
      return katexStylesToClasses(katex.renderToString(math[i].tex, { displayMode: math[i].display, throwOnError: true, output: 'htmlAndMathml' }));
    } catch (e) {
      throw new Error(`${file}: bad TeX "${math[i].tex}": ${e.message}`);
    }
  };
  html = html.replace(/<p>RNNLABMATH(\d+)X<\/p>/g, (_, i) => `<div class="math-display">${tex(+i)}</div>`);
  html = html.replace(/RNNLABMATH(\d+)X/g, (_, i) => tex(+i));
  html = html.replace(/<p>RNNLABBLOCK(\d+)X<\/p>/g, (_, i) => {
    const b = blocks[+i];
    if (b.kind === 'chart') {
      if (!(lesson.charts || []).some((c) => c.id === b.id)) throw new Error(`${file}: {{chart:${b.id}}} names no chart in lesson.json`);
      return `<div class="chart-slot" data-chart="${esc(b.id)}"></div>`;
    }
    const p = ((lesson.presets && lesson.presets.named) || []).find((x) => x.id === b.id);
    if (!p) throw new Error(`${file}: {{preset:${b.id}}} names no preset in lesson.json presets.named`);
    return `<p class="try-preset"><button type="button" class="preset" data-preset="${esc(p.id)}">${esc(pick(p.label, lang))}</button></p>`;
  });
  if (/RNNLAB(MATH|BLOCK)\d+X/.test(html)) throw new Error(`${file}: a math or placeholder token ended up inside something it cannot be in (e.g. a code span)`);
  return { html, charts: blocks.filter((b) => b.kind === 'chart').map((b) => b.id) };
}

// ---------- lesson validation ----------
function validateLesson(lesson, dir) {
  const where = path.relative(ROOT, path.join(dir, 'lesson.json'));
  const need = (cond, msg) => { if (!cond) throw new Error(`${where}: ${msg}`); };
  need(lesson.id, '"id" is missing');
  need(lesson.title && lesson.title['zh-TW'] && lesson.title.en, '"title" needs zh-TW and en');
  need(lesson.presets && lesson.presets.base && Array.isArray(lesson.presets.runs) && lesson.presets.runs.length, '"presets" needs "base" and a non-empty "runs"');
  const ids = new Set();
  for (const r of lesson.presets.runs) { need(r.id && !ids.has(r.id), `run ids must be present and unique ("${r.id}")`); ids.add(r.id); }
  // the URL lists runs as "a,b,a~2" and overrides as "a~2.lr": ids use letters, digits, "_", "-", "." only
  for (const r of lesson.presets.runs) need(/^[A-Za-z0-9_.-]+$/.test(r.id), `run id "${r.id}" may only use letters, digits, "_", "-" and "."`);
  schemaLib.lessonSchema(lesson); // throws on unknown control keys
  for (const c of lesson.charts || []) {
    need(c.id && c.metric, 'each chart needs "id" and "metric"');
    need(c.caption && c.caption['zh-TW'] && c.caption.en, `chart "${c.id}" needs a caption in zh-TW and en`);
  }
  for (const k of (lesson.claim && lesson.claim.checks) || []) need(ids.has(k.run) && (!k.than || ids.has(k.than.run)), `claim check names an unknown run "${k.run}"`);
}

// ---------- Content-Security-Policy ----------
// Every page carries a CSP <meta> that allows no remote origin (docs/reliability.md). Inline scripts are allowed by
// their sha256 (writeCspAssets recomputes each page's list from its final HTML, so any inline script added to a page
// template is covered); 'wasm-unsafe-eval' lets the Blob worker (which inherits this policy) compile the module; no
// 'unsafe-eval' (the module is linked with -sDYNAMIC_EXECUTION=0) and no 'unsafe-inline' (KaTeX's style="" attributes
// become classes, below). frame-ancestors, report-uri and sandbox cannot be set from a <meta>: a host sets them as headers.
function csp(scriptHashes) {
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
function withCsp(html) {
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

// KaTeX writes layout as style="" attributes, which style-src 'self' blocks: each distinct declaration list becomes a
// class kx-N whose rule (same declarations, !important so they win over katex.css as inline styles do) goes into
// KATEX_INLINE_CSS.
const KATEX_INLINE_CSS = 'assets/katex-inline.css';
const katexStyles = new Map(); // declarations -> class name
function katexStylesToClasses(html) {
  const out = html.replace(/<([a-zA-Z][\w-]*)(\s[^<>]*?)?(\/?)>/g, (tag, name, attrs = '', slash) => {
    const m = /\sstyle=(?:"([^"]*)"|'([^']*)')/.exec(attrs);
    if (!m) return tag;
    const decl = (m[1] !== undefined ? m[1] : m[2]).trim();
    let rest = attrs.slice(0, m.index) + attrs.slice(m.index + m[0].length);
    if (decl) {
      if (!katexStyles.has(decl)) katexStyles.set(decl, `kx-${katexStyles.size}`);
      const cls = katexStyles.get(decl);
      const c = /\sclass=(?:"([^"]*)"|'([^']*)')/.exec(rest);
      if (c) rest = rest.slice(0, c.index) + ` class="${((c[1] !== undefined ? c[1] : c[2]) + ' ' + cls).trim()}"` + rest.slice(c.index + c[0].length);
      else rest += ` class="${cls}"`;
    }
    return `<${name}${rest}${slash}>`;
  });
  if (/\sstyle=/.test(out.replace(/<annotation[\s\S]*?<\/annotation>/g, ''))) throw new Error('KaTeX output kept a style attribute the build could not convert');
  return out;
}

function writeCspAssets(out) {
  const rules = [...katexStyles].map(([decl, cls]) => `.${cls}{${decl.split(';').map((d) => d.trim()).filter(Boolean).map((d) => `${d} !important`).join(';')}}`);
  fs.writeFileSync(path.join(out, KATEX_INLINE_CSS),
    `/* Generated by web/build.mjs: KaTeX's inline styles as classes, so the pages' CSP needs no 'unsafe-inline'. */\n${rules.join('\n')}\n`);
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.html')) fs.writeFileSync(p, withCsp(fs.readFileSync(p, 'utf8')));
  });
  walk(out);
}

// ---------- page templates ----------
// one classic script per page kind, bundled by esbuild from the ES modules in web/ (see bundle())
const LESSON_BUNDLE = 'assets/lesson-bundle.js';
const INDEX_BUNDLE = 'assets/index-bundle.js';

const UI = {
  skip: { 'zh-TW': '跳到主要內容', en: 'Skip to main content' },
  langGroup: '語言 / Language',
  course: { 'zh-TW': '課程目錄', en: 'Course index' },
  experiment: { 'zh-TW': '實驗', en: 'Experiment' },
  train: { 'zh-TW': '訓練', en: 'Train' },
  pause: { 'zh-TW': '暫停', en: 'Pause' },
  step: { 'zh-TW': '單步', en: 'Step' },
  reset: { 'zh-TW': '重設', en: 'Reset' },
  settings: { 'zh-TW': '設定', en: 'Settings' },
  tryThis: { 'zh-TW': '試試看：', en: 'Try this:' },
  model: { 'zh-TW': '模型', en: 'Model' },
  stepCol: { 'zh-TW': '步數', en: 'Step' },
  loss: { 'zh-TW': '損失', en: 'Loss' },
  status: { 'zh-TW': '狀態', en: 'Status' },
  runsCaption: { 'zh-TW': '各模型目前的狀態', en: 'Current state of each model' },
  rateCol: { 'zh-TW': '每秒步數', en: 'Steps/s' },
  share: { 'zh-TW': '分享', en: 'Share' },
  section: (n) => ({ 'zh-TW': `第 ${n} 節`, en: `Section ${n}` }),
  prev: { 'zh-TW': '上一節', en: 'Previous' },
  next: { 'zh-TW': '下一節', en: 'Next' },
  notYet: { 'zh-TW': '尚未推出', en: 'not yet available' },
  claim: { 'zh-TW': '這一課要看到的：', en: 'What this lesson shows: ' },
  noscript: { 'zh-TW': '這個頁面需要 JavaScript 才能訓練模型。', en: 'This page needs JavaScript to train the models.' },
  pager: { 'zh-TW': '課程導覽', en: 'Course navigation' },
  siteName: 'RNN Tuning Lab',
};

// "Your data" panel and the downloads list (issue #4 points 7 and 8; filled in by web/datapanel.js and web/export.js)
const DATA_UI = {
  title: { 'zh-TW': '你的資料', en: 'Your data' },
  intro: { 'zh-TW': '貼上或上傳一個 CSV 時間序列（一欄或多欄數字，可以有標題列），或一段文字（字元層級的題目），讓這一課的模型改用它訓練。資料只在你的瀏覽器裡處理，不會傳到任何地方；它也不會放進網址，分享連結時別人看不到。',
           en: 'Paste or upload a CSV time series (one or more numeric columns, an optional header row) or a plain text (the character-level task) and this lesson\'s runs train on it. The data stays in your browser and is sent nowhere; it is not part of the page\'s link either, so a shared link does not carry it.' },
  open: { 'zh-TW': '使用自己的資料', en: 'Use your own data' },
  kind: { 'zh-TW': '資料種類', en: 'Kind of data' },
  csv: { 'zh-TW': 'CSV 時間序列', en: 'CSV time series' },
  text: { 'zh-TW': '文字', en: 'Text' },
  paste: { 'zh-TW': '貼在這裡', en: 'Paste here' },
  file: { 'zh-TW': '或選一個檔案（.csv、.txt）', en: 'or choose a file (.csv, .txt)' },
  T: { 'zh-TW': '視窗長度 T', en: 'Window length T' },
  THelp: { 'zh-TW': 'CSV：用幾列預測下一列；文字：看幾個位元組預測下一個。1 到 200。', en: 'CSV: rows used to predict the next one; text: bytes read before predicting the next. 1 to 200.' },
  target: { 'zh-TW': '要預測的欄', en: 'Column to predict' },
  check: { 'zh-TW': '檢查', en: 'Check' },
  use: { 'zh-TW': '用這份資料訓練', en: 'Train on this data' },
  builtin: { 'zh-TW': '改回內建資料', en: 'Use built-in data' },
  previewTitle: { 'zh-TW': '預覽（前幾列）', en: 'Preview (first rows)' },
  limits: { 'zh-TW': '上限：CSV 2 MB、20000 列、16 欄，每個模型最多 1024 個視窗（更多時平均挑選）；文字 200000 位元組。',
            en: 'Limits: CSV 2 MB, 20,000 rows, 16 columns, at most 1,024 windows per run (more are thinned evenly); text 200,000 bytes.' },
  downloads: { 'zh-TW': '下載', en: 'Downloads' },
  downloadsHelp: { 'zh-TW': '每個模型送進訓練模組的設定，以及目前訓練到的權重（PyTorch state_dict 格式，可以直接 load_state_dict）。每張圖下方也有 PNG 和 CSV。',
                   en: 'Each run\'s config as sent to the training module, and its current weights (PyTorch state_dict form, ready for load_state_dict). Every chart also has PNG and CSV under it.' },
};

function dataPanel() {
  const D = DATA_UI;
  return `<section class="lab-panel data-panel" id="data-panel" aria-labelledby="data-title">
      <h2 id="data-title" class="panel-title">${bi(D.title)}</h2>
      <p id="data-status" class="message" role="status" aria-live="polite"></p>
      <details id="data-details" class="settings">
        <summary>${bi(D.open)}</summary>
        <p class="help">${bi(D.intro)}</p>
        <fieldset class="data-kind"><legend>${bi(D.kind)}</legend>
          <label><input type="radio" name="data-kind" value="csv" checked> ${bi(D.csv)}</label>
          <label><input type="radio" name="data-kind" value="text"> ${bi(D.text)}</label>
        </fieldset>
        <div class="control"><label for="data-text">${bi(D.paste)}</label>
          <textarea id="data-text" rows="6" spellcheck="false" autocomplete="off"></textarea></div>
        <div class="control"><label for="data-file">${bi(D.file)}</label>
          <input type="file" id="data-file" accept=".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"></div>
        <div class="data-opts">
          <div class="control"><label for="data-T">${bi(D.T)}</label>
            <input type="number" id="data-T" min="1" max="200" step="1" value="20" inputmode="numeric" aria-describedby="data-T-help">
            <p id="data-T-help" class="help">${bi(D.THelp)}</p></div>
          <div class="control" id="data-target-wrap"><label for="data-target">${bi(D.target)}</label>
            <select id="data-target"></select></div>
        </div>
        <div class="buttons data-buttons">
          <button type="button" id="data-check">${bi(D.check)}</button>
          <button type="button" id="data-use" class="primary">${bi(D.use)}</button>
          <button type="button" id="data-builtin" disabled>${bi(D.builtin)}</button>
        </div>
        <div id="data-errors" class="errors" role="alert" hidden></div>
        <div id="data-preview" class="data-preview" hidden>
          <p id="data-counts" class="data-counts"></p>
          <canvas id="data-spark" class="data-spark" width="320" height="56" role="img"></canvas>
          <div class="table-wrap"><table id="data-table" class="run-status"><caption class="sr-only">${bi(D.previewTitle)}</caption><thead></thead><tbody></tbody></table></div>
        </div>
        <ul id="data-notes" class="data-notes"></ul>
        <p class="help">${bi(D.limits)}</p>
      </details>
    </section>
    <section class="lab-panel downloads" id="downloads" aria-labelledby="downloads-title">
      <details id="downloads-details" class="settings">
        <summary><h2 id="downloads-title" class="panel-title inline">${bi(D.downloads)}</h2></summary>
        <p class="help">${bi(D.downloadsHelp)}</p>
        <ul id="run-downloads" class="run-downloads"></ul>
      </details>
    </section>`;
}

function head({ titles, prefix, extraCss = [] }) {
  return `<!doctype html>
<html lang="zh-TW">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp([]))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<script>/* before first paint: language, embed mode and hidden parts (#hide=) from the URL (the runtime scripts do the rest); notes a failed async worker-bundle.js */(function(d){try{var l=(new URLSearchParams(location.hash.slice(1)).get('lang')||new URLSearchParams(location.search).get('lang')||'').toLowerCase();if(l==='en'||l.indexOf('en-')===0)d.lang='en';var e=new URLSearchParams(location.search).get('embed');if(e==='1'||(e!=='0'&&window.self!==window.top))d.className+=' embed';var h=new URLSearchParams(location.hash.slice(1)).get('hide');if(h)h.split(',').forEach(function(t){if(${JSON.stringify(schemaLib.HIDE_PARTS)}.indexOf(t)>=0)d.classList.add('hide-'+t);});}catch(x){}addEventListener('error',function(ev){if(ev.target&&ev.target.id==='worker-bundle')window.RnnLabWorkerFailed=true;},true);})(document.documentElement);</script>
<title>${esc(titles['zh-TW'])}</title>
${LANGS.map((l) => `<meta name="title-${l}" content="${esc(titles[l])}">`).join('\n')}
${extraCss.map((c) => `<link rel="stylesheet" href="${prefix}${c}">`).join('\n')}
<link rel="stylesheet" href="${prefix}assets/lab.css">
</head>`;
}

function topbar(prefix, courseTitle) {
  return `<a class="skip" href="#main">${bi(UI.skip)}</a>
<header class="topbar">
  <a class="home" href="${prefix}index.html" data-keep-lang><span class="brand">${UI.siteName}</span> <span class="course-name">${bi(courseTitle)}</span></a>
  <div class="langs" role="group" aria-label="${esc(UI.langGroup)}">
    <button type="button" data-set-lang="zh-TW" lang="zh-TW" aria-pressed="true">中文</button>
    <button type="button" data-set-lang="en" lang="en" aria-pressed="false">English</button>
  </div>
</header>`;
}

function scripts(prefix, list) {
  return list.map((s) => `<script src="${prefix}${s}"></script>`).join('\n');
}

function sectionTitle(s) { return { 'zh-TW': s['zh-TW'], en: s.en }; }

function indexPage(course) {
  const items = course.sections.map((s, i) => {
    const n = i + 1;
    const titles = `<span class="t-zh" lang="zh-TW">${esc(s['zh-TW'])}</span> <span class="t-en" lang="en">${esc(s.en)}</span>`;
    const body = s.page
      ? `<a href="${esc(s.page)}" data-keep-lang>${titles}</a>`
      : `<span class="unavailable">${titles} <span class="badge">${bi(UI.notYet)}</span></span>`;
    return `<li class="${s.page ? 'available' : 'pending'}"><span class="num" aria-hidden="true">${n}</span>${body}</li>`;
  }).join('\n');
  return `${head({ titles: { 'zh-TW': `${course.title['zh-TW']} · ${UI.siteName}`, en: `${course.title.en} · ${UI.siteName}` }, prefix: '' })}
<body class="page-index">
${topbar('', course.title)}
<main id="main" class="index-main">
  <h1>${bi(course.title)}</h1>
  <p class="intro">${bi(course.intro)}</p>
  <ol class="sections">
${items}
  </ol>
</main>
${scripts('', [INDEX_BUNDLE])}
</body>
</html>
`;
}

function lessonPage({ lesson, course, sectionIndex, articles }) {
  const prefix = '../';
  const n = sectionIndex + 1;
  const titles = { 'zh-TW': `${n}. ${lesson.title['zh-TW']} · ${UI.siteName}`, en: `${n}. ${lesson.title.en} · ${UI.siteName}` };
  const named = (lesson.presets.named || []);
  const neighbour = (j, label, cls) => {
    const s = course.sections[j];
    if (!s) return `<span class="${cls}"></span>`;
    const t = `<span class="pager-label">${bi(label)}</span> <span class="pager-title">${j + 1}. ${bi(sectionTitle(s))}</span>`;
    return s.page
      ? `<a class="${cls}" href="${prefix}${esc(s.page)}" data-keep-lang>${t}</a>`
      : `<span class="${cls} unavailable">${t} <span class="badge">${bi(UI.notYet)}</span></span>`;
  };
  const figures = (lesson.charts || []).map((c) => `<figure class="chart" data-chart="${esc(c.id)}">
  <div class="chart-box"><canvas role="img" aria-labelledby="cap-${esc(c.id)}"></canvas></div>
  <figcaption id="cap-${esc(c.id)}">${bi(c.caption)}</figcaption>
</figure>`).join('\n');
  const data = {
    id: lesson.id, title: lesson.title, presets: lesson.presets, controls: lesson.controls || [],
    charts: lesson.charts || [], claim: lesson.claim || null
  };
  return `${head({ titles, prefix, extraCss: ['assets/katex/katex.min.css', KATEX_INLINE_CSS] })}
<body class="page-lesson">
<script src="${prefix}assets/worker-bundle.js" id="worker-bundle" async fetchpriority="high"></script>
${topbar(prefix, course.title)}
<main id="main" class="lesson-layout">
  <header class="lesson-head">
    <p class="section-no">${bi(UI.section(n))}</p>
    <h1>${bi(lesson.title)}</h1>
  </header>
  <div class="side">
    <div class="toolbar" id="toolbar">
      <div class="buttons">
        <button type="button" id="btn-train" class="primary" disabled>${bi(UI.train)}</button>
        <button type="button" id="btn-pause" disabled>${bi(UI.pause)}</button>
        <button type="button" id="btn-step" disabled>${bi(UI.step)} +${esc(lesson.presets.stepSize || 10)}</button>
        <button type="button" id="btn-reset" disabled>${bi(UI.reset)}</button>
      </div>
      <p class="counters"><span id="step-counter" class="step-counter"></span> <span id="steps-per-sec" class="rate"></span></p>
    </div>
    <section class="lab-panel" id="lab-panel" aria-labelledby="lab-title">
      <h2 id="lab-title" class="panel-title">${bi(UI.experiment)}</h2>
      <button type="button" id="btn-share" class="share-button" aria-haspopup="dialog">${bi(UI.share)}</button>
      ${lesson.claim ? `<p class="claim-text"><strong>${bi(UI.claim)}</strong>${bi(lesson.claim.text)}</p>` : ''}
      <noscript><p class="errors">${bi(UI.noscript)}</p></noscript>
      <p id="lab-message" class="message" role="status" aria-live="polite"></p>
      <div id="lab-errors" class="errors" role="alert" hidden></div>
      <div class="table-wrap">
      <table id="run-status" class="run-status">
        <caption class="sr-only">${bi(UI.runsCaption)}</caption>
        <thead><tr><th scope="col" id="col-step" class="num">${bi(UI.stepCol)}</th><th scope="col" id="col-loss" class="num">${bi(UI.loss)}</th><th scope="col" id="col-rate" class="num">${bi(UI.rateCol)}</th><th scope="col" id="col-status">${bi(UI.status)}</th></tr></thead>
        <tbody></tbody>
      </table>
      </div>
      <div id="claim-result" class="claim-result" role="status" hidden></div>
      <details class="settings" open>
        <summary>${bi(UI.settings)}</summary>
        <div id="controls" class="controls"></div>
        ${named.length ? `<div class="presets"><span class="presets-label">${bi(UI.tryThis)}</span> ${named.map((p) => `<button type="button" class="preset" data-preset="${esc(p.id)}">${bi(p.label)}</button>`).join(' ')}</div>` : ''}
      </details>
    </section>
    ${dataPanel()}
  </div>
  <div class="lesson-text">
${LANGS.map((l) => `    <article data-lang="${l}" lang="${l}">\n${articles[l]}\n    </article>`).join('\n')}
    <div id="chart-fallback" class="chart-fallback"></div>
  </div>
</main>
<nav class="pager" aria-label="${esc(UI.pager['zh-TW'])} / ${esc(UI.pager.en)}">
  ${neighbour(sectionIndex - 1, UI.prev, 'pager-prev')}
  <a class="pager-index" href="${prefix}index.html" data-keep-lang>${bi(UI.course)}</a>
  ${neighbour(sectionIndex + 1, UI.next, 'pager-next')}
</nav>
<div id="chart-store" class="chart-store">
${figures}
</div>
<script type="application/json" id="lesson-data">${jsonForScript(data)}</script>
${scripts(prefix, [LESSON_BUNDLE])}
</body>
</html>
`;
}

// ---------- scripts (esbuild) ----------
// The pages load classic scripts (file:// refuses module scripts and worker URLs): each entry module is bundled into one
// minified IIFE with a source map beside it. The worker (rnnlab.js + web/worker.js) is a string inside worker-bundle.js,
// started as a Blob worker by web/worker-boot.js.
const ESBUILD = { bundle: true, format: 'iife', minify: true, charset: 'utf8', legalComments: 'none', logLevel: 'warning', absWorkingDir: ROOT };

async function bundle(out, rnnlabPath) {
  const banner = (what) => ({ js: `// Generated by web/build.mjs (esbuild): ${what}; edit the sources in web/, not this.` });
  const worker = await esbuild.build({ ...ESBUILD, entryPoints: [path.join(HERE, 'worker.js')], write: false });
  const workerSrc = `${fs.readFileSync(rnnlabPath, 'utf8')}\n;\n${worker.outputFiles[0].text}`;
  const workerSource = {
    name: 'worker-source',
    setup(b) {
      b.onResolve({ filter: /^rnnlab:worker-source$/ }, (a) => ({ path: a.path, namespace: 'rnnlab' }));
      b.onLoad({ filter: /.*/, namespace: 'rnnlab' }, () => ({ contents: workerSrc, loader: 'text' }));
    },
  };
  // the lesson page loads it first thing in <body> and it starts the worker at once, so that the worker compiles the module
  // while the page is still parsing and rendering (web/worker-boot.js); no source map (the worker runs from a Blob)
  await esbuild.build({ ...ESBUILD, entryPoints: [path.join(HERE, 'worker-boot.js')], outfile: path.join(out, 'assets/worker-bundle.js'),
    plugins: [workerSource], banner: banner('rnnlab.js + web/worker.js as one string, started as a Blob worker right away') });
  await esbuild.build({ ...ESBUILD, entryPoints: [path.join(HERE, 'lesson.js')], outfile: path.join(out, LESSON_BUNDLE), sourcemap: 'linked',
    banner: banner('Chart.js and the lesson runtime') });
  await esbuild.build({ ...ESBUILD, entryPoints: [path.join(HERE, 'index.js')], outfile: path.join(out, INDEX_BUNDLE), sourcemap: 'linked',
    banner: banner('the course index runtime') });
}

// ---------- main ----------
async function build(args) {
  if (!fs.existsSync(args.rnnlab)) throw new Error(`rnnlab.js not found at ${args.rnnlab} (build the wasm module first, or pass --rnnlab FILE)`);
  const out = args.out;
  if (path.resolve(out) === ROOT || !path.basename(out)) throw new Error(`refusing to wipe ${out}`);

  const course = readJson(path.join(ROOT, 'lessons/course.json'));
  if (!Array.isArray(course.sections) || !course.sections.length) throw new Error('lessons/course.json: "sections" is empty');

  const lessons = [];
  course.sections.forEach((s, i) => {
    if (!s.folder) return;
    const dir = path.join(ROOT, 'lessons', s.folder);
    if (!fs.existsSync(path.join(dir, 'lesson.json'))) throw new Error(`lessons/course.json: section ${s.id} names folder "${s.folder}" without a lesson.json`);
    const lesson = readJson(path.join(dir, 'lesson.json'));
    validateLesson(lesson, dir);
    s.page = `lessons/${s.folder}.html`;
    lessons.push({ lesson, dir, sectionIndex: i });
  });

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'assets'), { recursive: true });
  fs.mkdirSync(path.join(out, 'lessons'), { recursive: true });

  // assets
  const nm = path.join(ROOT, 'node_modules');
  fs.mkdirSync(path.join(out, 'assets/katex'), { recursive: true });
  fs.copyFileSync(path.join(nm, 'katex/dist/katex.min.css'), path.join(out, 'assets/katex/katex.min.css'));
  copyDir(path.join(nm, 'katex/dist/fonts'), path.join(out, 'assets/katex/fonts'));
  fs.copyFileSync(path.join(HERE, 'lab.css'), path.join(out, 'assets/lab.css'));

  // the JS API, unchanged, and the page scripts
  fs.copyFileSync(args.rnnlab, path.join(out, 'rnnlab.js'));
  await bundle(out, args.rnnlab);

  // pages
  fs.writeFileSync(path.join(out, 'index.html'), indexPage(course));
  for (const { lesson, dir, sectionIndex } of lessons) {
    const articles = {};
    const seen = {};
    for (const l of LANGS) {
      const file = path.join(dir, `${l}.md`);
      if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing`);
      const r = renderMarkdown(fs.readFileSync(file, 'utf8'), { file: path.relative(ROOT, file), lang: l, lesson });
      articles[l] = r.html;
      seen[l] = r.charts;
    }
    for (const c of lesson.charts || []) {
      for (const l of LANGS) if (!seen[l].includes(c.id)) console.warn(`warning: ${lesson.id} ${l}.md has no {{chart:${c.id}}}; the chart goes after the text`);
    }
    const slug = course.sections[sectionIndex].folder;
    fs.writeFileSync(path.join(out, 'lessons', `${slug}.html`), lessonPage({ lesson, course, sectionIndex, articles }));
  }
  writeCspAssets(out);
  return { out, lessons: lessons.length };
}

try {
  const r = await build(parseArgs(process.argv.slice(2)));
  console.log(`built ${path.relative(process.cwd(), r.out) || r.out}: index + ${r.lessons} lesson page(s)`);
} catch (e) {
  console.error(`build failed: ${e.message}`);
  process.exit(1);
}
