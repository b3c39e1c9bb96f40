/** standsAsWord replaces a pattern compiled per identifier: it must match exactly what the pattern matched. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standsAsWord } from '../src/vocabulary/tokens.js';

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
