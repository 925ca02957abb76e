// Runtime UI strings in zh-TW and en, and the language switch shared by the index and the lesson pages.
// Lesson text is not here: it is rendered at build time, both languages embedded, shown or hidden by CSS on <html lang>.
(function (root) {
  'use strict';
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

  var api = {
    LANGS: LANGS, DEFAULT: DEFAULT, STR: STR, t: t, pick: pick, set: set, fromUrl: fromUrl, queryLang: queryLang, norm: norm,
    get: function () { return current; },
    onChange: function (f) { listeners.push(f); }
  };
  (root.LabRuntime = root.LabRuntime || {}).i18n = api;
})(typeof self !== 'undefined' ? self : this);
