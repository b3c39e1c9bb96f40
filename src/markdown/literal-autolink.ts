/**
 * GFM's autolink literals as micromark-extension-gfm-autolink-literal's syntax reads them, on the
 * raw characters of a block's inline content: where one starts and where it ends. The markdown-it
 * outline (markdown/fast-outline.ts) calls it on the text it knows to be plain; what the syntax
 * leaves, mdast-util-gfm-autolink-literal's transform then finds in the text nodes, as remark-gfm
 * does. Written here, not imported: the extension is a micromark state machine, usable only inside
 * micromark's tokenizer, and running that tokenizer per block was a second route to a page's
 * structure. The states below follow the extension's (2.1) one for one; the differential property
 * test (test/parse-differential.test.ts) compares the result with remark-gfm's tree.
 */
import {
  asciiAlpha,
  asciiAlphanumeric,
  asciiControl,
  unicodePunctuation,
  unicodeWhitespace,
} from 'micromark-util-character';

/** A character code of the content, or null before its start and past its end (micromark's EOF). */
type Code = number | null;

export interface LiteralAutolink {
  kind: 'www' | 'http' | 'email';
  /** Offsets in the content: the literal is `content.slice(start, end)`. */
  start: number;
  end: number;
}

const codeAt = (text: string, index: number): Code =>
  index >= 0 && index < text.length ? text.charCodeAt(index) : null;
/** micromark's `markdownLineEndingOrSpace`, on raw characters (it reads tabs and line endings as negative codes). */
const lineEndingOrSpace = (code: Code) => code === 9 || code === 10 || code === 13 || code === 32;
/** What an e-mail address literal is made of before its `@` (GFM's atext). */
export const isAddressCharacter = (code: Code): boolean =>
  code === 43 || code === 45 || code === 46 || code === 95 || asciiAlphanumeric(code);
const isW = (code: Code) => code === 87 || code === 119;
const isH = (code: Code) => code === 72 || code === 104;

const previousWww = (code: Code) =>
  code === null ||
  code === 40 ||
  code === 42 ||
  code === 95 ||
  code === 91 ||
  code === 93 ||
  code === 126 ||
  lineEndingOrSpace(code);
const previousProtocol = (code: Code) => !asciiAlpha(code);
const previousEmail = (code: Code) => !(code === 47 || isAddressCharacter(code));

/**
 * The literal starting at `index`, tried as micromark tries them (an e-mail address first, then
 * `http(s)://` or `www.`), or null. Labels still open before `index` are the caller's to rule out:
 * the syntax makes no literal inside one.
 */
export function literalAt(text: string, index: number): LiteralAutolink | null {
  const code = codeAt(text, index);
  const previous = codeAt(text, index - 1);
  if (isAddressCharacter(code) && previousEmail(previous)) {
    const end = emailEnd(text, index);
    if (end !== -1) return { kind: 'email', start: index, end };
  }
  if (isH(code) && previousProtocol(previous)) {
    const end = protocolEnd(text, index);
    if (end !== -1) return { kind: 'http', start: index, end };
  }
  if (isW(code) && previousWww(previous)) {
    const end = wwwEnd(text, index);
    if (end !== -1) return { kind: 'www', start: index, end };
  }
  return null;
}

function emailEnd(text: string, index: number): number {
  let at = index;
  while (isAddressCharacter(codeAt(text, at))) at++;
  if (codeAt(text, at) !== 64) return -1;
  at++;
  let data = false;
  let dot = false;
  for (;;) {
    const code = codeAt(text, at);
    // A dot followed by no letter or digit ends the address before it.
    if (code === 46 && asciiAlphanumeric(codeAt(text, at + 1))) {
      dot = true;
      at++;
    } else if (code !== 46 && (code === 45 || code === 95 || asciiAlphanumeric(code))) {
      data = true;
      at++;
    } else break;
  }
  return data && dot && asciiAlpha(codeAt(text, at - 1)) ? at : -1;
}

function protocolEnd(text: string, index: number): number {
  let at = index;
  let protocol = '';
  while (asciiAlpha(codeAt(text, at)) && protocol.length < 5) protocol += text[at++];
  if (codeAt(text, at) !== 58) return -1;
  const lower = protocol.toLowerCase();
  if (lower !== 'http' && lower !== 'https') return -1;
  if (codeAt(text, at + 1) !== 47 || codeAt(text, at + 2) !== 47) return -1;
  at += 3;
  const code = codeAt(text, at);
  if (code === null || asciiControl(code) || lineEndingOrSpace(code) || unicodeWhitespace(code)) return -1;
  if (unicodePunctuation(code)) return -1;
  const domain = domainEnd(text, at);
  return domain === -1 ? -1 : pathEnd(text, domain);
}

function wwwEnd(text: string, index: number): number {
  // `www.` (any case) with something after it; the prefix is part of the domain.
  if (!isW(codeAt(text, index + 1)) || !isW(codeAt(text, index + 2)) || codeAt(text, index + 3) !== 46) return -1;
  if (codeAt(text, index + 4) === null) return -1;
  const domain = domainEnd(text, index);
  return domain === -1 ? -1 : pathEnd(text, domain);
}

function domainEnd(text: string, index: number): number {
  let underscoreInLast = false;
  let underscoreInLastButOne = false;
  let seen = false;
  let at = index;
  for (;;) {
    const code = codeAt(text, at);
    if (code === 46 || code === 95) {
      if (isTrail(text, at)) break;
      if (code === 95) underscoreInLast = true;
      else {
        underscoreInLastButOne = underscoreInLast;
        underscoreInLast = false;
      }
      at++;
      continue;
    }
    if (
      code === null ||
      lineEndingOrSpace(code) ||
      unicodeWhitespace(code) ||
      (code !== 45 && unicodePunctuation(code))
    )
      break;
    seen = true;
    at++;
  }
  return underscoreInLast || underscoreInLastButOne || !seen ? -1 : at;
}

/** Characters that end a path when only trail follows them (`!"&')*,.:;<?]_~`). */
const PATH_PUNCTUATION = new Set([33, 34, 38, 39, 41, 42, 44, 46, 58, 59, 60, 63, 93, 95, 126]);

function pathEnd(text: string, index: number): number {
  let open = 0;
  let close = 0;
  let at = index;
  for (;;) {
    const code = codeAt(text, at);
    if (code === 40) {
      open++;
      at++;
      continue;
    }
    if (code === 41 && close < open) {
      close++;
      at++;
      continue;
    }
    if (code !== null && PATH_PUNCTUATION.has(code)) {
      if (isTrail(text, at)) return at;
      if (code === 41) close++;
      at++;
      continue;
    }
    if (code === null || lineEndingOrSpace(code) || unicodeWhitespace(code)) return at;
    at++;
  }
}

/** Characters a literal's trail may hold. */
const TRAIL = new Set([33, 34, 39, 41, 42, 44, 46, 58, 59, 63, 95, 126]);

/** Whether what starts at `index` is trail: punctuation (and character references) up to the literal's end. */
function isTrail(text: string, index: number): boolean {
  let at = index;
  for (;;) {
    const code = codeAt(text, at);
    if (code !== null && TRAIL.has(code)) {
      at++;
      continue;
    }
    if (code === 38) {
      at++;
      if (!asciiAlpha(codeAt(text, at))) return false;
      while (asciiAlpha(codeAt(text, at))) at++;
      if (codeAt(text, at) !== 59) return false;
      at++;
      continue;
    }
    if (code === 93) {
      at++;
      const after = codeAt(text, at);
      if (after === null || after === 40 || after === 91 || lineEndingOrSpace(after) || unicodeWhitespace(after))
        return true;
      continue;
    }
    return code === 60 || code === null || lineEndingOrSpace(code) || unicodeWhitespace(code);
  }
}
