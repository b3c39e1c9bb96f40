import { differingRuns } from '../../util/lcs.js';
import { newestCluster } from '../../align/revision.js';
import type { Page } from '../../page/page.js';
import { pageTerms, pageTexts } from '../../vocabulary/vocabulary.js';
import { LOCAL_LETTER, sampleTokens, type SampleToken } from '../../vocabulary/tokens.js';
import { related, type Finding, type GroupContext, type Rule } from '../rule.js';
import { documented } from './docs.js';

/** A word of a page's texts, as the rule reads them (names with `.`, `:`, `@`, `$`, `-` kept whole). */
const WORD = /[\p{L}\p{N}_.:@$-]+/gu;

/**
 * Every word the group's other pages use anywhere (names in samples, code, links, tables, headings,
 * emphasis, titles): a name no page of any revision uses was not written by the source.
 */
function wordsOfOthers(ctx: GroupContext, page: Page): Set<string> {
  const words = new Set<string>();
  for (const other of ctx.group.pages) {
    if (other === page) continue;
    for (const term of pageTerms(other).keys()) words.add(term);
    for (const text of pageTexts(other)) for (const m of text.matchAll(WORD)) words.add(m[0]);
  }
  return words;
}

/**
 * The words of the page's own texts (links, headings, emphasis, tables, title), lower-cased: where a
 * translator's word for a name stands when translation reached into a sample too.
 */
function ownWords(page: Page): Set<string> {
  const words = new Set<string>();
  // Code spans are the older source's names, not translation.
  const code = new Set(page.inlineCode.map((c) => c.value));
  for (const text of pageTexts(page).filter((t) => !code.has(t)))
    for (const m of text.matchAll(WORD)) words.add(m[0].toLowerCase());
  return words;
}

export const sampleDamaged: Rule = {
  meta: documented({ id: 'sample-damaged', severity: 'error', family: 'samples' }),
  check(ctx) {
    const findings: Finding[] = [];
    // Computed once per page, and only for pages with an unexplained name.
    const othersWords = new Map<Page, Set<string>>();
    const ownWordsOf = new Map<Page, Set<string>>();
    const once = (memo: Map<Page, Set<string>>, page: Page, make: (page: Page) => Set<string>) => {
      let words = memo.get(page);
      if (!words) memo.set(page, (words = make(page)));
      return words;
    };
    // The authority: the source locale, else the newest revision (its pages are compared with nothing older).
    const newest = ctx.source ? null : newestCluster(ctx.clusters);
    const newestPage = newest && newest.pages.length === 1 ? newest.pages[0] : undefined;
    for (const aligned of ctx.aligned) {
      for (const [page, sample] of aligned.byPage) {
        if (page === ctx.source || sample.malformed || page === newestPage) continue;
        // With a peer of its own revision, sample-mismatch compares them and blames the outlier.
        const cluster = ctx.clusterOf(page);
        if (cluster && cluster.pages.some((p) => p !== page && p.locale !== page.locale && aligned.byPage.has(p)))
          continue;
        const references = [...aligned.byPage].filter(([p]) => p !== page && p.locale !== page.locale);
        if (references.length === 0) continue;
        const theirs = new Set(references.flatMap(([, s]) => sampleTokens(s).map((t) => t.term)));
        const reference = (ctx.source && aligned.byPage.get(ctx.source)) || references[0]![1];
        // Drift adds and removes names; damage replaces one in place.
        const pairs = replacedPairs(sampleTokens(reference), sampleTokens(sample)).filter(
          ([, t]) => !theirs.has(t.term),
        );
        const unexplained = pairs.map(([, t]) => t);
        if (unexplained.length === 0) continue;
        const referencePage = ctx.source && aligned.byPage.get(ctx.source) ? ctx.source : references[0]![0];
        const words = once(othersWords, page, (p) => wordsOfOthers(ctx, p));
        const seen = new Set<string>();
        for (const token of unexplained) {
          const script = LOCAL_LETTER.test(token.term);
          if (seen.has(token.term) || (!script && words.has(token.term))) continue;
          // A plain name: damage only where the page's own translation uses it as a word.
          if (!script && !once(ownWordsOf, page, ownWords).has(token.term.toLowerCase())) continue;
          seen.add(token.term);
          const original = pairs.find(([, t]) => t === token)![0].term;
          // The same damaged name replacing two names of the newer sample: which one it was cannot be told.
          const meanings = new Set(pairs.filter(([, t]) => t.term === token.term).map(([o]) => o.term));
          findings.push({
            fix:
              meanings.size > 1
                ? {
                    authority: '',
                    edits: [],
                    notFixed: `\`${token.term}\` stands for several names of the newer sample`,
                  }
                : {
                    authority:
                      `${referencePage.locale}${referencePage === ctx.source ? ' (source)' : ''}, ` +
                      "the newer revision (only the damaged name; the older sample's other names stay)",
                    edits: [
                      {
                        kind: 'sample-name',
                        line: sample.line + 1,
                        endLine: sample.endLine - 1,
                        term: token.term,
                        text: original,
                        origin: token.origin,
                      },
                    ],
                  },
            page,
            line: token.line,
            column: token.column,
            sampleId: sample.id,
            message: `sample ${sample.id}: ${describe(token.origin)} \`${token.term}\` ${
              script
                ? "holds words of the locale's script"
                : 'is used by no other locale of this page at any revision, ' +
                  "and is a word of this page's translated text"
            }: translation damage, not drift`,
            related: references.map(([p, s]) => related(p, s.line, `sample ${sample.id} in ${p.locale}`)),
          });
        }
      }
    }
    return findings;
  },
};

function describe(origin: string): string {
  return origin.replace('xml-', '').replace('json-key', 'JSON key').replace('http-header', 'header').replace('-', ' ');
}

/**
 * The tokens of `mine` that replace a token of the same kind in `theirs`, where the two sequences,
 * aligned by their longest common subsequence, differ by a hunk of one-for-one replacements. Longer
 * samples than 3,000 tokens are not aligned (quadratic): nothing is reported for them.
 */
export function replacedTokens(theirs: readonly SampleToken[], mine: readonly SampleToken[]): SampleToken[] {
  return replacedPairs(theirs, mine).map(([, m]) => m);
}

/** replacedTokens, each with the token of `theirs` it replaces. */
export function replacedPairs(
  theirs: readonly SampleToken[],
  mine: readonly SampleToken[],
): (readonly [SampleToken, SampleToken])[] {
  const n = theirs.length;
  const m = mine.length;
  if (n === 0 || m === 0 || n * m > 9_000_000) return [];
  const key = (t: SampleToken) => `${t.origin} ${t.term}`;
  const a = theirs.map(key);
  const b = mine.map(key);
  const out: (readonly [SampleToken, SampleToken])[] = [];
  for (const { aStart, aEnd, bStart, bEnd } of differingRuns(n, m, (i, j) => a[i] === b[j])) {
    // A hunk of as many tokens on each side, kind for kind, is names replaced one for one.
    const size = aEnd - aStart;
    if (size > 0 && size <= 8 && bEnd - bStart === size) {
      const pairs = Array.from({ length: size }, (_, k) => [theirs[aStart + k]!, mine[bStart + k]!] as const);
      if (pairs.every(([t, mineToken]) => t.origin === mineToken.origin)) out.push(...pairs);
    }
  }
  return out;
}
