#!/usr/bin/env node
/**
 * Benchmarks on a real corpus, baselines side by side in the same run (issue 6):
 *   npm run bench -- --corpus /tmp/corpora/exchange [--runs 3] [--source-locale en-US]
 *     [--only read,remark-parse,lint-cold] [--drop-page-cache] [--baseline-dist /tmp/before/dist]
 *   npm run bench -- --conformance [--replays 30] [--concurrency 4] [--docs DIR [--pages FILE]] [--warmup SECONDS]
 * A `.tar.xz` corpus is unpacked to a temporary folder first. Each mode runs in its own process;
 * rounds are interleaved (every mode once per round) so load from elsewhere spreads over all of
 * them. The table shows medians of wall, CPU and peak RSS, pages/s, MB/s and the ratio of each
 * mode's wall time to remark-parse alone.
 *
 * Modes: read (the files, 32 reads in flight as lint's first step reads them, nothing else),
 * remark-parse (the same reads, then `unified().use(remarkParse).parse` of each file back to back), markdownlint-cli2 (its default rules), lint-cold (lockstep lint, empty cache, default
 * workers), lint-warm (the same again, cache filled by lint-cold), lint-cold-w0 and lint-warm-w0
 * (the same with --workers 0), lint-nocache (cache off), lockstep-extract (loadPages: every page
 * held at once). With `--baseline-dist DIR` (another commit's build), every lint mode also runs as
 * `MODE@baseline` from that build in the same round, so a change is timed against the code before it
 * under the same load and page cache.
 * `--drop-page-cache` evicts the corpus from the OS page cache before every mode (with
 * posix_fadvise DONTNEED, through python3, as Node has no binding), so that each one reads from
 * disk, as a CI job on a fresh checkout can; without it, the first mode of a run warms the cache
 * for the others.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const USAGE =
  'usage: npm run bench -- --corpus DIR|FILE.tar.xz [--runs N] [--source-locale TAG] [--only modes] ' +
  '[--drop-page-cache] [--baseline-dist DIR]\n       npm run bench -- --conformance [--replays N] [--concurrency N] ' +
  '[--docs DIR [--pages FILE]] [--warmup SECONDS]';
let parsed;
try {
  parsed = parseArgs({ options: benchOptions() });
} catch (error) {
  // `--help` and a mistyped option alike: the usage, not a stack trace.
  const help = process.argv.includes('--help') || process.argv.includes('-h');
  if (!help) console.error(`bench: ${error.message}`);
  console.error(USAGE);
  process.exit(help ? 0 : 2);
}
const { values } = parsed;
function benchOptions() {
  return {
    corpus: { type: 'string' },
    runs: { type: 'string', default: '1' },
    only: { type: 'string' },
    'source-locale': { type: 'string' },
    'drop-page-cache': { type: 'boolean', default: false },
    'baseline-dist': { type: 'string' },
    conformance: { type: 'boolean', default: false },
    replays: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '4' },
    docs: { type: 'string' },
    pages: { type: 'string' },
    warmup: { type: 'string', default: '5' },
  };
}
if (values.conformance) {
  const r = spawnSync(
    process.execPath,
    [
      path.join(here, 'conformance.mjs'),
      '--replays',
      values.replays,
      '--concurrency',
      values.concurrency,
      '--warmup',
      values.warmup,
      ...(values.docs ? ['--docs', values.docs] : []),
      ...(values.pages ? ['--pages', values.pages] : []),
    ],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}
if (!values.corpus) {
  console.error(USAGE);
  process.exit(2);
}
let dir = path.resolve(values.corpus);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
if (dir.endsWith('.tar.xz')) {
  execFileSync('tar', ['-xJf', dir, '-C', scratch]);
  const [top] = readdirSync(scratch);
  dir = path.join(scratch, top);
  console.log(`unpacked to ${dir}`);
}
if (!statSync(dir).isDirectory()) {
  console.error(`${dir} is not a folder`);
  process.exit(2);
}
const ALL = ['read', 'remark-parse', 'markdownlint-cli2', 'lint-cold', 'lint-warm', 'lint-cold-w0', 'lint-warm-w0'];
const chosen = values.only ? values.only.split(',') : ALL;
const baselineDist = values['baseline-dist'] ? path.resolve(values['baseline-dist']) : null;
const modes = baselineDist ? chosen.flatMap((m) => (m.startsWith('lint-') ? [`${m}@baseline`, m] : [m])) : chosen;
const runs = Math.max(1, Number(values.runs));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const sourceLocale = values['source-locale'] ? ['--source-locale', values['source-locale']] : [];

function runOne(mode, args = []) {
  const r = spawnSync(process.execPath, [path.join(here, 'run-one.mjs'), mode, dir, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const EVICT = `import os, sys
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        try:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
        except OSError:
            continue
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)`;
function dropPageCache() {
  const r = spawnSync('python3', ['-c', EVICT, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.error || r.status !== 0) {
    console.error(`--drop-page-cache needs python3 (posix_fadvise): ${r.error?.message ?? `exit ${r.status}`}`);
    process.exit(2);
  }
}

/** Cache folders of the current round: lint-warm uses the one lint-cold filled. */
let caches = {};
function measure(mode) {
  if (mode === 'markdownlint-cli2') {
    // Its default rules over the same files, measured from outside (it runs as its own CLI).
    const bin = path.join(here, '../../node_modules/.bin/markdownlint-cli2');
    const t = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', bin, '**/*.md', '#node_modules'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const last = t.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    return {
      mode,
      wallMs: Math.round(last[0] * 1000),
      cpuMs: Math.round((last[1] + last[2]) * 1000),
      maxRssMb: Math.round(last[3] / 1024),
    };
  }
  const lintMode = /^lint-(cold|warm|nocache)(-w0)?(@baseline)?$/.exec(mode);
  if (lintMode) {
    const [, kind, w0, baseline] = lintMode;
    const workers = [...(w0 ? ['--workers', '0'] : []), ...(baseline ? ['--dist', baselineDist] : [])];
    let cache = [];
    if (kind !== 'nocache') {
      const key = `${w0 ? 'w0' : 'auto'}${baseline ?? ''}`;
      if (kind === 'cold' || !caches[key]) caches[key] = mkdtempSync(path.join(scratch, 'cache-'));
      if (kind === 'warm' && readdirSync(caches[key]).length === 0)
        runOne('lockstep-lint', [...sourceLocale, ...workers, '--cache', caches[key]]); // fill it first
      cache = ['--cache', caches[key]];
    }
    return { ...runOne('lockstep-lint', [...sourceLocale, ...workers, ...cache]), mode };
  }
  return runOne(mode);
}

const samples = Object.fromEntries(modes.map((m) => [m, []]));
for (let round = 0; round < runs; round++) {
  caches = {};
  // Every other round runs the current build before the baseline, so neither always goes first.
  const order =
    round % 2 === 1
      ? modes.map((m, i) =>
          m.endsWith('@baseline') ? modes[i + 1] : modes[i - 1]?.endsWith('@baseline') ? modes[i - 1] : m,
        )
      : modes;
  for (const mode of order) {
    if (values['drop-page-cache']) dropPageCache();
    const s = measure(mode);
    samples[mode].push(s);
    console.log(
      `round ${round + 1}/${runs} ${mode}: wall ${(s.wallMs / 1000).toFixed(1)} s, ` +
        `CPU ${(s.cpuMs / 1000).toFixed(1)} s, peak RSS ${s.maxRssMb} MB` +
        `${
          s.workers !== undefined
            ? `, ${s.workers} workers, ${s.groupsCached} groups cached, ` +
              `${s.pagesParsed} pages parsed, ${s.diagnostics} diagnostics`
            : ''
        }`,
    );
  }
}
let files = 0;
let bytes = 0;
for (const list of Object.values(samples))
  for (const s of list) {
    files = s.files ?? files;
    bytes = s.bytes || bytes;
  }
const rows = modes.map((mode) => {
  const list = samples[mode];
  return {
    mode,
    wallMs: median(list.map((s) => s.wallMs)),
    cpuMs: median(list.map((s) => s.cpuMs)),
    maxRssMb: median(list.map((s) => s.maxRssMb)),
    workers: list[0].workers,
  };
});
// The baseline build may find other things; only the current build's modes must agree.
const current = Object.entries(samples)
  .filter(([mode]) => !mode.endsWith('@baseline'))
  .flatMap(([, list]) => list);
const lintCounts = new Set(current.filter((s) => s.diagnostics !== undefined).map((s) => s.diagnostics));
if (lintCounts.size > 1)
  console.log(`\nWARNING: lint modes disagree on the number of diagnostics: ${[...lintCounts].join(', ')}`);
const base = rows.find((r) => r.mode === 'remark-parse')?.wallMs;
// Only the read and remark-parse modes count the text's bytes: without them, MB figures are not known.
console.log(
  `\n${dir}: ${files} pages, ` +
    `${bytes ? `${(bytes / 1e6).toFixed(1)} MB of text` : 'text size not measured (no read or remark-parse mode)'}` +
    `, median of ${runs} run(s), ${os.availableParallelism()} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
);
console.log('| mode | wall s | CPU s | peak RSS MB | pages/s | MB/s | wall / remark-parse |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const s = r.wallMs / 1000;
  const name = r.workers !== undefined ? `${r.mode} (${r.workers} workers)` : r.mode;
  console.log(
    `| ${name} | ${s.toFixed(1)} | ${(r.cpuMs / 1000).toFixed(1)} | ${r.maxRssMb} | ${Math.round(files / s)} | ` +
      `${bytes ? (bytes / 1e6 / s).toFixed(2) : '-'} | ${base ? (r.wallMs / base).toFixed(2) : '-'} |`,
  );
}
