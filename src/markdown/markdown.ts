import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { slug } from 'github-slugger';
import { parseFastOutline, type LiteralLinks } from './fast-outline.js';
import type { Root, RootContent, Heading, Code, Html, PhrasingContent, Table as MdastTable } from 'mdast';
import { parseJsonSample, toPlain } from '../formats/json.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { lineFeeds, linesOf } from '../util/text.js';

const processor = unified().use(remarkParse).use(remarkGfm);
/** The transform of remark-gfm that finds the literals its syntax leaves in text. */
const autolinkLiteralTransforms = gfmAutolinkLiteralFromMarkdown().transforms ?? [];

/** What every autolink literal starts with or holds (`mailto:`/`xmpp:` ones hold an `@`). */
const LITERAL_TRIGGER = /https?:\/\/|www\.|@/i;

/**
 * remark-gfm's autolink literals, for the markdown-it outline: a block whose text holds what a
 * literal starts with gets them; without such characters a literal cannot be.
 */
export const literalLinks: LiteralLinks = {
  wants: (text) => LITERAL_TRIGGER.test(text),
  transform: (block) => {
    for (const transform of autolinkLiteralTransforms) transform(block as unknown as Root);
  },
};

export interface ParseOptions {
  /** remark-gfm's own parse, without the fast path (for comparisons). */
  full?: boolean;
  /**
   * An outline (markdown/fast-outline.ts) instead of the whole mdast where it can: what
   * `pageStructure` reads, for less. For callers that keep the structure, not the tree.
   */
  outline?: boolean;
}

/**
 * Longest line parsed as markdown. Real pages stay under 13,000 characters; longer lines make the
 * parser superlinear.
 */
export const MAX_LINE_LENGTH = 32_768;

/**
 * Parse markdown with positions. The front matter, lone carriage returns, and any line over MAX_LINE_LENGTH, are
 * blanked (same length, so offsets and lines stay the page's own); the long lines are returned for a diagnostic.
 * The outline reads the body alone, placed after the front matter's lines: blanking them cost a copy of each page.
 *
 * The GFM parse of a page: remark-gfm's tree, or with `outline` the same structure for less (the
 * property test in test/parse-differential.test.ts and scripts/verify-fast-parse.mjs compare them).
 * The outline comes from markdown-it's tokens (markdown/fast-outline.ts); where they cannot be sure to
 * describe what micromark reads, the page gets remark-gfm's tree, the reference, and nothing else.
 * Measured before this was so (Exchange, 8,978 pages; Graph, every 10th of 98,130): the
 * outline from micromark's events served the 0.4 % and 1.4 % of pages markdown-it's tokens did not
 * outline, for 0.7 s and about 2 s of CPU less than the tree over a whole corpus, and parsing
 * without autolink literals first (then again with them where the result held a trigger) saved
 * callers that keep the tree nothing on Exchange (9.30 s against 9.25 s) and 7 % on Graph.
 */
export function parseMarkdown(
  text: string,
  bodyOffset: number,
  options: ParseOptions = {},
): { tree: Root; longLines: { line: number; length: number }[]; outlined: boolean } {
  const long = longLinesOf(text);
  const longLines = long.map(({ line, length }) => ({ line, length }));
  // Suppression directives read the extent of any node, list items included, which an outline lacks. A body is
  // placed by lines: one that does not start a line (never so from parseFrontMatter) is the tree's.
  const startsLine = bodyOffset === 0 || text.charCodeAt(bodyOffset - 1) === 0x0a;
  if (options.outline === true && !options.full && startsLine) {
    const body = blanked(bodyOffset > 0 ? text.slice(bodyOffset) : text, long, bodyOffset);
    if (!body.includes('lockstep-disable')) {
      const place = { line: lineFeeds(text.slice(0, bodyOffset)), offset: bodyOffset };
      const outline = parseFastOutline(body, literalLinks, place);
      if (outline) return { tree: outline, longLines, outlined: true };
    }
  }
  // A line's characters at a time (one replacement per character allocated 150 MB over Exchange's 8,978 pages), its
  // line ending kept.
  const masked =
    bodyOffset > 0
      ? text.slice(0, bodyOffset).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)) + text.slice(bodyOffset)
      : text;
  return { tree: processor.parse(blanked(masked, long, 0)), longLines, outlined: false };
}

/**
 * Lines over MAX_LINE_LENGTH (a line ends at a line feed): where each starts and ends in the page. A CR that ends
 * the line with the line feed is its line ending, not the line's: not counted, so that a line is as long in a CR LF
 * page as in another, and not blanked, which would give a CR LF page a line that ends otherwise, and the whole page
 * to the tree (Exchange's largest page, 1.3 s of a cold run's CPU).
 */
function longLinesOf(text: string): { line: number; length: number; start: number; end: number }[] {
  const found: { line: number; length: number; start: number; end: number }[] = [];
  if (text.length <= MAX_LINE_LENGTH) return found;
  let line = 1;
  for (let start = 0; ; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl > 0 && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl === -1 ? text.length : nl;
    if (end - start > MAX_LINE_LENGTH) found.push({ line, length: end - start, start, end });
    if (nl === -1) return found;
    start = nl + 1;
  }
}

/**
 * `text` (which starts at `from` in the page) with its lone carriage returns and the long lines in it blanked. A
 * carriage return alone is a line break to CommonMark but not to anything else that counts this page's lines
 * (editors, diagnostics): blanked, so that every position stays on its line.
 */
function blanked(text: string, long: readonly { start: number; end: number }[], from: number): string {
  const out = text.includes('\r') ? text.replace(/\r(?!\n)/g, ' ') : text;
  const inText = long.filter((l) => l.start >= from);
  if (inText.length === 0) return out;
  const pieces: string[] = [];
  let last = 0;
  for (const { start, end } of inText) {
    pieces.push(out.slice(last, start - from), ' '.repeat(end - start));
    last = end - from;
  }
  return pieces.join('') + out.slice(last);
}

export interface Heading_ {
  depth: number;
  /** Stable section id: the `<a name>` DocFX writes before the text, else GitHub's slug of the text. */
  anchor: string;
  anchorSource: 'a-name' | 'slug';
  /** Visible (possibly translated) text. */
  text: string;
  /** English source text from zh-CN `sxs-lookup` spans, when present. */
  sourceText: string | null;
  line: number;
  column: number;
  /** Set for DocFX tab headings `# [HTTP](#tab/http)`. */
  tab: string | null;
}
export type { Heading_ as PageHeading };

export interface Annotation {
  /** Every key of the ApiDoctor comment, as written. */
  value: Record<string, unknown>;
  line: number;
  column: number;
  /** Line of the fence it applies to; null for page-level annotations (`#page.annotation`) and stray ones. */
  codeLine: number | null;
}

export interface Include {
  name: string;
  path: string;
  line: number;
  column: number;
}
export interface Callout {
  label: string;
  line: number;
}
export interface Link {
  url: string;
  text: string;
  line: number;
  column: number;
  kind: 'inline' | 'definition' | 'tab';
  /** Inside a zh-CN `sxs-lookup` span: the English source, not the translation. */
  inSource: boolean;
  /** For a link whose text holds bilingual spans: the English source text of the link. */
  sourceText?: string;
  /** The source line the link stands on (at most 400 characters): what surrounds its text. */
  context?: string;
}
export interface InlineCode {
  value: string;
  line: number;
  column: number;
  inSource: boolean;
}
/** A cell's visible text (for a zh-CN cell holding bilingual spans, the translation, with its English source apart). */
export interface TableCell {
  text: string;
  sourceText?: string;
  line: number;
  column: number;
}
/** A GFM table: its header row (each column's context) and its body rows. */
export interface Table {
  line: number;
  header: TableCell[];
  rows: TableCell[][];
}
/** Bold or italic text outside link texts and headings, where pages write property and type names. */
export interface Emphasis {
  text: string;
  strong: boolean;
  line: number;
  column: number;
}
export interface Bilingual {
  id: string;
  translation: string;
  source: string;
  line: number;
  column: number;
}
/** `<!-- lockstep-disable rule-id … -->`: silences the rules on the next block (its lines). */
export interface Suppression {
  rules: string[];
  line: number;
  startLine: number;
  endLine: number;
}

/** A fenced code block and where it sits on the page. */
export interface Fence {
  lang: string;
  meta: string | null;
  value: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** First line of content (the line after the opening fence). */
  contentLine: number;
  /** Columns of indentation removed from content lines (fences inside lists and quotes). */
  contentColumnOffset: number;
  section: string[];
  tab: string | null;
  annotation: Annotation | null;
  directives: string[];
  terminated: boolean;
  /** Index among the page's fences, used to tell whether two fences are adjacent. */
  index: number;
  /** True when only comments and blank lines separate this fence from the previous one. */
  adjacentToPrevious: boolean;
}

export interface PageStructure {
  title: string | null;
  headings: Heading_[];
  fences: Fence[];
  annotations: Annotation[];
  includes: Include[];
  callouts: Callout[];
  links: Link[];
  inlineCode: InlineCode[];
  tables: Table[];
  emphasis: Emphasis[];
  bilingual: Bilingual[];
  suppressions: Suppression[];
  diagnostics: Diagnostic[];
}

const A_NAME = /<a\s+(?:name|id)\s*=\s*"([^"]*)"\s*\/?>/i;
const ANNOTATION = /^<!--\s*(\{[\s\S]*\})\s*-->\s*$/;
const DIRECTIVE = /^<!--\s*lockstep-disable(?:-next-block)?\s+([\s\S]*?)\s*-->\s*$/;
const INCLUDE = /\[!INCLUDE\s*\[([^\]]*)\]\(([^)\s]+)\)\s*\]/gi;
const BILINGUAL = new RegExp(
  String.raw`<span data-ttu-id="([^"]+)">([\s\S]*?)</span>` +
    String.raw`<span class="sxs-lookup"><span data-stu-id="[^"]+">([\s\S]*?)</span></span>`,
  'g',
);
const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})/;

/** Extract the DocFX / Microsoft Learn structure of a parsed page. */
export function pageStructure(tree: Root, text: string, file: string): PageStructure {
  const out: PageStructure = {
    title: null,
    headings: [],
    fences: [],
    annotations: [],
    includes: [],
    callouts: [],
    links: [],
    inlineCode: [],
    tables: [],
    emphasis: [],
    bilingual: [],
    suppressions: [],
    diagnostics: [],
  };
  const sectionStack: { depth: number; anchor: string }[] = [];
  let titleSeen = false;
  let currentTab: string | null = null;
  let pendingAnnotation: Annotation | null = null;
  let pendingDirectives: string[] = [];
  let directiveLine = 0;
  let lastFenceEnd = -1;
  let contentSinceFence = true;

  const bilingualAt = collectBilingual(text, out.bilingual);
  const lineAt = linesOf(text);

  const visit = (node: RootContent): void => {
    const start = node.position?.start;
    if (pendingDirectives.length > 0 && node.type !== 'html' && start && node.position) {
      out.suppressions.push({
        rules: pendingDirectives,
        line: directiveLine,
        startLine: start.line,
        endLine: node.position.end.line,
      });
      if (node.type !== 'code') pendingDirectives = [];
    }
    switch (node.type) {
      case 'heading': {
        contentSinceFence = true;
        const heading = readHeading(node, bilingualAt);
        if (heading.tab !== null) {
          currentTab = heading.tab;
          out.links.push({
            url: `#tab/${heading.tab}`,
            text: heading.text,
            line: heading.line,
            column: heading.column,
            kind: 'tab',
            inSource: false,
          });
        } else {
          currentTab = null;
          if (!titleSeen && node.depth === 1) {
            titleSeen = true;
            out.title = heading.text;
          } else {
            while (sectionStack.length > 0 && sectionStack[sectionStack.length - 1]!.depth >= node.depth)
              sectionStack.pop();
            sectionStack.push({ depth: node.depth, anchor: heading.anchor });
          }
        }
        out.headings.push(heading);
        collectInline(node.children, out, heading.tab !== null, { sxsDepth: 0, inHeading: true });
        pendingAnnotation = null;
        return;
      }
      case 'thematicBreak':
        currentTab = null; // DocFX closes a tab group with `---`
        contentSinceFence = true;
        return;
      case 'html': {
        const annotation = readAnnotation(node, file, out.diagnostics);
        if (annotation) {
          out.annotations.push(annotation);
          pendingAnnotation = annotation;
          return;
        }
        const directive = DIRECTIVE.exec(node.value.trim());
        if (directive) {
          pendingDirectives = directive[1]!.split(/[\s,]+/).filter(Boolean);
          directiveLine = start?.line ?? 0;
          return;
        }
        if (!/^<!--[\s\S]*-->$/.test(node.value.trim())) contentSinceFence = true;
        return;
      }
      case 'code': {
        const fence = readFence(
          node,
          text,
          sectionStack.map((s) => s.anchor),
          currentTab,
          out.fences.length,
        );
        if (!fence) {
          contentSinceFence = true;
          return;
        } // an indented code block: not a sample
        if (pendingAnnotation) {
          fence.annotation = pendingAnnotation;
          pendingAnnotation.codeLine = fence.line;
        }
        fence.directives = pendingDirectives;
        fence.adjacentToPrevious = lastFenceEnd !== -1 && !contentSinceFence;
        pendingAnnotation = null;
        pendingDirectives = [];
        lastFenceEnd = fence.endLine;
        contentSinceFence = false;
        out.fences.push(fence);
        if (!fence.terminated) {
          out.diagnostics.push({
            ruleId: 'fence-unterminated',
            severity: 'error',
            file,
            line: fence.line,
            column: fence.column,
            message: `code fence opened on line ${fence.line} is never closed: it runs to line ${fence.endLine}`,
          });
        }
        return;
      }
      case 'definition':
        out.links.push({
          url: node.url,
          text: node.label ?? node.identifier,
          line: start?.line ?? 0,
          column: start?.column ?? 0,
          kind: 'definition',
          inSource: false,
        });
        contentSinceFence = true;
        return;
      case 'blockquote': {
        contentSinceFence = true;
        const first = node.children[0];
        if (first?.type === 'paragraph') {
          const lead = first.children[0];
          const alert = /^\[!(\w+)\]/.exec(lead?.type === 'text' ? lead.value : '');
          if (lead?.type === 'strong')
            out.callouts.push({ label: plainText(lead.children).replace(/[:：.\s]+$/, ''), line: start?.line ?? 0 });
          else if (alert) out.callouts.push({ label: alert[1]!, line: start?.line ?? 0 });
        }
        break;
      }
      case 'paragraph':
      case 'tableCell':
        contentSinceFence = true;
        collectInline(node.children, out, false);
        return;
      case 'table': {
        const table = readTable(node, lineAt);
        if (table) out.tables.push(table);
        break;
      }
      default:
        if (node.type !== 'list' && node.type !== 'listItem' && node.type !== 'tableRow') contentSinceFence = true;
    }
    if ('children' in node) for (const child of node.children as RootContent[]) visit(child);
  };
  // An annotation with no fence after it stays unattached (ApiDoctor ignores it; `#page.annotation` is one).
  for (const child of tree.children) visit(child);
  collectIncludes(text, out);
  addLinkContext(lineAt, out.links);
  return out;
}

function readHeading(node: Heading, bilingualAt: Map<number, Bilingual>): Heading_ {
  const start = node.position!.start;
  let anchor: string | null = null;
  let tab: string | null = null;
  for (const child of node.children) {
    if (child.type === 'html' && anchor === null) {
      const m = A_NAME.exec(child.value);
      if (m) anchor = m[1]!;
    }
    if (child.type === 'link' && child.url.toLowerCase().startsWith('#tab/')) tab = child.url.slice(5);
  }
  const b = bilingualAt.get(start.line);
  const visible = b ? stripMarkdown(b.translation) : plainText(node.children);
  const sourceText = b ? stripMarkdown(b.source) : null;
  return {
    depth: node.depth,
    // No de-duplication suffix (`code-1`): localized pages repeat `<a name="code">`, and ids must align.
    anchor: anchor ?? slug(sourceText ?? visible),
    anchorSource: anchor !== null ? 'a-name' : 'slug',
    text: visible.trim(),
    sourceText,
    line: start.line,
    column: start.column,
    tab,
  };
}

function readAnnotation(node: Html, file: string, diagnostics: Diagnostic[]): Annotation | null {
  const m = ANNOTATION.exec(node.value.trim());
  if (!m) return null;
  const start = node.position!.start;
  const parsed = parseJsonSample(m[1]!);
  if (parsed.value?.type !== 'object') return null;
  if (parsed.errors.length > 0) {
    diagnostics.push({
      ruleId: 'annotation-invalid',
      severity: 'warning',
      file,
      line: start.line,
      column: start.column,
      message: `ApiDoctor annotation is not valid JSON: ${parsed.errors[0]!.message}`,
    });
  }
  const value = toPlain(parsed.value) as Record<string, unknown>;
  return { value, line: start.line, column: start.column, codeLine: null };
}

function readFence(node: Code, text: string, section: string[], tab: string | null, index: number): Fence | null {
  const start = node.position!.start;
  const end = node.position!.end;
  const raw = text.slice(start.offset, end.offset);
  const open = FENCE_OPEN.exec(raw);
  if (!open) return null;
  const marker = open[2]!;
  const lastLine = raw.slice(raw.lastIndexOf('\n') + 1).trim();
  // A marker indented four columns or more past its container is content: the value then holds the
  // last line, where a closed fence's value ends on the line before its close.
  const valueLines = node.value === '' ? 0 : lineFeeds(node.value) + 1;
  const terminated =
    raw.includes('\n') &&
    valueLines !== end.line - start.line &&
    lastLine.length >= marker.length &&
    lastLine[0] === marker[0] &&
    /^(`+|~+)$/.test(lastLine);
  return {
    lang: node.lang ?? '',
    meta: node.meta ?? null,
    value: node.value,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    contentLine: start.line + 1,
    contentColumnOffset: start.column - 1,
    section,
    tab,
    annotation: null,
    directives: [],
    terminated,
    index,
    adjacentToPrevious: false,
  };
}

/**
 * Nesting depth inside a zh-CN `<span class="sxs-lookup">` (the English source), updated by an
 * inline HTML node's span tags: 0 outside it.
 */
function sxsDepthAfter(html: string, depth: number): number {
  // Most inline HTML holds no span (`<br>`, `<a name="…">`): said without a scan.
  if (!html.includes('span')) return depth;
  let d = depth;
  for (const tag of html.matchAll(/<(\/?)span\b[^>]*>/g)) {
    if (tag[1] === '/') {
      if (d > 0) d--;
    } else if (d > 0) d++;
    else if (/class="sxs-lookup"/.test(tag[0])) d = 1;
  }
  return d;
}

/**
 * Links, inline code spans and their lines, from phrasing content. Content inside a
 * zh-CN `sxs-lookup` span is the English source, kept apart from the translation.
 */
function collectInline(
  children: PhrasingContent[],
  out: PageStructure,
  isTabHeading: boolean,
  state = { sxsDepth: 0, inHeading: false },
): void {
  for (const child of children) {
    const start = child.position?.start;
    if (child.type === 'html') {
      state.sxsDepth = sxsDepthAfter(child.value, state.sxsDepth);
      continue;
    }
    const inSource = state.sxsDepth > 0;
    if (child.type === 'link' && !isTabHeading) {
      const texts = bilingualText(child.children);
      out.links.push({
        url: child.url,
        text: texts.translation,
        line: start?.line ?? 0,
        column: start?.column ?? 0,
        kind: 'inline',
        inSource,
        ...(texts.source ? { sourceText: texts.source } : {}),
      });
    }
    if (child.type === 'inlineCode')
      out.inlineCode.push({ value: child.value, line: start?.line ?? 0, column: start?.column ?? 0, inSource });
    if ((child.type === 'strong' || child.type === 'emphasis') && !state.inHeading && !inSource && start) {
      const text = bilingualText(child.children).translation.trim();
      // Link texts are checked as links; emphasis around one adds nothing.
      if (text !== '' && !holdsLinkChild(child.children)) {
        out.emphasis.push({ text, strong: child.type === 'strong', line: start.line, column: start.column });
      }
    }
    // Emphasis inside a link text is part of the link text.
    if (child.type === 'link') continue;
    if ('children' in child) collectInline(child.children as PhrasingContent[], out, isTabHeading, state);
  }
}

/**
 * A table's cells with their places. mdast gives each row's line; a cell's column is found in the
 * row's own line, split at its unescaped pipes as GFM splits it (the cells are in the same order).
 */
function readTable(node: MdastTable, lineAt: (line: number) => string | undefined): Table | null {
  const rows = node.children.map((row) => {
    const line = row.position?.start.line ?? 0;
    // From where the row starts: a header may share its line with a list item's marker (`- | a |`).
    const columns = cellColumns(lineAt(line) ?? '', (row.position?.start.column ?? 1) - 1);
    return row.children.map((cell, k): TableCell => {
      const { translation, source } = bilingualText(cell.children);
      return {
        text: translation.trim(),
        ...(source ? { sourceText: source.trim() } : {}),
        line,
        column: columns[k] ?? 1,
      };
    });
  });
  // Indexed, not destructured: a destructuring goes through the array iterator, whose inlined code V8 throws away
  // (a deoptimization, then a recompile) at the first rows array of another element kind.
  const header = rows[0];
  const body = rows.slice(1);
  if (!header) return null;
  return { line: header[0]?.line ?? node.position?.start.line ?? 0, header, rows: body };
}

/** 1-based columns where each cell's content starts in a table row's line (container markers skipped). */
function cellColumns(row: string, from: number): number[] {
  const start = from + row.slice(from).search(/[^ \t>]/);
  if (start < from) return [];
  const columns: number[] = [];
  let cellStart = row[start] === '|' ? start + 1 : start;
  for (let i = cellStart; i <= row.length; i++) {
    if (i < row.length && (row[i] !== '|' || row[i - 1] === '\\')) continue;
    let first = cellStart;
    while (first < i && (row[first] === ' ' || row[first] === '\t')) first++;
    if (first < i || i < row.length) columns.push(first + 1);
    cellStart = i + 1;
  }
  return columns;
}

function addLinkContext(lineAt: (line: number) => string | undefined, links: Link[]): void {
  for (const link of links) if (link.kind === 'inline') link.context = (lineAt(link.line) ?? '').slice(0, 400);
}

function collectIncludes(text: string, out: PageStructure): void {
  if (!text.includes('[!INCLUDE') && !text.includes('[!include')) return;
  const fenceLines = new Set<number>();
  for (const f of out.fences) for (let l = f.line; l <= f.endLine; l++) fenceLines.add(l);
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(INCLUDE)) {
    for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    last = m.index;
    if (fenceLines.has(line)) continue;
    const column = m.index - text.lastIndexOf('\n', m.index - 1);
    out.includes.push({ name: m[1]!, path: m[2]!, line, column });
  }
}

/** zh-CN bilingual spans; returns them keyed by line for headings to look up. */
function collectBilingual(text: string, into: Bilingual[]): Map<number, Bilingual> {
  const byLine = new Map<number, Bilingual>();
  if (!text.includes('data-ttu-id')) return byLine;
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(BILINGUAL)) {
    for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    last = m.index;
    const column = m.index - text.lastIndexOf('\n', m.index - 1);
    const entry: Bilingual = { id: m[1]!, translation: m[2]!, source: m[3]!, line, column };
    into.push(entry);
    if (!byLine.has(line)) byLine.set(line, entry);
  }
  return byLine;
}

/** Text of phrasing content split into the translation and the English `sxs-lookup` source. */
function bilingualText(children: readonly PhrasingContent[]): { translation: string; source: string } {
  let translation = '';
  let source = '';
  let depth = 0;
  const walk = (nodes: readonly PhrasingContent[]) => {
    for (const node of nodes) {
      if (node.type === 'html') depth = sxsDepthAfter(node.value, depth);
      else if (node.type === 'text' || node.type === 'inlineCode') {
        if (depth > 0) source += node.value;
        else translation += node.value;
      } else if ('children' in node) walk(node.children as PhrasingContent[]);
    }
  };
  walk(children);
  return { translation, source };
}

/**
 * Whether one of the nodes is a link. A loop, not `some`: the outline's arrays and mdast's differ in element kind,
 * and V8 deoptimizes `collectInline`'s inlined `some` at the first array of the other kind.
 */
function holdsLinkChild(children: readonly PhrasingContent[]): boolean {
  for (let k = 0; k < children.length; k++) if (children[k]!.type === 'link') return true;
  return false;
}

/** Visible text of phrasing content: HTML tags dropped, link texts kept. */
export function plainText(children: readonly PhrasingContent[]): string {
  let out = '';
  for (const child of children) {
    if (child.type === 'text' || child.type === 'inlineCode') out += child.value;
    else if (child.type === 'break') out += ' ';
    else if ('children' in child) out += plainText(child.children as PhrasingContent[]);
  }
  return out;
}

/** Strip inline markdown and tags from a bilingual span's text. */
function stripMarkdown(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .trim();
}
