/**
 * The conformance suite as vitest tests: one `describe` per page, one `it` per case.
 *
 *   // conformance.test.mjs, in an implementation's repository
 *   import { conformanceSuite } from 'lockstep/vitest';
 *   await conformanceSuite({ paths: ['node_modules/lockstep/docs'] });
 *
 * and run `LOCKSTEP_TARGET=http://localhost:8080 npx vitest run`.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { casesOf } from './conformance/cases.js';
import { runConformance, testedNothing, type CaseResult, type ConformanceOptions } from './conformance/run.js';
import { selectCases } from './conformance/select.js';
import { loadPages } from './group/load.js';

export interface SuiteOptions extends Partial<ConformanceOptions> {
  /** Pages to take the cases from (default `docs`). */
  paths?: string[];
  /** Without a target (option or LOCKSTEP_TARGET), skip every case instead of failing: a suite that sent nothing is no pass. */
  skipWithoutTarget?: boolean;
  /** Pass a suite that finds no case (no pages, none selected), instead of failing it. */
  allowEmpty?: boolean;
}

const NO_TARGET = 'set LOCKSTEP_TARGET (or the target option) to the implementation under test';

export async function conformanceSuite(options: SuiteOptions = {}): Promise<void> {
  const paths = options.paths ?? ['docs'];
  const target = options.target ?? process.env['LOCKSTEP_TARGET'];
  const token = process.env['LOCKSTEP_TOKEN'];
  const headers = options.headers ?? (token ? [['Authorization', `Bearer ${token}`] as [string, string]] : []);
  // The cases are known before anything is sent, so vitest can list them; the run reuses the pages.
  const loaded = await loadPages(paths, options);
  const selection = { cases: options.cases, skip: options.skipCases };
  const plans = loaded.groups
    .map((g) => ({ pageId: g.pageId, cases: selectCases(casesOf(g, { locale: options.locale, sourceLocale: options.sourceLocale }), selection) }))
    .filter((p) => p.cases.length > 0);
  const results = new Map<string, CaseResult>();

  describe('lockstep conformance', () => {
    if (plans.length === 0 && !options.allowEmpty) {
      const why = loaded.diagnostics.map((d) => `${d.file}: ${d.message}`).join('; ');
      it('finds cases to run', () => {
        throw new Error(`no conformance case in ${paths.join(', ')}${why ? ` (${why})` : ''}: a suite that tests nothing is no pass (allowEmpty: true to accept it)`);
      });
      return;
    }
    beforeAll(async () => {
      if (!target) return;
      // One run for all cases: scenarios need their setup, cases and teardown in order.
      const report = await runConformance(paths, { ...options, target, headers, loaded });
      for (const r of report.results) results.set(r.caseId, r);
    }, 10 * 60_000);
    // Every case skipped (by scenarios or skipCases) is a run that tested nothing, as on the command line.
    afterAll(() => {
      const nothing = target && results.size > 0 && !options.allowEmpty ? testedNothing([...results.values()], paths) : null;
      if (nothing) throw new Error(`${nothing}: a suite that tests nothing is no pass (allowEmpty: true to accept it)`);
    });

    for (const plan of plans) {
      describe(plan.pageId, () => {
        for (const c of plan.cases) {
          it(c.sampleId, (ctx) => {
            if (!target) {
              if (options.skipWithoutTarget) return ctx.skip(NO_TARGET);
              throw new Error(`${NO_TARGET}, or pass skipWithoutTarget: true to skip the suite`);
            }
            const r = results.get(c.caseId);
            if (!r) throw new Error(`no result for ${c.caseId}`);
            if (r.status === 'skipped') return ctx.skip(r.message);
            if (r.status !== 'passed') throw new Error(`${r.message}\n  at ${r.file}:${r.line}${r.note ? `\n  note: ${r.note}` : ''}`);
          });
        }
      });
    }
  });
}
