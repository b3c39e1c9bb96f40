import { handoffValue, newestCluster, type RevisionCluster } from '../../align/revision.js';
import { compareSamples } from '../../compare/sample.js';
import { shorten } from '../../compare/difference.js';
import type { FixPlan, PlannedEdit, RelatedLocation } from '../../diagnostics/diagnostic.js';
import { destinations, normalizeDestination, similarity } from './link-target-mismatch.js';
import { insertionPlaces } from './sample-missing.js';
import type { Page } from '../../page/page.js';
import { related, type Finding, type GroupContext, type Rule } from '../rule.js';
import { documented } from './docs.js';

interface Evidence {
  id: string;
  related: RelatedLocation;
  line: number;
  detail: string;
}

/** Samples of `page` that differ from, or are missing in, the reference page. */
function differences(ctx: GroupContext, page: Page, reference: Page): Evidence[] {
  const out: Evidence[] = [];
  for (const aligned of ctx.aligned) {
    const mine = aligned.byPage.get(page);
    const theirs = aligned.byPage.get(reference);
    if (!mine && !theirs) continue;
    if (mine && theirs) {
      if (mine.malformed || theirs.malformed) {
        if (mine.malformed !== theirs.malformed)
          out.push({
            id: aligned.key,
            line: mine.line,
            related: related(reference, theirs.line, `sample ${aligned.key}`),
            detail: `${aligned.key} parses in only one of them`,
          });
        continue;
      }
      const d = compareSamples(theirs, mine);
      if (d) {
        const detail =
          `${aligned.key} at ${d.path} (${d.what}): ` +
          `\`${shorten(d.actual, 50)}\` here, \`${shorten(d.expected, 50)}\` in ${reference.locale}`;
        out.push({
          id: aligned.key,
          line: d.actualLine ?? mine.line,
          related: related(reference, d.expectedLine ?? theirs.line, `sample ${aligned.key}: ${d.path}`),
          detail,
        });
      }
    } else {
      const detail = `${aligned.key} ${mine ? `is not in ${reference.locale}` : `is only in ${reference.locale}`}`;
      out.push({
        id: aligned.key,
        line: mine?.line ?? 1,
        related: related(reference, theirs?.line ?? 1, `sample ${detail}`),
        detail,
      });
    }
  }
  return out;
}

const short = (hash: string | null) => (hash ? hash.slice(0, 7) : '(none)');

/**
 * `--fix-stale`: the stale page's samples, `<a name>` anchors and link targets brought to the newer
 * revision's (`reference`), never its prose. Samples both have are repaired line by line where they
 * differ; a sample only the newer revision has is inserted where blank lines alone separate it from
 * its neighbours there; anchors are replaced where both pages have as many; a link target is replaced
 * by the newer one it resembles. What is only in the stale page stays.
 */
function stalePlan(ctx: GroupContext, page: Page, reference: Page, who: string): FixPlan | undefined {
  const edits: PlannedEdit[] = [];
  for (const aligned of ctx.aligned) {
    const mine = aligned.byPage.get(page);
    const theirs = aligned.byPage.get(reference);
    if (!theirs || theirs.malformed) continue;
    if (!mine) {
      const places = insertionPlaces(ctx, page, aligned, reference);
      if (places.length > 0) edits.push({ kind: 'insert', places });
      continue;
    }
    if (mine.malformed || mine.contentColumnOffset !== theirs.contentColumnOffset || !compareSamples(theirs, mine))
      continue;
    edits.push({
      kind: 'lines',
      line: mine.line + 1,
      endLine: mine.endLine - 1,
      from: { file: reference.file, line: theirs.line + 1, endLine: theirs.endLine - 1 },
      diff: true,
    });
  }
  const anchorsOf = (p: Page) => p.headings.filter((h) => h.anchorSource === 'a-name');
  const mineA = anchorsOf(page);
  const theirA = anchorsOf(reference);
  if (mineA.length === theirA.length)
    mineA.forEach((h, i) => {
      const want = theirA[i]!.anchor;
      if (h.anchor !== want)
        edits.push({ kind: 'replace', line: h.line, column: 1, old: `"${h.anchor}"`, text: `"${want}"`, markup: true });
    });
  const count = (links: ReturnType<typeof destinations>) => {
    const m = new Map<string, number>();
    for (const l of links) m.set(normalizeDestination(l.url), (m.get(normalizeDestination(l.url)) ?? 0) + 1);
    return m;
  };
  const mineL = destinations(page).filter((l) => l.kind !== 'definition');
  const theirL = destinations(reference).filter((l) => l.kind !== 'definition');
  const have = count(mineL);
  const want = count(theirL);
  const missing = theirL.filter((l) => {
    const key = normalizeDestination(l.url);
    return (have.get(key) ?? 0) < (want.get(key) ?? 0) && key === l.url;
  });
  const used = new Set<string>();
  for (const link of mineL) {
    const key = normalizeDestination(link.url);
    if ((want.get(key) ?? 0) >= (have.get(key) ?? 0) || key !== link.url) continue;
    const match = missing
      .filter((m) => !used.has(m.url))
      .map((m) => ({ m, score: similarity(m.url, key) }))
      .filter((x) => x.score >= 0.6)
      .sort((a, b) => b.score - a.score)[0];
    if (!match) continue;
    used.add(match.m.url);
    edits.push({
      kind: 'replace',
      line: link.line,
      column: link.column,
      old: link.url,
      text: match.m.url,
      markup: true,
    });
  }
  // Nothing to bring: no plan (the finding is the page's prose, which translators bring).
  return edits.length > 0 ? { authority: who, edits, stale: true } : undefined;
}

export const staleTranslation: Rule = {
  meta: documented({ id: 'stale-translation', severity: 'warning', family: 'metadata' }),
  check(ctx) {
    const findings: Finding[] = [];
    const hashLine = (p: Page) => p.frontMatter?.keys.find((k) => k.key === 'ms.openlocfilehash')?.line ?? 1;
    // A named source locale that carries a revision itself (a translation chosen as the authority) is the
    // newest revision when it is: the locales older than it are stale, as they would be without it.
    const source = ctx.source;
    const sourceCluster: RevisionCluster | null =
      source && source.revision.sourceHash !== null
        ? {
            sourceHash: source.revision.sourceHash,
            pages: [source],
            handoff: handoffValue(source.revision.lastHandoff),
          }
        : null;
    const newest = newestCluster(sourceCluster ? [...ctx.clusters, sourceCluster] : ctx.clusters);
    const reported = new Set<Page>();
    const describe = (evidence: Evidence[]) =>
      evidence.length === 0
        ? 'its samples are unchanged'
        : `${evidence.length} sample${evidence.length === 1 ? ' differs' : 's differ'}; first ${evidence[0]!.detail}`;

    if (newest) {
      const reference = newest.pages[0]!;
      for (const cluster of ctx.clusters) {
        if (
          cluster === newest ||
          cluster.sourceHash === newest.sourceHash ||
          cluster.sourceHash === null ||
          cluster.handoff === null ||
          cluster.handoff >= newest.handoff!
        )
          continue;
        for (const page of cluster.pages) {
          const evidence = differences(ctx, page, reference);
          reported.add(page);
          findings.push({
            fix: stalePlan(
              ctx,
              page,
              source ?? reference,
              source ? `${source.locale} (source)` : `${reference.locale}, the newer revision`,
            ),
            page,
            line: hashLine(page),
            message:
              `${page.locale} is translated from an older source revision ` +
              `(ms.openlocfilehash ${short(cluster.sourceHash)}, handed off ${page.revision.lastHandoff}) ` +
              `than ${newest.pages.map((p) => p.locale).join(', ')} ` +
              `(${short(newest.sourceHash)}, ${reference.revision.lastHandoff}); ${describe(evidence)}`,
            related: [related(reference, hashLine(reference), 'newer revision'), ...evidence.map((e) => e.related)],
          });
        }
      }
    }
    if (ctx.source) {
      // Against the source: a difference that the whole revision agrees on is the old source's code, not damage.
      for (const cluster of ctx.clusters as RevisionCluster[]) {
        const unreported = cluster.pages.filter((p) => !reported.has(p));
        if (unreported.length === 0) continue;
        const perPage = unreported.map((page) => ({ page, evidence: differences(ctx, page, ctx.source!) }));
        const shared = perPage[0]!.evidence.filter((e) => perPage.every((p) => p.evidence.some((x) => x.id === e.id)));
        if (shared.length === 0) continue;
        for (const { page, evidence } of perPage) {
          const mine = evidence.filter((e) => shared.some((s) => s.id === e.id));
          findings.push({
            fix: stalePlan(ctx, page, ctx.source, `${ctx.source.locale} (source)`),
            page,
            line: hashLine(page),
            message:
              `${page.locale} carries the code of an older source revision than ${ctx.source.locale} ` +
              `(ms.openlocfilehash ${short(page.revision.sourceHash)}, ` +
              `handed off ${page.revision.lastHandoff ?? 'never'}); ${describe(mine)}`,
            related: mine.map((e) => e.related),
          });
        }
      }
    }
    return findings;
  },
};
