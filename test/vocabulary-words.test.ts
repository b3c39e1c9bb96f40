/** standsAsWord replaces a pattern compiled per identifier: it must match exactly what the pattern matched. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPages } from '../src/group/load.js';
import type { Sample } from '../src/sample/sample.js';
import { sampleTerms, sampleTokens, standsAsWord } from '../src/vocabulary/tokens.js';
import { repoRoot } from './helpers/paths.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SUFFIXES = ['s', 'es', "'s", '’s'];
const viaPattern = (text: string, word: string, suffixes: string[]) =>
  new RegExp(`(?<![\\w])${escape(word)}(?:${suffixes.map(escape).join('|')})?(?![\\w])`).test(text);

describe('standsAsWord', () => {
  it('finds names whole, with a plural or possessive, and not inside longer words', () => {
    expect(standsAsWord('the **Subject** element', 'Subject')).toBe(true);
    expect(standsAsWord('SubjectLine', 'Subject')).toBe(false);
    expect(standsAsWord('the DriveItems of a drive', 'DriveItem', SUFFIXES)).toBe(true);
    expect(standsAsWord("the user's mailbox", 'user', SUFFIXES)).toBe(true);
    expect(standsAsWord('NO_FLAGS', 'NO')).toBe(false);
    expect(standsAsWord('x@odata.type', '@odata.type')).toBe(false);
    expect(standsAsWord('', 'a')).toBe(false);
  });

  it('agrees with the pattern it replaces on any text', () => {
    // Texts over a small alphabet, so that words, boundaries and suffixes meet often.
    const text = fc.string({
      unit: fc.constantFrom('a', 'b', 's', 'e', '_', '1', ' ', "'", '’', '.', '@', '-'),
      maxLength: 24,
    });
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 's', 'e', '_', '.', '@'), minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(text, word, fc.boolean(), (t, w, withSuffixes) => {
        const suffixes = withSuffixes ? SUFFIXES : [];
        expect(standsAsWord(t, w, suffixes)).toBe(viaPattern(t, w, suffixes));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('sampleTerms', () => {
  it("gives each sample's names and origins as sampleTokens does, once per parse the locales share", async () => {
    const { pages } = await loadPages(['docs'], { cwd: repoRoot });
    const samples = pages.flatMap((p) => p.samples);
    expect(samples.length).toBeGreaterThan(50);
    for (const sample of samples)
      expect(sampleTerms(sample)).toEqual(sampleTokens(sample).map(({ term, origin }) => ({ term, origin })));
    // Pages of a group showing the same text share its parse, and with it one list of terms.
    const byText = new Map<string, Sample>();
    let shared = 0;
    for (const sample of samples.filter((s) => s.kind === 'json' || s.kind === 'xml')) {
      const seen = byText.get(sample.text);
      if (seen && parseOf(seen) === parseOf(sample)) {
        expect(sampleTerms(sample)).toBe(sampleTerms(seen));
        shared++;
      } else byText.set(sample.text, sample);
    }
    expect(shared).toBeGreaterThan(0);
  });
});

const parseOf = (s: Sample): unknown => (s.kind === 'json' ? s.json : s.kind === 'xml' ? s.xml : null);
