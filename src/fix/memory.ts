/**
 * `--fix` on texts in memory (`{ 'docs/pt-BR/page.md': markdown }`): the rule docs' fixed examples,
 * the property tests and library callers repair pages without touching a disk.
 */
import { groupPages } from '../group/group.js';
import { lintGroups, type LintOptions } from '../lint/lint.js';
import type { Rule } from '../lint/rule.js';
import { buildPage } from '../page/page.js';
import { fixText, type FixText } from './resolve.js';
import { planRepairs, type RepairResult } from './repair.js';
import { groupVerifier } from './verify.js';

export interface MemoryRepair extends RepairResult {
  /** Every text, repaired where a repair was written. */
  texts: Record<string, string>;
}

/** Lint the texts as one doc set (paths relative to `cwd`), and repair what the findings can. */
export function repairTexts(
  texts: Record<string, string>,
  options: LintOptions & { cwd?: string } = {},
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
  const verify = groupVerifier({
    ...options,
    cwd,
    groups: groups.map((g) => ({ pageId: g.pageId, pages: g.pages.map((p) => ({ file: p.file })) })),
    read: (file) => texts[file] ?? null,
    rules: options.rules,
    lintRules: rules,
  });
  const result = planRepairs(diagnostics, read, verify);
  const out = { ...texts };
  for (const change of result.changes) out[change.file] = change.after;
  return { ...result, texts: out };
}
