/** Line/column arithmetic over a page's text. */

/** How many times `character` stands in a text from offset `from` on, counted (splitting makes a string per part). */
export function countOf(text: string, character: string, from = 0): number {
  let count = 0;
  for (let at = text.indexOf(character, from); at !== -1; at = text.indexOf(character, at + 1)) count++;
  return count;
}

/** The line feeds in a text. */
export const lineFeeds = (text: string): number => countOf(text, '\n');

/** Offsets at which each line starts (line 1 starts at 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Line `line` (1-based) of a text without its line feed, as `text.split('\n')[line - 1]` gives it, from the text's
 * line starts: a page's lines are each looked up a few times, and splitting a page made a string per line.
 */
export function lineAt(text: string, starts: readonly number[], line: number): string | undefined {
  const start = starts[line - 1];
  if (start === undefined) return undefined;
  const next = starts[line];
  return text.slice(start, next === undefined ? text.length : next - 1);
}

/** A text's lines by number, their starts found when first asked for. */
export function linesOf(text: string): (line: number) => string | undefined {
  let starts: number[] | undefined;
  return (line) => lineAt(text, (starts ??= lineStarts(text)), line);
}

/** 1-based line and column of an offset in a text (one-off; for many lookups use lineStarts + offsetToPosition). */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** 1-based line and column of a string offset. */
export function offsetToPosition(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

/**
 * A copy of `text` that shares no storage with the string it was cut from. V8 keeps a slice (and
 * each piece of a concatenation) pointing into its parent, so a short name kept in a cache or a
 * finding would keep a whole page's text alive for the rest of the run: on Graph that was most of
 * the heap, and most of what young-generation collections copied.
 */
export const detached = (text: string): string => (' ' + text).slice(1);

/**
 * A deep copy of plain data (strings, numbers, booleans, null, arrays and plain objects) whose strings are `detached`:
 * what structuredClone gives such data, for less than half its cost on a finding's repair.
 */
export function detachedCopy<T>(value: T): T {
  if (typeof value === 'string') return detached(value) as T;
  if (Array.isArray(value)) return value.map(detachedCopy) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = detachedCopy(item);
  return out as T;
}
