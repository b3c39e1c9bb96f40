import type { AlignedSample } from '../align/align.js';
import type { RevisionCluster } from '../align/revision.js';
import type { FixPlan, RelatedLocation, Severity } from '../diagnostics/diagnostic.js';
import type { PageGroup } from '../group/group.js';
import type { Page } from '../page/page.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';

/**
 * A rule's documentation, read from `rules/<id>.md` (lint/rules/docs.ts); the test suite runs its
 * examples and compares its facts with the rule's code, so docs and behaviour cannot drift.
 */
export interface RuleDocs {
  id: string;
  /** The doc, from the package root: `rules/<id>.md`. */
  path: string;
  severity: Severity;
  defaultOff: boolean;
  family: RuleFamily;
  /** What `lockstep lint --fix` repairs, in prose (markdown). */
  repair: string;
  /** One paragraph of markdown: what reporters print for the rule. */
  description: string;
  /** Why the rule reports what it does and what it leaves alone (markdown). */
  why: string;
  /** Pages on which the rule stays silent. */
  ok: RuleExample[];
  /** Pages on which the rule reports exactly `expect`. */
  notOk: RuleExample[];
}

/** A doc's example: pages (path `locale/name.md` → markdown) and what linting them gives. */
export interface RuleExample {
  title: string;
  pages: Record<string, string>;
  /** The findings, one a line: `locale line:column message`, in report order (none for ok examples). */
  expect: string[];
  /** For a rule that repairs: the pages after `lockstep lint --fix` (those that change). */
  fixed?: Record<string, string>;
}

/** Families group rules in reports (a JUnit test case per page group and family). */
export type RuleFamily = 'samples' | 'identifiers' | 'links' | 'metadata' | 'input';

export interface RuleMeta {
  id: string;
  severity: Severity;
  family: RuleFamily;
  /** Read from `rules/<id>.md` when first used (lint/rules/docs.ts `documented`). */
  docs: RuleDocs;
  /** Runs only when a config or option sets its severity (systematic findings that would flood a report). */
  defaultOff?: boolean;
}

export interface Finding {
  page: Page;
  line: number;
  column?: number;
  message: string;
  sampleId?: string | null;
  related?: RelatedLocation[];
  /** Overrides the rule's default severity for this finding (e.g. a defect in every locale is a warning). */
  severity?: Severity;
  /** The repair, from the authority the finding names, or why there is none (`lockstep lint --fix`). */
  fix?: FixPlan;
}

export interface GroupContext {
  group: PageGroup;
  /** The source-locale page, when `sourceLocale` is set and the group has one. */
  source: Page | null;
  clusters: RevisionCluster[];
  /** The cluster of a page (same source revision). */
  clusterOf: (page: Page) => RevisionCluster | null;
  /** Samples aligned across all pages of the group. */
  aligned: AlignedSample[];
  /** Every locale of the run (or the configured ones): coverage is measured against these. */
  allLocales: string[];
  /** The identifiers the group's pages agree on (vocabulary/vocabulary.ts). */
  vocabulary: Vocabulary;
  /** Whether a rule runs in this run: work shared by rules skips what only a rule that is off needs. */
  enabled: (ruleId: string) => boolean;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: GroupContext): Finding[];
}

export const related = (page: Page, line: number, message?: string): RelatedLocation => ({
  file: page.file,
  line,
  locale: page.locale ?? undefined,
  ...(message ? { message } : {}),
});
export const localesOf = (pages: readonly Page[]) => pages.map((p) => p.locale ?? '?').join(', ');

/**
 * The authority a blame verdict names, for a repair: the source locale when it is among the
 * reference, else a strict majority that agrees. Null when the locales disagree and no source
 * decides: nothing is repaired then.
 */
export function authorityOf<T>(
  reference: readonly { page: Page; value: T }[],
  total: number,
  source: Page | null,
  same: (a: T, b: T) => boolean,
): string | null {
  const first = reference[0];
  if (!first || !reference.every((r) => same(r.value, first.value))) return null;
  if (source && reference.some((r) => r.page === source)) return `${source.locale ?? '?'} (source)`;
  return reference.length * 2 > total ? localesOf(reference.map((r) => r.page)) : null;
}

/** A finding's plan when the authority is split: nothing written, and the reason said. */
export const AMBIGUOUS = { authority: '', edits: [], notFixed: 'the locales disagree and no source locale decides' };
