/**
 * The outline of a page from markdown-it's tokens: the mdast nodes `pageStructure` reads, with
 * remark-gfm's values and start positions, for a fraction of remark-gfm's parse.
 *
 * Why: micromark's tokenizer is most of a lint run's CPU, and markdown-it tokenizes these pages
 * about 18 times faster (CommonMark with GFM tables; scripts/bench measures both). Both follow the
 * CommonMark spec, so they agree on what is a heading, a fence, a link, a code span. They differ in
 * what each one reports: markdown-it gives block lines but no columns and no positions inside a
 * paragraph, and it leaves out reference definitions. This module locates what `pageStructure`
 * reads (the start of headings, HTML, fences and quotes, the end of fences, the start of links and
 * code spans) in the page's own lines, from the offsets markdown-it's inline parser is at when it
 * makes a link, a code span or a text token. GFM's autolink literals, which markdown-it does not
 * read, are found in the text as remark-gfm finds them (markdown/literal-autolink.ts).
 *
 * Wherever it cannot be sure of giving what remark-gfm gives, it returns null and the caller takes
 * remark-gfm's tree: footnotes, strikethrough and two runs of `~` in a block (GFM's single-tilde
 * strikethrough), unterminated fences, escaped pipes in tables, tabs or Unicode spaces where one
 * parser trims and the other keeps them (but at a table cell's edge, which is read again), a tab before
 * a line break, a code span over lines, an autolink literal running into markup, a carriage return
 * not followed by a line feed or mixed line endings (a CR LF page is outlined as outlineOfCrlf says),
 * deep nesting (markdown-it drops content past `maxNesting`), and any token it does not know.
 * test/parse-differential.test.ts and scripts/verify-fast-parse.mjs compare the page structure of
 * this outline with remark-gfm's.
 */
import MarkdownIt from 'markdown-it';
import type { Options, Token, StateInline } from 'markdown-it';
import type { Root } from 'mdast';
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import { decodeNumericCharacterReference } from 'micromark-util-decode-numeric-character-reference';
import { LineScannedBlockState } from './block-state.js';
import { isAddressCharacter, literalAt, type LiteralAutolink } from './literal-autolink.js';
import { lineFeeds } from '../util/text.js';

/** Where a node starts (mdast's points carry more). */
interface Point {
  line: number;
  column: number;
  offset: number;
}

/** A node of the outline: an mdast node with only the fields `pageStructure` reads. */
export interface OutlineNode {
  type: string;
  children?: OutlineNode[];
  value?: string;
  position?: { start: Point; end: Point | undefined };
  depth?: number;
  url?: string;
  lang?: string | null;
  meta?: string | null;
  alt?: string | null;
  label?: string | null;
  identifier?: string;
}

const MAX_NESTING = 100;
// markdown-it 14: its 15 (transpiled class fields) tokenizes these pages about half as fast.
// `maxNesting` is a real option that @types/markdown-it does not list.
const markdownIt = new MarkdownIt('commonmark', { html: true, maxNesting: MAX_NESTING } as Options).enable([
  'table',
  'strikethrough',
]);
markdownIt.block.State = LineScannedBlockState as unknown as typeof markdownIt.block.State;
// Pages reach markdown-it without a CR (outlineOfCrlf takes a CR LF page's out) or a NUL: nothing is left to normalize.
markdownIt.core.ruler.disable('normalize');
// mdast keeps a destination as written (escapes and character references decoded, nothing
// percent-encoded) and links every scheme; markdown-it's defaults encode and refuse `javascript:`.
markdownIt.normalizeLink = (url: string) => url;
markdownIt.normalizeLinkText = (text: string) => text;
markdownIt.validateLink = () => true;

/** A backslash escape or a character reference, as micromark reads them in a destination. */
const ESCAPE_OR_REFERENCE = /\\([!-/:-@[-`{-~])|&(#(?:\d{1,7}|x[\da-f]{1,6})|[\da-z]{1,31});/gi;
/**
 * A destination decoded as mdast-util-from-markdown decodes it (micromark-util-decode-string):
 * markdown-it keeps a reference to an invalid code point as written (`&#xD800;`), where micromark
 * reads U+FFFD.
 */
function decodeDestination(raw: string): string {
  return raw.replace(ESCAPE_OR_REFERENCE, (all: string, escaped: string | undefined, reference: string) => {
    if (escaped) return escaped;
    if (reference.charCodeAt(0) !== 35) return decodeNamedCharacterReference(reference) || all;
    const hex = reference.charCodeAt(1) === 120 || reference.charCodeAt(1) === 88;
    return decodeNumericCharacterReference(reference.slice(hex ? 2 : 1), hex ? 16 : 10);
  });
}
/**
 * markdown-it's link helpers where micromark reads otherwise, so that both see the same links. A
 * title in parentheses may hold an unescaped `(` to micromark (micromark-factory-title), not to
 * markdown-it: `[a](b ((c))` is a link to micromark only.
 */
const baseHelpers = markdownIt.helpers;
(markdownIt as { helpers: typeof baseHelpers }).helpers = {
  ...baseHelpers,
  parseLinkDestination(str: string, start: number, max: number) {
    const result = baseHelpers.parseLinkDestination(str, start, max);
    if (result.ok) {
      const angled = str.charCodeAt(start) === 0x3c;
      result.str = decodeDestination(str.slice(angled ? start + 1 : start, angled ? result.pos - 1 : result.pos));
      lastDestination = result.str;
    }
    return result;
  },
  parseLinkTitle(str: string, start: number, max: number, previous?: ReturnType<typeof baseHelpers.parseLinkTitle>) {
    if (previous || str.charCodeAt(start) !== 0x28) return baseHelpers.parseLinkTitle(str, start, max, previous);
    // Titles are not kept: only where one ends matters.
    for (let pos = start + 1; pos < max; pos++) {
      const code = str.charCodeAt(pos);
      if (code === 0x29) return { ok: true, can_continue: false, pos: pos + 1, str: '', marker: 0x29 };
      if (code === 0x5c) pos++;
    }
    return { ok: false, can_continue: false, pos: 0, str: '', marker: 0 };
  },
};

/**
 * Reference definitions and the links they make. markdown-it keeps a definition in its `env`, with
 * no token, and resolves a reference link into a link like any other; mdast has a `definition`
 * node where the definition stands and a `linkReference` (or `imageReference`) with no URL. So
 * the block rule that reads a definition leaves a `definition` token behind it, and the inline
 * rules mark the links and images they made from a reference: those end with `]`, where an
 * inline link or image ends with `)`.
 */
const fromReference = new WeakSet<Token>();
/** The destination the reference rule read last (it reads one per definition, through the helpers). */
let lastDestination = '';
/** A rule as markdown-it registered it (`Ruler` lists its rules' functions only by chain). */
function ruleNamed<F>(ruler: unknown, name: string): F {
  const rule = (ruler as { __rules__: { name: string; fn: F }[] }).__rules__.find((r) => r.name === name);
  if (!rule) throw new Error(`markdown-it has no ${name} rule`);
  return rule.fn;
}
type BlockRule = Parameters<typeof markdownIt.block.ruler.at>[1];
type InlineRule = Parameters<typeof markdownIt.inline.ruler.at>[1];
const readDefinition = ruleNamed<BlockRule>(markdownIt.block.ruler, 'reference');
markdownIt.block.ruler.at('reference', (state, startLine, endLine, silent) => {
  if (!readDefinition(state, startLine, endLine, silent)) return false;
  if (silent) return true;
  // One definition on one line, its label free of escapes, is located and read exactly; others are
  // rare. So is text right after a definition (a paragraph there may be a setext heading's text to
  // micromark): a definition is followed by a blank line, the end, or another definition.
  if (state.line !== startLine + 1) notSure();
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const labelEnd = state.src.indexOf(']:', start);
  if (state.src.lastIndexOf('\\', labelEnd) > start) notSure();
  const token = state.push('definition', '', 0);
  token.map = [startLine, state.line];
  token.meta = { url: lastDestination, label: state.src.slice(start + 1, labelEnd) };
  const next = state.line;
  if (next < state.lineMax && !state.isEmpty(next) && !readDefinition(state, next, endLine, true)) notSure();
  return true;
});
for (const name of ['link', 'image']) {
  const rule = ruleNamed<InlineRule>(markdownIt.inline.ruler, name);
  markdownIt.inline.ruler.at(name, (state, silent) => {
    const pushed = state.tokens.length;
    // A link's first push (link_open) stands just after its `[`: the text before it ends at the `[`.
    // Silent tries (scanning a label) push nothing and leave the caller's setting as it was.
    const outer = flushBack;
    if (!silent) flushBack = name === 'link' ? 1 : 0;
    let made: boolean;
    try {
      made = rule(state, silent);
    } finally {
      flushBack = silent ? outer : 0;
    }
    // `[r](` with nothing after the `(`: markdown-it makes nothing of it, micromark a shortcut reference where `r`
    // is defined, in some places (a table cell) and not in others.
    if (!made) {
      UNCLOSED_RESOURCE.lastIndex = state.pos;
      if (!silent && state.env.references && UNCLOSED_RESOURCE.test(state.src)) notSure();
      return false;
    }
    // A link whose label holds an image that holds a link: markdown-it looks for a link in a link's label where a `[`
    // starts a token only, and an image's starts at its `!`; to micromark the inner link made every `[` before it
    // text (`[![[a](u)](v)](w)` has no link to `w`).
    if (!silent && name === 'link')
      for (let k = pushed; k < state.tokens.length; k++)
        if (state.tokens[k]!.type === 'image' && holdsLink(state.tokens[k]!.children)) notSure();
    if (!silent && state.src.charCodeAt(state.pos - 1) === 0x5d) {
      const made = state.tokens.slice(pushed).find((t) => t.type === 'link_open' || t.type === 'image');
      if (made) fromReference.add(made);
      // A shortcut reference right before a `[` that opens no label (`[r][`): markdown-it keeps the link,
      // micromark reads a full reference that fails, and makes no link in some places (a heading, emphasis).
      if (made && state.src.charCodeAt(state.pos) === 0x5b) notSure();
    }
    return true;
  });
}

/**
 * Code spans: a run of backticks closes at the next run of exactly as many (CommonMark 6.1), within the content
 * being read. markdown-it's own rule remembers, as it scans, the last place it saw a run of each length, and trusts
 * that memory where it no longer holds: after a link's label is scanned and then read again from its start
 * (`[a \`b\` c \` d](u)`), or after a shorter scan wrote an earlier run over a later one
 * (`\`\`\` \` a \`\` b \` c \`\` d \`\` e`), a code span reads as text. Here each inline content's runs are
 * listed once, by length, and the closer is looked up.
 */
const backtickRuns = new WeakMap<StateInline, Map<number, number[]>>();
const NO_RUNS: readonly number[] = [];
/** Code spans whose text, as written, holds a line ending (mdast keeps it; markdown-it's content has a space). */
const spansLines = new WeakSet<Token>();
function runsByLength(src: string): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (let at = src.indexOf('`'); at !== -1;) {
    let end = at + 1;
    while (src.charCodeAt(end) === 0x60) end++;
    const starts = runs.get(end - at);
    if (starts) starts.push(at);
    else runs.set(end - at, [at]);
    at = src.indexOf('`', end);
  }
  return runs;
}
markdownIt.inline.ruler.at('backticks', (state, silent) => {
  const { src, posMax: max } = state;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x60) return false;
  let pos = start + 1;
  while (pos < max && src.charCodeAt(pos) === 0x60) pos++;
  const length = pos - start;
  let runs = backtickRuns.get(state);
  if (runs === undefined) backtickRuns.set(state, (runs = runsByLength(src)));
  // The first run of this length at or after `pos` (a run found there starts after a character that is no backtick).
  const starts = runs.get(length) ?? NO_RUNS;
  let low = 0;
  for (let high = starts.length; low < high;) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! < pos) low = middle + 1;
    else high = middle;
  }
  const closer = starts[low];
  if (closer === undefined || closer + length > max) {
    if (!silent) state.pending += src.slice(start, pos);
    state.pos = pos;
    return true;
  }
  if (!silent) {
    const token = state.push('code_inline', 'code', 0);
    token.markup = src.slice(start, pos);
    const raw = src.slice(pos, closer);
    if (raw.includes('\n')) spansLines.add(token);
    // As markdown-it's rule: line endings read as spaces, one space stripped from each side of other characters.
    token.content = raw.replace(/\n/g, ' ').replace(/^ (.+) $/, '$1');
  }
  state.pos = closer + length;
  return true;
});

/** Whether inline tokens (an image's description) hold a link, at any depth. */
function holdsLink(tokens: readonly Token[] | null): boolean {
  return tokens?.some((t) => t.type === 'link_open' || (t.type === 'image' && holdsLink(t.children))) ?? false;
}
/** A line that holds a list item's marker and nothing after it (quote markers and indentation before it). */
const EMPTY_ITEM_LINE = /^[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]*$/;
/** A label of whitespace alone, other than spaces and tabs among it, before a `:`. */
const BLANK_LABEL_DEFINITION = /\[[^\S\n]*[^\S \t\n][^\S\n]*\]:/;
/** `www.` ending the content: a literal (`www`) to micromark when spaces follow on the line, none at its end. */
const WWW_AT_END = /www\.$/i;
/** A label and a `(` with only whitespace after it to the end of the inline content. */
const UNCLOSED_RESOURCE = /!?\[[^\]]*\]\([ \t\n]*$/y;

/**
 * Where the inline parser stood when it made a link or a code span: an offset in the inline content, kept in the
 * token's `meta`, which markdown-it leaves null on both (a WeakMap entry per token: 34 MB of the 3.9 GB that linting
 * Graph's v1.0 `api` pages allocates).
 */
const inlineOffset = (token: Token): number => token.meta as number;
/** The delimiter run being pushed (emphasis delimiters are pushed one character each): its start, count, next token. */
const run: { tokens: Token[] | null; pos: number; index: number; next: number } = {
  tokens: null,
  pos: -1,
  index: 0,
  next: -1,
};
const BaseInlineState = markdownIt.inline.State;
class PositionedInlineState extends BaseInlineState {
  /** A run of `*` or `_` can both open and close emphasis (set by scanDelims). */
  bothWays = false;
  override pushPending(): Token {
    const token = super.pushPending();
    (token as { meta: unknown }).meta = pendingStart(this.src, this.pos - flushBack, token.content.length);
    return token;
  }
  override push(type: string, tag: string, nesting: -1 | 0 | 1): Token {
    const token = super.push(type, tag, nesting);
    flushBack = 0;
    // link_open: the parser stands just after `[` (or on the `<` of an autolink); code_inline: on the first backtick.
    if (type === 'link_open' || type === 'code_inline') (token as { meta: unknown }).meta = this.pos;
    // An emphasis delimiter run pushes one text token per character, all while the parser stands on
    // the run's first: the n-th is at pos + n. The rule pairing delimiters later turns some into
    // em_open / strong_open in place, so the offset stays on the token.
    // The offset goes in the token's `meta`, which markdown-it leaves null on text tokens (a WeakMap
    // entry per delimiter cost a tenth of the parse).
    if (type === 'text') {
      // The same token list too: a run never continues from the previous inline parse.
      const inRun = this.tokens === run.tokens && this.pos === run.pos && this.tokens.length - 1 === run.next;
      run.index = inRun ? run.index + 1 : 0;
      run.tokens = this.tokens;
      run.pos = this.pos;
      run.next = this.tokens.length;
      (token as { meta: unknown }).meta = this.pos + run.index;
    }
    // An escape or a character reference: the parser stands on its `\` or `&`.
    if (type === 'text_special') (token as { meta: unknown }).meta = this.pos;
    return token;
  }
}
markdownIt.inline.State = PositionedInlineState as unknown as typeof StateInline;

const EMPHASIS_TAGS = new Set(['em_open', 'em_close', 'strong_open', 'strong_close']);
/**
 * Whether a run of `*` or `_` went to two pairs of emphasis, or partly to one: the rule of 3 (no
 * pair of a run that can both open and close whose lengths sum to a multiple of 3) then reads, in
 * markdown-it, the run's length as written and in micromark what is left of it (`**a*|*|**b**`,
 * `\**a***b*`). A caller rules that out only where a run can both open and close.
 */
function splitsARun(tokens: readonly Token[]): boolean {
  let pairs = 0;
  let unpaired = 0;
  let next = -1;
  for (const token of tokens) {
    const offset = token.meta;
    const tag = EMPHASIS_TAGS.has(token.type);
    const text = token.type === 'text';
    const unpairedDelimiter = text && (token.content === '*' || token.content === '_');
    // A `**` pair keeps its second delimiter as emptied text.
    if (!(tag || unpairedDelimiter || (text && token.content === '')) || typeof offset !== 'number') {
      next = -1;
      continue;
    }
    if (offset !== next) pairs = unpaired = 0;
    if (tag) pairs++;
    else if (unpairedDelimiter) unpaired++;
    if (pairs >= 2 || (pairs >= 1 && unpaired >= 1)) return true;
    next = offset + 1;
  }
  return false;
}

/** How far before the parser's position pending text ends when the next push flushes it. */
let flushBack = 0;
/**
 * Where pending text starts in the inline content, or -1: a guess the caller verifies (the
 * outline compares the text with the content where its literals are looked for). Pending text is
 * a slice of the content as written (escapes and references are tokens of their own), flushed by
 * the push of the next token: with the parser at the text's end, just after the `[` of a link, or
 * at a line ending, before which the line break rule cut the trailing spaces off.
 */
function pendingStart(src: string, end: number, length: number): number {
  let at = end;
  if (src.charCodeAt(at) === 0x0a) while (at > 0 && src.charCodeAt(at - 1) === 0x20) at--;
  return at >= length ? at - length : -1;
}

/**
 * Text tokens that fragments_join will run together (pending text and unpaired delimiters) keep
 * the start of the first in `meta` when they stand next to each other in the content, else -1:
 * what the autolink literals of the outline read.
 */
markdownIt.inline.ruler2.before('fragments_join', 'text_starts', (state) => {
  const tokens = state.tokens;
  let inRun = false;
  let runStart = -1;
  let next = -1;
  for (const token of tokens) {
    if (token.type !== 'text') {
      inRun = false;
      continue;
    }
    // The emptied second delimiter of a `**` pair adds nothing to the text it is joined to.
    if (token.content === '') {
      if (inRun) (token as { meta: unknown }).meta = runStart;
      continue;
    }
    const own = typeof token.meta === 'number' ? (token.meta as number) : -1;
    if (inRun) {
      runStart = runStart >= 0 && own >= 0 && own === next ? runStart : -1;
      (token as { meta: unknown }).meta = runStart;
    } else runStart = own;
    inRun = true;
    next = own >= 0 ? own + token.content.length : -1;
  }
  return false;
});
// After emphasis is paired: the rule of 3 read differently (splitsARun) sends the page to the tree.
markdownIt.inline.ruler2.after('emphasis', 'rule_of_three', (state) => {
  if ((state as PositionedInlineState).bothWays && splitsARun(state.tokens)) notSure();
  return false;
});
// Escapes and character references stay tokens of their own (text_special): the text around them
// is then known to stand as written.
markdownIt.core.ruler.disable('text_join');

/**
 * Whether a run of `*` or `_` can open or close emphasis, decided as micromark decides it
 * (micromark-core-commonmark's attention with micromark-util-classify-character): whitespace is
 * what JavaScript's `\s` matches (U+FEFF too, not to markdown-it), punctuation `\p{P}` or `\p{S}`,
 * both tested on UTF-16 code units (an astral symbol is neither to micromark), and a run before
 * or after a `~` (an attention marker of GFM's strikethrough) may open or close; before or after a
 * `*` or `_` (escaped, or a run of the other marker), only by the flanking rules.
 */
function scanDelimsAsMicromark(
  this: StateInline,
  start: number,
): { can_open: boolean; can_close: boolean; length: number } {
  const src = this.src;
  const marker = src.charCodeAt(start);
  let end = start;
  while (end < this.posMax && src.charCodeAt(end) === marker) end++;
  const previous = start > 0 ? src.charCodeAt(start - 1) : null;
  const next = end < src.length ? src.charCodeAt(end) : null;
  const before = classify(previous);
  const after = classify(next);
  const open = !after || (after === 2 && before !== undefined) || next === 0x7e;
  const close = !before || (before === 2 && after !== undefined) || previous === 0x7e;
  const canOpen = marker === 0x2a ? open : open && (before !== undefined || !close);
  const canClose = marker === 0x2a ? close : close && (after !== undefined || !open);
  if (canOpen && canClose) (this as PositionedInlineState).bothWays = true;
  return { can_open: canOpen, can_close: canClose, length: end - start };
}
/** micromark's character groups: 1 whitespace (or no character), 2 punctuation, else undefined. */
function classify(code: number | null): 1 | 2 | undefined {
  if (code === null) return 1;
  const char = String.fromCharCode(code);
  if (/\s/.test(char)) return 1;
  if (/\p{P}|\p{S}/u.test(char)) return 2;
  return undefined;
}
(PositionedInlineState.prototype as unknown as { scanDelims: typeof scanDelimsAsMicromark }).scanDelims =
  scanDelimsAsMicromark;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** A line after the first that is a table's delimiter row, with pipes or not (the line alone in group 1). */
const DELIMITER_ROWS_BELOW = /\n([ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*)(?=\n|$)/g;
/** A line that is a table's delimiter row (past quote markers), with pipes or not. */
const DELIMITER_ROW_LINE = /^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * Whether micromark may read a table in a paragraph's or setext heading's text that markdown-it did
 * not: a line over a delimiter row with as many cells (`a` over `---|` or `:--`: markdown-it wants a
 * pipe in both, GFM in neither). GFM makes no table where the counts differ
 * (micromark-extension-gfm-table checks them), so neither parser does; a backslash in the header may
 * escape a pipe, which the count here does not follow.
 */
function mayHoldTable(content: string): boolean {
  if (!content.includes('-')) return false;
  DELIMITER_ROWS_BELOW.lastIndex = 0;
  for (let m; (m = DELIMITER_ROWS_BELOW.exec(content)); DELIMITER_ROWS_BELOW.lastIndex = m.index + 1) {
    const header = content.slice(content.lastIndexOf('\n', m.index - 1) + 1, m.index);
    if (header.includes('\\') || countCells(header) === countCells(m[1]!)) return true;
  }
  return false;
}

/**
 * Whether GFM may read strikethrough in an inline's text, single tildes included, which markdown-it
 * does not: that takes two runs of tildes (an opening and a closing one), or a run of three or more,
 * which markdown-it may pair within itself. A lone `~` or `~~` is text to both.
 */
function mayStrike(content: string): boolean {
  const first = content.indexOf('~');
  if (first < 0) return false;
  let end = first + 1;
  while (content.charCodeAt(end) === 0x7e) end++;
  return end - first > 2 || content.includes('~', end);
}

/** An attribute value without quotes that holds a `/`. */
const UNQUOTED_VALUE_WITH_SLASH = /=[ \t\n]*[^"'=<>`\s/]*\//;

/** Whitespace JavaScript's trim() removes that CommonMark does not (it trims spaces and tabs only). */
const UNICODE_SPACE = /[^\S \t\n]/;
/**
 * A control character (CONTROL_CHARACTER) or such whitespace (UNICODE_SPACE), as one class: JavaScript's `\s` without
 * space, tab and line feed is U+000B-U+000D, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000
 * and U+FEFF. Asked of every page; one class scans it in two thirds of the time the two took as alternatives
 * (test/markdown-state.test.ts holds it equal to them on every UTF-16 code unit).
 */
// eslint-disable-next-line no-control-regex
export const ODD_CHARACTER = /[\x01-\x08\x0b-\x1f\x7f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
/**
 * Whether HTML reads as a tag to both parsers alike: markdown-it's tag patterns take any `\s` for
 * the whitespace between a tag's name and attributes, micromark only spaces, tabs and line endings
 * (`<a\u00a0name="x">` is text to it). A comment, processing instruction or declaration holds any.
 */
function isTagWhitespaceAlike(html: string): boolean {
  return !UNICODE_SPACE.test(html) || /^[ \t>]*<(?:!--|\?|!\[CDATA\[|![A-Za-z])/.test(html);
}
/**
 * Where a table cell's content `line[start, end)` as markdown-it's trim() cut it starts and ends to
 * GFM, which cuts spaces and tabs only: a no-break or ideographic space at a cell's edge is text.
 */
function gfmCellContent(line: string, start: number, end: number): { from: number; to: number } {
  let from = start;
  while (from > 0 && /\s/.test(line[from - 1]!)) from--;
  while (from < start && (line[from] === ' ' || line[from] === '\t')) from++;
  let to = end;
  while (to < line.length && /\s/.test(line[to]!)) to++;
  while (to > end && (line[to - 1] === ' ' || line[to - 1] === '\t')) to--;
  return { from, to };
}

/**
 * Requires that the whitespace around `line[start, end)` be spaces and tabs only: markdown-it's
 * trim() cut it, where micromark cuts spaces and tabs but keeps other whitespace as text.
 */
function assertPlainEdges(line: string, start: number, end: number): void {
  for (let k = start - 1; k >= 0 && /\s/.test(line[k]!); k--) if (UNICODE_SPACE.test(line[k]!)) notSure();
  for (let k = end; k < line.length && /\s/.test(line[k]!); k++) if (UNICODE_SPACE.test(line[k]!)) notSure();
}

/** A line with a pipe that starts (past container markers and indentation) or ends with a Unicode space. */
const UNICODE_SPACE_AT_PIPE_LINE_EDGE =
  /^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)*[^\S \t\n][^\n]*\||\|[^\n]*[^\S \t\n][ \t]*$/m;

/** A line of whitespace (past quote markers) that holds a Unicode space. */
const UNICODE_SPACE_LINE = /^[ \t>]*[^\S \t\n][^\S\n]*$/m;

/**
 * Lines that start with container markers (quotes, list items) the two parsers read apart, each said
 * where parseFastOutline tests for it. Sticky: tried only at the start of such a line (see below).
 */
const CONTAINER_LINE_APART = new RegExp(
  [
    // Markers followed by a tab, after spaces or none.
    String.raw`[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])[ \t]*)*(?:>|[-+*]|\d{1,9}[.)]) *\t`,
    // A quote line followed by one whose `>` is indented four columns or more.
    String.raw`|[ \t]*>[^\n]*\n(?: {4,}|[ ]{0,3}\t)[ \t]*>`,
    // Markers that end in a list marker with nothing after it.
    String.raw`|[ \t]*(?:>[ \t]*|(?:[-+*]|\d{1,9}[.)])[ \t]+)+(?:[-+*]|\d{1,9}[.)])[ \t]*$`,
  ].join(''),
  'my',
);

/**
 * Whether a line of `markdown` matches CONTAINER_LINE_APART. Only lines whose first character past
 * spaces and tabs is a marker can: the pattern is tried there alone, not at every position as a
 * multiline `^` is (which cost 1.3 s of a 63 s run over Graph). A line starts after a line feed
 * only: the multiline `^` also started one after U+2028 and U+2029, which end no line to either
 * parser (pages holding one that were sent to the tree for it are outlined now).
 */
function containerLineApart(markdown: string): boolean {
  for (let start = 0; start < markdown.length;) {
    let k = start;
    let c = markdown.charCodeAt(k);
    while (c === 0x20 || c === 0x09) c = markdown.charCodeAt(++k);
    // `>`, `-`, `+`, `*`, a digit
    if (c === 0x3e || c === 0x2d || c === 0x2b || c === 0x2a || (c >= 0x30 && c <= 0x39)) {
      CONTAINER_LINE_APART.lastIndex = start;
      if (CONTAINER_LINE_APART.test(markdown)) return true;
    }
    const end = markdown.indexOf('\n', k);
    if (end === -1) break;
    start = end + 1;
  }
  return false;
}

/** Bail out of the whole page: the caller takes remark-gfm's tree. */
class NotSure extends Error {}
const notSure = (): never => {
  throw new NotSure();
};

/** The text's lines: where each starts, and its text without the line ending; points placed in the page. */
class Lines {
  readonly starts: number[] = [0];
  constructor(
    readonly text: string,
    readonly place: TextPlace,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** Text of line `index` (0-based), without its line ending. */
  at(index: number): string {
    const start = this.starts[index];
    if (start === undefined) return notSure();
    const next = this.starts[index + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }
  point(index: number, column0: number): Point {
    const { line, offset } = this.place;
    return { line: line + index + 1, column: column0 + 1, offset: offset + this.starts[index]! + column0 };
  }
}

/**
 * An inline token's content, which is also what micromark's text tokenizer reads (markdown-it keeps
 * the indentation past the container's on continuation lines, as micromark does: a code span over
 * lines holds it), with a map from its offsets to the page.
 */
interface InlineSource {
  /** Offset in the content → point in the page. */
  locate(offset: number): Point;
  /** markdown-it keeps a tab before a line break in the text; micromark drops it. */
  tabBeforeBreak: boolean;
  /**
   * Spaces or tabs after the content on its last line, which markdown-it trimmed: micromark's literal
   * syntax sees them (`www. ` at a paragraph's end is a literal, `www.` there is none; found by trying the
   * literals' triggers and endings before a trailing space, only a bare `www.` differed).
   */
  spaceAfter: boolean;
  /**
   * Offsets in the content where a continuation line that stands after whitespace starts. Which of
   * that whitespace is the content's and which a container's (a lazy line in a quote in a list) the
   * two parsers may decide differently: it shows in a code span or HTML that spans such a line.
   */
  indentedLineStarts: readonly number[];
}

const NO_OFFSETS: readonly number[] = Object.freeze([]);

/** The content of an inline token on one line, starting at `column0`. */
function lineSource(lines: Lines, line: number, column0: number): InlineSource {
  return {
    locate: (offset: number) => lines.point(line, column0 + offset),
    tabBeforeBreak: false,
    spaceAfter: false,
    indentedLineStarts: NO_OFFSETS,
  };
}

/**
 * The content of a paragraph or setext heading: one segment per source line from `first`, each the
 * end of its line with the container markers and indentation cut off; the whole is trimmed.
 */
function segmentSource(lines: Lines, content: string, first: number, contained: boolean): InlineSource {
  const segments = content.split('\n');
  const starts: number[] = [];
  let tabBeforeBreak = false;
  let spaceAfter = false;
  const indentedLineStarts: number[] = [];
  for (let j = 0, offset = 0; j < segments.length; offset += segments[j]!.length + 1, j++) {
    const segment = segments[j]!;
    const line = lines.at(first + j);
    const last = j === segments.length - 1;
    // The last segment lost its trailing whitespace to trim().
    const end = last ? line.trimEnd().length : line.length;
    if (last && end < line.length) spaceAfter = true;
    if (!last && /\t[ \t]*$/.test(segment)) tabBeforeBreak = true;
    const start = end - segment.length;
    if (start < 0 || line.slice(start, end) !== segment) notSure();
    assertPlainEdges(line, start, end);
    starts.push(start);
    if (j > 0 && /^[ \t]/.test(start > 0 ? line.slice(start - 1) : segment)) indentedLineStarts.push(offset);
    // A lazy line (short of a container's marker or indentation) that opens HTML continues the
    // paragraph to markdown-it, as CommonMark says; micromark ends the paragraph and starts HTML
    // there. Which lines are lazy to which container is not in the tokens: any such line will do.
    if (j > 0 && contained && /^[ \t]*</.test(segment)) notSure();
  }
  const locate = (offset: number) => {
    let j = 0;
    let base = 0;
    while (j < segments.length - 1 && offset > base + segments[j]!.length) {
      base += segments[j]!.length + 1;
      j++;
    }
    return lines.point(first + j, starts[j]! + offset - base);
  };
  return { locate, tabBeforeBreak, spaceAfter, indentedLineStarts };
}

/** Whether a code span or HTML of an inline token runs over the start of one of these lines. */
function spansLineStart(inline: Token, lineStarts: readonly number[]): boolean {
  const content = inline.content;
  const over = (from: number, to: number) => lineStarts.some((at) => at > from && at <= to);
  for (const child of inline.children ?? []) {
    if (child.type === 'html_inline' && child.content.includes('\n')) {
      const from = content.indexOf(child.content);
      if (from < 0 || over(from, from + child.content.length)) return true;
    }
    if (child.type === 'code_inline') {
      const from = inlineOffset(child);
      if (spansLines.has(child) && over(from, content.length)) return true;
    }
  }
  return false;
}

/** The text tokens' content (escapes and references decoded), run together. */
function decodedText(tokens: readonly Token[] | null): string {
  let out = '';
  for (const token of tokens ?? [])
    if (token.type === 'text' || token.type === 'text_special') out += token.content;
    else if (token.type === 'image') out += textOf(token.children);
  return out;
}

/** Text of inline tokens, as mdast-util-to-string gives an image's alt. */
function textOf(tokens: readonly Token[] | null): string {
  let out = '';
  for (const token of tokens ?? []) {
    if (token.type === 'softbreak' || token.type === 'hardbreak') out += '\n';
    else if (token.type === 'image') out += textOf(token.children);
    else out += token.content;
  }
  return out;
}

/**
 * Where a text node's value stands in the inline content: for each piece of it, from which offset
 * of the value, where in the content (or DECODED, or UNPLACED), and how long.
 */
type TextPieces = WeakMap<OutlineNode, number[]>;
/** A piece that is not the content as written: a line ending, or an escape or reference decoded. */
const DECODED = -1;
/** A piece whose place in the content is not known. */
const UNPLACED = -2;

/** An inline token's children as mdast phrasing content; with `pieces`, where its text stands. */
function phrasing(
  children: readonly Token[],
  locate: (offset: number) => Point,
  content: string,
  pieces: TextPieces | null,
): OutlineNode[] {
  // Text alone (most table cells): what PhrasingBuilder makes of it, without building one.
  const only = children.length === 1 ? children[0]! : null;
  if (only?.type === 'text' && only.level < MAX_NESTING - 1) {
    if (only.content === '') return [];
    const node: OutlineNode = { type: 'text', value: only.content };
    if (pieces) {
      const start = only.meta as unknown;
      const known = typeof start === 'number' && start >= 0 && content.startsWith(only.content, start);
      pieces.set(node, [0, known ? start : UNPLACED, only.content.length]);
    }
    return [node];
  }
  return new PhrasingBuilder(locate, content, pieces).build(children);
}

/**
 * The phrasing of one inline token's children, its rarer tokens (escapes, code spans, HTML, links, images) handled by
 * methods of their own: V8 compiles a function again when its optimized code meets a case it had no feedback for,
 * and each worker meets some token kinds late; small methods keep that recompile small.
 */
class PhrasingBuilder {
  private readonly root: OutlineNode[] = [];
  private readonly stack: OutlineNode[][] = [this.root];

  constructor(
    private readonly locate: (offset: number) => Point,
    private readonly content: string,
    private readonly pieces: TextPieces | null,
  ) {}

  build(children: readonly Token[]): OutlineNode[] {
    for (const token of children) {
      if (token.level >= MAX_NESTING - 1) notSure();
      switch (token.type) {
        case 'text':
          this.text(token);
          break;
        case 'text_special':
          this.textSpecial(token);
          break;
        case 'softbreak':
          this.addText('\n', DECODED);
          break;
        case 'hardbreak':
          this.add({ type: 'break' });
          break;
        case 'code_inline':
          this.codeInline(token);
          break;
        case 'html_inline':
          this.htmlInline(token);
          break;
        case 'link_open':
          this.linkOpen(token);
          break;
        // The opener of `**` is its second delimiter character; mdast starts the node at the first.
        case 'em_open':
          this.open({ type: 'emphasis', children: [], position: this.delimiterStart(token, 0) });
          break;
        case 'strong_open':
          this.open({ type: 'strong', children: [], position: this.delimiterStart(token, 1) });
          break;
        case 'link_close':
        case 'em_close':
        case 'strong_close':
          this.stack.pop();
          break;
        case 'image':
          this.image(token);
          break;
        default:
          notSure();
      }
    }
    return this.root;
  }

  private add(node: OutlineNode): void {
    this.stack[this.stack.length - 1]!.push(node);
  }

  private open(node: OutlineNode): void {
    this.add(node);
    this.stack.push(node.children!);
  }

  private addText(value: string, at: number): void {
    const siblings = this.stack[this.stack.length - 1]!;
    let tail = siblings[siblings.length - 1];
    if (tail?.type === 'text') tail.value += value;
    else siblings.push((tail = { type: 'text', value }));
    const pieces = this.pieces;
    if (pieces) {
      const list = pieces.get(tail);
      const n = list?.length ?? 0;
      // Text that continues the previous piece where it stands in the content is one piece with it.
      if (list && at >= 0 && list[n - 2]! >= 0 && list[n - 2]! + list[n - 1]! === at) list[n - 1]! += value.length;
      else if (list) list.push(tail.value!.length - value.length, at, value.length);
      else pieces.set(tail, [0, at, value.length]);
    }
  }

  private delimiterStart(token: Token, back: number): { start: Point; end: undefined } {
    const offset: unknown = token.meta;
    if (typeof offset !== 'number' || offset - back < 0) return notSure();
    return { start: this.locate(offset - back), end: undefined };
  }

  private text(token: Token): void {
    if (token.content === '') return;
    const start = token.meta as unknown;
    const known =
      this.pieces !== null && typeof start === 'number' && start >= 0 && this.content.startsWith(token.content, start);
    this.addText(token.content, known ? (start as number) : UNPLACED);
  }

  private textSpecial(token: Token): void {
    // An escape of a character that cannot be escaped (`\p`) is text as written, which the
    // literals' syntax reads; other escapes and references are decoded.
    const start = token.meta as unknown;
    const asWritten =
      this.pieces !== null &&
      token.info === 'escape' &&
      token.markup === token.content &&
      typeof start === 'number' &&
      this.content.startsWith(token.content, start);
    this.addText(token.content, asWritten ? (start as number) : DECODED);
  }

  private codeInline(token: Token): void {
    const at = inlineOffset(token);
    // markdown-it turns a code span's line endings into spaces; mdast keeps them.
    if (spansLines.has(token)) notSure();
    // A span of spaces alone keeps them all to micromark; markdown-it strips one at each end of three or more.
    let value = token.content;
    if (/^ +$/.test(value)) {
      const from = at + token.markup.length;
      let end = from;
      while (this.content.charCodeAt(end) === 0x20) end++;
      value = this.content.slice(from, end);
    } else if (value.length > 2 && value[0] === ' ' && value.endsWith(' ') && /[\u2028\u2029]/.test(value)) {
      // markdown-it strips with `/^ (.+) $/`, whose `.` takes no U+2028 or U+2029; micromark strips
      // around them too.
      value = value.slice(1, -1);
    }
    this.add({ type: 'inlineCode', value, position: { start: this.locate(at), end: undefined } });
  }

  private htmlInline(token: Token): void {
    if (!isTagWhitespaceAlike(token.content)) notSure();
    // An unquoted attribute value ends at a `/` to micromark (`<a href=x/y>` is text), not to markdown-it.
    if (UNQUOTED_VALUE_WITH_SLASH.test(token.content)) notSure();
    this.add({ type: 'html', value: token.content });
  }

  private linkOpen(token: Token): void {
    const offset = inlineOffset(token);
    // markdown-it's autolinks take a `!` before an address's `@` (`<a!b@c.d>`); micromark's do not.
    if (token.markup === 'autolink' && /^mailto:[^@]*!/.test(token.attrGet('href') ?? '')) notSure();
    const start = this.locate(token.markup === 'autolink' ? offset : offset - 1);
    if (fromReference.has(token))
      this.open({ type: 'linkReference', children: [], position: { start, end: undefined } });
    else
      this.open({
        type: 'link',
        url: String(token.attrGet('href') ?? ''),
        children: [],
        position: { start, end: undefined },
      });
  }

  private image(token: Token): void {
    if (fromReference.has(token)) this.add({ type: 'imageReference', alt: textOf(token.children) });
    else this.add({ type: 'image', url: String(token.attrGet('src') ?? ''), alt: textOf(token.children) });
  }
}

/** `lang` and `meta` of a fence, read from its opening line as micromark reads them. */
function fenceInfo(rest: string): { lang: string | null; meta: string | null } {
  // Escapes and character references would need decoding part by part: rare in info strings.
  if (/[\\&]/.test(rest)) notSure();
  // micromark splits at spaces and tabs only (a no-break space belongs to the word).
  const m = /^[ \t]*([^ \t]*)[ \t]*([^]*)$/.exec(rest)!;
  return { lang: m[1] || null, meta: m[2] || null };
}

/** `text` without the spaces and tabs at its ends (what `replace(/^[ \t]+|[ \t]+$/g, '')` gives, without a pattern). */
function trimSpacesAndTabs(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The cells of a table row as GFM splits them (unescaped pipes; an outer pipe opens or closes the row). */
function countCells(row: string): number {
  // A row of one pipe is one empty cell.
  return Math.max(cellSpans(row, 0).length, 1);
}

/**
 * Where each cell of a table row stands in `row` from `from` (the row's text between its pipes, as
 * GFM splits it at pipes a backslash does not escape, here none): an outer pipe opens or closes the
 * row, and an empty first or last cell beyond it is none.
 */
function cellSpans(row: string, from: number): { start: number; end: number }[] {
  // GFM trims spaces and tabs only: a cell of U+3000 or U+FEFF is a cell.
  const blank = (start: number, end: number) => trimSpacesAndTabs(row.slice(start, end)) === '';
  let end = row.length;
  while (end > from && (row.charCodeAt(end - 1) === 0x20 || row.charCodeAt(end - 1) === 0x09)) end--;
  const spans: { start: number; end: number }[] = [];
  for (let start = from, k = from; k <= end; k++)
    if (k === end || row.charCodeAt(k) === 0x7c) {
      spans.push({ start, end: k });
      start = k + 1;
    }
  if (blank(spans[0]!.start, spans[0]!.end)) spans.shift();
  const last = spans[spans.length - 1];
  if (last && blank(last.start, last.end)) spans.pop();
  return spans;
}

/** A line (past container markers) that starts a block other than a table: heading, fence, HTML, quote, list. */
const STARTS_OTHER_BLOCK = /^(?:#{1,6}(?:[ \t]|$)|`{3}|~{3}|<|>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))/;

/** A line without its first `depth` quote markers and its indentation. */
function afterQuoteMarkers(line: string, depth: number): string {
  let rest = line;
  for (let d = 0; d < depth; d++) {
    const marker = /^[ \t]*>/.exec(rest);
    if (!marker) break;
    rest = rest.slice(marker[0].length);
  }
  return rest.replace(/^[ \t]*/, '');
}

/** Whether `line` is the first after indented code ending on `codeLast`, but for blank lines (in quotes). */
function afterIndentedCode(lines: Lines, codeLast: number, line: number): boolean {
  if (codeLast < 0 || codeLast >= line) return false;
  for (let k = codeLast + 1; k < line; k++) if (!/^[ \t>]*$/.test(lines.at(k))) return false;
  return true;
}

/** The number of header cells of the row that `tokens[at]` opens. */
function headerCellsOf(tokens: readonly Token[], at: number): number {
  let n = 0;
  for (let k = at + 1; k < tokens.length && tokens[k]!.type !== 'tr_close'; k++) if (tokens[k]!.type === 'th_open') n++;
  return n;
}

/**
 * The caller's autolink literals (remark-gfm's): which blocks may hold one, and the transform that
 * finds, in text nodes, the literals the syntax did not make (mdast-util-gfm-autolink-literal's).
 */
export interface LiteralLinks {
  /** Whether the text of a block (escapes and references decoded) may hold a literal. */
  wants(text: string): boolean;
  /** Finds literals in the text nodes of `block` (not in links), as remark-gfm's transform does. */
  transform(block: OutlineNode): void;
}

/**
 * The autolink literals the syntax makes in a block's text, each text node split around them (the
 * transform then runs as on the tree). A literal is read from the content as written: it must
 * start and end in text that stands as written, or the page is not outlined.
 */
function linkLiterals(
  nodes: OutlineNode[],
  pieces: TextPieces,
  content: string,
  locate: (offset: number) => Point,
  labels = { open: 0, runStart: -1, runEnd: -1, reach: 0 },
  inLink = false,
): OutlineNode[] {
  const out: OutlineNode[] = [];
  for (const node of nodes) {
    if (node.children) {
      const link = inLink || node.type === 'link' || node.type === 'linkReference';
      node.children = linkLiterals(node.children, pieces, content, locate, labels, link);
      out.push(node);
    } else if (node.type === 'text' && pieces.has(node) && !inLink)
      splitAtLiterals(node, pieces.get(node)!, content, locate, labels, out);
    else {
      if (node.type === 'text' && pieces.has(node))
        splitAtLiterals(node, pieces.get(node)!, content, locate, labels, null);
      out.push(node);
    }
  }
  return out;
}

/**
 * Finds the literals of a text node (none in a link's text: `into` is null there) and counts the
 * labels its brackets leave open: the syntax makes no literal inside one (`[see www.a.b`). The
 * brackets of links are not text; the other `[` stay open until a `]` of text.
 */
function splitAtLiterals(
  node: OutlineNode,
  pieces: number[],
  content: string,
  locate: (offset: number) => Point,
  labels: { open: number; runStart: number; runEnd: number; reach: number },
  into: OutlineNode[] | null,
): void {
  const value = node.value!;
  const found: { from: number; literal: LiteralAutolink }[] = [];
  for (let k = 0; k < pieces.length; k += 3) {
    const from = pieces[k]!;
    const at = pieces[k + 1]!;
    const length = pieces[k + 2]!;
    if (at === DECODED) continue;
    // Text of unknown origin may start one, or open a label (an autolink's text is not text to micromark).
    if (at === UNPLACED) {
      if (into && /[\w+.[\]-]/.test(value.slice(from, from + length))) notSure();
      continue;
    }
    // An e-mail address may start before this text, in a delimiter run (`_a@b.c`): where markdown-it
    // reads emphasis, micromark may have read an address.
    if (into && at > 0 && isAddressCharacter(content.charCodeAt(at - 1)) && addressReaches(content, at, labels))
      notSure();
    for (let i = at; i < at + length; i++) {
      const code = content.charCodeAt(i);
      if (code === 0x5b) labels.open++;
      else if (code === 0x5d && labels.open > 0) labels.open--;
      if (!into) continue;
      const literal = literalAt(content, i);
      if (literal === null) continue;
      if (literal.end > at + length || labels.open > 0) notSure();
      found.push({ from: from + i - at, literal });
      i = literal.end - 1;
    }
  }
  if (!into) return;
  if (found.length === 0) {
    into.push(node);
    return;
  }
  let last = 0;
  for (const { from, literal } of found) {
    if (from > last) into.push({ type: 'text', value: value.slice(last, from) });
    const text = content.slice(literal.start, literal.end);
    const url = literal.kind === 'www' ? `http://${text}` : literal.kind === 'email' ? `mailto:${text}` : text;
    into.push({
      type: 'link',
      url,
      children: [{ type: 'text', value: text }],
      position: { start: locate(literal.start), end: undefined },
    });
    last = from + text.length;
  }
  if (last < value.length) into.push({ type: 'text', value: value.slice(last) });
}

/**
 * Whether an address literal starting in the run of address characters that ends at `at` reaches
 * past it. The run's start and the literal there are kept between the pieces of a block: each
 * piece would otherwise walk the whole run back again (`-_a_-_a_…`).
 */
function addressReaches(content: string, at: number, memo: { runStart: number; runEnd: number; reach: number }) {
  let start = at - 1;
  if (memo.runStart >= 0 && memo.runEnd <= at && memo.runEnd >= memo.runStart) {
    let k = memo.runEnd;
    while (k < at && isAddressCharacter(content.charCodeAt(k))) k++;
    if (k === at) start = memo.runStart;
  }
  if (start === at - 1) while (start > 0 && isAddressCharacter(content.charCodeAt(start - 1))) start--;
  if (start !== memo.runStart) {
    memo.runStart = start;
    memo.reach = literalAt(content, start)?.end ?? 0;
  }
  memo.runEnd = at;
  return memo.reach > at;
}

/** Where a text starts in its page: the lines and characters before it (a page's body after its front matter). */
export interface TextPlace {
  line: number;
  offset: number;
}
const PAGE_START: TextPlace = { line: 0, offset: 0 };

/**
 * The outline of `markdown` from markdown-it, or null where remark-gfm's tree must decide. Positions count from the
 * page's start when `at` says where `markdown` stands in it (at the start of a line).
 */
export function parseFastOutline(markdown: string, literals: LiteralLinks, at: TextPlace = PAGE_START): Root | null {
  return markdown.includes('\r') ? outlineOfCrlf(markdown, literals, at) : outlineOfLf(markdown, literals, at);
}

/** A character reference that decodes to a line feed or a carriage return. */
const LINE_ENDING_REFERENCE = /&#(?:[xX]0*[aAdD]|0*1[03]);|&NewLine;/;

/**
 * A page whose every line ends in CR LF (as Windows editors save them; Exchange's largest page is one): outlined
 * without its CRs, which are then given back. A CR before a LF only ends a line, to micromark as to any editor: each
 * line and column stays the same, an offset moves by one per line before it, and a value that spans lines holds
 * them as written, CR LF (mdast keeps a code block's, a paragraph's or an HTML block's line endings). Mixed line
 * endings, and a reference that decodes to a CR or a LF (which no CR would follow), go to the tree.
 */
function outlineOfCrlf(markdown: string, literals: LiteralLinks, at: TextPlace): Root | null {
  const lf = markdown.replaceAll('\r\n', '\n');
  if (lf.includes('\r') || LINE_ENDING_REFERENCE.test(lf)) return null;
  if (lineFeeds(lf) !== markdown.length - lf.length) return null;
  const root = outlineOfLf(lf, literals, at);
  if (root === null) return null;
  const moved = new Set<Point>();
  const move = (point: Point | undefined) => {
    if (point === undefined || moved.has(point)) return;
    moved.add(point);
    // One CR for each of the text's lines before the point's.
    point.offset += point.line - at.line - 1;
  };
  const restore = (node: OutlineNode) => {
    move(node.position?.start);
    move(node.position?.end);
    for (const key of ['value', 'alt', 'label'] as const) {
      const value = node[key];
      if (typeof value === 'string' && value.includes('\n')) node[key] = value.replaceAll('\n', '\r\n');
    }
    node.children?.forEach(restore);
  };
  restore(root as OutlineNode);
  return root;
}

/** The outline of a text without a CR. */
function outlineOfLf(markdown: string, literals: LiteralLinks, at: TextPlace): Root | null {
  // markdown-it turns `\r\n` into `\n` in values, which mdast keeps (outlineOfCrlf).
  if (markdown.includes('\r')) return null;
  // Nor a NUL, which both read as U+FFFD: markdown-it's normalize rule, which would replace it (and
  // rewrites every line ending to find none), is off.
  if (markdown.includes('\0')) return null;
  // One scan of the page says whether either of the two character tests below can match (on most pages neither).
  const oddCharacter = ODD_CHARACTER.test(markdown);
  // Nor other control characters: micromark takes them in an HTML attribute value and refuses them
  // in an autolink, markdown-it the other way round.
  if (oddCharacter && CONTROL_CHARACTER.test(markdown)) return null;
  // micromark drops a byte order mark at the start (and counts offsets without it); pages read
  // from files have had theirs removed (page/read.ts).
  if (markdown.charCodeAt(0) === 0xfeff) return null;
  // markdown-it trims a table's lines with trim(), which takes Unicode spaces (a cell of U+3000 or
  // U+FEFF beyond the outer pipe is gone, and the table with it); GFM trims spaces and tabs.
  // So is a body row of Unicode spaces alone (`\u3000`): a row to GFM, the table's end to markdown-it.
  if (
    oddCharacter &&
    UNICODE_SPACE.test(markdown) &&
    (UNICODE_SPACE_AT_PIPE_LINE_EDGE.test(markdown) || (markdown.includes('|') && UNICODE_SPACE_LINE.test(markdown)))
  )
    return null;
  // markdown-it takes a pipe after any backslash for an escaped one, GFM after an odd run only
  // (`\\|` ends a cell): the two count a row's cells differently, and may not agree on a table.
  if (markdown.includes('\\\\|') && /(?:^|[^\\])(?:\\\\)+\|/.test(markdown)) return null;
  // Container lines read apart (CONTAINER_LINE_APART):
  // - a tab after a quote or list marker: how much of it is the marker's and how much indents the
  //   content (`> > > \tcode` is a paragraph to micromark, indented code to markdown-it) the two
  //   parsers compute differently;
  // - markdown-it continues a quote on a line whose `>` stands after four columns or more of
  //   indentation (CommonMark allows three); micromark reads indented code or paragraph text there;
  // - an empty list item right after another container's marker (`> *`, `- 1.`) is one to
  //   markdown-it; to micromark, on a line after a paragraph, it is text (the container's start
  //   interrupted the paragraph, and an empty item may not).
  if (containerLineApart(markdown)) return null;
  // A definition whose label is Unicode whitespace alone (`[\u3000]: u`): one to micromark, none to markdown-it.
  if (oddCharacter && BLANK_LABEL_DEFINITION.test(markdown)) return null;
  // GFM footnote definitions hold blocks as list items do; markdown-it reads them as paragraphs.
  if (markdown.includes('[^') && /\[\^[^\]]+\]:/.test(markdown)) return null;
  const env: Record<string, unknown> = {};
  let tokens: Token[];
  try {
    tokens = markdownIt.parse(markdown, env);
  } catch {
    return null;
  }
  try {
    return new OutlineBuilder(tokens, new Lines(markdown, at), literals, env).build();
  } catch (error) {
    if (error instanceof NotSure) return null;
    throw error;
  }
}

/**
 * The outline of markdown-it's tokens, each kind of block with more than a line of handling read by a method of its
 * own: V8 compiles a function again when its optimized code meets a case it had no feedback for, and each worker
 * meets a few rare ones late (an ordered list after indented code, a definition); small methods keep that recompile
 * small.
 */
class OutlineBuilder {
  private readonly root: OutlineNode = { type: 'root', children: [] };
  private readonly stack: OutlineNode[] = [this.root];
  /** Block being filled by the next inline token, with what locates its content. */
  private headingLine = -1;
  private setext = false;
  private paragraphLine = -1;
  private rowLine = -1;
  private rowText = '';
  private rowCursor = 0;
  private headerCells = 0;
  private rowCells = 0;
  private inHead = false;
  /** Last line of the latest indented code block. */
  private codeBlockLast = -1;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly lines: Lines,
    private readonly literals: LiteralLinks,
    private readonly env: object,
  ) {}

  build(): Root {
    const tokens = this.tokens;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!;
      if (token.level >= MAX_NESTING - 1) notSure();
      switch (token.type) {
        case 'heading_open':
          this.headingOpen(token);
          break;
        case 'paragraph_open':
          this.paragraphLine = token.map![0];
          this.open({ type: 'paragraph', children: [] });
          break;
        case 'blockquote_open':
          this.blockquoteOpen(token);
          break;
        case 'bullet_list_open':
        case 'ordered_list_open':
          this.listOpen(token, index);
          break;
        case 'table_open':
          this.tableOpen(token, index);
          break;
        case 'thead_open':
          this.inHead = true;
          break;
        case 'tbody_open':
          this.inHead = false;
          break;
        case 'tr_open':
          this.rowOpen(token, index);
          break;
        case 'th_open':
        case 'td_open':
          this.open({ type: 'tableCell', children: [] });
          break;
        case 'heading_close':
        case 'paragraph_close':
        case 'blockquote_close':
        case 'bullet_list_close':
        case 'ordered_list_close':
        case 'table_close':
        case 'tr_close':
        case 'th_close':
        case 'td_close':
          this.close(token);
          break;
        case 'list_item_open':
        case 'list_item_close':
        case 'thead_close':
        case 'tbody_close':
          break; // list items hang their content from the list (the outline has no list item nodes)
        case 'inline':
          this.inline(token);
          break;
        case 'fence':
          this.fence(token);
          break;
        case 'code_block':
          this.codeBlock(token);
          break;
        case 'html_block':
          this.htmlBlock(token);
          break;
        case 'hr':
          this.add({ type: 'thematicBreak' });
          break;
        case 'definition':
          this.definition(token);
          break;
        default:
          notSure();
      }
    }
    return this.root as unknown as Root;
  }

  private top(): OutlineNode {
    return this.stack[this.stack.length - 1]!;
  }

  private add(node: OutlineNode): void {
    this.top().children!.push(node);
  }

  private open(node: OutlineNode): void {
    this.add(node);
    this.stack.push(node);
  }

  private headingOpen(token: Token): void {
    const map = token.map!;
    const line = this.lines.at(map[0]);
    this.setext = token.markup === '=' || token.markup === '-';
    this.headingLine = map[0];
    // An ATX heading starts at its first `#` (no container marker holds one); a setext heading at its text.
    const column0 = this.setext ? -1 : line.indexOf('#');
    this.open({
      type: 'heading',
      depth: Number(token.tag.slice(1)),
      children: [],
      position: column0 >= 0 ? { start: this.lines.point(map[0], column0), end: undefined } : undefined,
    });
  }

  private blockquoteOpen(token: Token): void {
    const map = token.map!;
    const column0 = this.lines.at(map[0]).indexOf('>');
    if (column0 < 0) notSure();
    this.open({
      type: 'blockquote',
      children: [],
      position: { start: this.lines.point(map[0], column0), end: undefined },
    });
  }

  private listOpen(token: Token, index: number): void {
    const { lines, codeBlockLast } = this;
    const map = token.map!;
    if (token.type === 'ordered_list_open') {
      // micromark lets only `1.`/`1)` interrupt a paragraph (markdown-it any number whose value is
      // 1: `01.`), and it keeps a paragraph's interruption rules for the first block after
      // indented code (`    code`, a blank line, `2) item` is a paragraph to micromark).
      // The same where a quote or list item starting on the line interrupted a paragraph (`text`
      // over `> 2) item`).
      const number = this.tokens[index + 1]?.info ?? '';
      const afterText = map[0] > 0 && !/^[ \t>]*$/.test(lines.at(map[0] - 1));
      if (number !== '1' && (Number(number) === 1 || afterText || afterIndentedCode(lines, codeBlockLast, map[0])))
        notSure();
    }
    // Nor may an empty item start there (`    code` over `-` over `Mailbox` over `===` is a heading `-\nMailbox`
    // to micromark): an item whose line holds its marker alone.
    if (afterIndentedCode(lines, codeBlockLast, map[0]) && EMPTY_ITEM_LINE.test(lines.at(map[0]))) notSure();
    this.open({ type: 'list', children: [] });
  }

  private tableOpen(token: Token, index: number): void {
    const { lines } = this;
    const map = token.map!;
    // Right after a list or quote that ended without a blank line, micromark has taken the
    // header line for a lazy one, and a lazy line starts no table.
    if (
      /^(?:bullet_list|ordered_list|blockquote)_close$/.test(this.tokens[index - 1]?.type ?? '') &&
      !/^[ \t>]*$/.test(lines.at(map[0] - 1))
    )
      notSure();
    // A header that is itself a delimiter row under a line of text (`/` over `-|` over `-|`): GFM takes that
    // line for the header, markdown-it ends the paragraph before its table.
    if (map[0] > 0 && DELIMITER_ROW_LINE.test(lines.at(map[0])) && !/^[ \t>]*$/.test(lines.at(map[0] - 1))) notSure();
    this.open({ type: 'table', children: [] });
  }

  private rowOpen(token: Token, index: number): void {
    const { lines } = this;
    const rowLine = (this.rowLine = token.map![0]);
    this.rowCursor = 0;
    const row = (this.rowText = lines.at(rowLine));
    // An escaped pipe is cut out of the cell's content, which then no longer matches the line.
    if (row.includes('\\|')) notSure();
    // markdown-it tries a table before any other block; micromark tries first the blocks that
    // the line's first character can start, on the header (`# | a` over `-|-` is a heading)
    // and on every body row (`<b>` alone on a line is HTML, where markdown-it goes on with the
    // table). A header line may also hold a list item's marker, which is no cell.
    // So may a `>` past the table's own quotes' markers.
    const quotes = this.stack.filter((node) => node.type === 'blockquote').length;
    if (STARTS_OTHER_BLOCK.test(afterQuoteMarkers(row, quotes))) notSure();
    // A delimiter row of dashes alone underlines a setext heading to micromark.
    if (this.inHead && /^-+[ \t]*$/.test(afterQuoteMarkers(lines.at(rowLine + 1), quotes))) notSure();
    // The header's cells are the delimiter row's count, which markdown-it checked; a body
    // row's are counted in the line, which holds quote markers and indentation only.
    this.rowCells = this.inHead ? headerCellsOf(this.tokens, index) : countCells(row.slice(row.search(/[^ >\t]/)));
    if (this.inHead) this.headerCells = this.rowCells;
    this.open({
      type: 'tableRow',
      children: [],
      position: { start: lines.point(rowLine, Math.max(0, row.search(/[^ >\t]/))), end: undefined },
    });
  }

  private close(token: Token): void {
    if (token.type === 'heading_close') {
      this.setext = false;
      this.headingLine = -1;
    }
    // markdown-it pads a short row with empty cells up to the header's count; mdast keeps the row as written.
    // It drops a row's cells past the header's count, which mdast keeps: those are read here.
    if (token.type === 'tr_close') {
      const row = this.top();
      row.children!.length = Math.min(row.children!.length, this.rowCells);
      if (this.rowCells > this.headerCells) this.addExtraCells(row);
    }
    this.stack.pop();
  }

  private inline(token: Token): void {
    const { lines } = this;
    const parent = this.top();
    let source: InlineSource;
    if (parent.type === 'tableCell') {
      const content = token.content;
      if (content === '') return;
      const line = this.rowText;
      const at = line.indexOf(content, this.rowCursor);
      if (at < 0) notSure();
      this.rowCursor = at + content.length;
      const { from, to } = gfmCellContent(line, at, at + content.length);
      if (from < at || to > this.rowCursor) {
        // What is around a literal, an emphasis marker… is the cell's whole content: read again from GFM's.
        this.readCell(parent, line.slice(from, to), from);
        return;
      }
      source = lineSource(lines, this.rowLine, at);
    } else if (parent.type === 'heading' && !this.setext) {
      const line = lines.at(this.headingLine);
      const hashes = parent.position!.start.column - 1;
      let at = hashes + parent.depth!;
      while (at < line.length && (line[at] === ' ' || line[at] === '\t')) at++;
      if (token.content !== '' && !line.startsWith(token.content, at)) notSure();
      const after = line.slice(at + token.content.length);
      if (UNICODE_SPACE.test(after) || (token.content === '' && UNICODE_SPACE.test(line.slice(hashes)))) notSure();
      source = lineSource(lines, this.headingLine, at);
    } else if (parent.type === 'heading' || parent.type === 'paragraph') {
      const first = parent.type === 'heading' ? this.headingLine : this.paragraphLine;
      source = segmentSource(
        lines,
        token.content,
        first,
        this.stack.some((node) => node.type === 'list' || node.type === 'blockquote'),
      );
      if (parent.type === 'heading') parent.position = { start: source.locate(0), end: undefined };
    } else return notSure();
    if (source.indentedLineStarts.length > 0 && spansLineStart(token, source.indentedLineStarts)) notSure();
    if ((parent.type === 'paragraph' || this.setext) && mayHoldTable(token.content)) notSure();
    this.fill(parent, token, source);
  }

  /** Gives `parent` the phrasing of an inline token. */
  private fill(parent: OutlineNode, inline: Token, source: InlineSource): void {
    // GFM's single-tilde strikethrough, which markdown-it does not read; a tab before a line
    // break, which markdown-it keeps in the text and micromark drops.
    if (source.tabBeforeBreak || mayStrike(inline.content)) notSure();
    if (source.spaceAfter && WWW_AT_END.test(inline.content)) notSure();
    // A literal stands only in text, and may show only once escapes and references are decoded
    // (`https\\://`, `a&#64;b.c`): mdast-util-gfm-autolink-literal's transform finds it in the text
    // nodes. A trigger in a link destination, a code span or an HTML tag makes none.
    const { literals } = this;
    const wants = literals.wants(decodedText(inline.children));
    const pieces = wants ? new WeakMap<OutlineNode, number[]>() : null;
    const children = phrasing(inline.children ?? [], source.locate, inline.content, pieces);
    parent.children = pieces ? linkLiterals(children, pieces, inline.content, source.locate) : children;
    if (wants) literals.transform(parent);
  }

  /** Gives a cell the phrasing of `content`, which stands at `at` in the row's line, as GFM reads a cell. */
  private readCell(cell: OutlineNode, content: string, at: number): void {
    const [inline] = markdownIt.parseInline(content, this.env);
    this.fill(cell, inline!, lineSource(this.lines, this.rowLine, at));
  }

  /** A body row's cells past the header's count, which markdown-it dropped: each read from the row's line. */
  private addExtraCells(row: OutlineNode): void {
    const rowText = this.rowText;
    const spans = cellSpans(rowText, Math.max(0, rowText.search(/[^ >\t]/)));
    for (let k = this.headerCells; k < spans.length; k++) {
      const cell: OutlineNode = { type: 'tableCell', children: [] };
      row.children!.push(cell);
      const text = rowText.slice(spans[k]!.start, spans[k]!.end);
      const content = trimSpacesAndTabs(text);
      if (content !== '') this.readCell(cell, content, spans[k]!.start + text.indexOf(content));
    }
  }

  private fence(token: Token): void {
    const { lines } = this;
    const map = token.map!;
    const open_ = map[0];
    const line = lines.at(open_);
    const marker = token.markup;
    const column0 = line.indexOf(marker);
    if (column0 < 0) notSure();
    const contentLines = lineFeeds(token.content);
    const close = map[1] - 1;
    // markdown-it's content runs to its block's end when no fence closes it: one line more.
    const closing =
      close > open_
        ? lines
            .at(close)
            .replace(/^[ \t>]*/, '')
            .replace(/[ \t]+$/, '')
        : '';
    // A closed fence's content is whole lines; without its final line ending, the last line is
    // an unclosed fence's at the end of the page (an over-indented marker is content).
    const wholeLines = token.content === '' || token.content.endsWith('\n');
    const closed =
      wholeLines &&
      contentLines === close - open_ - 1 &&
      closing.length >= marker.length &&
      closing[0] === marker[0] &&
      /^(`+|~+)$/.test(closing);
    if (!closed) notSure(); // where an unterminated fence ends depends on its container
    const closeText = lines.at(close);
    const { lang, meta } = fenceInfo(line.slice(column0 + marker.length));
    this.add({
      type: 'code',
      lang,
      meta,
      value: token.content.slice(0, -1),
      position: { start: lines.point(open_, column0), end: lines.point(close, closeText.length) },
    });
  }

  private codeBlock(token: Token): void {
    const { lines } = this;
    const map = token.map!;
    // Indented code is no sample; `readFence` tells it from a fence by its first characters.
    if (/^[ \t]*(`{3}|~{3})/.test(token.content)) notSure();
    const end = map[1] - 1;
    this.codeBlockLast = end;
    this.add({
      type: 'code',
      lang: null,
      meta: null,
      value: token.content,
      position: { start: lines.point(map[0], 0), end: lines.point(end, lines.at(end).length) },
    });
  }

  private htmlBlock(token: Token): void {
    const map = token.map!;
    // micromark starts HTML at its indentation (the container's cut off), as markdown-it's content does.
    const line = this.lines.at(map[0]);
    if (!isTagWhitespaceAlike(line)) notSure();
    const value = token.content.replace(/\n$/, '');
    const indent = /^[ \t]*/.exec(value)![0];
    const column0 = line.indexOf('<') - indent.length;
    if (column0 < 0 || line.slice(column0, column0 + indent.length) !== indent || indent.includes('\t')) notSure();
    this.add({ type: 'html', value, position: { start: this.lines.point(map[0], column0), end: undefined } });
  }

  private definition(token: Token): void {
    const map = token.map!;
    const { url, label } = token.meta as { url: string; label: string };
    const column0 = this.lines.at(map[0]).indexOf('[');
    this.add({
      type: 'definition',
      url,
      label,
      position: { start: this.lines.point(map[0], column0), end: undefined },
    });
  }
}
