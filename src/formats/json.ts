/**
 * A tolerant parser for the JSON that API documentation actually contains.
 *
 * Written by hand on purpose: documentation JSON is not JSON. It elides content
 * with `...` (bare, as a member, as an element, or as a value), carries `//` and
 * block comments, and is often truncated. Standard parsers (JSON.parse, and even
 * jsonc-parser) either reject those outright or lose the positions we need to
 * point at a page's line. This parser records ellipses and comments as part of
 * the model, reports real syntax errors with offsets and a named cause, and
 * recovers where it can so that one bad comma does not hide the rest.
 */

export interface JsonNodeBase {
  /** Offset of the node's first character in the parsed text. */
  offset: number;
  /** Offset just past the node's last character. */
  end: number;
}
export interface JsonObject extends JsonNodeBase {
  type: 'object';
  members: JsonMember[];
  /** True when a member position holds an ellipsis: more members may exist. */
  ellipsis: boolean;
}
export interface JsonMember {
  key: string;
  keyOffset: number;
  value: JsonValue;
}
export interface JsonArray extends JsonNodeBase {
  type: 'array';
  items: JsonValue[];
  /** True when an element position holds an ellipsis: more elements may exist. */
  ellipsis: boolean;
}
export interface JsonScalar extends JsonNodeBase {
  type: 'string' | 'number' | 'boolean' | 'null';
  value: string | number | boolean | null;
  /** The number exactly as written (documents compare `1.0` and `1` as different text). */
  raw: string;
}
/** A bare `...` or `…` standing in for a value: anything matches it. */
export interface JsonEllipsis extends JsonNodeBase {
  type: 'ellipsis';
}
export type JsonValue = JsonObject | JsonArray | JsonScalar | JsonEllipsis;

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

export interface JsonDocument {
  /** Best-effort value; null when nothing could be parsed. */
  value: JsonValue | null;
  errors: JsonSyntaxError[];
  ellipses: number;
  comments: number;
}

const HTML_ENTITY = /^&(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#x[0-9a-fA-F]+);/;
/** A JSON number where the parser stands (sticky), and at the start of a text. */
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_START = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const;
/** Escapes that stand for one character. */
const SIMPLE_ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

/** Deeper nesting is an error, not a stack overflow. */
export const MAX_JSON_DEPTH = 256;

class Parser {
  private pos = 0;
  private depth = 0;
  readonly errors: JsonSyntaxError[] = [];
  ellipses = 0;
  comments = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonDocument {
    this.skipTrivia();
    if (this.pos >= this.text.length) {
      return {
        value: null,
        errors: [{ offset: 0, message: 'empty JSON sample' }],
        ellipses: 0,
        comments: this.comments,
      };
    }
    const value = this.parseValue();
    this.skipTrivia();
    if (this.pos < this.text.length && this.errors.length === 0) {
      this.error(this.pos, `unexpected ${this.describe(this.pos)} after the end of the JSON value`);
    }
    return { value, errors: this.errors, ellipses: this.ellipses, comments: this.comments };
  }

  private error(offset: number, message: string): void {
    // Keep the first errors only: later ones are usually consequences of the first.
    if (this.errors.length < 5) this.errors.push({ offset, message });
  }

  private describe(offset: number): string {
    if (offset >= this.text.length) return 'end of text';
    const rest = this.text.slice(offset);
    const entity = HTML_ENTITY.exec(rest);
    if (entity) return `HTML entity \`${entity[0]}\``;
    const ch = rest[0]!;
    if (ch === '\u201c' || ch === '\u201d' || ch === '\u00ab' || ch === '\u00bb' || ch === '\uff02')
      return `typographic quote \`${ch}\``;
    return `\`${ch === '\n' ? '\\n' : ch}\``;
  }

  private skipTrivia(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff || c === 0xa0) {
        this.pos++;
        continue;
      }
      if (c === 47 /* / */) {
        const next = t.charCodeAt(this.pos + 1);
        if (next === 47) {
          const nl = t.indexOf('\n', this.pos);
          this.pos = nl === -1 ? t.length : nl + 1;
          this.comments++;
          continue;
        }
        if (next === 42) {
          const close = t.indexOf('*/', this.pos + 2);
          if (close === -1) {
            this.error(this.pos, 'unterminated block comment');
            this.pos = t.length;
            return;
          }
          this.pos = close + 2;
          this.comments++;
          continue;
        }
      }
      return;
    }
  }

  private atEllipsis(): number {
    if (this.text.startsWith('...', this.pos)) {
      let n = 3;
      while (this.text[this.pos + n] === '.') n++;
      return n;
    }
    return this.text[this.pos] === '\u2026' ? 1 : 0;
  }

  private parseValue(): JsonValue | null {
    this.skipTrivia();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === undefined) {
      this.error(start, 'JSON ends where a value was expected (truncated sample?)');
      return null;
    }
    if (c === '{' || c === '[') {
      if (this.depth >= MAX_JSON_DEPTH) {
        this.error(start, `nested deeper than ${MAX_JSON_DEPTH} levels: not parsed further`);
        this.pos = this.text.length;
        return null;
      }
      this.depth++;
      try {
        return c === '{' ? this.parseObject() : this.parseArray();
      } finally {
        this.depth--;
      }
    }
    if (c === '"') return this.parseString();
    const dots = this.atEllipsis();
    if (dots) {
      this.pos += dots;
      this.ellipses++;
      return { type: 'ellipsis', offset: start, end: this.pos };
    }
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(this.text);
    if (m) {
      // A number is read from its first 64 characters.
      const raw = m[0].length > 64 ? NUMBER_START.exec(this.text.slice(start, start + 64))![0] : m[0];
      this.pos += raw.length;
      return { type: 'number', value: Number(raw), raw, offset: start, end: this.pos };
    }
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, start)) {
        this.pos += word.length;
        return { type: value === null ? 'null' : 'boolean', value, raw: word, offset: start, end: this.pos };
      }
    }
    this.error(start, `unexpected ${this.describe(start)} where a value was expected`);
    return null;
  }

  private parseString(): JsonScalar | null {
    const start = this.pos;
    const t = this.text;
    let i = start + 1;
    let out = '';
    // Characters from `run` on are added as one slice (a string a character at a time allocated 400 MB on Graph).
    let run = i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (Number.isNaN(c) || c === 10 /* \n */) {
        out += t.slice(run, i);
        this.error(start, 'string is not closed on its line');
        this.pos = i;
        return { type: 'string', value: out, raw: t.slice(start, i), offset: start, end: i };
      }
      if (c === 34 /* " */) break;
      if (c === 92 /* \ */) {
        out += t.slice(run, i);
        const e = t[i + 1];
        const simple = e === undefined ? undefined : SIMPLE_ESCAPES.get(e);
        if (simple !== undefined) {
          out += simple;
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          this.error(i, `invalid escape \`\\${e ?? ''}\` in string`);
          i = Math.min(i + 2, t.length); // a backslash at the very end must not step past it
        }
        run = i;
        continue;
      }
      i++;
    }
    out += t.slice(run, i);
    this.pos = i + 1;
    return { type: 'string', value: out, raw: t.slice(start, this.pos), offset: start, end: this.pos };
  }

  private parseObject(): JsonObject {
    const node: JsonObject = { type: 'object', members: [], ellipsis: false, offset: this.pos, end: this.pos };
    this.pos++; // {
    let expectMember = true;
    let lastComma = -1;
    for (;;) {
      this.skipTrivia();
      const c = this.text[this.pos];
      if (c === undefined) {
        this.error(node.offset, 'object is not closed: `}` missing (truncated sample?)');
        break;
      }
      if (c === '}') {
        if (lastComma !== -1 && expectMember) this.error(lastComma, 'trailing comma before `}`');
        this.pos++;
        break;
      }
      if (!expectMember) {
        this.error(this.pos, `expected \`,\` or \`}\` but found ${this.describe(this.pos)}`);
        if (!this.recover('}')) break;
        expectMember = true;
        lastComma = -1;
        continue;
      }
      const dots = this.atEllipsis();
      if (dots) {
        this.pos += dots;
        this.ellipses++;
        node.ellipsis = true;
      } else if (c === '"') {
        const keyOffset = this.pos;
        const key = this.parseString();
        this.skipTrivia();
        if (this.text[this.pos] !== ':') {
          this.error(this.pos, `expected \`:\` after key "${key?.value ?? ''}" but found ${this.describe(this.pos)}`);
          if (!this.recover('}')) break;
          continue;
        }
        this.pos++;
        const value = this.parseValue();
        if (value === null) {
          if (!this.recover('}')) break;
          continue;
        }
        const k = String(key?.value ?? '');
        // `"...": "..."` is how some pages elide members.
        if (k === '...' || k === '\u2026') {
          node.ellipsis = true;
          this.ellipses++;
        } else node.members.push({ key: k, keyOffset, value });
      } else {
        this.error(this.pos, `expected a quoted key but found ${this.describe(this.pos)}`);
        if (!this.recover('}')) break;
        continue;
      }
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        lastComma = this.pos;
        this.pos++;
        expectMember = true;
      } else {
        expectMember = false;
        lastComma = -1;
      }
    }
    node.end = this.pos;
    return node;
  }

  private parseArray(): JsonArray {
    const node: JsonArray = { type: 'array', items: [], ellipsis: false, offset: this.pos, end: this.pos };
    this.pos++; // [
    let expectItem = true;
    let lastComma = -1;
    for (;;) {
      this.skipTrivia();
      const c = this.text[this.pos];
      if (c === undefined) {
        this.error(node.offset, 'array is not closed: `]` missing (truncated sample?)');
        break;
      }
      if (c === ']') {
        if (lastComma !== -1 && expectItem) this.error(lastComma, 'trailing comma before `]`');
        this.pos++;
        break;
      }
      if (!expectItem) {
        this.error(this.pos, `expected \`,\` or \`]\` but found ${this.describe(this.pos)}`);
        if (!this.recover(']')) break;
        expectItem = true;
        lastComma = -1;
        continue;
      }
      const value = this.parseValue();
      if (value === null) {
        if (!this.recover(']')) break;
        continue;
      }
      if (value.type === 'ellipsis') node.ellipsis = true;
      else node.items.push(value);
      this.skipTrivia();
      if (this.text[this.pos] === ',') {
        lastComma = this.pos;
        this.pos++;
        expectItem = true;
      } else {
        expectItem = false;
        lastComma = -1;
      }
    }
    node.end = this.pos;
    return node;
  }

  /** Skip to the next `,` or the closer at this nesting level; false when the text ends. */
  private recover(closer: '}' | ']'): boolean {
    let depth = 0;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (c === '"') {
        this.parseStringQuietly();
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) {
          if (c === closer) return true;
          this.pos++;
          return true;
        }
        depth--;
      } else if (c === ',' && depth === 0) {
        this.pos++;
        return true;
      }
      this.pos++;
    }
    return false;
  }

  private parseStringQuietly(): void {
    const t = this.text;
    let i = this.pos + 1;
    while (i < t.length && t[i] !== '"' && t[i] !== '\n') i += t[i] === '\\' ? 2 : 1;
    this.pos = Math.min(i + 1, t.length);
  }
}

export function parseJsonSample(text: string): JsonDocument {
  return new Parser(text).parseDocument();
}

/** A live response body read as JSON: its value, or why it is not JSON. */
export type LiveJson = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Read a live body, which must be strict JSON, with `JSON.parse`: several times faster than the
 * tolerant parser, and its plain value is what compareJsonWithLive compares. When it is not
 * JSON, the tolerant parser names the defect (comments and ellipses, which documents may hold,
 * are defects in a live body).
 */
export function parseLiveJson(text: string): LiveJson {
  try {
    // A byte-order mark is not JSON, but RFC 8259 lets a parser ignore it, as a client of the API would.
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown };
  } catch {
    const doc = parseJsonSample(text);
    return {
      ok: false,
      reason:
        doc.errors[0]?.message ?? (doc.comments > 0 ? 'a comment' : doc.ellipses > 0 ? 'an ellipsis' : 'not JSON'),
    };
  }
}

/** Plain JavaScript value of a parsed node; ellipses are dropped. */
export function toPlain(node: JsonValue | null): unknown {
  if (node === null) return undefined;
  switch (node.type) {
    case 'object':
      return Object.fromEntries(node.members.map((m) => [m.key, toPlain(m.value)]));
    case 'array':
      return node.items.map(toPlain);
    case 'ellipsis':
      return undefined;
    default:
      return node.value;
  }
}
