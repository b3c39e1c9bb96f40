import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { caseLocation } from '../conformance/location.js';
import { excerptKey, type ExcerptWindow, type RunReport } from './model.js';

/** A fenced block's lines, delimiters included (0-based, inclusive). */
export interface LineRange {
  start: number;
  end: number;
}

/**
 * Longest window drawn from one fence: a 2,000-line JSON dump is not an excerpt, but the Graph
 * request and response samples (up to ~80 lines) are shown whole, so locales line up side by side.
 */
export const MAX_FENCE_LINES = 100;

// An opening or closing fence; indented (list items) or quoted (`> `) ones count too.
const FENCE = /^[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})(.*)$/;

/**
 * The fenced code blocks of a page, in order. Read from the top, because whether a line opens
 * or closes a fence depends on every fence before it; an unterminated fence runs to the end of
 * the page, as CommonMark reads it.
 */
export function fencesOf(lines: readonly string[]): LineRange[] {
  const out: LineRange[] = [];
  let open: { start: number; marker: string } | null = null;
  for (const [i, text] of lines.entries()) {
    const m = FENCE.exec(text);
    if (!m) continue;
    const [, marker = '', info = ''] = m;
    if (!open) {
      // A backtick fence's info string cannot contain backticks: such a line is inline code.
      if (!(marker[0] === '`' && info.includes('`'))) open = { start: i, marker };
    } else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && info.trim() === '') {
      out.push({ start: open.start, end: i });
      open = null;
    }
  }
  if (open) out.push({ start: open.start, end: lines.length - 1 });
  return out;
}

/**
 * The lines shown for `line` (1-based): its whole fence when it is in one (at most
 * MAX_FENCE_LINES around it), else `context` lines each side.
 */
export function excerptWindow(
  lines: readonly string[],
  line: number,
  context = 2,
  fences: readonly LineRange[] = fencesOf(lines),
): ExcerptWindow | null {
  const index = line - 1;
  if (index < 0 || index >= lines.length) return null;
  const fence = fences.find((f) => f.start <= index && index <= f.end);
  let start = Math.max(0, index - context);
  let end = Math.min(lines.length - 1, index + context);
  if (fence) {
    // The line near the middle, the window kept inside the fence.
    start = Math.max(fence.start, Math.min(index - MAX_FENCE_LINES / 2, fence.end - MAX_FENCE_LINES + 1));
    end = Math.min(fence.end, start + MAX_FENCE_LINES - 1);
  }
  return { startLine: start + 1, lines: lines.slice(start, end + 1) };
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/**
 * Read the pages that findings name and cut a window around each location: the finding's own,
 * its related ones (the same sample in other locales), and the documented sample of each
 * conformance case that did not pass. Each file is read once; unreadable files are skipped, a
 * report is never lost to a page that moved.
 */
export async function collectExcerpts(
  report: RunReport,
  options: { context?: number } = {},
): Promise<Record<string, ExcerptWindow>> {
  const wanted: { file: string; line: number }[] = [];
  // Baselined findings too: the dashboard shows them on request.
  for (const d of [...(report.lint?.diagnostics ?? []), ...(report.lint?.baselined ?? [])]) {
    wanted.push({ file: d.file, line: d.line });
    for (const r of d.related ?? []) wanted.push({ file: r.file, line: r.line });
  }
  for (const r of report.conformance?.results ?? []) {
    if (r.status === 'passed') continue;
    const { file, line } = caseLocation(r);
    wanted.push({ file, line });
  }

  const pages = new Map<string, Promise<{ lines: string[]; fences: LineRange[] } | null>>();
  const pageOf = (file: string) => {
    let read = pages.get(file);
    if (!read) {
      read = readFile(path.resolve(report.cwd, file), 'utf8').then(
        (text) => {
          const lines = splitLines(text);
          return { lines, fences: fencesOf(lines) };
        },
        () => null,
      );
      pages.set(file, read);
    }
    return read;
  };
  const out: Record<string, ExcerptWindow> = {};
  for (const { file, line } of wanted) {
    const key = excerptKey(file, line);
    if (key in out) continue;
    const page = await pageOf(file);
    const window = page && excerptWindow(page.lines, line, options.context, page.fences);
    if (window) out[key] = window;
  }
  return out;
}
