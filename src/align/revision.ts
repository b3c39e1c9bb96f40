import type { Page } from '../page/page.js';

/** Pages of one group translated from the same source revision. */
export interface RevisionCluster {
  /** `ms.openlocfilehash`, or null for pages that carry none (a source locale, hand-kept pages). */
  sourceHash: string | null;
  pages: Page[];
  /** Latest `ms.lasthandoff` in the cluster, as a sortable number (yyyymmdd), or null. */
  handoff: number | null;
}

/** `09/24/2021` (as the Microsoft pipelines write it) or `2021-09-24` → 20210924. */
export function handoffValue(text: string | null): number | null {
  if (!text) return null;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (us) return Number(us[3]) * 10000 + Number(us[1]) * 100 + Number(us[2]);
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (iso) return Number(iso[1]) * 10000 + Number(iso[2]) * 100 + Number(iso[3]);
  return null;
}

/**
 * Cluster a group's pages by source revision. The source locale, when named, is a
 * cluster of its own; pages without a revision hash share one cluster.
 */
export function revisionClusters(
  pages: readonly Page[],
  sourceLocale: string | null,
): { clusters: RevisionCluster[]; source: Page | null } {
  const source = sourceLocale ? (pages.find((p) => p.locale === sourceLocale) ?? null) : null;
  const byHash = new Map<string, Page[]>();
  for (const page of pages) {
    if (page === source) continue;
    const hash = page.revision.sourceHash ?? '';
    const list = byHash.get(hash);
    if (list) list.push(page);
    else byHash.set(hash, [page]);
  }
  // Pushed to a literal, not mapped from a spread: an empty spread's array is of another element kind, and V8
  // compiles a rule that loops over `ctx.clusters` again when it meets one.
  const clusters: RevisionCluster[] = [];
  for (const [hash, members] of byHash) {
    let handoff: number | null = null;
    for (const p of members) {
      const v = handoffValue(p.revision.lastHandoff);
      if (v !== null && (handoff === null || v > handoff)) handoff = v;
    }
    clusters.push({ sourceHash: hash === '' ? null : hash, pages: members, handoff });
  }
  return { clusters, source };
}

/** The newest cluster among those with a known handoff date: the reference for staleness. */
export function newestCluster(clusters: readonly RevisionCluster[]): RevisionCluster | null {
  let best: RevisionCluster | null = null;
  for (const c of clusters) {
    if (c.sourceHash === null || c.handoff === null) continue;
    if (!best || c.handoff > best.handoff! || (c.handoff === best.handoff && c.pages.length > best.pages.length))
      best = c;
  }
  return best;
}
