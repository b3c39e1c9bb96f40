/**
 * The conformance suite as vitest tests: one `describe` per page, one `it` per case.
 *
 *   // conformance.test.ts, in an implementation's repository
 *   import { conformanceSuite } from 'lockstep/vitest';
 *   await conformanceSuite({ paths: ['node_modules/lockstep/docs'] });
 *
 * and run `LOCKSTEP_TARGET=http://localhost:8080 npx vitest run`.
 */
import { beforeAll, describe, it } from 'vitest';
import { casesOf } from './conformance/cases.js';
import { runConformance, type CaseResult, type ConformanceOptions } from './conformance/run.js';
import { loadPages } from './index.js';

export interface SuiteOptions extends Partial<ConformanceOptions> {
  /** Pages to take the cases from (default `docs`). */
  paths?: string[];
}

export async function conformanceSuite(options: SuiteOptions = {}): Promise<void> {
  const paths = options.paths ?? ['docs'];
  const target = options.target ?? process.env['LOCKSTEP_TARGET'];
  const token = process.env['LOCKSTEP_TOKEN'];
  const headers = options.headers ?? (token ? [['Authorization', `Bearer ${token}`] as [string, string]] : []);
  // The cases are known before anything is sent, so vitest can list them.
  const loaded = await loadPages(paths, options);
  const plans = loaded.groups.map((g) => ({ pageId: g.pageId, cases: casesOf(g, { locale: options.locale, sourceLocale: options.sourceLocale }) })).filter((p) => p.cases.length > 0);
  const results = new Map<string, CaseResult>();

  describe('lockstep conformance', () => {
    beforeAll(async () => {
      if (!target) return;
      // One run for all cases: scenarios need their setup, cases and teardown in order.
      const report = await runConformance(paths, { ...options, target, headers });
      for (const r of report.results) results.set(r.caseId, r);
    }, 10 * 60_000);

    for (const plan of plans) {
      describe(plan.pageId, () => {
        for (const c of plan.cases) {
          it(c.sampleId, (ctx) => {
            if (!target) return ctx.skip('set LOCKSTEP_TARGET (or the target option) to the implementation under test');
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
