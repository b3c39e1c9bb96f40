import type { JsonValue } from '../formats/json.js';
import type { HttpBody } from '../formats/http.js';
import type { Sample } from '../sample/sample.js';
import type { XmlElement } from '../formats/xml.js';
import { lineStarts, offsetToPosition } from '../util/text.js';

/** Where a protected identifier was seen. */
export type TermOrigin =
  | 'xml-element'
  | 'xml-attribute'
  | 'json-key'
  | 'value'
  | 'http-header'
  | 'path-segment'
  | 'link-target'
  | 'code'
  | 'api-name'
  | 'table-name';

/** The origins of names written in samples (the others come from the prose around them). */
export const SAMPLE_ORIGINS: readonly TermOrigin[] = [
  'xml-element',
  'xml-attribute',
  'json-key',
  'value',
  'http-header',
  'path-segment',
];

/** An identifier in a sample, placed on its page. */
export interface SampleToken {
  term: string;
  origin: TermOrigin;
  line: number;
  column: number;
}

/**
 * What may be an API identifier when it stands alone: a name of letters, digits and `_ . : @ $ -`,
 * starting with a letter, `_`, `@` or `$` and holding a letter. `#microsoft.graph.user` is read
 * without its `#`.
 */
const IDENTIFIER = /^[A-Za-z_@$][\w.:@$-]*$/;
/** Letters of the locales' own scripts (Cyrillic, Han, kana, Hangul): never part of an API name. */
export const LOCAL_LETTER =
  /[\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export const isIdentifierLike = (text: string): boolean =>
  text.length >= 2 && text.length <= 100 && IDENTIFIER.test(text) && /[A-Za-z]/.test(text);

/**
 * A value that reads as an enum member or type name rather than data: a single word or a dotted
 * name, no digits run (ids, dates, versions), at most 60 characters.
 */
const isValueTerm = (text: string): boolean =>
  isIdentifierLike(text) && text.length <= 60 && !/\d{3,}/.test(text) && !/^(true|false|null)$/i.test(text);

/** `\w` of a regular expression without the `u` flag: ASCII letters, digits and `_`. */
const isWordChar = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

/**
 * The word stands whole in the text (no `\w` character touches it), bare or followed by one of the
 * suffixes. What `(?<!\w)word(?:suffix|…)?(?!\w)` matches, without compiling a pattern per
 * identifier: a run meets tens of thousands of them, and each compiled pattern stays in memory.
 */
export function standsAsWord(text: string, word: string, suffixes: readonly string[] = []): boolean {
  if (word === '') return false;
  const free = (at: number) => at >= text.length || !isWordChar(text.charCodeAt(at));
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (at > 0 && isWordChar(text.charCodeAt(at - 1))) continue;
    const end = at + word.length;
    if (free(end)) return true;
    for (const suffix of suffixes) if (text.startsWith(suffix, end) && free(end + suffix.length)) return true;
  }
  return false;
}

const tokensOf = new WeakMap<Sample, SampleToken[]>();
/**
 * The identifiers of a sample (element and attribute names, JSON keys, enum-like values, headers, path
 * segments), computed once per sample: the vocabulary and sample-damaged both read them.
 */
export function sampleTokens(sample: Sample): SampleToken[] {
  let tokens = tokensOf.get(sample);
  if (!tokens) {
    tokens = readSampleTokens(sample);
    tokensOf.set(sample, tokens);
  }
  return tokens;
}

/** A name a sample writes, and where it was seen, without its place on a page. */
export interface SampleTerm {
  term: string;
  origin: TermOrigin;
}

const termsOfContent = new WeakMap<object, SampleTerm[]>();
/**
 * The names of a sample with their origins (what `sampleTokens` gives, unplaced), computed once per parse: the
 * locales of a group show the same sample text, mostly, and share its parse (sample/extract.ts), so the vocabulary
 * walks each one once, not once per page (on Graph its tokens were 1.7 % of the workers' time).
 */
export function sampleTerms(sample: Sample): readonly SampleTerm[] {
  const content = parseOf(sample);
  if (content === null) return readSampleTokens(sample);
  let terms = termsOfContent.get(content);
  if (!terms) {
    terms = readSampleTokens(sample).map(({ term, origin }) => ({ term, origin }));
    termsOfContent.set(content, terms);
  }
  return terms;
}

/** The parse a sample's names are read from, which pages showing the same text share; null when none. */
function parseOf(sample: Sample): object | null {
  switch (sample.kind) {
    case 'xml':
      return sample.xml;
    case 'json':
      return sample.json;
    case 'text':
      return null;
    default:
      return sample.http;
  }
}

function readSampleTokens(sample: Sample): SampleToken[] {
  const out: SampleToken[] = [];
  const at = (line: number, column: number) => ({
    line: sample.contentLine + line - 1,
    column: column + sample.contentColumnOffset,
  });
  switch (sample.kind) {
    case 'xml':
      for (const root of sample.xml.roots) xmlTokens(root, 1, out, at);
      break;
    case 'json':
      if (sample.json.value) jsonTokens(sample.json.value, sample.text, 1, out, at);
      break;
    case 'http-request':
    case 'http-response': {
      const http = sample.http;
      if (!http) break;
      if (http.type === 'request') pathTokens(http.target, out, at(1, 1).line - 1);
      for (const h of http.headers) out.push({ term: h.name, origin: 'http-header', ...at(h.line, 1) });
      if (http.body) bodyTokens(http.body, out, at);
      break;
    }
    case 'http-request-lines':
      for (const alternative of sample.http.alternatives)
        pathTokens(alternative.target, out, alternative.line + sample.contentLine - 2);
      break;
    default:
      break;
  }
  return out;
}

type Place = (line: number, column: number) => { line: number; column: number };

function xmlTokens(element: XmlElement, lineBase: number, out: SampleToken[], at: Place): void {
  const place = at(element.line + lineBase - 1, element.column);
  out.push({ term: element.local, origin: 'xml-element', ...place });
  for (const a of element.attributes) {
    if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
    out.push({ term: a.local, origin: 'xml-attribute', ...place });
    if (isValueTerm(a.value)) out.push({ term: a.value, origin: 'value', ...place });
  }
  for (const child of element.children) {
    if (child.type === 'element') xmlTokens(child, lineBase, out, at);
    else if (isValueTerm(child.value.trim())) out.push({ term: child.value.trim(), origin: 'value', ...place });
  }
}

function jsonTokens(value: JsonValue, text: string, lineBase: number, out: SampleToken[], at: Place): void {
  let starts: number[] | undefined;
  const place = (offset: number) => {
    // A binary search in the sample's line starts: scanning from the top for each key is quadratic.
    const p = offsetToPosition((starts ??= lineStarts(text)), offset);
    return at(p.line + lineBase - 1, p.column);
  };
  const walk = (v: JsonValue) => {
    if (v.type === 'object') {
      for (const m of v.members) {
        if (isIdentifierLike(m.key)) out.push({ term: m.key, origin: 'json-key', ...place(m.keyOffset + 1) });
        walk(m.value);
      }
    } else if (v.type === 'array') {
      for (const item of v.items) walk(item);
    } else if (v.type === 'string' && typeof v.value === 'string') {
      const term = v.value.startsWith('#') ? v.value.slice(1) : v.value;
      if (isValueTerm(term)) out.push({ term, origin: 'value', ...place(v.offset + 1) });
    }
  };
  walk(value);
}

function bodyTokens(body: HttpBody, out: SampleToken[], at: Place): void {
  if (body.type === 'json' && body.json.value) jsonTokens(body.json.value, body.text, body.line, out, at);
  else if (body.type === 'xml') for (const root of body.xml.roots) xmlTokens(root, body.line, out, at);
}

/** `/users/{id}/calendar/events?$select=subject` → users, calendar, events (placeholders and ids left out). */
function pathTokens(target: string, out: SampleToken[], line: number): void {
  const path = target.replace(/^[a-z]+:\/\/[^/]+/i, '').split(/[?#]/)[0]!;
  for (const segment of path.split('/')) {
    const name = segment.replace(/\(.*$/, '');
    if (isValueTerm(name) && !name.includes('{'))
      out.push({ term: name, origin: 'path-segment', line: line + 1, column: 1 });
  }
}
