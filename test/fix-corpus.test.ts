/**
 * `lint --fix` measured on a copy of a real corpus (never the corpus itself): findings repaired per
 * rule, findings left and why, the changed lines of the first pass inside the spans its findings
 * report, lint afterwards, a second run that changes nothing, and the time. Slow (minutes), so it runs
 * when LOCKSTEP_FIX_CORPUS names an unpacked corpus folder (`/tmp/corpora/exchange`), with
 * LOCKSTEP_FIX_SOURCE_LOCALE for its source locale (`en-US`); otherwise it says why it skips.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixFiles, groupVerifier, planRepairs, repairInPasses, unifiedDiff } from '../src/fix/index.js';
import { lint } from '../src/scale/lint-run.js';
import { linesOutsideSpans, type Span } from './helpers/fix.js';

const corpus = process.env['LOCKSTEP_FIX_CORPUS'];
const sourceLocale = process.env['LOCKSTEP_FIX_SOURCE_LOCALE'] ?? null;
const available = corpus !== undefined && existsSync(corpus);
if (!available)
  console.warn(
    `[lockstep tests] skipping the --fix corpus measurement: ${corpus === undefined ? 'LOCKSTEP_FIX_CORPUS is not set' : `${corpus} is not there`}` +
      ' (e.g. LOCKSTEP_FIX_CORPUS=/tmp/corpora/exchange LOCKSTEP_FIX_SOURCE_LOCALE=en-US)',
  );

const byRule = (ds: readonly { ruleId: string }[]) => {
  const out: Record<string, number> = {};
  for (const d of ds) out[d.ruleId] = (out[d.ruleId] ?? 0) + 1;
  return out;
};

describe('lint --fix on a corpus copy', () => {
  it.runIf(available)(
    'repairs inside the reported spans, leaves the rest with a reason, and a second run changes nothing',
    { timeout: 3_600_000 },
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-fix-corpus-'));
      try {
        const name = path.basename(corpus!);
        await cp(corpus!, path.join(dir, name), { recursive: true });
        const options = { cwd: dir, sourceLocale, cache: false as const };
        let t = performance.now();
        const before = await lint([name], options);
        const lintMs = performance.now() - t;
        const files = fixFiles(dir);
        const verifyOptions = { cwd: dir, groups: before.pageGroups, sourceLocale, locales: before.summary.locales };

        // The first pass: every line its patch changes lies inside a span its findings report.
        t = performance.now();
        const first = planRepairs(
          before.diagnostics,
          files.read,
          groupVerifier({ ...verifyOptions, read: (f) => files.read(f)?.text ?? null }),
        );
        const spans = new Map<string, Span[]>();
        for (const c of first.changes)
          spans.set(
            c.file,
            c.fixes.flatMap((d) => d.fix!.resolved!.map((e) => ({ line: e.line, endLine: e.endLine }))),
          );
        const patch = first.changes.map((c) => unifiedDiff(c.file, c.before, c.edits)).join('');
        expect(linesOutsideSpans(patch, spans)).toEqual([]);

        // Every pass, written; then the corpus linted again.
        const repaired = repairInPasses(before.diagnostics, { ...verifyOptions, read: files.read });
        const repairMs = performance.now() - t;
        for (const f of repaired.files) await files.write(f.file, f.after);
        t = performance.now();
        const after = await lint([name], options);
        const relintMs = performance.now() - t;
        const again = repairInPasses(after.diagnostics, {
          ...verifyOptions,
          groups: after.pageGroups,
          read: fixFiles(dir).read,
        });

        const reasons: Record<string, Record<string, number>> = {};
        for (const d of repaired.diagnostics) {
          const why = repaired.reasons.get(`${d.file}\0${d.ruleId}\0${d.message}`);
          if (!why) continue;
          const general = why
            .replace(/`[^`]*`/g, '`…`')
            .replace(/\d+ → \d+/g, 'n → m')
            .replace(/line \d+/g, 'line n');
          (reasons[d.ruleId] ??= {})[general] = (reasons[d.ruleId]?.[general] ?? 0) + 1;
        }
        console.log(
          JSON.stringify(
            {
              corpus: name,
              sourceLocale,
              pages: before.summary.pages,
              before: { total: before.diagnostics.length, byRule: byRule(before.diagnostics) },
              fixed: {
                total: repaired.fixed,
                byRule: repaired.fixedByRule,
                files: repaired.files.length,
                passes: repaired.passes,
                perPass: repaired.perPass,
              },
              notFixed: reasons,
              after: { total: after.diagnostics.length, byRule: byRule(after.diagnostics) },
              firstPass: { findings: first.fixed, files: first.changes.length, patchLines: patch.split('\n').length },
              ms: { lint: Math.round(lintMs), repair: Math.round(repairMs), relint: Math.round(relintMs) },
            },
            null,
            2,
          ),
        );
        // A second run writes nothing (asserted after the figures, which name what it would change).
        console.log(`second run would change: ${again.files.map((f) => f.file).join(', ') || 'nothing'}`);
        expect(again.files.map((f) => f.file)).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
