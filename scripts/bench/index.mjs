#!/usr/bin/env node
/**
 * Benchmarks on a real corpus, baselines side by side in the same run (issue 6):
 *   npm run bench -- --corpus /tmp/corpora/exchange [--runs 3] [--only read,remark-parse,lockstep-lint]
 * A `.tar.xz` corpus is unpacked to a temporary folder first. Each mode runs in its own
 * process; the table shows medians of wall, CPU and peak RSS, pages/s, MB/s and the ratio
 * of each mode's wall time to remark-parse alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { corpus: { type: 'string' }, runs: { type: 'string', default: '1' }, only: { type: 'string' } } });
if (!values.corpus) { console.error('usage: npm run bench -- --corpus DIR|FILE.tar.xz [--runs N] [--only modes]'); process.exit(2); }
let dir = path.resolve(values.corpus);
if (dir.endsWith('.tar.xz')) {
  const into = mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-'));
  execFileSync('tar', ['-xJf', dir, '-C', into]);
  const [top] = readdirSync(into);
  dir = path.join(into, top);
  console.log(`unpacked to ${dir}`);
}
if (!statSync(dir).isDirectory()) { console.error(`${dir} is not a folder`); process.exit(2); }
const modes = values.only ? values.only.split(',') : ['read', 'remark-parse', 'markdownlint-cli2', 'lockstep-extract', 'lockstep-lint'];
const runs = Math.max(1, Number(values.runs));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function measure(mode) {
  if (mode === 'markdownlint-cli2') {
    // Its default rules over the same files, measured from outside (it runs as its own CLI).
    const bin = path.join(here, '../../node_modules/.bin/markdownlint-cli2');
    const t = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', bin, '**/*.md', '#node_modules'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    const last = t.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    return { mode, wallMs: Math.round(last[0] * 1000), cpuMs: Math.round((last[1] + last[2]) * 1000), maxRssMb: Math.round(last[3] / 1024) };
  }
  const r = spawnSync(process.execPath, ['--max-old-space-size=12000', path.join(here, 'run-one.mjs'), mode, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const rows = [];
let files = 0;
let bytes = 0;
for (const mode of modes) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(measure(mode));
  files = samples[0].files ?? files;
  bytes = samples[0].bytes || bytes;
  rows.push({ mode, wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)), maxRssMb: median(samples.map((s) => s.maxRssMb)) });
  console.log(`measured ${mode}: ${JSON.stringify(rows.at(-1))}`);
}
const base = rows.find((r) => r.mode === 'remark-parse')?.wallMs;
console.log(`\n${dir}: ${files} pages, ${(bytes / 1e6).toFixed(1)} MB of text, median of ${runs} run(s)\n`);
console.log('| mode | wall s | CPU s | peak RSS MB | pages/s | MB/s | wall / remark-parse |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const s = r.wallMs / 1000;
  console.log(`| ${r.mode} | ${s.toFixed(1)} | ${(r.cpuMs / 1000).toFixed(1)} | ${r.maxRssMb} | ${Math.round(files / s)} | ${(bytes / 1e6 / s).toFixed(2)} | ${base ? (r.wallMs / base).toFixed(2) : '-'} |`);
}
