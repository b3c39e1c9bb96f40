/**
 * What the outline (markdown/fast-outline.ts) does its own way for speed must be what it replaces: its markdown-it's
 * block state makes the line table line by line, which must be markdown-it's own on real pages and on any mix of
 * spaces, tabs and line feeds; the one class that says whether a page holds an odd character must be the two
 * tests it stands for.
 */
import { readFile } from 'node:fs/promises';
import { fc, test } from '@fast-check/vitest';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../src/discover/discover.js';
import { LineScannedBlockState } from '../src/markdown/block-state.js';
import { ODD_CHARACTER } from '../src/markdown/fast-outline.js';
import { repoRoot } from './helpers/paths.js';

const MarkdownItBlockState = new MarkdownIt().block.State;
const lineTable = (state: InstanceType<typeof MarkdownItBlockState>) => ({
  bMarks: state.bMarks,
  eMarks: state.eMarks,
  tShift: state.tShift,
  sCount: state.sCount,
  bsCount: state.bsCount,
  lineMax: state.lineMax,
});
const sameTable = (src: string) => {
  const theirs = new MarkdownItBlockState(src, new MarkdownIt(), {}, []);
  const ours = new (LineScannedBlockState as unknown as typeof MarkdownItBlockState)(src, new MarkdownIt(), {}, []);
  expect(lineTable(ours), JSON.stringify(src.slice(0, 60))).toEqual(lineTable(theirs));
  expect(Object.keys(ours)).toEqual(Object.keys(theirs));
};

describe('the block state line table', () => {
  it.each([
    ['an empty page', ''],
    ['spaces alone, no line feed', '  \t '],
    ['a last line of spaces without a line feed', 'a\n  '],
    ['a last line of text without a line feed', 'a\n  b'],
    ['a line of spaces before its line feed', '   \n'],
    ['tabs after spaces', ' \t\ta\n\t b\n'],
    ['blank lines', '\n\n\n'],
    ['a trailing space on the last line', 'ab '],
  ])('%s', (_name, src) => sameTable(src));

  it('is markdown-it’s on every page of docs/ and fixtures/', async () => {
    const { files } = await discoverFiles(['docs', 'fixtures'], { cwd: repoRoot });
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) sameTable(await readFile(file.absPath, 'utf8'));
  });

  test.prop([fc.stringMatching(/^[ \t\na-]*$/, { maxLength: 40 })], { numRuns: 2000 })(
    'is markdown-it’s on any mix of spaces, tabs, line feeds and text',
    (src) => sameTable(src),
  );
});

describe('the odd character class', () => {
  it('matches what a control character or Unicode whitespace other than space, tab and line feed matches', () => {
    // eslint-disable-next-line no-control-regex
    const control = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/;
    const unicodeSpace = /[^\S \t\n]/;
    let odd = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      const expected = control.test(character) || unicodeSpace.test(character);
      if (ODD_CHARACTER.test(character) !== expected) expect.fail(`U+${code.toString(16)}: expected ${expected}`);
      if (expected) odd++;
    }
    expect(odd).toBe(49);
  });
});
