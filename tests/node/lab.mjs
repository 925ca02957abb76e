// lab.mjs — shared set-up for the Node tests: loads the shipped dist/rnnlab.js (or build/wasm/rnnlab.js before make dist)
// and reads lesson folders. Not a test itself.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

// the newer of the two: `make test` rebuilds dist/ first, while a developer may have rebuilt only build/wasm
export function labPath() {
  const candidates = ['dist/rnnlab.js', 'build/wasm/rnnlab.js'].map((p) => path.join(root, p)).filter((p) => fs.existsSync(p));
  if (!candidates.length) throw new Error('no rnnlab.js: run `make dist` first');
  return candidates.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

export async function loadLab() {
  return require(labPath()).loadLab();
}

export function lessons() {
  const course = JSON.parse(fs.readFileSync(path.join(root, 'lessons/course.json'), 'utf8'));
  return course.sections.filter((s) => s.folder).map((s) => ({
    id: s.id,
    dir: path.join(root, 'lessons', s.folder),
    data: JSON.parse(fs.readFileSync(path.join(root, 'lessons', s.folder, 'lesson.json'), 'utf8')),
  }));
}

export * as claim from '../../web/claim.js';
export const nativeTrace = path.join(root, 'build/native/rnnlab_trace');

// how many colours web/charts.js's palette has (it imports Chart.js, which needs a browser, so the number is kept here)
export const PALETTE_SIZE = 7;
