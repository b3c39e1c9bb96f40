import type { Link } from '../../markdown/markdown.js';
import type { Page } from '../../page/page.js';
import { localesOf, related, type Finding, type Rule } from '../rule.js';
import { normalizeLocale } from '../../discover/locale.js';
import { documented } from './docs.js';

/** Locale segments in links (`/en-us/`, `/pt-br/`) are localized by design: compare without them. */
export function normalizeDestination(url: string): string {
  // Mail addresses are case-insensitive.
  if (/^mailto:/i.test(url.trim())) return url.trim().toLowerCase();
  return url
    .trim()
    .replace(/\/([a-z]{2,3}-[a-z]{2,4})(?=\/)/gi, (whole, tag: string) => (normalizeLocale(tag) ? '/{locale}' : whole));
}

/** Link destinations a page shows, translation copies in zh-CN `sxs-lookup` spans excluded. */
export function destinations(page: Page): Link[] {
  return page.links.filter((l) => !l.inSource);
}

function counts(links: Link[]): Map<string, Link[]> {
  const map = new Map<string, Link[]>();
  for (const l of links) {
    const key = normalizeDestination(l.url);
    const list = map.get(key);
    if (list) list.push(l);
    else map.set(key, [l]);
  }
  return map;
}

/** Share of the longer string covered by the common prefix and suffix: enough to pair `x.md` with `x.md.`. */
export function similarity(a: string, b: string): number {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return (p + s) / Math.max(a.length, b.length, 1);
}

export const linkTargetMismatch: Rule = {
  meta: documented({ id: 'link-target-mismatch', severity: 'error', family: 'links' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      if (cluster.pages.length < 2) continue;
      const perPage = new Map(cluster.pages.map((p) => [p, counts(destinations(p))]));
      const keys = new Set([...perPage.values()].flatMap((m) => [...m.keys()]));
      // For each destination, the count most pages agree on (or the source's, or with two pages each side's view).
      const expected = new Map<string, number>();
      for (const key of keys) {
        const tally = new Map<number, number>();
        for (const m of perPage.values()) {
          const n = m.get(key)?.length ?? 0;
          tally.set(n, (tally.get(n) ?? 0) + 1);
        }
        const sourceCount =
          ctx.source && perPage.has(ctx.source) ? (perPage.get(ctx.source)!.get(key)?.length ?? 0) : undefined;
        const [best, votes] = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]!;
        expected.set(key, sourceCount ?? (votes * 2 > cluster.pages.length ? best : Math.max(...tally.keys())));
      }
      for (const [page, mine] of perPage) {
        const others = cluster.pages.filter((p) => p !== page);
        const missing: string[] = [];
        const extra: Link[] = [];
        for (const key of keys) {
          const want = expected.get(key)!;
          const have = mine.get(key)?.length ?? 0;
          for (let i = have; i < want; i++) missing.push(key);
          if (have > want) extra.push(...(mine.get(key) ?? []).slice(want));
        }
        const holders = (key: string) => others.filter((p) => perPage.get(p)!.has(key));
        for (const link of extra) {
          const key = normalizeDestination(link.url);
          // The first of the most similar, by a loop: a map/filter chain over `missing`, empty in most groups, meets
          // arrays of two element kinds, and V8 throws the optimized code away at the second.
          let match: { m: string; score: number } | undefined;
          for (const m of missing) {
            const score = similarity(m, key);
            if (score >= 0.6 && (match === undefined || score > match.score)) match = { m, score };
          }
          if (match) missing.splice(missing.indexOf(match.m), 1);
          const refPages = match ? holders(match.m) : others.filter((p) => !perPage.get(p)!.has(key));
          const theirs: string[] = [];
          if (match) for (const p of refPages) theirs.push(perPage.get(p)!.get(match.m)![0]!.url);
          const target = theirs[0];
          // The authority: the source, else a strict majority of the revision's pages (their key agrees by
          // construction).
          const decided =
            match && (ctx.source && refPages.includes(ctx.source) ? true : refPages.length * 2 > cluster.pages.length);
          findings.push({
            fix: !match
              ? { authority: '', edits: [], notFixed: 'an extra link is reported, not removed' }
              : !decided || target === undefined
                ? { authority: '', edits: [], notFixed: 'the locales disagree and no source locale decides' }
                : normalizeDestination(target) !== target || new Set(theirs).size > 1
                  ? {
                      authority: localesOf(refPages),
                      edits: [],
                      notFixed: 'the target holds a locale segment, spelled per locale',
                    }
                  : {
                      authority:
                        ctx.source && refPages.includes(ctx.source)
                          ? `${ctx.source.locale} (source)`
                          : localesOf(refPages),
                      edits: [
                        {
                          kind: 'replace',
                          line: link.line,
                          column: link.column,
                          old: link.url,
                          text: target,
                          markup: true,
                        },
                      ],
                    },
            page,
            line: link.line,
            column: link.column,
            message: match
              ? `link target \`${link.url}\` differs from \`${match.m}\` in ${localesOf(refPages)}`
              : `extra link to \`${link.url}\`: not in ${localesOf(refPages)}`,
            related: refPages.map((p) => related(p, (perPage.get(p)!.get(match?.m ?? '') ?? [])[0]?.line ?? 1)),
          });
        }
        for (const key of missing) {
          const refPages = holders(key);
          const near = refPages[0] ? perPage.get(refPages[0])!.get(key)![0]!.line : 1;
          findings.push({
            fix: {
              authority: localesOf(refPages),
              edits: [],
              notFixed: 'a dropped link: where it stands in the translated sentence cannot be told',
            },
            page,
            line: Math.min(near, page.lines || near),
            message:
              `link to \`${key}\` is missing; ` + `${localesOf(refPages)} ${refPages.length === 1 ? 'has' : 'have'} it`,
            related: refPages.map((p) => related(p, perPage.get(p)!.get(key)![0]!.line)),
          });
        }
      }
    }
    return findings;
  },
};
