/*
 * Most front matter in these doc sets is a flat list of `key: value` lines, and lists of simple
 * items. Parsing it with gray-matter and the `yaml` package costs about 160 µs a page, and a cold
 * run did it twice per page (planning and checking): about 30 s of CPU over the Graph corpus.
 * scanFlatFrontMatter reads only such front matter, and says `null` (let YAML parse it) as soon
 * as a line is anything else: a continuation, a nested map, a block scalar, an anchor, a tab, an
 * escape, a comment after a value, a repeated key, or a value YAML would read as a number, a
 * boolean or null. What it reads, it reads as the `yaml` package does: the whole front-matter
 * result is held equal to YAML's on every page of the corpora (`scripts/verify-frontmatter-scan.mjs`)
 * and on tricky cases (test/flat-frontmatter.test.ts).
 */

export interface FlatFrontMatter {
  /** Values as YAML gives them: strings, lists of strings, null for none. */
  data: Record<string, string | string[] | null>;
  /** Each key and its 1-based line in the page. */
  keys: { key: string; line: number }[];
  /** Offset of the line break before the closing `---`. */
  close: number;
  /** Lines between the delimiters. */
  lines: number;
}

const SIMPLE_KEY = /^([A-Za-z_][\w.-]{0,200}):(?: +(.*))?$/;
const LIST_ITEM = /^( *)- +(.*)$/;
/** Characters YAML refuses or treats specially anywhere: controls, tabs, CR, BOM, non-characters. */
const UNSAFE_CHARACTER = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uFEFF\uFFFE\uFFFF]/;
/** A plain scalar that starts with an indicator, holds `: ` or ` #`, or ends with `:`, is not simple. */
const SIMPLE_PLAIN = /^(?![-?:,[\]{}#&*!|>'"%@`])(?!.*(?:: | #|:$)).+$/;
/** YAML 1.2 core schema: plain scalars that resolve to null, booleans and numbers, not strings. */
const CORE_NON_STRING = new RegExp(
  [
    '^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE',
    '|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+',
    String.raw`|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?`,
    String.raw`|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`,
  ].join(''),
);

/** Names an object has before any key is set (`constructor`, `__proto__`…): YAML decides those. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
/** The keys SIMPLE_KEY lets through that CORE_NON_STRING matches: a key starts with a letter or `_`. */
const NON_STRING_KEYS: ReadonlySet<string> = new Set([
  ...['null', 'Null', 'NULL'],
  ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
]);

/** A value written after `key: ` or `- `: its string, `undefined` when there is none, `null` when it is not simple. */
function simpleValue(written: string | undefined): string | undefined | null {
  const value = written?.trimEnd() ?? '';
  if (value === '') return undefined;
  if (value.startsWith('"')) return /^"[^"\\]*"$/.test(value) ? value.slice(1, -1) : null;
  if (value.startsWith("'")) return /^'[^']*'$/.test(value) ? value.slice(1, -1) : null;
  return SIMPLE_PLAIN.test(value) && !CORE_NON_STRING.test(value) ? value : null;
}

/** Flat front matter (opened by `---` on line 1, closed by a `---` line), or `null` when YAML must decide. */
export function scanFlatFrontMatter(text: string): FlatFrontMatter | null {
  if (!text.startsWith('---\n')) return null;
  const close = text.indexOf('\n---', 3);
  if (close === -1 || (close + 4 < text.length && text[close + 4] !== '\n')) return null;
  const block = text.slice(4, close);
  if (UNSAFE_CHARACTER.test(block)) return null;
  const lines = close < 4 ? [] : block.split('\n'); // `---` right after the opening line: no lines at all
  const data: Record<string, string | string[] | null> = {};
  // The keys so far, asked of a set: `name in data` made V8 intern every key read (half of the scan's time).
  const seen = new Set<string>();
  const keys: { key: string; line: number }[] = [];
  let listKey: string | null = null; // the last key, when it had no value: list items may follow
  let listIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^ *$/.test(line) || line.startsWith('#')) continue;
    const key = SIMPLE_KEY.exec(line);
    if (key) {
      const name = key[1]!;
      // A repeated key is a YAML error; so is `true:` after `True:` (both the boolean true).
      if (seen.has(name) || PROTOTYPE_KEYS.has(name) || NON_STRING_KEYS.has(name)) return null;
      const value = simpleValue(key[2]);
      if (value === null) return null;
      seen.add(name);
      data[name] = value ?? null;
      keys.push({ key: name, line: i + 2 });
      listKey = value === undefined ? name : null;
      listIndent = -1;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (!item || listKey === null || (listIndent !== -1 && item[1]!.length !== listIndent)) return null;
    const value = simpleValue(item[2]);
    if (value === undefined || value === null) return null;
    listIndent = item[1]!.length;
    const items = data[listKey];
    if (Array.isArray(items)) items.push(value);
    else data[listKey] = [value];
  }
  return { data, keys, close, lines: lines.length };
}
