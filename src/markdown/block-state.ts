/**
 * The block state markdown/fast-outline.ts gives its markdown-it, in a module of its own: its signature names
 * markdown-it's types, which come from @types/markdown-it, a development dependency that a program installing
 * lockstep does not get, so no declaration lockstep exports may import this one (test/declarations.test.ts).
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

// The class markdown-it's block parsers make their state with (ParserBlock's prototype holds it).
const BaseBlockState = new MarkdownIt('zero').block.State;
/**
 * markdown-it's block state with its line table made line by line: the indentation read character by character, the
 * rest of the line skipped with `indexOf` (markdown-it's constructor looks at every character of the page: 2.6 times
 * as long over Graph's pages). The same table: a last line of spaces and tabs alone, without a line feed, is left
 * out as markdown-it leaves it out (test/markdown-state.test.ts holds both equal).
 */
export function LineScannedBlockState(
  this: InstanceType<typeof BaseBlockState>,
  src: string,
  md: MarkdownIt,
  env: unknown,
  tokens: Token[],
): void {
  // The fields in the order markdown-it's constructor sets them (one object shape for both).
  this.src = src;
  this.md = md;
  this.env = env;
  this.tokens = tokens;
  const bMarks: number[] = (this.bMarks = []);
  const eMarks: number[] = (this.eMarks = []);
  const tShift: number[] = (this.tShift = []);
  const sCount: number[] = (this.sCount = []);
  const bsCount: number[] = (this.bsCount = []);
  this.blkIndent = 0;
  this.line = 0;
  this.lineMax = 0;
  this.tight = false;
  this.ddIndent = -1;
  this.listIndent = -1;
  this.parentType = 'root';
  this.level = 0;
  const length = src.length;
  for (let start = 0; start < length;) {
    let at = start;
    let columns = 0; // tabs to the next multiple of 4
    for (; at < length; at++) {
      const code = src.charCodeAt(at);
      if (code === 0x20) columns++;
      else if (code === 0x09) columns += 4 - (columns % 4);
      else break;
    }
    if (at === length) break;
    const lineFeed = src.indexOf('\n', at);
    const end = lineFeed === -1 ? length : lineFeed;
    bMarks.push(start);
    eMarks.push(end);
    tShift.push(at - start);
    sCount.push(columns);
    bsCount.push(0);
    start = end + 1;
  }
  bMarks.push(length);
  eMarks.push(length);
  tShift.push(0);
  sCount.push(0);
  bsCount.push(0);
  this.lineMax = bMarks.length - 1; // the last line pushed is past the end
}
LineScannedBlockState.prototype = BaseBlockState.prototype;
