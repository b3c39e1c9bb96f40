/**
 * The conformance suite as vitest tests: one `describe` per page, one `it` per case.
 *
 *   // conformance.test.mjs, in an implementation's repository
 *   import { conformanceSuite } from 'lockstep/vitest';
 *   await conformanceSuite({ paths: ['node_modules/lockstep/docs'] });
 *
 * and run `LOCKSTEP_TARGET=http://localhost:8080 npx vitest run`. A CI matrix splits the cases as `conformance
 * --shard` does, with the `shard` option or LOCKSTEP_SHARD=i/n in each job (vitest's own `--shard` splits test files,
 * and the suite is one file).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { caseLocation } from './conformance/location.js';
import { casesInAllShards, emptyShardNote, planGroups } from './conformance/plan.js';
import { runConformance, testedNothing, type CaseResult, type ConformanceOptions } from './conformance/run.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { loadPages } from './group/load.js';
import { SHARD_EXPECTED, shardFromText } from './run/shard.js';

export interface SuiteOptions extends Partial<ConformanceOptions> {
  /** Pages to take the cases from (default `docs`). */
  paths?: string[];
  /**
   * Without a target (option or LOCKSTEP_TARGET), skip every case instead of failing: a suite that
   * sent nothing is no pass.
   */
  skipWithoutTarget?: boolean;
  /** Pass a suite that finds no case (no pages, none selected), instead of failing it. */
  allowEmpty?: boolean;
}

const NO_TARGET = 'set LOCKSTEP_TARGET (or the target option) to the implementation under test';
const NO_PASS = 'a suite that tests nothing is no pass (allowEmpty: true to accept it)';

export async function conformanceSuite(options: SuiteOptions = {}): Promise<void> {
  const paths = options.paths ?? ['docs'];
  const target = options.target ?? process.env['LOCKSTEP_TARGET'];
  const token = process.env['LOCKSTEP_TOKEN'];
  const headers = options.headers ?? (token ? [['Authorization', `Bearer ${token}`] as [string, string]] : []);
  const shardText = process.env['LOCKSTEP_SHARD'];
  const shard = options.shard ?? (shardText ? shardFromText(shardText) : undefined);
  if (shard === null) return refusesShard(shardText!);
  // The cases are known before anything is sent, so vitest can list them; the run reuses the pages
  // (and so does a caller that passes the pages it loaded, as `loaded`).
  const loaded = options.loaded ?? (await loadPages(paths, options));
  const { locale, sourceLocale, cases, skipCases } = options;
  // The cases listed are the shard's, those the run replays: a case of another shard would have no result.
  const selection = { locale, sourceLocale, cases, skipCases };
  const plans = planGroups(loaded.groups, { ...selection, shard });
  const results = new Map<string, CaseResult>();

  describe('lockstep conformance', () => {
    if (plans.length === 0 && !options.allowEmpty) {
      const inAllShards = shard ? casesInAllShards(loaded.groups, selection) : 0;
      // Skipped, not passed: this job replayed nothing, and says why; the other shards' jobs replay the cases.
      if (shard && inAllShards > 0) return it.skip(emptyShardNote(shard, inAllShards), () => {});
      return findsNoCase(paths, loaded.diagnostics);
    }
    replayOnce(paths, { ...options, target: target ?? '', headers, loaded, shard }, results);
    for (const plan of plans) {
      describe(plan.group.pageId, () => {
        for (const c of plan.cases) {
          it(c.sampleId, (ctx) => {
            const outcome = caseOutcome(target, results.get(c.caseId), c.caseId, options);
            if (outcome && 'skip' in outcome) return ctx.skip(outcome.skip);
            // Thrown here, so that the frame vitest shows is the line that fails the test.
            if (outcome) throw new Error(outcome.fail);
          });
        }
      });
    }
  });
}

/** A LOCKSTEP_SHARD that says no shard fails the suite before any page is read, saying what it must be. */
function refusesShard(text: string): void {
  describe('lockstep conformance', () => {
    it('reads LOCKSTEP_SHARD', () => {
      throw new Error(`LOCKSTEP_SHARD is ${JSON.stringify(text)}: ${SHARD_EXPECTED}`);
    });
  });
}

/** A suite that finds no case fails, naming the paths and why they hold none. */
function findsNoCase(paths: readonly string[], diagnostics: readonly Diagnostic[]): void {
  const why = diagnostics.map((d) => `${d.file}: ${d.message}`).join('; ');
  it('finds cases to run', () => {
    const where = `${paths.join(', ')}${why ? ` (${why})` : ''}`;
    throw new Error(`no conformance case in ${where}: ${NO_PASS}`);
  });
}

/** One run for all cases (scenarios need their setup, cases and teardown in order), when there is a target. */
function replayOnce(
  paths: string[],
  options: ConformanceOptions & SuiteOptions,
  results: Map<string, CaseResult>,
): void {
  beforeAll(async () => {
    if (!options.target) return;
    const report = await runConformance(paths, options);
    for (const r of report.results) results.set(r.caseId, r);
  }, 10 * 60_000);
  // Every case skipped (by scenarios or skipCases) is a run that tested nothing, as on the command line.
  afterAll(() => {
    const judged = options.target && results.size > 0 && !options.allowEmpty;
    const nothing = judged ? testedNothing([...results.values()], paths) : null;
    if (nothing) throw new Error(`${nothing}: ${NO_PASS}`);
  });
}

/** How a case's test ends: passed (null), skipped with the reason, or failed with where the case is documented. */
function caseOutcome(
  target: string | undefined,
  r: CaseResult | undefined,
  caseId: string,
  options: SuiteOptions,
): { skip: string } | { fail: string } | null {
  if (!target) {
    if (options.skipWithoutTarget) return { skip: NO_TARGET };
    return { fail: `${NO_TARGET}, or pass skipWithoutTarget: true to skip the suite` };
  }
  if (!r) return { fail: `no result for ${caseId}` };
  if (r.status === 'skipped') return { skip: r.message };
  if (r.status === 'passed') return null;
  const at = caseLocation(r);
  return { fail: `${at.message}\n  at ${at.where}${r.note ? `\n  note: ${r.note}` : ''}` };
}
