/**
 * `--fix` on texts in memory (`{ 'docs/pt-BR/page.md': markdown }`): the rule docs' fixed examples,
 * the property tests and library callers repair pages without touching a disk.
 */
import { groupPages } from '../group/group.js';
import { lintGroups, type LintOptions } from '../lint/lint.js';
import type { Rule } from '../lint/rule.js';
import { buildPage } from '../page/page.js';
import { fixText, type FixText } from './resolve.js';
import { repairInPasses, type PassesResult } from './passes.js';

export interface MemoryRepair extends PassesResult {
  /** Every text, repaired where a repair was written. */
  texts: Record<string, string>;
}

/** Lint the texts as one doc set (paths relative to `cwd`), and repair what the findings can. */
export function repairTexts(
  texts: Record<string, string>,
  options: LintOptions & { cwd?: string; stale?: boolean } = {},
  rules?: readonly Rule[],
): MemoryRepair {
  const cwd = options.cwd ?? '/virtual';
  const pages = Object.entries(texts).map(([file, text]) =>
    buildPage(
      { absPath: `${cwd}/${file}`, displayPath: file, root: `${cwd}/${file.split('/')[0]}` },
      text,
      [],
      text.length,
    ),
  );
  const groups = groupPages(pages);
  const diagnostics = lintGroups(groups, options, rules);
  const fixTexts = new Map<string, FixText>();
  const read = (file: string) => {
    if (!(file in texts)) return null;
    let t = fixTexts.get(file);
    if (!t) fixTexts.set(file, (t = fixText(texts[file]!)));
    return t;
  };
  const result = repairInPasses(diagnostics, {
    ...options,
    cwd,
    groups: groups.map((g) => ({ pageId: g.pageId, pages: g.pages.map((p) => ({ file: p.file })) })),
    read,
    lintRules: rules,
  });
  const out = { ...texts };
  for (const f of result.files) out[f.file] = f.after;
  return { ...result, texts: out };
}
