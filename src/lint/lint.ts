import { alignSamples } from '../align/align.js';
import { newestCluster, revisionClusters } from '../align/revision.js';
import { compareDiagnostics, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import type { PageGroup } from '../group/group.js';
import { detached, detachedCopy } from '../util/text.js';
import type { Page } from '../page/page.js';
import { groupVocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';
import { PASSED_THROUGH } from './input-problems.js';
import type { GroupContext, Rule } from './rule.js';
import { RULES } from './rules/index.js';

export type RuleSetting = Severity | 'off';

export interface LintOptions {
  /** The authority locale (e.g. en-US) when it is among the pages. */
  sourceLocale?: string | null;
  /** Coverage is measured against these; default: every locale of the run. */
  locales?: string[];
  rules?: Record<string, RuleSetting>;
}

/** A rule's setting in this run: the configured one, else off for a rule off by default, else its own severity. */
function ruleSetting(options: LintOptions, rule: Rule): RuleSetting | undefined {
  return options.rules?.[rule.meta.id] ?? (rule.meta.defaultOff ? 'off' : undefined);
}

function contextFor(
  group: PageGroup,
  options: LintOptions,
  allLocales: string[],
  rules: readonly Rule[],
): GroupContext {
  const { clusters, source } = revisionClusters(group.pages, options.sourceLocale ?? null);
  const clusterOf = (page: Page) => clusters.find((c) => c.pages.includes(page)) ?? null;
  const reference =
    source ??
    newestCluster(clusters)?.pages[0] ??
    clusters.slice().sort((a, b) => b.pages.length - a.pages.length)[0]?.pages[0] ??
    null;
  let vocabulary: Vocabulary | undefined;
  return {
    group,
    source,
    clusters,
    clusterOf,
    aligned: alignSamples(group.pages, reference),
    allLocales,
    enabled: (ruleId) => rules.some((rule) => rule.meta.id === ruleId && ruleSetting(options, rule) !== 'off'),
    // Computed on first use, by the identifier checks of tables, emphasis and titles (on Graph 32,685 of 32,710
    // groups ask for it; a group with none of those to compare does not build it).
    get vocabulary() {
      return (vocabulary ??= groupVocabulary(group.pages, source));
    },
  };
}

function suppressed(page: Page, ruleId: string, line: number): boolean {
  return page.suppressions.some(
    (s) => (s.rules.includes(ruleId) || s.rules.includes('all')) && line >= s.startLine && line <= s.endLine,
  );
}

/** Run the rules over page groups. Pure: the pages in, positioned diagnostics out. */
export function lintGroups(
  groups: readonly PageGroup[],
  options: LintOptions = {},
  rules: readonly Rule[] = RULES,
): Diagnostic[] {
  const allLocales =
    options.locales ?? [...new Set(groups.flatMap((g) => g.locales))].filter((l) => l !== '(unknown)').sort();
  const out: Diagnostic[] = [];
  for (const group of groups) {
    for (const page of group.pages) {
      for (const d of page.diagnostics)
        if (PASSED_THROUGH.has(d.ruleId))
          out.push({ ...d, locale: page.locale ?? undefined, pageId: group.pageId, sampleId: null, related: [] });
    }
    // A page that was not parsed (unreadable, binary, or the parser failed) counts for its locale's
    // presence only: compared, it would look as if every sample had been dropped.
    const parsed = group.pages.filter((p) => p.parsed);
    if (parsed.length === 0) continue;
    // The group's fields in pageGroup's order (locales stay the whole group's: unparsed pages count for presence),
    // not a spread: V8 optimizes every rule for the group shape it meets, and throws that code away at another.
    const ctx = contextFor(
      parsed.length === group.pages.length ? group : { pageId: group.pageId, pages: parsed, locales: group.locales },
      options,
      allLocales,
      rules,
    );
    for (const rule of rules) {
      const setting = ruleSetting(options, rule);
      if (setting === 'off') continue;
      let findings: ReturnType<Rule['check']>;
      try {
        findings = rule.check(ctx);
      } catch (error) {
        // A rule that throws on one group is a lockstep bug: said where it happened, and the run goes on.
        const page = ctx.source ?? ctx.group.pages[0]!;
        out.push({
          ruleId: 'rule-failed',
          severity: 'error',
          file: page.file,
          line: 1,
          column: 1,
          locale: page.locale ?? undefined,
          pageId: group.pageId,
          sampleId: null,
          related: [],
          message:
            `rule ${rule.meta.id} failed on this page group ` +
            `(${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}): ` +
            'its findings here are missing; please report it',
        });
        continue;
      }
      for (const f of findings) {
        if (suppressed(f.page, rule.meta.id, f.line)) continue;
        out.push({
          ruleId: rule.meta.id,
          severity: setting ?? f.severity ?? rule.meta.severity,
          file: f.page.file,
          line: f.line,
          column: f.column ?? 1,
          locale: f.page.locale ?? undefined,
          pageId: group.pageId,
          sampleId: f.sampleId ?? null,
          // Findings outlive their page: copies, not slices of its text (util/text.ts `detached`).
          message: detached(f.message),
          related: f.related ?? [],
          ...(f.fix ? { fix: detachedCopy(f.fix) } : {}),
        });
      }
    }
  }
  return out.sort(compareDiagnostics);
}
