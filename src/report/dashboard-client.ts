/**
 * The dashboard's renderers: pure functions from its data (src/report/dashboard.ts) to markup.
 * The page embeds their source (`Function.prototype.toString`) and runs them in the browser,
 * so a large report ships compact data, not 60 MB of rows, and builds only what is on screen;
 * tests call the very same functions in Node. Hence the rules for this file: no imports, no
 * module-level values, each function uses only its arguments and the other functions listed in
 * CLIENT_FUNCTIONS, and nothing the browser lacks.
 */
import type { DashData, DashFinding, DashSpot } from './dashboard.js';

export function esc(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** Singular or plural, as the report's counts read ("1 error", "2 warnings", "3 info"). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}

/** One line of an excerpt with its mark, if it has one: `<mark>` around [from, to) UTF-16 units. */
export function lineHtml(text: string, mark: [number, number] | undefined): string {
  if (!mark) return esc(text);
  const from = mark[0];
  const to = mark[1];
  // A position at the end of the line (a missing character) is shown as a marked blank.
  if (from >= text.length) return `${esc(text)}<mark class="at-eol"> </mark>`;
  return `${esc(text.slice(0, from))}<mark>${esc(text.slice(from, to))}</mark>${esc(text.slice(to))}`;
}

/** The lines [start, end] of a file from the excerpt ranges kept for it; null when they are not all there. */
export function windowLines(ranges: [number, string[]][] | undefined, start: number, end: number): string[] | null {
  for (const [first, lines] of ranges ?? []) {
    if (first <= start && end < first + lines.length) return lines.slice(start - first, end - first + 1);
  }
  return null;
}

/** A place shown in a side-by-side column: its caption, and its lines with highlights and marks. */
export function spotHtml(spot: DashSpot, data: DashData): string {
  const file = data.files[spot.f]!;
  const locale = data.locales[spot.o] ?? '(none)';
  const where = `${file}:${spot.l}${spot.c !== undefined ? `:${spot.c}` : ''}`;
  const lines = spot.w ? windowLines(data.lines[spot.f], spot.w[0], spot.w[1]) : null;
  let body = '<p class="no-excerpt">(no excerpt: the page could not be read)</p>';
  if (spot.w && lines) {
    const rows = lines.map((text, i) => {
      const n = spot.w![0] + i;
      const counterpart = spot.cp === n;
      const highlighted = counterpart || (n >= spot.h[0] && n <= spot.h[1]);
      const cls = highlighted
        ? ` class="${spot.own ? 'hl' : `hl hl-related${counterpart ? ' counterpart' : ''}`}"`
        : '';
      const mark = spot.m.find((m) => m[0] === n);
      const marked = lineHtml(text, mark ? [mark[1], mark[2]] : undefined);
      return `<tr${cls}><td class="ln">${n}</td><td class="src">${marked}</td></tr>`;
    });
    body = `<div class="code"><table>${rows.join('')}</table></div>`;
  }
  const name = locale === '(none)' ? 'no locale' : locale;
  return (
    `<figure class="excerpt${spot.own ? ' own' : ''}" data-excerpt-locale="${esc(locale)}">` +
    `<figcaption><span class="locale-tag">${esc(name)}</span> <span class="where">${esc(where)}</span>` +
    `${spot.cap ? ` <span class="caption">${esc(spot.cap)}</span>` : ''}</figcaption>${body}</figure>`
  );
}

/** The excerpts of a finding side by side, one column per place. */
export function spotsHtml(finding: DashFinding, data: DashData): string {
  if (!finding.p.some((s) => s.w)) return '';
  const columns = finding.p.map((s) => spotHtml(s, data)).join('');
  return `<div class="side-by-side" style="--columns:${finding.p.length}">${columns}</div>`;
}

/**
 * A finding: a `<details>` whose summary is its header and message; the excerpts are built when
 * it is opened (`open`: built now), so a page of a hundred findings costs a hundred lines.
 */
export function findingHtml(finding: DashFinding, index: number, data: DashData, open: boolean): string {
  const sev = ['error', 'warning', 'info'][finding.s]!;
  const locale = data.locales[finding.o] ?? '(none)';
  const file = data.files[finding.f]!;
  return (
    `<details class="finding sev-${sev}${finding.k ? ' baselined' : ''}" id="finding-${index + 1}"` +
    ` data-index="${index}" data-locale="${esc(locale)}"` +
    ` data-rule="${esc(data.rules[finding.r]!)}"${open ? ' open' : ''}><summary><span class="sev">${sev}</span>` +
    ` <code class="rule">${esc(data.rules[finding.r]!)}</code>` +
    ` <span class="where">${esc(`${file}:${finding.l}:${finding.c}`)}</span>` +
    ` <span class="locale-tag">${esc(locale === '(none)' ? 'no locale' : locale)}</span>` +
    `${finding.k ? ' <span class="known">baselined</span>' : ''}` +
    `<p class="message">${esc(finding.m)}</p></summary>` +
    `<div class="details">${open ? spotsHtml(finding, data) : ''}</div></details>`
  );
}

/** Counts per severity of the findings given (indexes into data.findings). */
export function severityCounts(data: DashData, indexes: number[]): [number, number, number] {
  const counts: [number, number, number] = [0, 0, 0];
  for (const i of indexes) counts[data.findings[i]!.s]++;
  return counts;
}

/**
 * The matrix of page groups × locales for the findings given: each cell's counts, and its state
 * (red: errors, amber: warnings only, green: a page and no errors or warnings, missing: no page and
 * nothing found). `known` counts the baselined findings among those given, shown apart.
 */
export function matrixCells(
  data: DashData,
  indexes: number[],
): { e: number; w: number; i: number; k: number; state: string }[][] {
  const cells = data.groups.map((g) =>
    data.locales
      .slice(0, data.cols)
      .map((_, col) => ({ e: 0, w: 0, i: 0, k: 0, state: g.f[col] === null ? 'missing' : 'green' })),
  );
  for (const index of indexes) {
    const f = data.findings[index]!;
    const cell = f.g >= 0 ? cells[f.g]?.[f.o] : undefined;
    if (!cell) continue;
    if (f.k) cell.k++;
    else if (f.s === 0) cell.e++;
    else if (f.s === 1) cell.w++;
    else cell.i++;
  }
  for (const row of cells) {
    for (const c of row) {
      if (c.e > 0) c.state = 'red';
      else if (c.w > 0) c.state = 'amber';
      else if (c.state === 'missing' && (c.i > 0 || c.k > 0)) c.state = 'green';
    }
  }
  return cells;
}

/** A matrix cell's text: its counts, "✔ clean", or "—" for a locale without the page. */
export function cellHtml(c: { e: number; w: number; i: number; k: number; state: string }): string {
  if (c.state === 'missing') return '—';
  const parts = [
    c.e > 0 ? `<span class="n n-err">${plural(c.e, 'error')}</span>` : '',
    c.w > 0 ? `<span class="n n-warn">${plural(c.w, 'warning')}</span>` : '',
    c.i > 0 ? `<span class="n n-info">${plural(c.i, 'info')}</span>` : '',
    c.k > 0 ? `<span class="n n-known">${c.k} baselined</span>` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('') : '<span class="n n-ok">✔ clean</span>';
}

/** The functions the page embeds, in an order where each is defined before the page runs. */
export const CLIENT_FUNCTIONS = [
  esc,
  plural,
  lineHtml,
  windowLines,
  spotHtml,
  spotsHtml,
  findingHtml,
  severityCounts,
  matrixCells,
  cellHtml,
];
