import { blame } from '../../align/blame.js';
import { localesOf, related, type Finding, type Rule } from '../rule.js';
import { documented } from './docs.js';

export const sampleLangMismatch: Rule = {
  meta: documented({ id: 'sample-lang-mismatch', severity: 'warning', family: 'samples' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const aligned of ctx.aligned) {
        const entries = cluster.pages
          .filter((p) => aligned.byPage.has(p))
          .map((page) => ({ page, value: aligned.byPage.get(page)!.lang.toLowerCase() }));
        for (const v of blame(entries, (a, b) => a === b, ctx.source)) {
          const sample = aligned.byPage.get(v.outlier)!;
          findings.push({
            page: v.outlier,
            line: sample.line,
            sampleId: sample.id,
            message:
              `sample ${sample.id} is tagged \`${sample.lang || '(none)'}\` here ` +
              `and \`${aligned.byPage.get(v.reference[0]!.page)!.lang || '(none)'}\` ` +
              `in ${localesOf(v.reference.map((r) => r.page))}`,
            related: v.reference.map((r) => related(r.page, aligned.byPage.get(r.page)!.line)),
          });
        }
      }
    }
    return findings;
  },
};
