import { examplePages, soapRequest } from '../examples.js';
import type { Rule } from '../rule.js';

export const pageMissingLocale: Rule = {
  meta: {
    id: 'page-missing-locale',
    severity: 'warning',
    family: 'metadata',
    docs: {
      description: 'A page has no translation in a locale that the run (or the config\'s `locales`) covers: a coverage gap. Reported once per page group and locale, on the source-locale page or the first page of the group.',
      ok: [examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest() })],
      notOk: [{
        pages: { ...examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest() }), 'zh-CN/other.md': '---\nms.contentlocale: zh-CN\n---\n# Other\n' },
        expect: [{ locale: 'pt-BR', line: 1 }],
      }],
    },
  },
  check(ctx) {
    const present = new Set(ctx.group.locales);
    const anchor = ctx.source ?? ctx.group.pages[0]!;
    return ctx.allLocales.filter((l) => !present.has(l)).map((locale) => ({
      page: anchor, line: 1,
      message: `no ${locale} page: ${ctx.group.pageId} exists in ${ctx.group.locales.join(', ')} only`,
    }));
  },
};
