/** A unified diff of a file before and after its repairs, as `git apply` takes it. Pure. */
import { differingRuns, type DifferingRun } from '../util/lcs.js';
import type { OffsetEdit } from './resolve.js';

interface Line {
  text: string;
  /** False for the last line of a file that does not end with a line break. */
  eol: boolean;
}

/** Lines with their line break (`\n`; a `\r` before it stays part of the line, as git keeps it). */
function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop()!;
  const lines = parts.map((p) => ({ text: p, eol: true }));
  if (last !== '') lines.push({ text: last, eol: false });
  return lines;
}

const CONTEXT = 3;

/**
 * The diff of the edits to `before`, for `file` (a path relative to where `git apply` runs): only
 * the lines they touch differ, with three lines of context.
 */
export function unifiedDiff(file: string, before: string, edits: readonly OffsetEdit[]): string {
  const a = splitLines(before);
  const starts: number[] = [];
  let offset = 0;
  for (const line of a) {
    starts.push(offset);
    offset += line.text.length + (line.eol ? 1 : 0);
  }
  const lineOf = (at: number) => {
    let lo = 0;
    let hi = Math.max(0, starts.length - 1);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Regions of whole lines, each with the edits inside it; edits on touching lines share one.
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
  const regions: { from: number; to: number; edits: OffsetEdit[] }[] = [];
  for (const e of sorted) {
    const from = a.length === 0 ? 0 : lineOf(e.start);
    const to = a.length === 0 ? 0 : Math.max(from, lineOf(Math.max(e.start, e.end - 1)) + 1);
    const last = regions.at(-1);
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else regions.push({ from, to, edits: [e] });
  }
  const changes: Block[] = [];
  const b: Line[] = [];
  let copied = 0;
  for (const r of regions) {
    for (; copied < r.from; copied++) b.push(a[copied]!);
    const segStart = starts[r.from] ?? before.length;
    const segEnd = r.to < a.length ? starts[r.to]! : before.length;
    let text = '';
    let at = segStart;
    for (const e of r.edits) {
      text += before.slice(at, e.start) + e.text;
      at = e.end;
    }
    text += before.slice(at, segEnd);
    const bStart = b.length;
    b.push(...splitLines(text));
    changes.push(...blocks(a.slice(r.from, r.to), b.slice(bStart), r.from, bStart));
    copied = r.to;
  }
  for (; copied < a.length; copied++) b.push(a[copied]!);
  return hunks(file, a, b, changes);
}

function hunks(file: string, a: Line[], b: Line[], changes: Block[]): string {
  if (changes.length === 0) return '';
  const out = [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`];
  // Hunks: blocks whose contexts touch are joined.
  let k = 0;
  while (k < changes.length) {
    let last = k;
    while (last + 1 < changes.length && changes[last + 1]!.aStart - changes[last]!.aEnd <= CONTEXT * 2) last++;
    const first = changes[k]!;
    const end = changes[last]!;
    const aFrom = Math.max(0, first.aStart - CONTEXT);
    const aTo = Math.min(a.length, end.aEnd + CONTEXT);
    const bFrom = first.bStart - (first.aStart - aFrom);
    const body: string[] = [];
    let aCount = 0;
    let bCount = 0;
    const push = (mark: string, line: Line) => {
      body.push(`${mark}${line.text}`);
      if (!line.eol) body.push('\\ No newline at end of file');
    };
    let at = aFrom;
    for (let c = k; c <= last; c++) {
      const block = changes[c]!;
      for (; at < block.aStart; at++, aCount++, bCount++) push(' ', a[at]!);
      for (let i = block.aStart; i < block.aEnd; i++, aCount++) push('-', a[i]!);
      for (let j = block.bStart; j < block.bEnd; j++, bCount++) push('+', b[j]!);
      at = block.aEnd;
    }
    for (; at < aTo; at++, aCount++, bCount++) push(' ', a[at]!);
    const range = (start: number, count: number) => (count === 0 ? `${start},0` : `${start + 1},${count}`);
    out.push(`@@ -${range(aFrom, aCount)} +${range(bFrom, bCount)} @@`, ...body);
    k = last + 1;
  }
  return `${out.join('\n')}\n`;
}

const same = (x: Line, y: Line) => x.text === y.text && x.eol === y.eol;

type Block = DifferingRun;

/** Changed blocks between two runs of lines (offset by `base`), aligned by their longest common subsequence. */
function blocks(a: Line[], b: Line[], base: number, bBase: number): Block[] {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return [{ aStart: base, aEnd: base + n, bStart: bBase, bEnd: bBase + m }];
  return differingRuns(n, m, (i, j) => same(a[i]!, b[j]!)).map((r) => ({
    aStart: base + r.aStart,
    aEnd: base + r.aEnd,
    bStart: bBase + r.bStart,
    bEnd: bBase + r.bEnd,
  }));
}

export type { OffsetEdit };

/**
 * The diff of `before` → `after`, lines aligned by Myers' algorithm (time and memory grow with the
 * number of changed lines, which repairs keep small): for texts that several passes of repairs made.
 */
export function unifiedDiffOf(file: string, before: string, after: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  // Myers keeps one row per changed line: a text changed nearly whole is one block instead.
  const changes = myers(a, b, 4000) ?? [{ aStart: 0, aEnd: a.length, bStart: 0, bEnd: b.length }];
  return hunks(file, a, b, changes);
}

function myers(a: Line[], b: Line[], maxChanges: number): Block[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    if (d > maxChanges) return null;
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && same(a[x]!, b[y]!)) {
        x++;
        y++;
      }
      next[off + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // Walk back through the trace: each step is one line deleted or inserted.
  const steps: ('-' | '+' | '=')[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[off + k - 1]! < vd[off + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[off + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push('=');
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) {
      steps.push('+');
      y--;
    } else {
      steps.push('-');
      x--;
    }
  }
  while (x > 0 && y > 0) {
    steps.push('=');
    x--;
    y--;
  }
  steps.reverse();
  const out: Block[] = [];
  let i = 0;
  let j = 0;
  for (let s = 0; s < steps.length;) {
    if (steps[s] === '=') {
      i++;
      j++;
      s++;
      continue;
    }
    const block = { aStart: i, aEnd: i, bStart: j, bEnd: j };
    while (s < steps.length && steps[s] !== '=') {
      if (steps[s] === '-') block.aEnd = ++i;
      else block.bEnd = ++j;
      s++;
    }
    out.push(block);
  }
  return out;
}
