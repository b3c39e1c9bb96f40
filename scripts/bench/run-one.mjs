/**
 * One measured mode of the benchmark, in its own process so wall, CPU and peak RSS are its own.
 * Prints one JSON line: { mode, wallMs, cpuMs, maxRssMb, files, bytes }.
 */
import { readFile } from 'node:fs/promises';
import { glob } from 'tinyglobby';

const [mode, dir] = process.argv.slice(2);
const started = performance.now();
const files = (await glob(['**/*.md'], { cwd: dir, absolute: true })).sort();
let bytes = 0;
if (mode === 'read') {
  for (const f of files) bytes += (await readFile(f)).length;
} else if (mode === 'remark-parse') {
  const { unified } = await import('unified');
  const { default: remarkParse } = await import('remark-parse');
  const processor = unified().use(remarkParse);
  for (const f of files) { const text = await readFile(f, 'utf8'); bytes += text.length; processor.parse(text); }
} else if (mode === 'lockstep-lint' || mode === 'lockstep-extract') {
  const { lint, loadPages } = await import('../../dist/index.js');
  if (mode === 'lockstep-lint') await lint([dir], { cwd: dir });
  else await loadPages([dir], { cwd: dir });
} else {
  throw new Error(`unknown mode ${mode}`);
}
const usage = process.resourceUsage();
console.log(JSON.stringify({ mode, wallMs: Math.round(performance.now() - started), cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000), maxRssMb: Math.round(usage.maxRSS / 1024), files: files.length, bytes }));
