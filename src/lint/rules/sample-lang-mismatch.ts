import { blame } from '../../align/blame.js';
import { examplePages, soapRequest } from '../examples.js';
import { localesOf, related, type Finding, type Rule } from '../rule.js';

export const sampleLangMismatch: Rule = {
  meta: {
    id: 'sample-lang-mismatch',
    severity: 'warning',
    family: 'samples',
    docs: {
      description: 'An aligned sample carries another language tag than in the other locales of the same revision. Case (`XML` / `xml`) is not a difference.',
      ok: [examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest().replace('```XML', '```xml'), 'zh-CN': soapRequest() })],
      notOk: [{ pages: examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest().replace('```XML', '```text'), 'zh-CN': soapRequest() }), expect: [{ locale: 'ru-RU', line: 12 }] }],
    },
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const aligned of ctx.aligned) {
        const entries = cluster.pages.filter((p) => aligned.byPage.has(p)).map((page) => ({ page, value: aligned.byPage.get(page)!.lang.toLowerCase() }));
        for (const v of blame(entries, (a, b) => a === b, ctx.source)) {
          const sample = aligned.byPage.get(v.outlier)!;
          findings.push({
            page: v.outlier, line: sample.line, sampleId: sample.id,
            message: `sample ${sample.id} is tagged \`${sample.lang || '(none)'}\` here and \`${aligned.byPage.get(v.reference[0]!.page)!.lang || '(none)'}\` in ${localesOf(v.reference.map((r) => r.page))}`,
            related: v.reference.map((r) => related(r.page, aligned.byPage.get(r.page)!.line)),
          });
        }
      }
    }
    return findings;
  },
};
