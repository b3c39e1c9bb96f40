import { related, type Finding, type Rule } from '../rule.js';
import { documented } from './docs.js';

export const sampleUnpaired: Rule = {
  meta: documented({ id: 'sample-unpaired', severity: 'info', family: 'samples' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const aligned of ctx.aligned) {
        const members = cluster.pages.filter((p) => aligned.byPage.has(p));
        if (members.length !== cluster.pages.length) continue;
        const unpaired = members.filter((p) => {
          const s = aligned.byPage.get(p)!;
          return (
            s.pairedWith === null &&
            (s.role === 'response' || (s.role === 'request' && typeof s.annotation?.['name'] === 'string'))
          );
        });
        if (unpaired.length !== members.length) continue;
        const sourceSample = ctx.source ? aligned.byPage.get(ctx.source) : undefined;
        const [first, ...others] =
          sourceSample && sourceSample.pairedWith === null ? [ctx.source!, ...unpaired] : unpaired;
        const s = aligned.byPage.get(first!)!;
        findings.push({
          page: first!,
          line: s.line,
          sampleId: s.id,
          message:
            s.role === 'response'
              ? `response ${s.id} answers no request: none with its name, none before it`
              : `request ${s.id} has no documented response`,
          related: others.map((p) => related(p, aligned.byPage.get(p)!.line)),
        });
      }
    }
    return findings;
  },
};
