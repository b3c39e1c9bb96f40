import { groupPages } from '../../src/group/group.js';
import { lintGroups } from '../../src/lint/lint.js';
import type { Rule } from '../../src/lint/rule.js';
import { buildPage } from '../../src/page/page.js';

/** Lint in-memory pages (`{ 'pt-BR/page.md': markdown }`) with the given rules. */
export function lintVirtual(pages: Record<string, string>, rules?: readonly Rule[], sourceLocale: string | null = null) {
  const built = Object.entries(pages).map(([rel, text]) => buildPage({ absPath: `/virtual/docs/${rel}`, displayPath: `docs/${rel}`, root: '/virtual/docs' }, text, [], text.length));
  return lintGroups(groupPages(built), { sourceLocale }, rules);
}
