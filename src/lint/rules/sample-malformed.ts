import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Page } from '../../page/page.js';
import type { Sample } from '../../sample/sample.js';
import { localesOf, related, type Finding, type Rule } from '../rule.js';
import { documented } from './docs.js';

const PARSE_RULES = new Set(['xml-malformed', 'json-malformed', 'http-malformed']);

/** The parse diagnostic that explains why a sample is malformed. */
export function parseCause(page: Page, sample: Sample): Diagnostic | undefined {
  return page.diagnostics.find((d) => PARSE_RULES.has(d.ruleId) && d.line >= sample.line && d.line <= sample.endLine);
}

export const sampleMalformed: Rule = {
  meta: documented({ id: 'sample-malformed', severity: 'error', family: 'samples' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const aligned of ctx.aligned) {
      for (const cluster of ctx.clusters) {
        const members = cluster.pages.filter((p) => aligned.byPage.has(p));
        const broken = members.filter((p) => aligned.byPage.get(p)!.malformed);
        if (broken.length === 0) continue;
        const parsing = members.filter((p) => !aligned.byPage.get(p)!.malformed);
        if (parsing.length > 0) {
          for (const page of broken) {
            const sample = aligned.byPage.get(page)!;
            const cause = parseCause(page, sample);
            findings.push({
              page,
              line: cause?.line ?? sample.line,
              column: cause?.column,
              sampleId: sample.id,
              message: `sample does not parse here but does in ${localesOf(parsing)}: ${cause?.message ?? 'malformed'}`,
              related: parsing.map((p) => related(p, aligned.byPage.get(p)!.line)),
            });
          }
        } else {
          // Broken in every locale of this revision: one warning, on the source page when it is broken too, else the
          // first.
          const sourceSample = ctx.source ? aligned.byPage.get(ctx.source) : undefined;
          const [first, ...others] = sourceSample?.malformed ? [ctx.source!, ...broken] : broken;
          const sample = aligned.byPage.get(first!)!;
          const cause = parseCause(first!, sample);
          findings.push({
            page: first!,
            line: cause?.line ?? sample.line,
            column: cause?.column,
            sampleId: sample.id,
            severity: 'warning',
            message: `sample does not parse in any locale (a source defect): ${cause?.message ?? 'malformed'}`,
            related: others.map((p) => related(p, aligned.byPage.get(p)!.line)),
          });
        }
      }
    }
    return findings;
  },
};
