import type { AlignedSample } from '../../align/align.js';
import type { FixPlan } from '../../diagnostics/diagnostic.js';
import type { Page } from '../../page/page.js';
import type { Sample } from '../../sample/sample.js';
import { localesOf, related, type GroupContext, type Rule } from '../rule.js';
import { absences, expectedLine } from './sample-presence.js';
import { documented } from './docs.js';

export const sampleMissing: Rule = {
  meta: documented({ id: 'sample-missing', severity: 'error', family: 'samples' }),
  check(ctx) {
    return absences(ctx)
      .filter(
        (a) =>
          a.lacking.length < a.having.length ||
          a.having.length + a.lacking.length === 2 ||
          (ctx.source !== null && a.having.includes(ctx.source)),
      )
      .flatMap((a) =>
        a.lacking.map((page) => {
          const example = a.aligned.byPage.get(a.having[0]!)!;
          return {
            fix: insertion(ctx, page, a.aligned, a.having, a.having.length + a.lacking.length),
            page,
            line: expectedLine(page, ctx, a.aligned),
            sampleId: a.aligned.key,
            message:
              `sample ${a.aligned.key} (${example.kind}, ${example.role}) is missing; ` +
              `${localesOf(a.having)} ${a.having.length === 1 ? 'has' : 'have'} it`,
            related: a.having.map((p) => related(p, a.aligned.byPage.get(p)!.line)),
          };
        }),
      );
  },
};

/** Where a sample starts on its page: its annotation when it has one, else its fence. */
const startOf = (page: Page, sample: Sample) =>
  page.annotations.find((a) => a.codeLine === sample.line)?.line ?? sample.line;

/**
 * The missing sample copied from the authority (the source, else a strict majority of the
 * revision's pages) with its annotation: after the sample before it, or before the one after it,
 * where the authority has nothing but blank lines between the two.
 */
function insertion(ctx: GroupContext, page: Page, aligned: AlignedSample, having: Page[], total: number): FixPlan {
  const authority =
    ctx.source && having.includes(ctx.source) ? ctx.source : having.length * 2 > total ? having[0]! : null;
  if (!authority) return { authority: '', edits: [], notFixed: 'the locales disagree and no source locale decides' };
  const places = insertionPlaces(ctx, page, aligned, authority);
  const who = authority === ctx.source ? `${authority.locale} (source)` : localesOf(having);
  if (places.length === 0)
    return { authority: who, edits: [], notFixed: 'no sample of this page stands beside it to place it by' };
  return { authority: who, edits: [{ kind: 'insert', places }] };
}

type Places = Extract<FixPlan['edits'][number], { kind: 'insert' }>['places'];

/** Where the authority's copy of an aligned sample could be inserted in `page` (see the 'insert' edit). */
export function insertionPlaces(ctx: GroupContext, page: Page, aligned: AlignedSample, authority: Page): Places {
  const theirs = aligned.byPage.get(authority)!;
  const index = ctx.aligned.indexOf(aligned);
  const places: Places = [];
  for (let i = index - 1; i >= 0; i--) {
    const mine = ctx.aligned[i]!.byPage.get(page);
    const before = ctx.aligned[i]!.byPage.get(authority);
    if (!mine || !before) continue;
    places.push({
      line: mine.endLine + 1,
      from: { file: authority.file, line: before.endLine + 1, endLine: theirs.endLine },
      blank: { line: before.endLine + 1, endLine: theirs.line - 1 },
    });
    break;
  }
  for (let i = index + 1; i < ctx.aligned.length; i++) {
    const mine = ctx.aligned[i]!.byPage.get(page);
    const after = ctx.aligned[i]!.byPage.get(authority);
    if (!mine || !after) continue;
    places.push({
      line: startOf(page, mine),
      from: { file: authority.file, line: startOf(authority, theirs), endLine: startOf(authority, after) - 1 },
      blank: { line: theirs.endLine + 1, endLine: startOf(authority, after) - 1 },
    });
    break;
  }
  // Else right under its section heading (by anchor), where the authority's sample opens its section.
  const anchor = theirs.section.at(-1);
  const headingOf = (p: Page) => p.headings.find((h) => h.anchor === anchor && h.anchorSource === 'a-name');
  const myHeading = anchor === undefined ? undefined : headingOf(page);
  const theirHeading = anchor === undefined ? undefined : headingOf(authority);
  if (myHeading && theirHeading && theirHeading.line < theirs.line) {
    places.push({
      line: myHeading.line + 1,
      from: { file: authority.file, line: theirHeading.line + 1, endLine: theirs.endLine },
      blank: { line: theirHeading.line + 1, endLine: theirs.line - 1 },
    });
  }
  return places;
}
