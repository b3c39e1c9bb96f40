/**
 * One measured mode of the benchmark, in its own process so wall, CPU and peak RSS are its own
 * (worker threads are threads of this process: their CPU and memory count here).
 *   node run-one.mjs MODE DIR [--workers N] [--cache DIR] [--source-locale TAG] [--dist DIR]
 * `--dist` loads lockstep from another build (an older commit's `dist/`) for a before/after run.
 * Prints one JSON line: { mode, wallMs, cpuMs, maxRssMb, files, bytes, ... }.
 */
import { existsSync, readFile as readFileCallback } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { glob } from 'tinyglobby';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    workers: { type: 'string' },
    cache: { type: 'string' },
    'source-locale': { type: 'string' },
    dist: { type: 'string' },
  },
});
const dist = values.dist ? pathToFileURL(path.resolve(values.dist, 'index.js')).href : '../../dist/index.js';
// Lint modes import lint as a program that only lints does (`lockstep/lint`: no markdown or YAML parser, 90 ms where
// the whole library's entry takes 325 ms): dist/run/lint-run.js. Builds older than that module (before issue 21's
// work, e.g. 5698aa4) lint through their library entry, as their own bench did.
const lintRunIn = (distDir) => path.resolve(distDir, 'run', 'lint-run.js');
const lintEntry = values.dist
  ? pathToFileURL(existsSync(lintRunIn(values.dist)) ? lintRunIn(values.dist) : path.resolve(values.dist, 'index.js'))
      .href
  : '../../dist/run/lint-run.js';
const [mode, dir] = positionals;
if (!mode || !dir) {
  console.error(
    'usage: node scripts/bench/run-one.mjs MODE DIR [--dist DIR] [--cache DIR] [--workers N] [--source-locale L]',
  );
  process.exit(2);
}
const listFiles = async () => (await glob(['**/*.md'], { cwd: dir, absolute: true })).sort();
const started = performance.now();
// The files to read and parse are part of the baselines' work; lockstep finds its own (inside lint()), so the list
// the report counts is made after its timing for the lockstep modes (it was 0.15 s of a warm Graph run's figure).
const files = mode.startsWith('lockstep') ? null : await listFiles();
let bytes = 0;
const extra = {};
/**
 * Every file's bytes, read as lockstep's first step reads them: callback readFile, 32 in flight
 * (src/run/source.ts), so that both sides of a comparison get the same disk parallelism.
 */
async function readAll() {
  const all = new Array(files.length);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      all[i] = await new Promise((resolve, reject) =>
        readFileCallback(files[i], (error, data) => (error ? reject(error) : resolve(data))),
      );
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  return all;
}
if (mode === 'read') {
  for (const data of await readAll()) bytes += data.length;
} else if (mode === 'remark-parse') {
  const { unified } = await import('unified');
  const { default: remarkParse } = await import('remark-parse');
  const processor = unified().use(remarkParse);
  // Read first, then parse back to back. Awaiting one read before each parse (as this mode did until
  // issue 21) made remark-parse look 1.8x slower than it is: Exchange, page cache warm, 50 s wall and
  // 70 s CPU against 27 s and 35 s, the parses themselves 29 % slower and the extra CPU spent on V8's
  // helper threads; the same with callback readFile and with --no-memory-reducer. Every ratio to
  // remark-parse quoted before then was measured against the inflated figure.
  const all = await readAll();
  for (let i = 0; i < all.length; i++) {
    const text = all[i].toString('utf8');
    all[i] = null;
    bytes += Buffer.byteLength(text);
    processor.parse(text);
  }
} else if (mode === 'lockstep-lint') {
  const { lint } = await import(lintEntry);
  let last = null;
  const result = await lint([dir], {
    cwd: dir,
    sourceLocale: values['source-locale'] ?? null,
    workers: values.workers === undefined || values.workers === 'auto' ? undefined : Number(values.workers),
    cache: values.cache ? { location: values.cache } : false,
    onProgress: (p) => {
      last = p;
    },
  });
  Object.assign(extra, {
    workers: last?.workers ?? 0,
    groupsCached: last?.groups.cached ?? 0,
    pagesParsed: last?.pages.done ?? 0,
    diagnostics: result.diagnostics.length,
  });
} else if (mode === 'lockstep-extract') {
  const { loadPages } = await import(dist);
  await loadPages([dir], { cwd: dir });
} else {
  throw new Error(`unknown mode ${mode}`);
}
const usage = process.resourceUsage();
const wallMs = Math.round(performance.now() - started);
console.log(
  JSON.stringify({
    mode,
    wallMs,
    cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    maxRssMb: Math.round(usage.maxRSS / 1024),
    files: (files ?? (await listFiles())).length,
    bytes,
    ...extra,
  }),
);
