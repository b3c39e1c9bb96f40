/** Shared logic of sample-missing and sample-extra: which pages of a revision lack an aligned sample. */
import type { AlignedSample } from '../../align/align.js';
import type { Page } from '../../page/page.js';
import type { GroupContext } from '../rule.js';

export interface Absence {
  aligned: AlignedSample;
  /** Pages of the same revision that have the sample, and those that do not. */
  having: Page[];
  lacking: Page[];
}

export function absences(ctx: GroupContext): Absence[] {
  const out: Absence[] = [];
  for (const cluster of ctx.clusters) {
    if (cluster.pages.length < 2) continue;
    for (const aligned of ctx.aligned) {
      const having = cluster.pages.filter((p) => aligned.byPage.has(p));
      if (having.length === 0 || having.length === cluster.pages.length) continue;
      out.push({ aligned, having, lacking: cluster.pages.filter((p) => !aligned.byPage.has(p)) });
    }
  }
  return out;
}

/**
 * Where a missing sample would stand on a page: its section heading (by anchor) after the
 * previous aligned sample the page has, else just after that sample, else just before the next one,
 * else the page top.
 */
export function expectedLine(page: Page, ctx: GroupContext, aligned: AlignedSample): number {
  const index = ctx.aligned.indexOf(aligned);
  let after = 0;
  for (let i = index - 1; i >= 0; i--) {
    const s = ctx.aligned[i]!.byPage.get(page);
    if (s) {
      after = s.endLine;
      break;
    }
  }
  const anchor = [...aligned.byPage.values()][0]?.section.at(-1);
  const heading = anchor ? page.headings.find((h) => h.anchor === anchor && h.line > after) : undefined;
  if (heading) return heading.line;
  if (after > 0) return after + 1;
  // First on the page: just before the next aligned sample the page has, not at its first line.
  for (let i = index + 1; i < ctx.aligned.length; i++) {
    const next = ctx.aligned[i]!.byPage.get(page);
    if (next) return Math.max(1, next.line - 1);
  }
  return 1;
}
