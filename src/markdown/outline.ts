/**
 * The phrasing outline of one block, from micromark's events: the mdast nodes `pageStructure`
 * reads, built without mdast-util-from-markdown (which spends a third of a parse on a context
 * object per event and positions of every text node). The markdown-it outline (markdown/fast-outline.ts)
 * hands it a block's inline content where micromark must tokenize it (autolink literals, `~`).
 * It follows mdast-util-from-markdown's handlers for the nodes kept: the same node types, values,
 * urls, labels and start/end positions. Autolink literals are made as remark-gfm makes them: from
 * their syntax's events, then by mdast-util-gfm-autolink-literal's own transform over the text.
 */
import { parse, postprocess, preprocess } from 'micromark';
import type { Event, Extension, Token } from 'micromark-util-types';
import { decodeNumericCharacterReference } from 'micromark-util-decode-numeric-character-reference';
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import { normalizeIdentifier } from 'micromark-util-normalize-identifier';
import { toString } from 'mdast-util-to-string';
import type { Nodes, Root } from 'mdast';

/** A tree transform of an mdast-util-from-markdown extension, run on the outline as on the tree. */
export type OutlineTransform = (tree: Root) => Root | null | undefined | void;

/** Where a node starts or ends (micromark's points carry more). */
export interface OutlinePoint {
  line: number;
  column: number;
  offset: number;
}

/** A node of the outline: an mdast node with only the fields `pageStructure` reads. */
export interface OutlineNode {
  type: string;
  children?: OutlineNode[];
  value?: string;
  position?: { start: OutlinePoint; end: OutlinePoint | undefined };
  depth?: number;
  url?: string;
  lang?: string | null;
  meta?: string | null;
  alt?: string | null;
  label?: string | null;
  identifier?: string;
}

/** mdast-util-from-markdown's `canContainEols` with GFM strikethrough's `delete`: where a line ending is text. */
const CAN_CONTAIN_EOLS = new Set(['emphasis', 'fragment', 'heading', 'paragraph', 'strong', 'delete']);

/** Nodes made on an `enter` event (mdast-util-from-markdown's `opener`s), by token type. */
const OPENERS: Record<string, () => OutlineNode> = {
  paragraph: () => ({ type: 'paragraph', children: [] }),
  atxHeading: () => ({ type: 'heading', depth: 0, children: [] }),
  setextHeading: () => ({ type: 'heading', depth: 0, children: [] }),
  blockQuote: () => ({ type: 'blockquote', children: [] }),
  listOrdered: () => ({ type: 'list', children: [] }),
  listUnordered: () => ({ type: 'list', children: [] }),
  thematicBreak: () => ({ type: 'thematicBreak' }),
  codeFenced: () => ({ type: 'code', lang: null, meta: null, value: '' }),
  codeIndented: () => ({ type: 'code', lang: null, meta: null, value: '' }),
  htmlFlow: () => ({ type: 'html', value: '' }),
  htmlText: () => ({ type: 'html', value: '' }),
  codeText: () => ({ type: 'inlineCode', value: '' }),
  definition: () => ({ type: 'definition', identifier: '', label: null, url: '' }),
  emphasis: () => ({ type: 'emphasis', children: [] }),
  strong: () => ({ type: 'strong', children: [] }),
  strikethrough: () => ({ type: 'delete', children: [] }),
  hardBreakEscape: () => ({ type: 'break' }),
  hardBreakTrailing: () => ({ type: 'break' }),
  image: () => ({ type: 'image', url: '', alt: null }),
  link: () => ({ type: 'link', url: '', children: [] }),
  autolink: () => ({ type: 'link', url: '', children: [] }),
  table: () => ({ type: 'table', children: [] }),
  tableRow: () => ({ type: 'tableRow', children: [] }),
  tableData: () => ({ type: 'tableCell', children: [] }),
  tableHeader: () => ({ type: 'tableCell', children: [] }),
  gfmFootnoteDefinition: () => ({ type: 'footnoteDefinition', identifier: '', label: '', children: [] }),
  gfmFootnoteCall: () => ({ type: 'footnoteReference', identifier: '', label: '' }),
  literalAutolink: () => ({ type: 'link', url: '', children: [] }),
};
/** Tokens whose content is collected apart (mdast-util-from-markdown's `buffer`), alone or right after their node. */
const BUFFERED = new Set([
  'codeIndented',
  'htmlFlow',
  'htmlText',
  'codeText',
  'codeFencedFenceInfo',
  'codeFencedFenceMeta',
  'definitionLabelString',
  'definitionDestinationString',
  'definitionTitleString',
  'label',
  'referenceString',
  'resourceDestinationString',
  'resourceTitleString',
  'gfmFootnoteCallString',
  'gfmFootnoteDefinitionLabelString',
]);
/** Tokens whose text becomes (part of) a text node. */
const DATA = new Set([
  'data',
  'characterEscape',
  'characterReference',
  'codeTextData',
  'codeFlowValue',
  'htmlFlowData',
  'htmlTextData',
  'autolinkProtocol',
  'autolinkEmail',
  'literalAutolinkHttp',
  'literalAutolinkWww',
  'literalAutolinkEmail',
]);
/** Tokens whose exit closes their node and does nothing else. */
const PLAIN_CLOSERS = new Set([
  'atxHeading',
  'autolink',
  'blockQuote',
  'definition',
  'emphasis',
  'listOrdered',
  'listUnordered',
  'paragraph',
  'strong',
  'thematicBreak',
  'strikethrough',
  'tableRow',
  'tableData',
  'tableHeader',
  'gfmFootnoteCall',
  'gfmFootnoteDefinition',
  'literalAutolink',
]);

/** Events to outline, following mdast-util-from-markdown's handlers for the nodes kept. */
function compileOutline(events: Event[], transforms: readonly OutlineTransform[], rootType = 'root'): Root {
  // Phrasing compiled on its own stands for a paragraph's or heading's, which keep line endings.
  const root: OutlineNode = { type: rootType, children: [] };
  const stack: OutlineNode[] = [root];
  let inTable = false;
  let atHardBreak = false;
  let setextSlurp = false;
  let flowCodeInside = false;
  let inReference = false;
  let characterReferenceType: string | undefined;

  const top = () => stack[stack.length - 1]!;
  const open = (node: OutlineNode, token: Token) => {
    node.position = { start: token.start, end: undefined };
    top().children!.push(node);
    stack.push(node);
  };
  const close = (token: Token) => {
    stack.pop()!.position!.end = token.end;
  };
  const buffer = () => {
    stack.push({ type: 'fragment', children: [] });
  };
  const resume = () => toString(stack.pop() as unknown as Nodes);
  /** The buffered fragment's text, set on the node beneath it (popped first, so that `top()` is that node). */
  const resumeInto = (key: 'lang' | 'meta' | 'value' | 'url' | 'label', tidy = (text: string) => text) => {
    const text = tidy(resume());
    top()[key] = text;
  };
  const enterData = () => {
    const siblings = top().children!;
    let tail = siblings[siblings.length - 1];
    if (!tail || tail.type !== 'text') {
      tail = { type: 'text', value: '' };
      siblings.push(tail);
    }
    stack.push(tail);
  };
  const exitData = (text: string) => {
    stack.pop()!.value += text;
  };

  for (const [kind, token, context] of events) {
    const type = token.type as string;
    if (kind === 'enter') {
      const make = OPENERS[type];
      if (make) {
        open(make(), token);
        if (type === 'table') inTable = true;
      }
      if (BUFFERED.has(type)) buffer();
      else if (DATA.has(type)) enterData();
      continue;
    }
    if (PLAIN_CLOSERS.has(type)) {
      close(token);
      continue;
    }
    switch (type) {
      case 'data':
      case 'characterEscapeValue':
      case 'codeFlowValue':
      case 'codeTextData':
      case 'htmlFlowData':
      case 'htmlTextData':
        exitData(context.sliceSerialize(token));
        break;
      case 'lineEnding':
        if (atHardBreak) {
          atHardBreak = false;
          break;
        }
        if (!setextSlurp && CAN_CONTAIN_EOLS.has(top().type)) {
          enterData();
          exitData(context.sliceSerialize(token));
        }
        break;
      case 'atxHeadingSequence':
        if (!top().depth) top().depth = context.sliceSerialize(token).length;
        break;
      case 'setextHeadingText':
        setextSlurp = true;
        break;
      case 'setextHeadingLineSequence':
        top().depth = context.sliceSerialize(token).codePointAt(0) === 61 ? 1 : 2;
        break;
      case 'setextHeading':
        setextSlurp = false;
        close(token);
        break;
      case 'characterReferenceMarkerHexadecimal':
      case 'characterReferenceMarkerNumeric':
        characterReferenceType = type;
        break;
      case 'characterReferenceValue': {
        const data = context.sliceSerialize(token);
        top().value += characterReferenceType
          ? decodeNumericCharacterReference(
              data,
              characterReferenceType === 'characterReferenceMarkerNumeric' ? 10 : 16,
            )
          : (decodeNamedCharacterReference(data) as string);
        characterReferenceType = undefined;
        break;
      }
      case 'characterReference':
        stack.pop();
        break;
      case 'autolinkProtocol':
      case 'autolinkEmail':
      case 'literalAutolinkHttp':
      case 'literalAutolinkWww':
      case 'literalAutolinkEmail': {
        const text = context.sliceSerialize(token);
        exitData(text);
        top().url =
          (type === 'autolinkEmail' || type === 'literalAutolinkEmail'
            ? 'mailto:'
            : type === 'literalAutolinkWww'
              ? 'http://'
              : '') + text;
        break;
      }
      case 'codeFencedFence':
        if (!flowCodeInside) {
          buffer();
          flowCodeInside = true;
        }
        break;
      case 'codeFencedFenceInfo':
        resumeInto('lang');
        break;
      case 'codeFencedFenceMeta':
        resumeInto('meta');
        break;
      case 'codeFenced':
        resumeInto('value', (text) => text.replace(/^(\r?\n|\r)|(\r?\n|\r)$/g, ''));
        flowCodeInside = false;
        close(token);
        break;
      case 'codeIndented':
        resumeInto('value', (text) => text.replace(/(\r?\n|\r)$/g, ''));
        close(token);
        break;
      case 'codeText':
        // GFM tables: `\|` in code in a cell is a pipe (mdast-util-gfm-table).
        resumeInto('value', (text) =>
          inTable ? text.replace(/\\([\\|])/g, (all: string, c: string) => (c === '|' ? c : all)) : text,
        );
        close(token);
        break;
      case 'htmlFlow':
      case 'htmlText':
        resumeInto('value');
        close(token);
        break;
      case 'hardBreakEscape':
      case 'hardBreakTrailing':
        atHardBreak = true;
        close(token);
        break;
      case 'definitionLabelString': {
        resumeInto('label');
        top().identifier = normalizeIdentifier(context.sliceSerialize(token)).toLowerCase();
        break;
      }
      case 'definitionDestinationString':
      case 'resourceDestinationString':
        resumeInto('url');
        break;
      case 'definitionTitleString':
      case 'resourceTitleString':
      case 'referenceString':
      case 'gfmFootnoteCallString':
      case 'gfmFootnoteDefinitionLabelString':
        resume();
        break;
      case 'label': {
        const fragment = top();
        const alt = resume();
        const node = top();
        inReference = true;
        if (node.type === 'link') node.children = fragment.children;
        else node.alt = alt;
        break;
      }
      case 'resource':
        inReference = false;
        break;
      case 'link':
      case 'image': {
        const node = top();
        if (inReference) {
          node.type += 'Reference';
          delete node.url;
        }
        close(token);
        break;
      }
      case 'table':
        close(token);
        inTable = false;
        break;
      default:
    }
  }
  let tree = root as unknown as Root;
  for (const transform of transforms) tree = transform(tree) || tree;
  return tree;
}

/**
 * micromark's parser for these extensions, made once: `parse` combines the extensions on every
 * call (2 % of a lint run when it was made per block). A text tokenizer only reads its constructs;
 * the parser's state (definitions, lazy lines) is the document tokenizer's.
 */
const parsers = new WeakMap<Extension[], ReturnType<typeof parse>>();
function parserFor(extensions: Extension[]): ReturnType<typeof parse> {
  let parser = parsers.get(extensions);
  if (!parser) parsers.set(extensions, (parser = parse({ extensions })));
  return parser;
}

/**
 * The phrasing content of one paragraph, heading or table cell, tokenized as micromark tokenizes
 * its text (`text` is that content: no container markers, no line indentation), compiled as above.
 * Positions are offsets into `text`.
 */
export function parsePhrasingOutline(
  text: string,
  extensions: Extension[],
  transforms: readonly OutlineTransform[] = [],
): Root['children'] {
  // micromark drops a byte order mark that starts what it reads: one the phrasing starts with is text.
  const read = preprocess();
  read('', undefined, false);
  const outline = compileOutline(
    postprocess(
      parserFor(extensions)
        .text()
        .write(read(text, undefined, true)),
    ),
    transforms,
    'paragraph',
  );
  return outline.children;
}
