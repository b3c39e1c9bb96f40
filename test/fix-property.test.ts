/**
 * A fast-check property of the repair: a random damage to a sample or an identifier in one locale of
 * a three-locale group is repaired to the original, byte for byte, and the other locales are untouched.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { repairTexts } from '../src/fix/memory.js';
import { examplePage, soapRequest } from '../src/lint/examples.js';

const LOCALES = ['pt-BR', 'ru-RU', 'zh-CN'] as const;
const CALL_ID = 'MDlkZjllNjJjYjE2';
const SEE: Record<string, [string, string]> = {
  'pt-BR': ['Veja', 'e'],
  'ru-RU': ['См.', 'и'],
  'zh-CN': ['请参阅', '和'],
};
const body = (locale: string) =>
  `${soapRequest(CALL_ID)}\n${SEE[locale]![0]} [lineDrop](/windows/win32/api/tapi/nf-tapi-linedrop) ` +
  `${SEE[locale]![1]} ` +
  '[ITBasicCallControl::Disconnect](/windows/desktop/api/tapi3if/nf-tapi3if-itbasiccallcontrol-disconnect).\n';
const originals = Object.fromEntries(LOCALES.map((l) => [`docs/${l}/page.md`, examplePage(l, body(l))]));

/** A damage: a function of the page text that changes it. */
const damage = fc.oneof(
  // A sample value: one character of the call id replaced.
  fc
    .tuple(fc.nat({ max: CALL_ID.length - 1 }), fc.constantFrom(...'abcXYZ0189'))
    .filter(([i, c]) => CALL_ID[i] !== c)
    .map(
      ([i, c]) =>
        (t: string) =>
          t.replace(CALL_ID, CALL_ID.slice(0, i) + c + CALL_ID.slice(i + 1)),
    ),
  // An identifier in a link text re-cased.
  fc
    .array(fc.boolean(), { minLength: 8, maxLength: 8 })
    .map((flips) =>
      [...'lineDrop']
        .map((ch, i) => (flips[i] ? (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) : ch))
        .join(''),
    )
    .filter((word) => word !== 'lineDrop')
    .map((word) => (t: string) => t.replace('[lineDrop]', `[${word}]`)),
  // An identifier transliterated or split by translation.
  fc.constantFrom(
    (t: string) => t.replace('[lineDrop]', '[линедроп]'),
    (t: string) => t.replace('[ITBasicCallControl::Disconnect]', '[ITBasicCallControl::D isconnect]'),
  ),
  // A heading anchor translated.
  fc
    .stringMatching(/^[a-z][a-z-]{2,20}$/)
    .filter((a) => a !== 'disconnect-request-example')
    .map((anchor) => (t: string) => t.replace('name="disconnect-request-example"', `name="${anchor}"`)),
);

describe('lint --fix', () => {
  test.prop([fc.constantFrom(...LOCALES), damage], {
    numRuns: Number(process.env.FIX_PROPERTY_RUNS ?? 60),
    ...(process.env.FIX_PROPERTY_SEED === 'random' ? {} : { seed: 25 }),
  })('repairs a random damage in one locale of three to the original', (locale, hurt) => {
    const file = `docs/${locale}/page.md`;
    const damaged = { ...originals, [file]: hurt(originals[file]!) };
    expect(damaged[file]).not.toBe(originals[file]);
    const repaired = repairTexts(damaged);
    expect(repaired.texts).toEqual(originals);
  });
});
