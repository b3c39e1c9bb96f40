import type { Page } from '../page/page.js';

/** All locales of one page. */
export interface PageGroup {
  pageId: string;
  /** The group's pages, one or more per locale, ordered by locale then path. */
  pages: Page[];
  locales: string[];
}

/**
 * Group pages across locales: by path below the locale folder, then joining
 * groups that share an `ms.assetid`, as long as that joins disjoint locales (two
 * different pages of one locale that reuse an asset id stay apart).
 */
export function groupPages(pages: readonly Page[]): PageGroup[] {
  const byPath = new Map<string, Page[]>();
  for (const page of pages) {
    const list = byPath.get(page.pageId);
    if (list) list.push(page);
    else byPath.set(page.pageId, [page]);
  }
  const groups = [...byPath.entries()].map(([pageId, members]) => ({ pageId, members }));
  const localesOf = (members: Page[]) => new Set(members.map((p) => p.locale ?? ''));
  const byAsset = new Map<string, { pageId: string; members: Page[] }>();
  const merged: { pageId: string; members: Page[] }[] = [];
  for (const group of groups.sort((a, b) => (a.pageId < b.pageId ? -1 : 1))) {
    const asset = group.members.find((p) => p.assetId)?.assetId;
    const target = asset ? byAsset.get(asset) : undefined;
    if (target) {
      const taken = localesOf(target.members);
      if (group.members.every((p) => !taken.has(p.locale ?? ''))) {
        target.members.push(...group.members);
        continue;
      }
    }
    merged.push(group);
    if (asset && !target) byAsset.set(asset, group);
  }
  return merged.map(({ pageId, members }) => {
    const pagesSorted = [...members].sort((a, b) => (a.locale ?? '').localeCompare(b.locale ?? '') || a.file.localeCompare(b.file));
    for (const p of pagesSorted) p.pageId = pageId;
    return { pageId, pages: pagesSorted, locales: [...new Set(pagesSorted.map((p) => p.locale ?? '(unknown)'))] };
  }).sort((a, b) => (a.pageId < b.pageId ? -1 : a.pageId > b.pageId ? 1 : 0));
}
