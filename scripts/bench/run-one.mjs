/**
 * One measured mode of the benchmark, in its own process so wall, CPU and peak RSS are its own
 * (worker threads are threads of this process: their CPU and memory count here).
 *   node run-one.mjs MODE DIR [--workers N] [--cache DIR] [--source-locale TAG] [--dist DIR]
 * `--dist` loads lockstep from another build (an older commit's `dist/`) for a before/after run.
 * Prints one JSON line: { mode, wallMs, cpuMs, maxRssMb, files, bytes, ... }.
 */
import { readFile } from 'node:fs/promises';
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
const [mode, dir] = positionals;
const started = performance.now();
const files = (await glob(['**/*.md'], { cwd: dir, absolute: true })).sort();
let bytes = 0;
const extra = {};
if (mode === 'read') {
  for (const f of files) bytes += (await readFile(f)).length;
} else if (mode === 'remark-parse') {
  const { unified } = await import('unified');
  const { default: remarkParse } = await import('remark-parse');
  const processor = unified().use(remarkParse);
  for (const f of files) {
    const text = await readFile(f, 'utf8');
    bytes += text.length;
    processor.parse(text);
  }
} else if (mode === 'lockstep-lint') {
  const { lint } = await import(dist);
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
  const { loadPages } = await import('../../dist/index.js');
  await loadPages([dir], { cwd: dir });
} else {
  throw new Error(`unknown mode ${mode}`);
}
const usage = process.resourceUsage();
console.log(
  JSON.stringify({
    mode,
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    maxRssMb: Math.round(usage.maxRSS / 1024),
    files: files.length,
    bytes,
    ...extra,
  }),
);
