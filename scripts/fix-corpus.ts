/**
 * `lint --fix` measured on a copy of a whole corpus (never the corpus itself): findings repaired per
 * rule, findings left and why, the changed lines of the first pass checked to lie inside the spans its
 * findings report, lint afterwards, a second run that must change nothing, and the time of each step.
 * Minutes per corpus, so a script (test/fix-corpus.test.ts runs the same checks on a slice in npm test):
 *   npx tsx scripts/fix-corpus.ts --corpus /tmp/corpora/exchange --source-locale en-US [--stale]
 * Prints the figures as JSON. Exit 0: every check held; 1: a changed line outside the spans, or a second
 * run that would write; 2: usage.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixFiles, groupVerifier, planRepairs, reasonKey, repairInPasses, unifiedDiff } from '../src/fix/index.js';
import { lint } from '../src/run/lint-run.js';
import { linesOutsideSpans, type Span } from '../test/helpers/fix.js';

const usage = 'usage: npx tsx scripts/fix-corpus.ts --corpus DIR [--source-locale LOCALE] [--stale]';
let args;
try {
  args = parseArgs({
    options: { corpus: { type: 'string' }, 'source-locale': { type: 'string' }, stale: { type: 'boolean' } },
  }).values;
} catch (error) {
  console.error(`fix-corpus: ${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const corpus = args.corpus;
if (!corpus || !existsSync(corpus)) {
  console.error(`fix-corpus: ${corpus ? `${corpus} is not there` : '--corpus is required'}\n${usage}`);
  process.exit(2);
}
const sourceLocale = args['source-locale'] ?? null;
const stale = args.stale ?? false;

const byRule = (ds: readonly { ruleId: string }[]) => {
  const out: Record<string, number> = {};
  for (const d of ds) out[d.ruleId] = (out[d.ruleId] ?? 0) + 1;
  return out;
};

let failed = false;
const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-fix-corpus-'));
try {
  const name = path.basename(corpus);
  await cp(corpus, path.join(dir, name), { recursive: true });
  const options = { cwd: dir, sourceLocale, cache: false as const };
  let t = performance.now();
  const before = await lint([name], options);
  const lintMs = performance.now() - t;
  const files = fixFiles(dir);
  const verifyOptions = { cwd: dir, groups: before.pageGroups, sourceLocale, locales: before.summary.locales };

  // The first pass: every line its patch changes should lie inside a span its findings report.
  t = performance.now();
  const first = planRepairs(
    before.diagnostics,
    files.read,
    groupVerifier({ ...verifyOptions, read: (f) => files.read(f)?.text ?? null }),
    { stale },
  );
  const spans = new Map<string, Span[]>();
  for (const c of first.changes)
    spans.set(
      c.file,
      c.fixes.flatMap((d) => d.fix!.resolved!.map((e) => ({ line: e.line, endLine: e.endLine }))),
    );
  const patch = first.changes.map((c) => unifiedDiff(c.file, c.before, c.edits)).join('');
  const outside = linesOutsideSpans(patch, spans);

  // Every pass, written; then the corpus linted again, and repaired again without writing.
  const repaired = repairInPasses(before.diagnostics, { ...verifyOptions, read: files.read, stale });
  const repairMs = performance.now() - t;
  for (const f of repaired.files) await files.write(f.file, f.after);
  t = performance.now();
  const after = await lint([name], options);
  const relintMs = performance.now() - t;
  const again = repairInPasses(after.diagnostics, {
    ...verifyOptions,
    groups: after.pageGroups,
    read: fixFiles(dir).read,
    stale,
  });

  const reasons: Record<string, Record<string, number>> = {};
  for (const d of repaired.diagnostics) {
    const why = repaired.reasons.get(reasonKey(d));
    if (!why) continue;
    const general = why
      .replace(/`[^`]*`/g, '`…`')
      .replace(/\d+ → \d+/g, 'n → m')
      .replace(/line \d+/g, 'line n');
    (reasons[d.ruleId] ??= {})[general] = (reasons[d.ruleId]?.[general] ?? 0) + 1;
  }
  const figures = {
    corpus: name,
    sourceLocale,
    stale,
    pages: before.summary.pages,
    before: { total: before.diagnostics.length, byRule: byRule(before.diagnostics) },
    fixed: {
      total: repaired.fixed,
      byRule: repaired.fixedByRule,
      files: repaired.files.length,
      passes: repaired.passes,
      perPass: repaired.perPass,
      ...(stale ? { stalePages: repaired.staleFiles.length } : {}),
    },
    notFixed: reasons,
    after: { total: after.diagnostics.length, byRule: byRule(after.diagnostics) },
    firstPass: { findings: first.fixed, files: first.changes.length, patchLines: patch.split('\n').length },
    ms: { lint: Math.round(lintMs), repair: Math.round(repairMs), relint: Math.round(relintMs) },
  };
  console.log(JSON.stringify(figures, null, 2));
  console.log(`changed lines outside the reported spans: ${outside.join(', ') || 'none'}`);
  console.log(`a second run would change: ${again.files.map((f) => f.file).join(', ') || 'nothing'}`);
  failed = outside.length > 0 || again.files.length > 0;
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
