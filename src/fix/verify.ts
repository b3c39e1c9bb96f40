/**
 * The verifier of src/fix/repair.ts: each page group with a changed page is linted in memory before
 * and after the change, with the run's options, and the findings of each of its pages counted.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { pageGroup } from '../group/group.js';
import { lintGroups, type LintOptions } from '../lint/lint.js';
import type { Rule } from '../lint/rule.js';
import { buildPage, type Page } from '../page/page.js';
import { docsRootOf } from '../discover/locale.js';
import type { PageCount, Verifier } from './repair.js';

export interface VerifyOptions extends LintOptions {
  cwd: string;
  /** The run's page groups, by the files of their pages. */
  groups: readonly { pageId: string; pages: readonly { file: string }[] }[];
  /** The current text of a page (BOM removed), or null when it cannot be read. */
  read: (file: string) => string | null;
  defaultLocale?: string;
  /** The rules that run (default: all). */
  lintRules?: readonly Rule[];
}

/** The findings of one page group, linted in memory from its pages' texts (`text`: null for a page not there). */
export function lintGroupTexts(
  pageId: string,
  files: readonly string[],
  text: (file: string) => string | null,
  options: Pick<VerifyOptions, 'cwd' | 'defaultLocale' | 'lintRules'> & LintOptions,
): Diagnostic[] {
  const pages: Page[] = [];
  for (const file of files) {
    const t = text(file);
    if (t === null) continue;
    const absPath = path.resolve(options.cwd, file);
    pages.push(
      buildPage({ absPath, displayPath: file, root: docsRootOf(absPath) }, t, [], Buffer.byteLength(t), {
        defaultLocale: options.defaultLocale,
      }),
    );
  }
  return lintGroups([pageGroup(pageId, pages)], options, options.lintRules);
}

export function groupVerifier(options: VerifyOptions): Verifier {
  const groupOf = new Map<string, (typeof options.groups)[number]>();
  for (const g of options.groups) for (const p of g.pages) groupOf.set(p.file, g);
  const counted = (pageId: string, files: string[], text: (file: string) => string | null) => {
    const counts = new Map(files.map((f) => [f, { all: 0, errors: 0 }]));
    for (const d of lintGroupTexts(pageId, files, text, options)) {
      const c = counts.get(d.file) ?? { all: 0, errors: 0 };
      c.all++;
      if (d.severity === 'error') c.errors++;
      counts.set(d.file, c);
    }
    return counts;
  };
  const memo = new Map<string, Map<string, { all: number; errors: number }>>();
  return (changed) => {
    const out: PageCount[] = [];
    const groups = new Set([...changed.keys()].map((f) => groupOf.get(f)).filter((g) => g !== undefined));
    for (const g of groups) {
      const files = g.pages.map((p) => p.file);
      let before = memo.get(g.pageId);
      if (!before) memo.set(g.pageId, (before = counted(g.pageId, files, options.read)));
      const after = counted(g.pageId, files, (f) => changed.get(f) ?? options.read(f));
      for (const f of files) {
        const [b, a] = [before.get(f), after.get(f)];
        out.push({
          file: f,
          group: g.pageId,
          before: b?.all ?? 0,
          after: a?.all ?? 0,
          errorsBefore: b?.errors ?? 0,
          errorsAfter: a?.errors ?? 0,
        });
      }
    }
    return out;
  };
}
