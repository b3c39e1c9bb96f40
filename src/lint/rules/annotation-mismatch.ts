import { blame } from '../../align/blame.js';
import { AMBIGUOUS, authorityOf, localesOf, related, type Finding, type Rule } from '../rule.js';
import { documented } from './docs.js';

/** Key-order-insensitive text of an annotation. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export const annotationMismatch: Rule = {
  meta: documented({ id: 'annotation-mismatch', severity: 'error', family: 'samples' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const aligned of ctx.aligned) {
        const entries = cluster.pages
          .filter((p) => aligned.byPage.has(p))
          .map((page) => ({ page, value: canonical(aligned.byPage.get(page)!.annotation) }));
        for (const v of blame(entries, (a, b) => a === b, ctx.source)) {
          const sample = aligned.byPage.get(v.outlier)!;
          const own = v.outlier.annotations.find((a) => a.codeLine === sample.line);
          const annotationLine = own?.line ?? sample.line;
          const authority = authorityOf(v.reference, entries.length, ctx.source, (a, b) => a === b);
          const ref = v.reference[0]!.page;
          const refSample = aligned.byPage.get(ref)!;
          const refLine = ref.annotations.find((a) => a.codeLine === refSample.line)?.line;
          findings.push({
            fix: !authority
              ? AMBIGUOUS
              : refLine === undefined
                ? { authority, edits: [], notFixed: 'an annotation the others lack is reported, not removed' }
                : {
                    authority,
                    edits: [
                      {
                        kind: 'comment',
                        line: own?.line ?? null,
                        fence: sample.line,
                        from: { file: ref.file, line: refLine, fence: refSample.line },
                      },
                    ],
                  },
            page: v.outlier,
            line: annotationLine,
            sampleId: sample.id,
            message:
              `annotation of sample ${sample.id} is ${v.value === 'null' ? 'missing' : `\`${v.value}\``} here, ` +
              `\`${v.reference[0]!.value}\` in ${localesOf(v.reference.map((r) => r.page))}`,
            related: v.reference.map((r) => related(r.page, aligned.byPage.get(r.page)!.line)),
          });
        }
      }
    }
    return findings;
  },
};
