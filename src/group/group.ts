import type { Page } from '../page/page.js';

/** All locales of one page. */
export interface PageGroup {
  pageId: string;
  /** The group's pages, one or more per locale, ordered by locale then path. */
  pages: Page[];
  locales: string[];
}

/** What grouping needs to know of a page: computable from its path and front matter alone. */
export interface PageIdentity {
  pageId: string;
  locale: string | null;
  assetId: string | null;
  file: string;
}

/**
 * `localeCompare`'s order without building a collator per call (runs once per member of each of 32,000 groups on
 * Graph).
 */
const collator = new Intl.Collator();

/**
 * Group pages across locales: by path below the locale folder, then joining
 * groups that share an `ms.assetid`, as long as that joins disjoint locales (two
 * different pages of one locale that reuse an asset id stay apart). Members are
 * ordered by locale then path; groups by page id.
 */
export function groupIdentities<T extends PageIdentity>(items: readonly T[]): { pageId: string; members: T[] }[] {
  const byPath = new Map<string, T[]>();
  for (const item of items) {
    const list = byPath.get(item.pageId);
    if (list) list.push(item);
    else byPath.set(item.pageId, [item]);
  }
  const groups = [...byPath.entries()].map(([pageId, members]) => ({ pageId, members }));
  return joinedByAsset(groups.sort((a, b) => (a.pageId < b.pageId ? -1 : 1)));
}

/**
 * The second half of groupIdentities, for groups of pages by page id made otherwise (lint-run's plan from paths,
 * once the pages are read): `groups` sorted by page id, each one's members in the order groupIdentities was given
 * them. Groups that share an asset id are joined, and members ordered by locale then path.
 */
export function joinedByAsset<T extends PageIdentity>(
  groups: { pageId: string; members: T[] }[],
): { pageId: string; members: T[] }[] {
  const localesOf = (members: T[]) => new Set(members.map((p) => p.locale ?? ''));
  const byAsset = new Map<string, { pageId: string; members: T[] }>();
  const merged: { pageId: string; members: T[] }[] = [];
  for (const group of groups) {
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
  // Locales compared by rank: a doc set has a few, and a collator's compare is slow enough to count 32,000 times.
  const rank = localeRanks(groups);
  const order = (a: T, b: T) =>
    rank.get(a.locale ?? '')! - rank.get(b.locale ?? '')! || collator.compare(a.file, b.file);
  // Most groups come in order already (their pages found locale folder by locale folder): sorting an array allocates.
  for (const group of merged) if (!inOrder(group.members, order)) group.members.sort(order);
  // Still in page id order: merging only leaves groups out.
  return merged;
}

const inOrder = <T>(items: readonly T[], order: (a: T, b: T) => number): boolean => {
  for (let i = 1; i < items.length; i++) if (order(items[i - 1]!, items[i]!) > 0) return false;
  return true;
};

/** Each locale's place in the collator's order (locales it finds equal share one). */
function localeRanks(groups: readonly { members: readonly PageIdentity[] }[]): Map<string, number> {
  const distinct = new Set<string>();
  for (const group of groups) for (const member of group.members) distinct.add(member.locale ?? '');
  const locales = [...distinct].sort(collator.compare);
  const rank = new Map<string, number>();
  locales.forEach((locale, i) => {
    const previous = locales[i - 1];
    rank.set(locale, previous !== undefined && collator.compare(previous, locale) === 0 ? rank.get(previous)! : i);
  });
  return rank;
}

/** A group of loaded pages; every page takes the group's id. */
export function pageGroup(pageId: string, pages: Page[]): PageGroup {
  for (const p of pages) p.pageId = pageId;
  return { pageId, pages, locales: [...new Set(pages.map((p) => p.locale ?? '(unknown)'))] };
}

export function groupPages(pages: readonly Page[]): PageGroup[] {
  return groupIdentities(pages).map(({ pageId, members }) => pageGroup(pageId, members));
}
