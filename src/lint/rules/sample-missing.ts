import { examplePages, soapRequest } from '../examples.js';
import { localesOf, related, type Rule } from '../rule.js';
import { absences, expectedLine } from './sample-presence.js';

export const sampleMissing: Rule = {
  meta: {
    id: 'sample-missing',
    severity: 'error',
    family: 'samples',
    docs: {
      description: 'A sample that most locales of the same revision have (or the source locale, or the other of two) is missing here: translation dropped a block.',
      ok: [examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest(), 'zh-CN': soapRequest() })],
      notOk: [{
        pages: examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest().replace(/```XML[\s\S]*```\n/, 'Sem exemplo.\n'), 'zh-CN': soapRequest() }),
        expect: [{ locale: 'ru-RU', line: 10 }],
      }],
    },
  },
  check(ctx) {
    return absences(ctx)
      .filter((a) => a.lacking.length < a.having.length || a.having.length + a.lacking.length === 2 || (ctx.source !== null && a.having.includes(ctx.source)))
      .flatMap((a) => a.lacking.map((page) => {
        const example = a.aligned.byPage.get(a.having[0]!)!;
        return {
          page, line: expectedLine(page, ctx, a.aligned), sampleId: a.aligned.key,
          message: `sample ${a.aligned.key} (${example.kind}, ${example.role}) is missing; ${localesOf(a.having)} ${a.having.length === 1 ? 'has' : 'have'} it`,
          related: a.having.map((p) => related(p, a.aligned.byPage.get(p)!.line)),
        };
      }));
  },
};
