/**
 * The dashboard's data: what the page's script renders (src/report/dashboard-client.ts). Findings
 * with their places worked out here (which lines to show, which to highlight, which characters to
 * mark), and each page's lines once, however many findings show them: the Exchange corpus's 6,000
 * findings share a few thousand excerpt windows, which the static page repeated in every finding
 * (63 MB). Keys are one letter: the data is most of the file.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintResult } from '../run/lint-run.js';
import { excerptKey, type ExcerptWindow } from './model.js';

/** A place shown beside a finding: its own location or a related one (another locale's). */
export interface DashSpot {
  /** File (index into `files`), line, column. */
  f: number;
  l: number;
  c?: number;
  /** Locale (index into `locales`). */
  o: number;
  /** Caption ("this finding", or what the related location is). */
  cap: string;
  own: boolean;
  /** Lines shown, [first, last]; absent when the page could not be read. */
  w?: [number, number];
  /** Lines highlighted, [first, last]. */
  h: [number, number];
  /** In a related sample: the line that corresponds to the finding's own. */
  cp?: number;
  /** Characters marked: [line, from, to) in UTF-16 units. */
  m: [number, number, number][];
}

export interface DashFinding {
  /** Severity: 0 error, 1 warning, 2 info. */
  s: 0 | 1 | 2;
  /** Rule (index into `rules`), file (into `files`), line, column. */
  r: number;
  f: number;
  l: number;
  c: number;
  /** Locale (index into `locales`). */
  o: number;
  /** Page group (index into `groups`), -1 for input problems. */
  g: number;
  m: string;
  /** 1 when a baseline knows it (`--baseline`): counted and shown apart, not among the new findings. */
  k: 0 | 1;
  p: DashSpot[];
}

export interface DashData {
  /**
   * Every locale a finding or page has: the first `cols` are the matrix columns (the run's
   * locales, then `(none)` when some page has no locale); the others only findings have.
   */
  locales: string[];
  cols: number;
  files: string[];
  rules: string[];
  /** Page groups: id, and per locale column the page's file (index) or null. */
  groups: { id: string; f: (number | null)[] }[];
  findings: DashFinding[];
  /** Per file index: the lines excerpts show, as [first line, lines] ranges that do not overlap. */
  lines: Record<number, [number, string[]][]>;
}

export const NO_LOCALE = '(none)';
const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

// From a column: punctuation that leads into a word (`[**Disconnect`), else one run of non-space.
const TOKEN = /[^\s\p{L}\p{N}]*[\p{L}\p{N}_$@:.\-]+|\S+/uy;

function tokenAt(text: string, from: number): [number, number] {
  // A column at the start of indentation points at the line, not at a blank: the first token it holds.
  let start = from;
  while (start < text.length && /\s/.test(text[start]!)) start++;
  if (start >= text.length) return [from, from + 1];
  TOKEN.lastIndex = start;
  return TOKEN.exec(text) ? [start, TOKEN.lastIndex] : [start, start + 1];
}

/**
 * What a finding's message says is the differing token, for rules that name it: on its own line,
 * and on the related places' lines. A finding with an end column is marked by its span instead.
 */
export function tokenHints(d: Pick<Diagnostic, 'ruleId' | 'message'>): Hints {
  const quoted = (re: RegExp) => [...d.message.matchAll(re)].map((m) => m[1]!).filter(Boolean);
  // Values shortened for the message keep their ellipsis: findHint marks them to where they end on the line.
  const clean = (list: string[]) => list.filter((v) => v.replace(/…$/, '').length > 0);
  const mismatch = /`(.+?)` here, `(.+?)` in /.exec(d.message);
  if (d.ruleId === 'sample-mismatch' && mismatch)
    return { own: clean([mismatch[1]!]), related: clean([mismatch[2]!]), versus: [mismatch[1]!, mismatch[2]!] };
  const translated = /^identifier `(.+?)` is translated .*?\(`(.+?)`\)/.exec(d.message);
  if (d.ruleId === 'identifier-translated' && translated)
    return { own: clean([translated[2]!]), related: clean([translated[1]!]) };
  const jsonPath = /at (\$[^\s:,;]*)/.exec(d.message)?.[1];
  const key = jsonPath ? /([A-Za-z_@][\w@.-]*)(?:\[\d+\])*$/.exec(jsonPath)?.[1]?.split('.').pop() : undefined;
  const values = clean([...quoted(/`([^`]+)`/g), ...quoted(/"([^"]+)"/g), ...(key ? [`"${key}"`] : [])]);
  return { own: values, related: values };
}

/**
 * What a message names: values to look for on the finding's own line and on the related lines;
 * `versus`: the two values a comparison found different (this locale's, the other's), so that the
 * word where they part is marked rather than the whole value.
 */
export interface Hints {
  own: string[];
  related: string[];
  versus?: [string, string];
}

const WORD = /[\p{L}\p{N}_]/u;

/** The word where `value` (found at `at` on `text`) stops reading like `other`: the differing token. */
function partingWord(text: string, at: number, value: string, other: string): [number, number] | null {
  const a = value.replace(/…$/, '');
  const b = other.replace(/…$/, '');
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  // One value is the start of the other (or they were cut before they part): no single word to name.
  if (p >= a.length || p >= b.length) return null;
  let start = at + p;
  let end = start;
  while (start > at && WORD.test(text[start - 1]!)) start--;
  while (end < text.length && WORD.test(text[end]!)) end++;
  return end > start ? [start, end] : [at + p, at + p + 1];
}

/** Where on `text` the first hint is, nearest after `from` (else anywhere); null when none is on the line. */
function findHint(
  text: string,
  hints: readonly string[],
  from: number,
  versus?: [string, string],
): [number, number] | null {
  for (const hint of hints) {
    const cut = hint.endsWith('…');
    const start = cut ? hint.slice(0, -1) : hint;
    let at = text.indexOf(start, Math.max(0, from));
    if (at < 0) at = text.indexOf(start);
    if (at < 0) continue;
    if (versus) {
      const word = partingWord(
        text,
        at,
        versus[0] === hint ? versus[0] : versus[1],
        versus[0] === hint ? versus[1] : versus[0],
      );
      if (word) return word;
    }
    let end = at + start.length;
    // A value the message shortened runs on to where its markup closes it (a link text's `]`; a
    // value without spaces, the next space).
    if (cut) end = text.slice(end).search(/\s/.test(start) ? /[\]`"*<]|$/ : /[\]`"*<\s]|$/) + end;
    return [at, end];
  }
  return null;
}

interface Place {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  locale: string | null;
  caption: string;
  own: boolean;
}

const FENCE_OPENING = /^[ \t]*(?:>[ \t]?)*(?:`{3,}|~{3,})/;

/**
 * A related location that names a whole sample (its opening fence line) shows the line at the
 * same offset as the finding's own line in its sample: the same node, in the other locale. Only
 * when both windows start at their fence, so that the offset is known.
 */
function counterpartLine(own: Place, related: Place, excerpts: Record<string, ExcerptWindow>): number | undefined {
  const ownWindow = excerpts[excerptKey(own.file, own.line)];
  const window = excerpts[excerptKey(related.file, related.line)];
  if (!ownWindow || !window || window.startLine !== related.line || own.line === ownWindow.startLine) return undefined;
  if (!FENCE_OPENING.test(ownWindow.lines[0] ?? '') || !FENCE_OPENING.test(window.lines[0] ?? '')) return undefined;
  const line = related.line + (own.line - ownWindow.startLine);
  return window.lines[line - window.startLine] === undefined ? undefined : line;
}

/**
 * The [from, to) to mark on `lineNo` of a place: its span from `column` to `endColumn` (over
 * several lines when it has `endLine`); else the token its message names, on that line; else the
 * token at `column`.
 */
function markOf(place: Place, lineNo: number, text: string, hints: Hints): [number, number] | null {
  const endLine = place.own && place.endLine !== undefined ? Math.max(place.endLine, place.line) : place.line;
  if (lineNo < place.line || lineNo > endLine) return null;
  const from = lineNo === place.line ? (place.column ?? 1) - 1 : 0;
  if (lineNo < endLine) return [from, text.length];
  if (place.own && place.endColumn !== undefined && (endLine > place.line || place.endColumn > (place.column ?? 1)))
    return [from, Math.max(from, place.endColumn - 1)];
  const hinted = findHint(text, place.own ? hints.own : hints.related, place.own ? from : 0, hints.versus);
  if (hinted) return hinted;
  if (place.column === undefined && !place.own) return null;
  return tokenAt(text, from);
}

/** Builds the data, with string tables and each file's lines merged into ranges. */
export function dashboardData(lint: LintResult, excerpts: Record<string, ExcerptWindow>): DashData {
  const hasNoLocale = lint.pageGroups.some((g) => g.pages.some((p) => p.locale === null));
  const locales = [...lint.summary.locales, ...(hasNoLocale ? [NO_LOCALE] : [])];
  const cols = locales.length;
  const all = [
    ...lint.diagnostics.map((d) => ({ d, known: false })),
    ...(lint.baselined ?? []).map((d) => ({ d, known: true })),
  ];
  for (const { d } of all) if (!locales.includes(d.locale ?? NO_LOCALE)) locales.push(d.locale ?? NO_LOCALE);
  const localeIndex = (locale: string | null | undefined) => locales.indexOf(locale ?? NO_LOCALE);
  const table = () => {
    const list: string[] = [];
    const index = new Map<string, number>();
    return {
      list,
      of: (s: string) => {
        let i = index.get(s);
        if (i === undefined) {
          index.set(s, (i = list.length));
          list.push(s);
        }
        return i;
      },
    };
  };
  const files = table();
  const rules = table();
  const groupIndex = new Map(lint.pageGroups.map((g, i) => [g.pageId, i] as const));
  const groups = lint.pageGroups.map((g) => ({
    id: g.pageId,
    f: locales.slice(0, cols).map((l) => {
      const page = g.pages.find((p) => (p.locale ?? NO_LOCALE) === l);
      return page ? files.of(page.file) : null;
    }),
  }));
  // The windows each file needs, merged into ranges when the data is done.
  const wanted = new Map<number, Map<number, string>>();
  const keep = (file: number, window: ExcerptWindow) => {
    let lines = wanted.get(file);
    if (!lines) wanted.set(file, (lines = new Map()));
    window.lines.forEach((text, i) => lines!.set(window.startLine + i, text));
  };
  const findings = all.map(({ d, known }): DashFinding => {
    const hints = tokenHints(d);
    const own: Place = {
      file: d.file,
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      locale: d.locale ?? null,
      caption: 'this finding',
      own: true,
    };
    const places = [
      own,
      ...(d.related ?? []).map((r): Place => ({
        file: r.file,
        line: r.line,
        column: r.column,
        locale: r.locale ?? null,
        caption: r.message ?? '',
        own: false,
      })),
    ];
    const spots = places.map((place): DashSpot => {
      const f = files.of(place.file);
      const window = excerpts[excerptKey(place.file, place.line)];
      const last = place.own && place.endLine !== undefined ? Math.max(place.endLine, place.line) : place.line;
      const spot: DashSpot = {
        f,
        l: place.line,
        ...(place.column !== undefined ? { c: place.column } : {}),
        o: localeIndex(place.locale),
        cap: place.caption,
        own: place.own,
        h: [place.line, last],
        m: [],
      };
      if (!window) return spot;
      keep(f, window);
      spot.w = [window.startLine, window.startLine + window.lines.length - 1];
      const textOf = (n: number) => window.lines[n - window.startLine];
      const cp = place.own ? undefined : counterpartLine(own, place, excerpts);
      if (cp !== undefined) {
        spot.cp = cp;
        // The finding's own span is marked on the counterpart when the line reads the same there.
        const ownWindow = excerpts[excerptKey(own.file, own.line)];
        const ownText = ownWindow?.lines[own.line - ownWindow.startLine];
        const text = textOf(cp)!;
        const range =
          text === ownText ? markOf(own, own.line, ownText, hints) : findHint(text, hints.related, 0, hints.versus);
        if (range) spot.m.push([cp, range[0], range[1]]);
        return spot;
      }
      for (let n = place.line; n <= last; n++) {
        const text = textOf(n);
        if (text === undefined) continue;
        const range = markOf(place, n, text, hints);
        if (range) spot.m.push([n, range[0], range[1]]);
      }
      return spot;
    });
    return {
      s: SEVERITY[d.severity],
      r: rules.of(d.ruleId),
      f: files.of(d.file),
      l: d.line,
      c: d.column,
      o: localeIndex(d.locale),
      g: d.pageId !== undefined ? (groupIndex.get(d.pageId) ?? -1) : -1,
      m: d.message,
      k: known ? 1 : 0,
      p: spots,
    };
  });
  const lines: DashData['lines'] = {};
  for (const [file, byLine] of wanted) {
    const numbers = [...byLine.keys()].sort((a, b) => a - b);
    const ranges: [number, string[]][] = [];
    for (const n of numbers) {
      const last = ranges.at(-1);
      if (last && last[0] + last[1].length === n) last[1].push(byLine.get(n)!);
      else ranges.push([n, [byLine.get(n)!]]);
    }
    lines[file] = ranges;
  }
  return { locales, cols, files: files.list, rules: rules.list, groups, findings, lines };
}

/**
 * The data as a script element's text: JSON with `<` escaped, so no `</script>` or `<!--` in a
 * page's text can end the element early.
 */
export function dataScript(data: DashData): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
