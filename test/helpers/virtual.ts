import { groupPages } from '../../src/group/group.js';
import { lintGroups } from '../../src/lint/lint.js';
import type { Rule } from '../../src/lint/rule.js';
import { buildPage } from '../../src/page/page.js';

/** Lint in-memory pages (`{ 'pt-BR/page.md': markdown }`) with the given rules. */
export function lintVirtual(
  pages: Record<string, string>,
  rules?: readonly Rule[],
  sourceLocale: string | null = null,
) {
  const built = Object.entries(pages).map(([rel, text]) =>
    buildPage(
      { absPath: `/virtual/docs/${rel}`, displayPath: `docs/${rel}`, root: '/virtual/docs' },
      text,
      [],
      text.length,
    ),
  );
  // A rule passed by name runs even when it is off by default.
  const enabled = Object.fromEntries(
    (rules ?? []).filter((r) => r.meta.defaultOff).map((r) => [r.meta.id, r.meta.severity]),
  );
  return lintGroups(groupPages(built), { sourceLocale, rules: enabled }, rules);
}
