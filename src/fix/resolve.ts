/**
 * A finding's planned repair resolved against the text of its file (and of its authority's): exact
 * offsets and replacements, or the reason there are none. Pure: texts in, edits out.
 */
import { differingRuns } from '../util/lcs.js';
import type { Diagnostic, PlannedEdit, TextEdit } from '../diagnostics/diagnostic.js';
import { lineStarts, offsetToPosition } from '../util/text.js';
import { damagedSpan } from './span.js';

/** A replacement of `text.slice(start, end)` by `text`. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export type Resolution = { edits: OffsetEdit[] } | { notFixed: string };

/** A page's text with its line starts, read once. */
export interface FixText {
  text: string;
  starts: number[];
  /** The line ending new lines get: the file's own (CRLF when most of its lines end so). */
  eol: string;
}

export function fixText(text: string): FixText {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1;
  return { text, starts: lineStarts(text), eol: crlf * 2 > lf ? '\r\n' : '\n' };
}

const offsetOf = (t: FixText, line: number, column = 1) =>
  line - 1 < t.starts.length ? t.starts[line - 1]! + column - 1 : t.text.length;
/** Where a line's content ends (before its `\n` or `\r\n`). */
function lineEnd(t: FixText, line: number): number {
  const next = line < t.starts.length ? t.starts[line]! - 1 : t.text.length;
  return next > 0 && t.text[next - 1] === '\r' && next <= t.text.length && t.text[next] === '\n' ? next - 1 : next;
}
const lineText = (t: FixText, line: number) => t.text.slice(offsetOf(t, line), lineEnd(t, line));

/** Resolve every edit of the finding's plan; the first that cannot be resolved says why for all. */
export function resolvePlan(d: Diagnostic, read: (file: string) => FixText | null): Resolution {
  const plan = d.fix;
  if (!plan) return { notFixed: 'no repair for this rule' };
  if (plan.notFixed) return { notFixed: plan.notFixed };
  const mine = read(d.file);
  if (!mine) return { notFixed: `${d.file} cannot be read` };
  const edits: OffsetEdit[] = [];
  for (const edit of plan.edits) {
    const r = resolveEdit(edit, mine, read);
    if ('notFixed' in r) return r;
    edits.push(...r.edits);
  }
  if (edits.length === 0) return { notFixed: 'the text already holds what the authority holds' };
  return { edits };
}

function resolveEdit(edit: PlannedEdit, mine: FixText, read: (file: string) => FixText | null): Resolution {
  switch (edit.kind) {
    case 'replace':
      return edit.markup
        ? replaceInMarkup(mine, edit.line, edit.column, edit.old, edit.text)
        : replaceOnLine(mine, edit.line, edit.column, edit.old, edit.text);
    case 'identifier': {
      const span = damagedSpan(edit.text, edit.id, edit.examples, { prose: edit.prose });
      if (!span)
        return { notFixed: `the damaged span of \`${edit.id}\` cannot be told from the translated words around it` };
      return replaceOnLine(mine, edit.line, edit.column, span.old, edit.id);
    }
    case 'sample-name':
      return sampleName(mine, edit);
    case 'insert': {
      for (const place of edit.places) {
        const theirs = read(place.from.file);
        if (!theirs) continue;
        let between = '';
        for (let l = place.blank.line; l <= place.blank.endLine; l++) between += `${lineText(theirs, l)}\n`;
        if (between.replace(/<!--[\s\S]*?-->/g, '').trim() !== '') continue;
        const at = offsetOf(mine, place.line);
        let text = '';
        for (let l = place.from.line; l <= place.from.endLine; l++) text += lineText(theirs, l) + mine.eol;
        return { edits: [{ start: at, end: at, text }] };
      }
      return {
        notFixed: 'translated prose stands between the sample and its neighbours: where it goes cannot be told',
      };
    }
    case 'comment': {
      const theirs = read(edit.from.file);
      if (!theirs) return { notFixed: `${edit.from.file} cannot be read` };
      const theirEnd = commentEnd(theirs, edit.from.line, edit.from.fence);
      if (theirEnd === null) return { notFixed: `no annotation on line ${edit.from.line} of ${edit.from.file}` };
      const lines = (t: FixText, a: number, b: number) =>
        Array.from({ length: b - a + 1 }, (_, k) => lineText(t, a + k));
      if (edit.line === null) {
        const at = offsetOf(mine, edit.fence);
        const copied = lines(theirs, edit.from.line, edit.from.fence - 1);
        return { edits: [{ start: at, end: at, text: copied.map((l) => l + mine.eol).join('') }] };
      }
      const myEnd = commentEnd(mine, edit.line, edit.fence);
      if (myEnd === null) return { notFixed: `no annotation on line ${edit.line}` };
      return {
        edits: [
          {
            start: offsetOf(mine, edit.line),
            end: lineEnd(mine, myEnd),
            text: lines(theirs, edit.from.line, theirEnd).join(mine.eol),
          },
        ],
      };
    }
    case 'lines': {
      const theirs = read(edit.from.file);
      if (!theirs) return { notFixed: `${edit.from.file} cannot be read` };
      const from: string[] = [];
      for (let l = edit.from.line; l <= edit.from.endLine; l++) from.push(lineText(theirs, l));
      if (edit.endLine < edit.line) {
        const at = offsetOf(mine, edit.line);
        return { edits: [{ start: at, end: at, text: from.map((l) => l + mine.eol).join('') }] };
      }
      const own: string[] = [];
      for (let l = edit.line; l <= edit.endLine; l++) own.push(lineText(mine, l));
      if (!edit.diff) {
        const start = offsetOf(mine, edit.line);
        return { edits: [{ start, end: lineEnd(mine, edit.endLine), text: from.join(mine.eol) }] };
      }
      return { edits: lineDiff(mine, edit.line, own, from) };
    }
  }
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * `old` on the line at or after the column, replaced by `text`: the first occurrence that stands
 * whole (no letter or digit touching its ends) outside HTML tags and link destinations, where an
 * anchor or a target may spell the same word.
 */
function replaceOnLine(t: FixText, line: number, column: number, old: string, text: string): Resolution {
  if (line < 1 || line > t.starts.length) return { notFixed: `line ${line} is not in the file` };
  const lineStart = offsetOf(t, line);
  const end = lineEnd(t, line);
  const own = t.text.slice(lineStart, end);
  const masked: [number, number][] = [];
  for (const m of own.matchAll(/<[^>]*>|\]\([^)]*\)/g)) masked.push([m.index, m.index + m[0].length]);
  const inside = (at: number) => masked.some(([a, b]) => at >= a && at < b);
  const whole = (at: number) =>
    (!WORD.test(old[0] ?? '') || at === 0 || !WORD.test(own[at - 1]!)) &&
    (!WORD.test(old.at(-1) ?? '') || !WORD.test(own[at + old.length] ?? ''));
  for (let at = own.indexOf(old, Math.max(0, column - 1)); at !== -1 && old !== ''; at = own.indexOf(old, at + 1)) {
    if (inside(at) || !whole(at)) continue;
    return { edits: [{ start: lineStart + at, end: lineStart + at + old.length, text }] };
  }
  return { notFixed: `\`${old}\` is not written as such on line ${line} (markup or entities inside it)` };
}

/** `old` inside an HTML tag or a link destination on the line (an anchor, a target), replaced by `text`. */
function replaceInMarkup(t: FixText, line: number, column: number, old: string, text: string): Resolution {
  if (line < 1 || line > t.starts.length) return { notFixed: `line ${line} is not in the file` };
  const lineStart = offsetOf(t, line);
  const own = t.text.slice(lineStart, lineEnd(t, line));
  for (const m of own.matchAll(/<[^>]*>|\]\([^)]*\)|\]:\s*\S+/g)) {
    if (m.index + m[0].length < column - 1) continue;
    const at = m[0].indexOf(old);
    if (at !== -1)
      return { edits: [{ start: lineStart + m.index + at, end: lineStart + m.index + at + old.length, text }] };
  }
  return { notFixed: `\`${old}\` is not written as such on line ${line}` };
}

/** The line on which the HTML comment opened on `line` closes, before line `limit`. */
function commentEnd(t: FixText, line: number, limit: number): number | null {
  if (!lineText(t, line).trimStart().startsWith('<!--')) return null;
  for (let l = line; l < limit && l <= t.starts.length; l++) if (lineText(t, l).includes('-->')) return l;
  return null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a sample writes a name as the kind it was read as: a tag, an attribute, a key, a header, a value. */
function namePattern(term: string, origin: string): RegExp | null {
  const t = escape(term);
  switch (origin) {
    case 'xml-element':
      return new RegExp(`(?<=</?(?:[\\w.-]+:)?)${t}(?=[\\s/>])`, 'g');
    case 'xml-attribute':
      return new RegExp(`(?<=\\s(?:[\\w.-]+:)?)${t}(?=\\s*=)`, 'g');
    case 'json-key':
      return new RegExp(`(?<=")${t}(?="\\s*:)`, 'g');
    case 'http-header':
      return new RegExp(`(?<=^)${t}(?=\\s*:)`, 'gm');
    case 'value':
      return new RegExp(`(?<=[>"#])${t}(?=[<"])`, 'g');
    case 'path-segment':
      return new RegExp(`(?<=/)${t}(?=[/?#(\\s]|$)`, 'gm');
    default:
      return null;
  }
}

function sampleName(t: FixText, edit: Extract<PlannedEdit, { kind: 'sample-name' }>): Resolution {
  const pattern = namePattern(edit.term, edit.origin);
  if (!pattern) return { notFixed: `a ${edit.origin} is not repaired` };
  const start = offsetOf(t, edit.line);
  const end = lineEnd(t, Math.min(edit.endLine, t.starts.length));
  const edits: OffsetEdit[] = [];
  for (let l = edit.line; l <= edit.endLine && l <= t.starts.length; l++) {
    const from = offsetOf(t, l);
    for (const m of lineText(t, l).matchAll(pattern))
      edits.push({ start: from + m.index, end: from + m.index + m[0].length, text: edit.text });
  }
  if (edits.length === 0 || start > end)
    return { notFixed: `\`${edit.term}\` is not written as a ${edit.origin} in the sample` };
  return { edits };
}

/**
 * Lines `own` (from page line `first`) made equal to `from`: lines aligned by their longest common
 * subsequence; a hunk of as many lines each side is repaired line by line, each where it differs only.
 */
function lineDiff(t: FixText, first: number, own: string[], from: string[]): OffsetEdit[] {
  const n = own.length;
  const m = from.length;
  if (n * m > 4_000_000) {
    return [{ start: offsetOf(t, first), end: lineEnd(t, first + n - 1), text: from.join(t.eol) }];
  }
  const edits: OffsetEdit[] = [];
  for (const { aStart: hi, aEnd: i, bStart: hj, bEnd: j } of differingRuns(n, m, (x, y) => own[x] === from[y])) {
    if (i - hi === j - hj) {
      for (let k = 0; k < i - hi; k++) {
        const a = own[hi + k]!;
        const b = from[hj + k]!;
        let p = 0;
        while (p < a.length && p < b.length && a[p] === b[p]) p++;
        let s = 0;
        while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
        // A comment is translated with the prose around the sample: left as this locale wrote it.
        if (inComment(a, p, a.length - s) || inComment(b, p, b.length - s)) continue;
        const at = offsetOf(t, first + hi + k);
        edits.push({ start: at + p, end: at + a.length - s, text: b.slice(p, b.length - s) });
      }
    } else if (j === hj) {
      // Lines this page has and the authority lacks: deleted, line endings with them.
      edits.push({ start: offsetOf(t, first + hi), end: offsetOf(t, first + i), text: '' });
    } else if (i === hi) {
      // Lines the authority has and this page lacks: inserted before line `hi`.
      const at = offsetOf(t, first + hi);
      edits.push({
        start: at,
        end: at,
        text: from
          .slice(hj, j)
          .map((l) => l + t.eol)
          .join(''),
      });
    } else {
      const start = offsetOf(t, first + hi);
      const end = lineEnd(t, first + i - 1);
      edits.push({ start, end, text: from.slice(hj, j).join(t.eol) });
    }
  }
  return edits;
}

/** Whether `line.slice(from, to)` touches a comment: `<!-- … -->`, or a line that opens with `//` or `#`. */
function inComment(line: string, from: number, to: number): boolean {
  if (/^\s*(?:\/\/|#(?!\/))/.test(line)) return true;
  for (const m of line.matchAll(/<!--(?:(?!-->).)*(?:-->|$)/g))
    if (from < m.index + m[0].length && to > m.index) return true;
  return false;
}

/** Offsets as lines and columns, for SARIF and the report. */
export function toTextEdits(t: FixText, edits: readonly OffsetEdit[]): TextEdit[] {
  return edits.map((e) => {
    const a = offsetToPosition(t.starts, e.start);
    const b = offsetToPosition(t.starts, e.end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, text: e.text };
  });
}

/** Apply non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Whether two edits touch the same text (two insertions at one point count as overlapping). */
export const overlaps = (a: OffsetEdit, b: OffsetEdit): boolean =>
  a.start < b.end && b.start < a.end ? true : a.start === b.start && (a.start === a.end || b.start === b.end);
