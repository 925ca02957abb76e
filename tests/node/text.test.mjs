// text.test.mjs — the zh-TW text reads as Taiwan writes it: no mainland term and no second name for a term the glossary
// (docs/glossary-zh-TW.md) fixes. Covers every zh-TW string a student sees: lessons/*/zh-TW.md, the zh-TW values of each
// lesson.json and of lessons/course.json, and the zh-TW UI strings of web/strings.js. Plain text checks, no build needed.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { root, lessons } from './lab.mjs';
import { STR } from '../../web/strings.js';
import { KEYS, RUN_KEYS } from '../../web/schema.js';

// [pattern, what to write instead]; each pattern is narrow enough to leave legitimate uses alone
// (循環 only where it means "recurrent"; 算法 only when not part of 演算法; 偏差 only when not 偏差項, the bias parameter)
const BANNED = [
  [/非循環|循環(?:神經)?(?:網路|網絡|單元|權重|連接|連結|層|矩陣|結構|狀態|神經網路)|循環式/, '遞迴（recurrent）：遞迴網路、遞迴權重、遞迴連接'],
  [/(?<!演)算法/, '演算法，或「計算方式」'],
  [/傳送帶/, '輸送帶'],
  [/優化器|優化演算法/, '最佳化器、最佳化演算法'],
  [/不動點/, '固定點'],
  [/偏置/, '偏差項（bias 參數）'],
  [/偏差(?!項)/, '偏差項（bias 參數）或偏誤（統計上的 bias，如 Adam 的偏誤修正）'],
  [/第 ?[0-9一二三四五六七八九十]+ ?課|[上下前]一課/, '第 N 節、上一節、下一節（介面用「節」）'],
  [/吵/, '雜訊多'],
  [/網絡|信息|數據|默認|質量|軟件|視頻|代碼|內存|屏幕|鼠標|歸一化/, '網路、資訊、資料、預設、品質、軟體、影片、程式碼、記憶體、螢幕、滑鼠、正規化'],
];

function zhStrings(value, where, out) {
  if (Array.isArray(value)) value.forEach((v, i) => zhStrings(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'zh-TW' && typeof v === 'string') out.push({ where: `${where}.${k}`, text: v });
      else zhStrings(v, `${where}.${k}`, out);
    }
  }
  return out;
}

function sources() {
  const out = [];
  for (const l of lessons()) {
    out.push({ where: path.relative(root, path.join(l.dir, 'zh-TW.md')), text: fs.readFileSync(path.join(l.dir, 'zh-TW.md'), 'utf8') });
    zhStrings(l.data, path.relative(root, path.join(l.dir, 'lesson.json')), out);
  }
  zhStrings(JSON.parse(fs.readFileSync(path.join(root, 'lessons/course.json'), 'utf8')), 'lessons/course.json', out);
  // web/strings.js holds every UI string (web/i18n.js only looks them up)
  for (const [k, v] of Object.entries(STR['zh-TW'])) out.push({ where: `web/strings.js zh-TW.${k}`, text: v });
  // the controls' and run settings' labels and help (web/schema.js): the run editor and the settings panel show them
  zhStrings(KEYS.concat(RUN_KEYS), 'web/schema.js', out);
  return out;
}

function findBanned(texts) {
  const hits = [];
  for (const { where, text } of texts) {
    text.split('\n').forEach((line, i) => {
      for (const [re, instead] of BANNED) {
        const m = line.match(re);
        if (m) hits.push(`${where}${where.endsWith('.md') ? `:${i + 1}` : ''}: 「${m[0]}」→ ${instead}`);
      }
    });
  }
  return hits;
}

test('the zh-TW text reaches every lesson, the course outline and the UI strings', () => {
  const texts = sources();
  assert.ok(texts.some((t) => t.where.endsWith('13-selu/zh-TW.md')));
  assert.ok(texts.some((t) => t.where.startsWith('lessons/course.json')));
  assert.ok(texts.some((t) => t.where.startsWith('web/strings.js')));
});

test('the zh-TW text uses no mainland term and one name per glossary term', () => {
  const hits = findBanned(sources());
  assert.deepEqual(hits, [], `\n${hits.join('\n')}`);
});

test('the term check flags the mainland terms and leaves their Taiwan forms alone', () => {
  const bad = ['循環權重', '非循環的連接', '這個算法', '傳送帶', '優化器', '不動點', '偏置', '加上偏差', '第 6 課', '上一課', '又小又吵'];
  const good = ['遞迴權重', '演算法', '輸送帶', '最佳化器', '固定點', '偏差項', '偏誤修正', '第 6 節', '這一課', '雜訊多', '學習率循環一圈'];
  for (const s of bad) assert.equal(findBanned([{ where: 'x', text: s }]).length, 1, s);
  for (const s of good) assert.equal(findBanned([{ where: 'x', text: s }]).length, 0, s);
});
