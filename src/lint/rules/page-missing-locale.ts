import type { Rule } from '../rule.js';
import { documented } from './docs.js';

export const pageMissingLocale: Rule = {
  meta: documented({ id: 'page-missing-locale', severity: 'warning', family: 'metadata' }),
  check(ctx) {
    const present = new Set(ctx.group.locales);
    const anchor = ctx.source ?? ctx.group.pages[0]!;
    return ctx.allLocales
      .filter((l) => !present.has(l))
      .map((locale) => ({
        page: anchor,
        line: 1,
        message: `no ${locale} page: ${ctx.group.pageId} exists in ${ctx.group.locales.join(', ')} only`,
      }));
  },
};
