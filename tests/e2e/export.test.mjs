// Browser tests of the downloads on a lesson page (web/export.js): a chart's PNG and CSV, a run's config and weights as JSON
// and as a PyTorch script (run with /usr/bin/python3 + torch), over http and from file://, and the charts' text summaries.
// They do not test the charts' drawing or the training itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { LESSON, fileUrl, watchErrors, waitReady, useBrowser } from './helpers.mjs';

let server, browser, shared = null;
// one trained page over http serves the first two tests (training is the slow part)
async function sharedPage() {
  if (!shared) shared = await trainedPage(server.url(`${LESSON}?lang=en`));
  return shared;
}
useBrowser((s, b) => { server = s; browser = b; });

// records every 'create' message the page sends its worker (the exact configs)
const RECORD_CREATES = () => {
  const post = Worker.prototype.postMessage;
  window.__creates = [];
  Worker.prototype.postMessage = function (m, t) {
    if (m && m.type === 'create') window.__creates.push(JSON.parse(JSON.stringify(m)));
    return post.call(this, m, t);
  };
};

async function trainedPage(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.addInitScript(RECORD_CREATES);
  await page.goto(url);
  await waitReady(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.points('loss', 'lstm') >= 30 && window.__lab.points('grad_t') > 0, null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => window.__lab.mode() === 'paused', null, { timeout: 10000 });
  return { page, errors };
}

async function downloadOf(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), click()]);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}

function parseCsv(text) {
  const lines = text.trim().split(/\r\n/);
  const split = (l) => {
    const out = []; let cur = '', q = false;
    for (let i = 0; i < l.length; i++) {
      const c = l[i];
      if (q) { if (c === '"' && l[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c; }
      else if (c === '"') q = true; else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
    }
    out.push(cur);
    return out;
  };
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

test('a chart downloads as an opaque PNG and its data as a CSV with one column per run', { timeout: 60000 }, async () => {
  const { page, errors } = await sharedPage();
  const fig = page.locator('figure[data-chart="loss"]');
  const png = await downloadOf(page, () => fig.getByRole('button', { name: /^PNG: download the picture/ }).click());
  assert.match(png.name, /^01-why-lstm-loss-step\d+\.png$/, 'the file name carries the step');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  // the background is filled: the corner pixel is opaque
  const alpha = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bmp.width, bmp.height), g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    return [g.getImageData(0, 0, 1, 1).data[3], bmp.width];
  }, png.bytes.toString('base64'));
  assert.equal(alpha[0], 255);
  const cssWidth = await page.evaluate(() => document.querySelector('figure[data-chart="loss"] canvas').getBoundingClientRect().width);
  assert.ok(alpha[1] >= 2 * Math.floor(cssWidth), `the picture is at least 2× the chart's CSS width (${alpha[1]} px for ${cssWidth})`);

  const csv = await downloadOf(page, () => fig.getByRole('button', { name: /^CSV: download the data/ }).click());
  assert.match(csv.name, /^01-why-lstm-loss-step\d+\.csv$/);
  const t = parseCsv(csv.bytes.toString('utf8'));
  assert.deepEqual(t.header, ['training step', 'Vanilla RNN (tanh)', 'LSTM', 'GRU']);
  const points = await page.evaluate(() => window.__lab.points('loss', 'lstm'));
  assert.equal(t.rows.filter((r) => r[2] !== '').length, points, 'one LSTM value per plotted point');
  for (const r of t.rows) {
    assert.equal(r.length, 4);
    assert.ok(Number.isFinite(Number(r[0])) && r.slice(1).every((v) => v === '' || Number.isFinite(Number(v))), r.join(','));
  }
  assert.deepEqual(t.rows.map((r) => Number(r[0])), [...t.rows.map((r) => Number(r[0]))].sort((a, b) => a - b), 'rows sorted by step');
  assert.deepEqual(errors, []);
});

test('a run downloads its exact config and its weights in PyTorch state_dict form', { timeout: 60000 }, async () => {
  const { page, errors } = await sharedPage();
  await page.locator('#downloads-details summary').click();
  const cfg = await downloadOf(page, () => page.getByRole('button', { name: 'config JSON: download the config of LSTM' }).click());
  assert.equal(cfg.name, '01-why-lstm-lstm-config.json');
  const sent = await page.evaluate(() => window.__creates.map((m) => m.runs.find((r) => r.id === 'lstm')).filter(Boolean).pop().config); // the latest create of the run (each worker gets its own)
  assert.deepEqual(JSON.parse(cfg.bytes.toString('utf8')), sent, 'the config is the one the worker got');

  const w = await downloadOf(page, () => page.getByRole('button', { name: /^weights JSON: download the trained weights of LSTM/ }).click());
  assert.match(w.name, /^01-why-lstm-lstm-step\d+-weights\.json$/);
  assert.match(await page.locator('#weights-snippet pre').textContent(), /load_state_dict/, 'the loading snippet is next to the downloads');
  const sd = JSON.parse(w.bytes.toString('utf8'));
  assert.deepEqual(Object.keys(sd).sort(), ['head.bias', 'head.weight', 'rnn.bias_hh_l0', 'rnn.bias_ih_l0', 'rnn.weight_hh_l0', 'rnn.weight_ih_l0']);
  assert.deepEqual([sd['rnn.weight_ih_l0'].length, sd['rnn.weight_ih_l0'][0].length], [4 * 32, 2], 'nn.LSTM(2, 32): 4 gates × 32 by 2 inputs');
  assert.deepEqual([sd['head.weight'].length, sd['head.weight'][0].length], [1, 32]);
  assert.ok(sd['rnn.weight_hh_l0'].flat().every(Number.isFinite));
  // the GRU's weights are different tensors (the request names the run)
  const g = await downloadOf(page, () => page.getByRole('button', { name: /^weights JSON: download the trained weights of GRU/ }).click());
  assert.equal(JSON.parse(g.bytes.toString('utf8'))['rnn.weight_ih_l0'].length, 3 * 32);
  assert.deepEqual(errors, []);
});

test('a run downloads as a PyTorch script that prints the lab\'s validation loss (python3-torch)', { timeout: 90000 }, async () => {
  const { page, errors } = await sharedPage();
  if (!(await page.locator('#downloads-details').evaluate((d) => d.open))) await page.locator('#downloads-details summary').click();
  const py = await downloadOf(page, () => page.getByRole('button', { name: /^PyTorch script: download LSTM/ }).click());
  assert.equal(py.name, '01_why_lstm_lstm.py');
  const src = py.bytes.toString('utf8');
  assert.match(src, /^#!\/usr\/bin\/env python3\n# 01-why-lstm, run "LSTM" — an RNN Tuning Lab run as a PyTorch script/);
  assert.match(src, /self\.rnn = nn\.LSTM\(input_size=2, hidden_size=32, num_layers=1, batch_first=True\)/);
  const file = path.join(os.tmpdir(), `rnnlab-e2e-${process.pid}.py`);
  fs.writeFileSync(file, src);
  const out = execFileSync('/usr/bin/python3', [file], { encoding: 'utf8' });
  fs.rmSync(file);
  const torchLoss = Number(/validation loss \(PyTorch\): (\S+)/.exec(out)[1]);
  const labLoss = Number(/LAB_LOSS = (\S+)/.exec(src)[1]);
  assert.ok(Math.abs(torchLoss - labLoss) <= 1e-4 * labLoss, out);
  assert.deepEqual(errors, []);
  await page.close();
  shared = null;
});

test('from file:// the downloads work too, and the chart summaries describe the runs in both languages', { timeout: 60000 }, async () => {
  const { page, errors } = await trainedPage(`${fileUrl(LESSON)}?lang=en`);
  const csv = await downloadOf(page, () => page.locator('figure[data-chart="grad_t"]').getByRole('button', { name: /^CSV:/ }).click());
  assert.match(csv.name, /^01-why-lstm-grad_t-step\d+\.csv$/);
  assert.ok(parseCsv(csv.bytes.toString('utf8')).rows.length >= 10, 'one row per time step');
  // summaries: refreshed when training stopped; the canvas points at them
  const sum = page.locator('#sum-loss');
  await page.waitForFunction(() => /LSTM: [\d.e-]+ at training step \d+/.test(document.getElementById('sum-loss').textContent));
  assert.match(await sum.textContent(), /Vanilla RNN \(tanh\): [\d.e-]+ at training step \d+, (falling|rising|flat)/);
  assert.match(await page.locator('figure[data-chart="loss"] canvas').getAttribute('aria-describedby'), /sum-loss/);
  await page.getByRole('button', { name: '中文' }).click();
  await page.waitForFunction(() => /LSTM：訓練步數 \d+ 時為/.test(document.getElementById('sum-loss').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});
