import type { ConformanceCase } from './cases.js';

/**
 * Case selection by id or glob (`--case`, `--skip`, config `cases`/`skipCases`), as vitest's `-t`
 * picks tests: `*` stands for any run of characters, `?` for one. A pattern matches a case id
 * (`<pageId>#<sampleId>`) whole, or a page id, which stands for all its cases. Written here
 * because ids hold `/` and `#`, which path globs treat specially.
 */
export function casePattern(pattern: string): RegExp {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

export interface Selection {
  /** Only cases matching one of these (all when empty). */
  cases?: readonly string[];
  /** Never the cases matching one of these. */
  skip?: readonly string[];
}

/** Whether a case's id, or its page id, matches one of the patterns. */
export const matchesAny = (patterns: readonly RegExp[], c: ConformanceCase): boolean =>
  patterns.some((p) => p.test(c.caseId) || p.test(c.pageId));

/**
 * The cases selected, in plan order. An exchange is selected when it or one of the notifications it
 * triggers matches; its notifications always come with it (each has its slot after it), and one that
 * `skip` names is reported skipped by the run, not left out.
 */
export function selectCases(cases: readonly ConformanceCase[], selection: Selection): readonly ConformanceCase[] {
  const only = (selection.cases ?? []).map(casePattern);
  const skip = (selection.skip ?? []).map(casePattern);
  if (only.length === 0 && skip.length === 0) return cases;
  const hits = matchesAny;
  const out: ConformanceCase[] = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    if (c.kind !== 'exchange') continue;
    const own = cases.slice(i + 1, i + 1 + c.notifications.length);
    const family = [c, ...own];
    if (only.length > 0 && !family.some((x) => hits(only, x))) continue;
    if (hits(skip, c)) continue;
    out.push(c, ...own);
  }
  return out;
}
