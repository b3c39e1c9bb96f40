import type { AlignedSample } from '../../align/align.js';
import { newestCluster } from '../../align/revision.js';
import { contradictions, malformedGuids, readsBothBodies, type Inconsistency } from '../../compare/consistency.js';
import type { RelatedLocation } from '../../diagnostics/diagnostic.js';
import type { Page } from '../../page/page.js';
import type { Sample } from '../../sample/sample.js';
import type { Finding, GroupContext, Rule } from '../rule.js';
import { documented } from './docs.js';

const CHECKED_ROLES = new Set(['request', 'response', 'notification']);

/** Findings on one page's copy of an aligned sample, by kind and path. */
function findingsOn(page: Page, sample: Sample): Map<string, Inconsistency> {
  const found: Inconsistency[] = [];
  if (!CHECKED_ROLES.has(sample.role)) return new Map();
  if (sample.role === 'response' && sample.pairedWith !== null) {
    const request = page.samples.find((s) => s.id === sample.pairedWith);
    if (request) found.push(...contradictions(request, sample));
  }
  found.push(...malformedGuids(sample));
  const byKey = new Map<string, Inconsistency>();
  for (const f of found) if (!byKey.has(`${f.kind} ${f.path}`)) byKey.set(`${f.kind} ${f.path}`, f);
  return byKey;
}

/**
 * A page whose copy may not have been read (malformed here, or its request is) says nothing against a finding; one
 * whose bodies were read all the same (a trailing comma, repaired) does: its translation lacks the contradiction.
 */
function unreadable(page: Page, sample: Sample): boolean {
  const request = sample.pairedWith === null ? undefined : page.samples.find((s) => s.id === sample.pairedWith);
  if (request && readsBothBodies(request, sample)) return false;
  return sample.malformed || request?.malformed === true;
}

/**
 * The pages that carry a finding and where to report it, or null when it is not a source defect:
 * the source locale decides when it has the sample; else every locale of a revision must agree,
 * and the newest revision must have it (an older one alone is what stale-translation reports).
 */
function blame(ctx: GroupContext, aligned: AlignedSample, holders: Map<Page, Inconsistency>): Page[] | null {
  const having = ctx.group.pages.filter((p) => holders.has(p));
  if (ctx.source && aligned.byPage.has(ctx.source)) {
    return holders.has(ctx.source) ? [ctx.source, ...having.filter((p) => p !== ctx.source)] : null;
  }
  const lacking = (p: Page) => aligned.byPage.has(p) && !holders.has(p) && !unreadable(p, aligned.byPage.get(p)!);
  for (const cluster of ctx.clusters) {
    if (cluster.pages.some((p) => holders.has(p)) && cluster.pages.some(lacking)) return null;
  }
  const newest = newestCluster(ctx.clusters);
  if (newest && newest.pages.some(lacking)) return null;
  return having;
}

export const exampleInconsistent: Rule = {
  meta: documented({ id: 'example-inconsistent', severity: 'warning', family: 'samples' }),
  check(ctx) {
    const out: Finding[] = [];
    for (const aligned of ctx.aligned) {
      const byPage = new Map([...aligned.byPage].map(([page, sample]) => [page, findingsOn(page, sample)]));
      const keys = new Set([...byPage.values()].flatMap((m) => [...m.keys()]));
      for (const key of keys) {
        const holders = new Map<Page, Inconsistency>();
        for (const [page, found] of byPage) {
          const f = found.get(key);
          if (f) holders.set(page, f);
        }
        const pages = blame(ctx, aligned, holders);
        if (!pages || pages.length === 0) continue;
        const [first, ...others] = pages;
        const f = holders.get(first!)!;
        const place = (p: Page): RelatedLocation => {
          const h = holders.get(p)!;
          return { file: p.file, line: h.line, column: h.column, locale: p.locale ?? undefined };
        };
        out.push({
          page: first!,
          line: f.line,
          column: f.column,
          sampleId: aligned.byPage.get(first!)!.id,
          message: f.message,
          related: others.map(place),
        });
      }
    }
    return out;
  },
};
