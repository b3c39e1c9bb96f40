import { examplePages, soapRequest } from '../examples.js';
import { localesOf, related, type Rule } from '../rule.js';
import { absences } from './sample-presence.js';

const extraBlock = '\n```XML\n<Extra xmlns="urn:x"/>\n```\n';

export const sampleExtra: Rule = {
  meta: {
    id: 'sample-extra',
    severity: 'error',
    family: 'samples',
    docs: {
      description: 'A sample that only this locale (a minority of the same revision, or one of two) has: a block added or duplicated by translation.',
      ok: [examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest(), 'zh-CN': soapRequest() })],
      notOk: [{
        pages: examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest() + extraBlock, 'zh-CN': soapRequest() }),
        expect: [{ locale: 'ru-RU', line: 22 }],
      }],
    },
  },
  check(ctx) {
    return absences(ctx)
      .filter((a) => a.having.length < a.lacking.length || a.having.length + a.lacking.length === 2 || (ctx.source !== null && a.lacking.includes(ctx.source)))
      .flatMap((a) => a.having.map((page) => {
        const sample = a.aligned.byPage.get(page)!;
        return {
          page, line: sample.line, sampleId: sample.id,
          message: `sample ${sample.id} (${sample.kind}, ${sample.role}) is not in ${localesOf(a.lacking)}`,
          related: a.lacking.map((p) => related(p, 1)),
        };
      }));
  },
};
