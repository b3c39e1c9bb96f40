import { blame } from '../../align/blame.js';
import type { RevisionCluster } from '../../align/revision.js';
import { compareSamples } from '../../compare/sample.js';
import type { Sample } from '../../sample/sample.js';
import { shorten } from '../../compare/difference.js';
import { AMBIGUOUS, authorityOf, localesOf, related, type Finding, type Rule } from '../rule.js';
import { documented } from './docs.js';

const newerThan = (a: RevisionCluster, b: RevisionCluster) =>
  a.handoff !== null && b.handoff !== null && a.handoff > b.handoff;

export const sampleMismatch: Rule = {
  meta: documented({ id: 'sample-mismatch', severity: 'error', family: 'samples' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const aligned of ctx.aligned) {
        const entries = cluster.pages
          .filter((p) => aligned.byPage.has(p) && !aligned.byPage.get(p)!.malformed)
          .map((page) => ({ page, value: aligned.byPage.get(page)! }));
        // The source's sample and newer revisions' break a tie between sides of this one (an older revision may
        // hold a value this one changed, which a translation here kept by mistake).
        const witnesses = [ctx.source, ...ctx.clusters.filter((c) => newerThan(c, cluster)).flatMap((c) => c.pages)]
          .map((page) => (page ? aligned.byPage.get(page) : undefined))
          .filter((value): value is Sample => value !== undefined && !value.malformed);
        const same = (a: Sample, b: Sample) => compareSamples(a, b) === null;
        for (const verdict of blame(entries, same, ctx.source, witnesses)) {
          const reference = verdict.reference[0]!;
          const d = compareSamples(reference.value, verdict.value);
          if (!d) continue;
          const authority = authorityOf(verdict.reference, entries.length, ctx.source, same);
          const mine = verdict.value;
          const theirs = reference.value;
          findings.push({
            fix: !authority
              ? AMBIGUOUS
              : mine.contentColumnOffset !== theirs.contentColumnOffset
                ? { authority, edits: [], notFixed: `the sample is indented otherwise in ${reference.page.locale}` }
                : {
                    authority,
                    edits: [
                      {
                        kind: 'lines',
                        line: mine.line + 1,
                        endLine: mine.endLine - 1,
                        from: { file: reference.page.file, line: theirs.line + 1, endLine: theirs.endLine - 1 },
                        diff: true,
                      },
                    ],
                  },
            page: verdict.outlier,
            line: d.actualLine ?? verdict.value.line,
            sampleId: verdict.value.id,
            message:
              `sample ${verdict.value.id} differs from ${localesOf(verdict.reference.map((r) => r.page))} ` +
              `at ${d.path} (${d.what}): \`${shorten(d.actual)}\` here, \`${shorten(d.expected)}\` ` +
              `in ${reference.page.locale} (${reference.page.file}:${d.expectedLine})`,
            related: verdict.reference.map((r) =>
              related(r.page, compareSamples(verdict.value, r.value)?.actualLine ?? r.value.line),
            ),
          });
        }
      }
    }
    return findings;
  },
};
