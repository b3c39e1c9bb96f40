import { blame } from '../../align/blame.js';
import type { Page } from '../../page/page.js';
import { AMBIGUOUS, authorityOf, localesOf, related, type Finding, type Rule } from '../rule.js';
import { documented } from './docs.js';

/** The explicit `<a name>` anchors of a page, in order (tab headings included). */
const anchors = (page: Page) => page.headings.filter((h) => h.anchorSource === 'a-name');

export const anchorMismatch: Rule = {
  meta: documented({ id: 'anchor-mismatch', severity: 'error', family: 'links' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      if (cluster.pages.length < 2) continue;
      const lists = new Map(cluster.pages.map((p) => [p, anchors(p)]));
      const sizes = new Set([...lists.values()].map((l) => l.length));
      if (sizes.size === 1) {
        // Same number of anchors everywhere: compare position by position, the most precise report.
        const n = [...sizes][0]!;
        for (let i = 0; i < n; i++) {
          const entries = cluster.pages.map((page) => ({ page, value: lists.get(page)![i]!.anchor }));
          for (const v of blame(entries, (a, b) => a === b, ctx.source)) {
            const heading = lists.get(v.outlier)![i]!;
            const authority = authorityOf(v.reference, entries.length, ctx.source, (a, b) => a === b);
            findings.push({
              fix: authority
                ? {
                    authority,
                    edits: [
                      {
                        kind: 'replace',
                        line: heading.line,
                        column: 1,
                        old: `"${v.value}"`,
                        text: `"${v.reference[0]!.value}"`,
                        markup: true,
                      },
                    ],
                  }
                : AMBIGUOUS,
              page: v.outlier,
              line: heading.line,
              column: heading.column,
              message:
                `heading anchor \`${v.value}\` here is \`${v.reference[0]!.value}\` ` +
                `in ${localesOf(v.reference.map((r) => r.page))}`,
              related: v.reference.map((r) => related(r.page, lists.get(r.page)![i]!.line)),
            });
          }
        }
        continue;
      }
      // Different counts: compare as sets, blaming the minority for each anchor.
      const all = new Set([...lists.values()].flatMap((l) => l.map((h) => h.anchor)));
      for (const anchor of all) {
        const entries = cluster.pages.map((page) => ({
          page,
          value: lists.get(page)!.some((h) => h.anchor === anchor),
        }));
        for (const v of blame(entries, (a, b) => a === b, ctx.source)) {
          const refs = v.reference.map((r) => r.page);
          const refLine = (p: Page) => lists.get(p)!.find((h) => h.anchor === anchor)?.line ?? 1;
          findings.push({
            fix: {
              authority: localesOf(refs),
              edits: [],
              notFixed: v.value
                ? 'an anchor added: it is reported, not removed'
                : 'an anchor dropped: which translated heading it belongs to cannot be told',
            },
            page: v.outlier,
            line: v.value ? lists.get(v.outlier)!.find((h) => h.anchor === anchor)!.line : 1,
            message: v.value
              ? `heading anchor \`${anchor}\` is not in ${localesOf(refs)}`
              : `heading anchor \`${anchor}\` is missing; ${localesOf(refs)} ${refs.length === 1 ? 'has' : 'have'} it`,
            related: refs.map((p) => related(p, refLine(p))),
          });
        }
      }
    }
    return findings;
  },
};
