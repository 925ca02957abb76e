// Runtime UI strings in zh-TW and en, and the language switch shared by the index and the lesson pages.
// Lesson text is not here: it is rendered at build time, both languages embedded, shown or hidden by CSS on <html lang>.
var LANGS = ['zh-TW', 'en'];
var DEFAULT = 'zh-TW';

var STR = {
  'zh-TW': {
    loading: '正在載入訓練模組…',
    ready: '準備好了：按「訓練」開始。',
    training: '訓練中',
    paused: '已暫停',
    done: '已完成',
    idle: '尚未開始',
    stepCounter: '第 {step} 步',
    stepsPerSec: '每秒 {rate} 步',
    runStep: '步數',
    runLoss: '損失',
    runStatus: '狀態',
    runName: '模型',
    diverged: '在第 {step} 步發散',
    failed: '錯誤',
    errorCreate: '{run} 無法建立：{message}',
    errorTrain: '{run} 訓練時出錯：{message}',
    errorInit: '訓練模組無法載入：{message}',
    errorWorker: '背景執行緒出錯：{message}',
    noWorkerSource: '找不到 assets/worker-bundle.js（訓練模組）。',
    crashed: '訓練模組當掉了：{message}',
    crashedRun: '{run} 訓練時讓訓練模組當掉了：{message}。它已標記為錯誤，按「重設」可重新開始。',
    crashRestarting: '訓練模組當掉了，正在重新啟動並重播其他模型…',
    crashRestored: '已重新啟動訓練模組；其他模型已用相同的種子重播回原來的步數（{runs}），圖表保留原來的點。',
    crashReplayedDiffers: '已重新啟動訓練模組並重播其他模型（{runs}），但重播的結果與原本不同：圖表已改成重播的結果。',
    crashGaveUp: '訓練模組已當掉 {message} 次，不再自動重新啟動。請重新載入頁面再試。',
    workerSilent: '背景執行緒超過 {seconds} 秒沒有回應',
    claimTitle: '檢查這一課的主張（在第 {step} 步）',
    claimNote: '主張是針對預設設定而言；改了設定，結果可能不同。',
    pass: '成立',
    fail: '不成立',
    unknown: '資料不足',
    applied: '已套用：{name}',
    resetDone: '已重設。'
  },
  en: {
    loading: 'Loading the training module…',
    ready: 'Ready: press Train to start.',
    training: 'training',
    paused: 'paused',
    done: 'done',
    idle: 'not started',
    stepCounter: 'step {step}',
    stepsPerSec: '{rate} steps/s',
    runStep: 'Step',
    runLoss: 'Loss',
    runStatus: 'Status',
    runName: 'Model',
    diverged: 'diverged at step {step}',
    failed: 'error',
    errorCreate: '{run} could not be created: {message}',
    errorTrain: '{run} failed while training: {message}',
    errorInit: 'The training module failed to load: {message}',
    errorWorker: 'The background worker failed: {message}',
    noWorkerSource: 'assets/worker-bundle.js (the training module) is missing.',
    crashed: 'The training module crashed: {message}',
    crashedRun: '{run} crashed the training module while training: {message}. It is marked as failed; Reset brings it back.',
    crashRestarting: 'The training module crashed; restarting it and replaying the other models…',
    crashRestored: 'Restarted the training module; the other models were replayed with the same seed to the step they had reached ({runs}) and the charts keep their points.',
    crashReplayedDiffers: 'Restarted the training module and replayed the other models ({runs}), but the replay differs from the original run: the charts now show the replay.',
    crashGaveUp: 'The training module crashed {message} times and is no longer restarted. Reload the page to try again.',
    workerSilent: 'the background worker did not answer for {seconds} s',
    claimTitle: 'Checking this lesson\'s claim (at step {step})',
    claimNote: 'The claim is about the default settings; with other settings the result may differ.',
    pass: 'holds',
    fail: 'does not hold',
    unknown: 'not enough data',
    applied: 'Applied: {name}',
    resetDone: 'Reset.'
  }
};

// Runs, per-run settings, URL notices and the Share dialog (issue #4 points 1–4).
Object.assign(STR['zh-TW'], {
  duplicate: '複製',
  duplicateRun: '複製 {run}',
  remove: '移除',
  removeRun: '移除 {run}',
  edit: '調整',
  editRun: '調整 {run} 的設定',
  addRun: '加入模型',
  addFrom: '範本',
  setting: '設定項目',
  value: '值',
  apply: '套用',
  applyRun: '套用到 {run}',
  removeOverride: '移除 {run} 的 {name} 設定',
  noOverrides: '這個模型沿用頁面上的設定。改一項設定只會重新開始這個模型。',
  runAdded: '已加入 {run}。',
  runRemoved: '已移除 {run}。',
  runRestarted: '{run} 已重新開始。',
  lastRun: '至少要留一個模型。',
  tooManyRuns: '最多 {n} 個模型。',
  noticeTitle: '連結裡有些設定無法使用，已略過（頁面照常運作）：',
  noticeUnknownKey: '不認得的項目「{name}」',
  noticeBadValue: '「{name}」的值「{value}」無效',
  noticeUnknownRun: '這一課沒有叫「{name}」的模型',
  noticeTooManyRuns: '模型太多，略過「{name}」',
  noticeBadHide: '無法隱藏「{name}」',
  noticeMore: '……還有 {n} 項',
  dismiss: '關閉提示',
  shareTitle: '分享這個實驗',
  shareIntro: '連結會重現同樣的實驗：同一個種子、同樣的模型與設定。',
  shareLink: '連結',
  copy: '複製',
  copyLink: '複製連結',
  copySnippet: '複製嵌入程式碼',
  copied: '已複製到剪貼簿。',
  copyFailed: '無法自動複製：已選取文字，請按 Ctrl+C（⌘C）。',
  hideLegend: '在分享的頁面上隱藏：',
  hideEach: '個別設定',
  hide_text: '課文',
  hide_title: '標題',
  hide_controls: '全部設定',
  hide_presets: '「試試看」按鈕',
  hide_runs: '加入／複製／移除模型',
  hide_charts: '圖表',
  hide_claim: '這一課的主張',
  hide_share: '分享按鈕',
  embedTitle: '嵌入課程網站（iframe）',
  embedNote: '貼到課程網頁（HTML 或 Markdown）裡。高度會自動調整的寫法見 docs/embedding.md。',
  close: '關閉'
});
Object.assign(STR.en, {
  duplicate: 'Duplicate',
  duplicateRun: 'Duplicate {run}',
  remove: 'Remove',
  removeRun: 'Remove {run}',
  edit: 'Change',
  editRun: 'Change settings of {run}',
  addRun: 'Add run',
  addFrom: 'Based on',
  setting: 'Setting',
  value: 'Value',
  apply: 'Apply',
  applyRun: 'Apply to {run}',
  removeOverride: 'Remove {name} from {run}',
  noOverrides: 'This run uses the page settings. Changing one here restarts only this run.',
  runAdded: 'Added {run}.',
  runRemoved: 'Removed {run}.',
  runRestarted: '{run} restarted.',
  lastRun: 'At least one run must stay.',
  tooManyRuns: 'At most {n} runs.',
  noticeTitle: 'Some settings in the link could not be used and were ignored (the page works as usual):',
  noticeUnknownKey: 'unknown setting "{name}"',
  noticeBadValue: 'invalid value "{value}" for "{name}"',
  noticeUnknownRun: 'this lesson has no run "{name}"',
  noticeTooManyRuns: 'too many runs, "{name}" left out',
  noticeBadHide: 'cannot hide "{name}"',
  noticeMore: '… and {n} more',
  dismiss: 'Dismiss notice',
  shareTitle: 'Share this experiment',
  shareIntro: 'The link reproduces this experiment: the same seed, runs and settings.',
  shareLink: 'Link',
  copy: 'Copy',
  copyLink: 'Copy link',
  copySnippet: 'Copy embed code',
  copied: 'Copied to the clipboard.',
  copyFailed: 'Could not copy automatically: the text is selected, press Ctrl+C (⌘C).',
  hideLegend: 'Hide in the shared page:',
  hideEach: 'Individual settings',
  hide_text: 'lesson text',
  hide_title: 'title',
  hide_controls: 'all settings',
  hide_presets: '"Try this" buttons',
  hide_runs: 'adding, duplicating, removing runs',
  hide_charts: 'charts',
  hide_claim: 'the lesson\'s claim',
  hide_share: 'Share button',
  embedTitle: 'Embed in a course site (iframe)',
  embedNote: 'Paste into a course page (HTML or Markdown). For automatic height, see docs/embedding.md.',
  close: 'Close'
});

// chart summaries, downloads and "Your data" (web/charts.js, web/export.js, web/datapanel.js)
Object.assign(STR['zh-TW'], {
  sumEmpty: '還沒有資料。',
  sumLast: '{name}：{x} {xv} 時為 {y}',
  sumProfile: '{name}：{x} {x0} 為 {y0}，{x} {x1} 為 {y1}',
  sumPeak: '{name}：最高 {y}，在 {x} {xv}',
  sumWeights: '{name}：{share} 的權重 |w| < {eps}，最多落在 {w}',
  sumFalling: '下降中',
  sumRising: '上升中',
  sumFlat: '持平',
  sumLabel: '圖表文字摘要',
  dlPng: 'PNG：下載這張圖（{chart}）',
  dlCsv: 'CSV：下載這張圖的資料（{chart}）',
  dlConfig: '設定 JSON：下載 {run} 的設定',
  dlWeights: '權重 JSON：下載 {run} 訓練後的權重（PyTorch state_dict）',
  dlFailed: '無法下載：{message}',
  dlDone: '已下載 {file}',
  dataPreview: '{rows} 列、{cols} 欄；視窗長度 T = {T}：{windows} 個視窗。',
  dataPreviewText: '{chars} 個字元（{bytes} 位元組 UTF-8，{symbols} 種符號）；序列長度 T = {T}。',
  dataUsing: '所有模型正在用你的資料訓練（{what}）。',
  dataUsingCsv: 'CSV，{rows} 列',
  dataUsingText: '文字，{chars} 個字元',
  dataBuiltIn: '正在用這一課內建的資料。',
  dataChecked: '資料沒問題，可以訓練。',
  dataReadError: '無法讀取檔案：{message}',
  dataSparkline: '目標欄「{name}」的走勢：最小 {min}，最大 {max}',
  dataSparkText: '文字開頭：{start}'
});
Object.assign(STR.en, {
  sumEmpty: 'No data yet.',
  sumLast: '{name}: {y} at {x} {xv}',
  sumProfile: '{name}: {y0} at {x} {x0}, {y1} at {x} {x1}',
  sumPeak: '{name}: peak {y} at {x} {xv}',
  sumWeights: '{name}: {share} of the weights have |w| < {eps}; most are near {w}',
  sumFalling: 'falling',
  sumRising: 'rising',
  sumFlat: 'flat',
  sumLabel: 'Chart summary in words',
  dlPng: 'PNG: download the picture ({chart})',
  dlCsv: 'CSV: download the data ({chart})',
  dlConfig: 'config JSON: download the config of {run}',
  dlWeights: 'weights JSON: download the trained weights of {run} (PyTorch state_dict)',
  dlFailed: 'Download failed: {message}',
  dlDone: 'Downloaded {file}',
  dataPreview: '{rows} rows, {cols} columns; window length T = {T}: {windows} windows.',
  dataPreviewText: '{chars} characters ({bytes} bytes of UTF-8, {symbols} distinct symbols); sequence length T = {T}.',
  dataUsing: 'Every run trains on your data ({what}).',
  dataUsingCsv: 'CSV, {rows} rows',
  dataUsingText: 'text, {chars} characters',
  dataBuiltIn: 'Using this lesson\'s built-in data.',
  dataChecked: 'The data is fine: ready to train.',
  dataReadError: 'The file could not be read: {message}',
  dataSparkline: 'Target column "{name}": from {min} to {max}',
  dataSparkText: 'The text starts: {start}'
});

var current = DEFAULT;

function norm(l) {
  if (!l) return null;
  var s = String(l).toLowerCase();
  if (s === 'en' || s.indexOf('en-') === 0) return 'en';
  if (s === 'zh' || s === 'zh-tw' || s === 'zh-hant' || s.indexOf('zh-') === 0) return 'zh-TW';
  return null;
}

function t(key, params) {
  var s = (STR[current] && STR[current][key]) || STR.en[key] || key;
  return s.replace(/\{(\w+)\}/g, function (_, k) { return params && params[k] !== undefined ? String(params[k]) : ''; });
}

// pick {zh-TW: ..., en: ...} (or a plain string)
function pick(obj) {
  if (obj == null) return '';
  if (typeof obj === 'string') return obj;
  return obj[current] || obj[DEFAULT] || obj.en || '';
}

// Language from the URL: the hash's lang wins over the query's, then the default.
function fromUrl(loc) {
  var h = new URLSearchParams(String(loc.hash || '').replace(/^#/, ''));
  var q = new URLSearchParams(loc.search || '');
  return norm(h.get('lang')) || norm(q.get('lang')) || DEFAULT;
}
function queryLang(loc) { return norm(new URLSearchParams(loc.search || '').get('lang')); }

var listeners = [];
function set(lang) {
  current = norm(lang) || DEFAULT;
  document.documentElement.lang = current;
  Array.prototype.forEach.call(document.querySelectorAll('[data-set-lang]'), function (b) {
    b.setAttribute('aria-pressed', String(b.getAttribute('data-set-lang') === current));
  });
  // links to other pages of the course carry the language along
  Array.prototype.forEach.call(document.querySelectorAll('a[data-keep-lang]'), function (a) {
    var base = a.getAttribute('data-href') || a.getAttribute('href');
    a.setAttribute('data-href', base);
    a.setAttribute('href', current === DEFAULT ? base : base + (base.indexOf('?') >= 0 ? '&' : '?') + 'lang=' + current);
  });
  var title = document.querySelector('meta[name="title-' + current + '"]');
  if (title) document.title = title.getAttribute('content');
  listeners.forEach(function (f) { f(current); });
}

function get() { return current; }
function onChange(f) { listeners.push(f); }

export { LANGS, DEFAULT, STR, t, pick, set, get, onChange, fromUrl, queryLang, norm };
