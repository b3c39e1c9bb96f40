import { localesOf, related, type Rule } from '../rule.js';
import { absences } from './sample-presence.js';
import { documented } from './docs.js';

export const sampleExtra: Rule = {
  meta: documented({ id: 'sample-extra', severity: 'error', family: 'samples' }),
  check(ctx) {
    return absences(ctx)
      .filter(
        (a) =>
          a.having.length < a.lacking.length ||
          a.having.length + a.lacking.length === 2 ||
          (ctx.source !== null && a.lacking.includes(ctx.source)),
      )
      .flatMap((a) =>
        a.having.map((page) => {
          const sample = a.aligned.byPage.get(page)!;
          return {
            page,
            line: sample.line,
            sampleId: sample.id,
            message: `sample ${sample.id} (${sample.kind}, ${sample.role}) is not in ${localesOf(a.lacking)}`,
            related: a.lacking.map((p) => related(p, 1)),
          };
        }),
      );
  },
};
