/**
 * Which part of a translated text is the damaged identifier: the span `--fix` replaces, the
 * translated words around it kept. Pure; null when the span cannot be told (never a guess).
 */

/** Translation inserted a space after `::X`: `ITBasicCallControl::D isconnect`. */
const SPLIT = /([A-Za-z_]\w*)::([A-Z]) ([a-z]\w*)/g;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const LOCAL = /[\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export interface Span {
  /** The damaged text as the page shows it. */
  old: string;
  /** Its offset in the text. */
  at: number;
  how: string;
}

/** Every offset where `word` stands whole in `text` (no letter, digit or `_` touching it). */
function wholeWord(text: string, word: string, ignoreCase = false): number[] {
  const hay = ignoreCase ? text.toLowerCase() : text;
  const needle = ignoreCase ? word.toLowerCase() : word;
  const out: number[] = [];
  for (let at = hay.indexOf(needle); at !== -1 && needle !== ''; at = hay.indexOf(needle, at + 1)) {
    const before = at > 0 ? text[at - 1]! : '';
    const after = text[at + needle.length] ?? '';
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) out.push(at);
  }
  return out;
}

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sh',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
/** A Latin reading of a Cyrillic word, and of the identifier, in one coarse alphabet (c, k, q alike). */
const coarse = (text: string) =>
  [...text.toLowerCase()]
    .map((c) => CYRILLIC[c] ?? c)
    .join('')
    .replace(/[ckq]/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/[^a-z0-9]/g, '')
    .replace(/(.)\1+/g, '$1');

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length]!;
}

/** The single word of the text that reads as the identifier transliterated (`Дисконнектреспонсе`). */
function transliterated(text: string, id: string): Span | null {
  const target = coarse(id);
  if (target.length < 4) return null;
  const hits: Span[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}_]+(?:[:.-]+[\p{L}\p{N}_]+)*/gu)) {
    if (!LOCAL.test(m[0])) continue;
    const reading = coarse(m[0]);
    if (distance(reading, target) <= Math.floor(target.length * 0.3))
      hits.push({ old: m[0], at: m.index, how: 'transliterated' });
  }
  return hits.length === 1 ? hits[0]! : null;
}

/** Leading / trailing runs of what is not a letter or digit: the punctuation that frames a name. */
const leadingFrame = (s: string) => /^[^\p{L}\p{N}]*/u.exec(s)![0];
const trailingFrame = (s: string) => /[^\p{L}\p{N}]*$/u.exec(s)![0];

/** Punctuation and its full-width form, one mark (`(` and `（`). */
const FULL_WIDTH: Record<string, string> = { '(': '（', ')': '）', ':': '：', ',': '，', '[': '［', ']': '］' };

/** The offset of the mark (or its full-width form) in the text, when it stands there once. */
function uniqueMark(text: string, mark: string, which: 'first' | 'last'): number | null {
  const forms = [mark, FULL_WIDTH[mark]].filter((f): f is string => f !== undefined);
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) if (forms.includes(text[i]!)) at.push(i);
  if (at.length !== 1) return null;
  return which === 'first' ? at[0]! : at.at(-1)!;
}

/**
 * The span by the frame the authority puts around the identifier: `DisconnectResponse (…)` in
 * every example, so the words before ` (` here are its damaged form. The frame must hold punctuation,
 * not a bare space: words are not counted.
 */
function framed(text: string, id: string, examples: readonly string[]): Span | null {
  const spans = new Set<string>();
  let found: Span | null = null;
  for (const example of examples) {
    const k = wholeWord(example, id)[0];
    if (k === undefined) return null;
    const before = example.slice(0, k);
    const after = example.slice(k + id.length);
    let span: Span | null = null;
    if (before.trim() === '' && after.trim() === '') {
      const trimmed = text.trim();
      span = { old: trimmed, at: text.indexOf(trimmed), how: 'the whole text' };
    } else if (before.trim() === '') {
      const mark = leadingFrame(after).trim()[0];
      if (mark === undefined) return null;
      const end = uniqueMark(text, mark, 'first');
      if (end === null || end <= 0) return null;
      const head = text.slice(0, end);
      span = { old: head.trim(), at: head.indexOf(head.trim()), how: `before \`${mark}\`` };
    } else if (after.trim() === '') {
      const mark = trailingFrame(before).trim().at(-1);
      if (mark === undefined) return null;
      const start = uniqueMark(text, mark, 'last');
      if (start === null || start + 1 >= text.length) return null;
      const tail = text.slice(start + 1);
      span = { old: tail.trim(), at: start + 1 + tail.indexOf(tail.trim()), how: `after \`${mark}\`` };
    } else return null;
    if (span.old === '') return null;
    spans.add(`${span.at}:${span.old}`);
    found = span;
  }
  // Every example must frame it alike; and a frame that holds another name is not one span.
  if (spans.size !== 1 || !found) return null;
  if (found.old.split(/\s+/).length > 6) return null;
  return found;
}

/**
 * The damaged span of `id` in `text`, from the most to the least certain reading: a split name, the
 * name re-cased, a transliteration, the authority's frame. Null when none decides.
 */
export function damagedSpan(
  text: string,
  id: string,
  examples: readonly string[],
  options: { prose?: boolean } = {},
): Span | null {
  for (const m of text.matchAll(SPLIT)) {
    if (`${m[1]}::${m[2]}${m[3]}` === id) return { old: m[0], at: m.index, how: 'split' };
  }
  const recased = wholeWord(text, id, true).filter((at) => text.slice(at, at + id.length) !== id);
  if (recased.length === 1)
    return { old: text.slice(recased[0]!, recased[0]! + id.length), at: recased[0]!, how: 're-cased' };
  if (recased.length > 1) return null;
  const span = transliterated(text, id) ?? (options.prose ? null : framed(text, id, examples));
  // A span without a letter (`**，**`) is punctuation the translation emphasized, not a name.
  return span && /\p{L}/u.test(span.old) ? span : null;
}
