import { blame } from '../../align/blame.js';
import { examplePages } from '../examples.js';
import { AMBIGUOUS, authorityOf, localesOf, related, type Finding, type Rule } from '../rule.js';

const body = (annotation: string) => `# <a name="delete-call"></a>Delete call

## <a name="example"></a>Example

<!-- ${annotation} -->
\`\`\`http
DELETE https://graph.microsoft.com/beta/communications/calls/57dab8b1
\`\`\`
`;

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
  meta: {
    id: 'annotation-mismatch',
    severity: 'error',
    family: 'samples',
    docs: {
      description:
        'The ApiDoctor annotation of an aligned sample (`blockType`, `name`, `truncated`, `@odata.type`, …) differs from the other locales of the same revision, or is missing. Key order does not count.',
      ok: [
        examplePages({
          'pt-BR': body('{ "blockType": "request", "name": "delete-call" }'),
          'ru-RU': body('{ "name": "delete-call", "blockType": "request" }'),
          'zh-CN': body('{ "blockType": "request", "name": "delete-call" }'),
        }),
      ],
      notOk: [
        {
          pages: examplePages({
            'pt-BR': body('{ "blockType": "request", "name": "delete-call" }'),
            'ru-RU': body('{ "blockType": "request", "name": "delete-call" }'),
            'zh-CN': body('{ "blockType": "request", "name": "delete-call", "truncated": true }'),
          }),
          expect: [{ locale: 'zh-CN', line: 12 }],
          fixed: examplePages({ 'zh-CN': body('{ "blockType": "request", "name": "delete-call" }') }),
        },
      ],
    },
  },
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
            message: `annotation of sample ${sample.id} is ${v.value === 'null' ? 'missing' : `\`${v.value}\``} here, \`${v.reference[0]!.value}\` in ${localesOf(v.reference.map((r) => r.page))}`,
            related: v.reference.map((r) => related(r.page, aligned.byPage.get(r.page)!.line)),
          });
        }
      }
    }
    return findings;
  },
};
