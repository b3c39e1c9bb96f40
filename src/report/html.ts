import type { CaseResult, ConformanceReport } from '../conformance/run.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintResult } from '../scale/lint-run.js';
import { excerptKey, type ExcerptWindow, type RunReport } from './model.js';

/**
 * The HTML dashboard: one self-contained file (inline CSS and script, no URL to anything), so it
 * can be attached to a CI run and opened offline. A locale × page-group matrix, the findings with
 * their sample side by side across locales, and the conformance cases with expected vs actual.
 */

export type CellState = 'red' | 'amber' | 'green' | 'missing';

export interface MatrixCell {
  pageId: string;
  locale: string;
  /** The page of this group in this locale, if there is one. */
  file: string | null;
  state: CellState;
  errors: number;
  warnings: number;
  infos: number;
}

/** How items without a locale (pages named by no path segment or front matter) are keyed. */
export const NO_LOCALE = '(none)';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const esc = escapeHtml;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
const localeKey = (locale: string | null | undefined) => locale ?? NO_LOCALE;

/**
 * The matrix: one row per page group, one column per locale. A cell is red when its page has an
 * error, amber when warnings only, green otherwise (info does not colour); missing when the group
 * has no page in that locale and no finding landed there.
 */
export function matrixOf(lint: LintResult): { locales: string[]; rows: { pageId: string; cells: MatrixCell[] }[] } {
  const hasNoLocale = lint.pageGroups.some((g) => g.pages.some((p) => p.locale === null));
  const locales = [...lint.summary.locales, ...(hasNoLocale ? [NO_LOCALE] : [])];
  const counts = new Map<string, { errors: number; warnings: number; infos: number }>();
  const cellKey = (pageId: string, locale: string) => `${pageId}\u0000${locale}`;
  for (const d of lint.diagnostics) {
    if (d.pageId === undefined) continue;
    const key = cellKey(d.pageId, localeKey(d.locale));
    const c = counts.get(key) ?? { errors: 0, warnings: 0, infos: 0 };
    if (d.severity === 'error') c.errors++;
    else if (d.severity === 'warning') c.warnings++;
    else c.infos++;
    counts.set(key, c);
  }
  const rows = lint.pageGroups.map((group) => ({
    pageId: group.pageId,
    cells: locales.map((locale): MatrixCell => {
      const file = group.pages.find((p) => localeKey(p.locale) === locale)?.file ?? null;
      const c = counts.get(cellKey(group.pageId, locale)) ?? { errors: 0, warnings: 0, infos: 0 };
      // A finding about a page that is not there is still shown, coloured by its severity.
      const state: CellState = c.errors > 0 ? 'red' : c.warnings > 0 ? 'amber' : file === null && c.infos === 0 ? 'missing' : 'green';
      return { pageId: group.pageId, locale, file, state, ...c };
    }),
  }));
  return { locales, rows };
}

// ---------------------------------------------------------------- excerpts

/** A place shown in a side-by-side column: the finding's own location or a related one. */
interface Spot {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  locale: string | null;
  caption: string;
  own: boolean;
  /** In a related sample, the line that corresponds to the finding's own, and what to mark on it. */
  counterpart?: { line: number; range: [number, number] | null };
}

// From a column: punctuation that leads into a word (`[**Disconnect`), else one run of non-space.
const TOKEN = /[^\s\p{L}\p{N}]*[\p{L}\p{N}_$@:.\-]+|\S+/uy;

function tokenEnd(text: string, from: number): number {
  TOKEN.lastIndex = from;
  return TOKEN.exec(text) ? TOKEN.lastIndex : from + 1;
}

/**
 * The [from, to) range of UTF-16 code units to mark on `lineNo`: the finding's span from
 * `column` to `endColumn` (over several lines when it has `endLine`), or the token at `column`.
 */
function markRange(spot: Spot, lineNo: number, text: string): [number, number] | null {
  const endLine = spot.own && spot.endLine !== undefined ? Math.max(spot.endLine, spot.line) : spot.line;
  if (lineNo < spot.line || lineNo > endLine || spot.column === undefined) return null;
  const from = lineNo === spot.line ? spot.column - 1 : 0;
  let to: number;
  if (lineNo < endLine) to = text.length;
  else if (spot.own && spot.endColumn !== undefined && (endLine > spot.line || spot.endColumn > spot.column)) to = spot.endColumn - 1;
  else to = tokenEnd(text, from);
  return [from, Math.max(from, to)];
}

function renderLine(spot: Spot, lineNo: number, text: string): string {
  const range = spot.counterpart?.line === lineNo ? spot.counterpart.range : markRange(spot, lineNo, text);
  if (!range) return esc(text);
  const [from, to] = range;
  // A position at the end of the line (a missing character) is shown as a marked blank.
  if (from >= text.length) return `${esc(text)}<mark class="at-eol"> </mark>`;
  return `${esc(text.slice(0, from))}<mark>${esc(text.slice(from, to))}</mark>${esc(text.slice(to))}`;
}

function renderWindow(spot: Spot, window: ExcerptWindow): string {
  const last = spot.own && spot.endLine !== undefined ? Math.max(spot.endLine, spot.line) : spot.line;
  const rows = window.lines.map((text, i) => {
    const lineNo = window.startLine + i;
    const counterpart = spot.counterpart?.line === lineNo;
    const highlighted = counterpart || (lineNo >= spot.line && lineNo <= last);
    const cls = highlighted ? ` class="${spot.own ? 'hl' : `hl hl-related${counterpart ? ' counterpart' : ''}`}"` : '';
    return `<tr${cls}><td class="ln">${lineNo}</td><td class="src">${renderLine(spot, lineNo, text)}</td></tr>`;
  });
  return `<div class="code"><table>${rows.join('')}</table></div>`;
}

function renderSpot(spot: Spot, excerpts: Record<string, ExcerptWindow>): string {
  const window = excerpts[excerptKey(spot.file, spot.line)];
  const where = `${spot.file}:${spot.line}${spot.column !== undefined ? `:${spot.column}` : ''}`;
  return `<figure class="excerpt${spot.own ? ' own' : ''}" data-excerpt-locale="${esc(localeKey(spot.locale))}">`
    + `<figcaption><span class="locale-tag">${esc(spot.locale ?? 'no locale')}</span> <span class="where">${esc(where)}</span>`
    + `${spot.caption ? ` <span class="caption">${esc(spot.caption)}</span>` : ''}</figcaption>`
    + `${window ? renderWindow(spot, window) : '<p class="no-excerpt">(no excerpt: the page could not be read)</p>'}</figure>`;
}

const FENCE_OPENING = /^[ \t]*(?:>[ \t]?)*(?:`{3,}|~{3,})/;

/**
 * A related location that names a whole sample (its opening fence line) shows the line at the
 * same offset as the finding's own line in its sample: the same node, in the other locale. Only
 * when both windows start at their fence, so the offset is known; the finding's span is marked
 * there too when the line reads the same.
 */
function counterpartOf(own: Spot, related: Spot, excerpts: Record<string, ExcerptWindow>): Spot['counterpart'] {
  const ownWindow = excerpts[excerptKey(own.file, own.line)];
  const window = excerpts[excerptKey(related.file, related.line)];
  if (!ownWindow || !window || window.startLine !== related.line || own.line === ownWindow.startLine) return undefined;
  if (!FENCE_OPENING.test(ownWindow.lines[0] ?? '') || !FENCE_OPENING.test(window.lines[0] ?? '')) return undefined;
  const line = related.line + (own.line - ownWindow.startLine);
  const text = window.lines[line - window.startLine];
  if (text === undefined) return undefined;
  const ownText = ownWindow.lines[own.line - ownWindow.startLine] ?? '';
  return { line, range: text === ownText ? markRange(own, own.line, ownText) : null };
}

function spotsOf(d: Diagnostic, excerpts: Record<string, ExcerptWindow>): Spot[] {
  const own: Spot = { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, locale: d.locale ?? null, caption: 'this finding', own: true };
  const related = (d.related ?? []).map((r): Spot => {
    const spot: Spot = { file: r.file, line: r.line, column: r.column, locale: r.locale ?? null, caption: r.message ?? '', own: false };
    return { ...spot, counterpart: counterpartOf(own, spot, excerpts) };
  });
  return [own, ...related];
}

// ---------------------------------------------------------------- sections

function renderFinding(d: Diagnostic, id: number, excerpts: Record<string, ExcerptWindow> | undefined): string {
  const spots = spotsOf(d, excerpts ?? {});
  const sideBySide = excerpts && spots.some((s) => excerpts[excerptKey(s.file, s.line)])
    ? `<div class="side-by-side" style="--columns:${spots.length}">${spots.map((s) => renderSpot(s, excerpts)).join('')}</div>`
    : '';
  return `<article class="finding sev-${d.severity}" id="finding-${id}" data-locale="${esc(localeKey(d.locale))}" data-rule="${esc(d.ruleId)}">`
    + `<header><span class="sev">${d.severity}</span> <code class="rule">${esc(d.ruleId)}</code>`
    + ` <span class="where">${esc(`${d.file}:${d.line}:${d.column}`)}</span>`
    + ` <span class="locale-tag">${esc(d.locale ?? 'no locale')}</span></header>`
    + `<p class="message">${esc(d.message)}</p>${sideBySide}</article>`;
}

function cellLabel(c: MatrixCell): string {
  if (c.state === 'missing') return '—';
  const parts = [
    c.errors > 0 ? `<span class="n n-err">${plural(c.errors, 'error')}</span>` : '',
    c.warnings > 0 ? `<span class="n n-warn">${plural(c.warnings, 'warning')}</span>` : '',
    c.infos > 0 ? `<span class="n n-info">${plural(c.infos, 'info')}</span>` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('') : '<span class="n n-ok">✔ clean</span>';
}

function renderMatrix(lint: LintResult, groupAnchor: Map<string, string>): string {
  const { locales, rows } = matrixOf(lint);
  const head = locales.map((l) => `<th scope="col" data-locale="${esc(l)}">${esc(l)}</th>`).join('');
  const body = rows.map(({ pageId, cells }) => {
    const anchor = groupAnchor.get(pageId);
    const name = anchor ? `<a href="#${anchor}">${esc(pageId)}</a>` : esc(pageId);
    const tds = cells.map((c) => {
      const title = c.state === 'missing' ? `no ${c.locale} page` : `${c.file ?? `no ${c.locale} page`}: ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${plural(c.infos, 'info')}`;
      return `<td class="cell ${c.state}" data-locale="${esc(c.locale)}" data-page-id="${esc(pageId)}" data-state="${c.state}" data-errors="${c.errors}" data-warnings="${c.warnings}" data-infos="${c.infos}" title="${esc(title)}">${cellLabel(c)}</td>`;
    }).join('');
    return `<tr><th scope="row" class="group">${name}</th>${tds}</tr>`;
  }).join('');
  return `<section id="matrix-section"><h2>Locales × page groups</h2>`
    + `<p class="legend"><span class="swatch red"></span>errors <span class="swatch amber"></span>warnings only <span class="swatch green"></span>no errors or warnings <span class="swatch missing"></span>no page in this locale</p>`
    + `<table id="matrix"><thead><tr><th scope="col">page group</th>${head}</tr></thead><tbody>${body}</tbody></table></section>`;
}

function renderFindings(lint: LintResult, excerpts: Record<string, ExcerptWindow> | undefined, groupAnchor: Map<string, string>): string {
  const byGroup = new Map<string, Diagnostic[]>();
  const other: Diagnostic[] = [];
  for (const d of lint.diagnostics) {
    if (d.pageId !== undefined && groupAnchor.has(d.pageId)) byGroup.set(d.pageId, [...(byGroup.get(d.pageId) ?? []), d]);
    else other.push(d);
  }
  let id = 0;
  const section = (anchor: string, title: string, list: Diagnostic[]) =>
    `<section class="finding-group" id="${anchor}"><h3>${esc(title)} <span class="count">${plural(list.length, 'finding')}</span></h3>${list.map((d) => renderFinding(d, ++id, excerpts)).join('')}</section>`;
  const groups = lint.pageGroups.filter((g) => byGroup.has(g.pageId)).map((g) => section(groupAnchor.get(g.pageId)!, g.pageId, byGroup.get(g.pageId)!));
  if (other.length > 0) groups.push(section('group-other', 'Input problems (no page group)', other));
  const body = groups.length > 0 ? groups.join('') : '<p class="ok">No findings.</p>';
  return `<section id="findings"><h2>Findings</h2>${body}</section>`;
}

const STATUS_MARK: Record<CaseResult['status'], string> = { passed: '✔', failed: '✘', skipped: '–', error: '!' };

function renderChecks(r: CaseResult): string {
  if (r.checks.length === 0) return '';
  const rows = r.checks.map((c) => `<tr><td>${esc(c.check)}</td><td><code>${esc(c.path)}</code>${c.docLine ? `<div class="dim">documented at line ${c.docLine}</div>` : ''}</td>`
    + `<td><pre>${esc(c.expected)}</pre></td><td><pre>${esc(c.actual)}</pre></td></tr>`).join('');
  return `<table class="checks"><thead><tr><th>check</th><th>path</th><th>expected</th><th>actual</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function renderRequest(request: NonNullable<CaseResult['request']>): string {
  // Only these fields, already redacted upstream: a report never carries a body or a credential.
  const lines = [`${request.method} ${request.url}`, ...request.headers.map(([n, v]) => `${n}: ${v}`)];
  return `<div class="request"><div class="dim">request sent</div><pre>${esc(lines.join('\n'))}</pre></div>`;
}

function renderCase(r: CaseResult, excerpts: Record<string, ExcerptWindow> | undefined): string {
  const head = `<tr><td class="status">${STATUS_MARK[r.status]} ${r.status}</td><td><code>${esc(r.caseId)}</code>${r.note ? `<div class="dim">${esc(r.note)}</div>` : ''}</td>`
    + `<td class="where">${esc(`${r.file}:${r.line}`)}</td><td>${esc(r.locale ?? 'no locale')}</td><td class="num">${r.durationMs} ms</td></tr>`;
  let detail = '';
  if (r.status !== 'passed') {
    const spot: Spot = { file: r.file, line: r.line, locale: r.locale, caption: 'documented request', own: true };
    const documented = excerpts?.[excerptKey(r.file, r.line)] ? `<div class="side-by-side" style="--columns:1">${renderSpot(spot, excerpts)}</div>` : '';
    detail = `<tr class="case-detail"><td colspan="5"><p class="message">${esc(r.message)}</p>${renderChecks(r)}${r.request ? renderRequest(r.request) : ''}${documented}</td></tr>`;
  }
  return `<tbody class="case status-${r.status}" data-locale="${esc(localeKey(r.locale))}">${head}${detail}</tbody>`;
}

function renderConformance(report: ConformanceReport, excerpts: Record<string, ExcerptWindow> | undefined): string {
  const problems = report.diagnostics.length > 0
    ? `<ul class="problems">${report.diagnostics.map((d) => `<li class="sev-${d.severity}">${esc(`${d.file}:${d.line}:${d.column}`)} <span class="sev">${d.severity}</span> ${esc(d.message)} <code>${esc(d.ruleId)}</code></li>`).join('')}</ul>`
    : '';
  const cases = report.results.length > 0
    ? `<table id="cases"><thead><tr><th>status</th><th>case</th><th>documented at</th><th>locale</th><th>duration</th></tr></thead>${report.results.map((r) => renderCase(r, excerpts)).join('')}</table>`
    : '<p>No cases.</p>';
  return `<section id="conformance"><h2>Conformance</h2><p>Documented requests replayed against <code>${esc(report.target)}</code>.</p>${problems}${cases}</section>`;
}

// ---------------------------------------------------------------- page

function renderSummary(report: RunReport): string {
  const out: string[] = [];
  if (report.lint) {
    const s = report.lint.summary;
    out.push(`<div class="stat"><b>Lint</b> <span class="n-err">${plural(s.errors, 'error')}</span>, <span class="n-warn">${plural(s.warnings, 'warning')}</span>, ${plural(s.infos, 'info')}`
      + ` <span class="dim">· ${s.pages} pages in ${s.pageGroups} page groups (${esc(s.locales.join(', '))}), ${s.samples} samples</span></div>`);
  }
  if (report.conformance) {
    const s = report.conformance.summary;
    out.push(`<div class="stat"><b>Conformance</b> <span class="n-ok">${s.passed} passed</span>, <span class="n-err">${s.failed} failed</span>, ${s.skipped} skipped, <span class="n-err">${plural(s.errors, 'error')}</span>`
      + ` <span class="dim">· target ${esc(report.conformance.target)}</span></div>`);
  }
  return out.join('');
}

/** Every locale something on the page belongs to, for the filter. */
function localesOf(report: RunReport): string[] {
  const all = new Set<string>(report.lint?.summary.locales ?? []);
  for (const d of report.lint?.diagnostics ?? []) all.add(localeKey(d.locale));
  for (const g of report.lint?.pageGroups ?? []) for (const p of g.pages) all.add(localeKey(p.locale));
  for (const r of report.conformance?.results ?? []) all.add(localeKey(r.locale));
  return [...all].sort();
}

const STYLE = `
:root { color-scheme: light; --red: #ffd7d5; --red-ink: #a40e26; --amber: #fff1c2; --amber-ink: #7d4e00; --green: #dafbe1; --green-ink: #116329; --grey: #eef0f3; --line: #d0d7de; --dim: #59636e; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; }
code, pre, .code { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono", "Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
header.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; align-items: center; padding: .7rem 1.2rem; background: #f6f8fa; border-bottom: 1px solid var(--line); }
header.top h1 { font-size: 1.15rem; margin: 0; }
header.top .tool { color: var(--dim); }
.stat { white-space: nowrap; }
.filter { margin-left: auto; }
main { padding: 0 1.2rem 2rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .5rem; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
h3 .count, .dim { color: var(--dim); font-weight: normal; font-size: .9em; }
.n-err { color: var(--red-ink); } .n-warn { color: var(--amber-ink); } .n-ok { color: var(--green-ink); } .n-info { color: #0550ae; }
.legend { color: var(--dim); }
.swatch { display: inline-block; width: .9em; height: .9em; border: 1px solid var(--line); vertical-align: -1px; margin: 0 .2em 0 .8em; }
.swatch.red, .cell.red { background: var(--red); } .swatch.amber, .cell.amber { background: var(--amber); }
.swatch.green, .cell.green { background: var(--green); } .swatch.missing, .cell.missing { background: var(--grey); color: var(--dim); }
table { border-collapse: collapse; }
#matrix th, #matrix td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
#matrix thead th { background: #f6f8fa; }
#matrix .group { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: normal; font-size: 12.5px; }
.cell { min-width: 7.5rem; }
.cell .n { display: block; white-space: nowrap; }
.cell.missing { text-align: center !important; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
.finding { border: 1px solid var(--line); border-left-width: 4px; border-radius: 4px; margin: .6rem 0; padding: .5rem .7rem; }
.finding.sev-error { border-left-color: #cf222e; } .finding.sev-warning { border-left-color: #bf8700; } .finding.sev-info { border-left-color: #0969da; }
.finding header { display: flex; flex-wrap: wrap; gap: .3rem .6rem; align-items: baseline; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; letter-spacing: .03em; }
.sev-error .sev { color: #cf222e; } .sev-warning .sev { color: #9a6700; } .sev-info .sev { color: #0969da; }
.rule { background: #eff1f3; padding: 0 .3em; border-radius: 3px; }
.where { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; color: var(--dim); overflow-wrap: anywhere; }
.locale-tag { font-size: .75rem; padding: 0 .4em; border-radius: 8px; background: #ddf4ff; color: #0550ae; white-space: nowrap; }
.message { margin: .35rem 0; overflow-wrap: anywhere; }
.side-by-side { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, 1fr)); gap: .5rem; margin-top: .4rem; }
@media (max-width: 900px) { .side-by-side { grid-template-columns: minmax(0, 1fr); } }
.excerpt { margin: 0; border: 1px solid var(--line); border-radius: 4px; min-width: 0; }
.excerpt.own { border-color: #8c959f; }
.excerpt figcaption { padding: .25rem .5rem; background: #f6f8fa; border-bottom: 1px solid var(--line); font-size: 12px; }
.caption { color: var(--dim); font-style: italic; }
.code { max-height: 20em; overflow: auto; }
.code table { width: 100%; }
.code td { padding: 0 .5rem; white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 4; vertical-align: top; }
.code .ln { text-align: right; color: #8c959f; user-select: none; width: 1%; white-space: nowrap; overflow-wrap: normal; border-right: 1px solid var(--line); }
.code tr.hl { background: #fff8c5; } .code tr.hl-related { background: #ddf4ff; } .code tr.counterpart { background: #b6e3ff; }
mark { background: #ffb3ad; color: inherit; border-radius: 2px; outline: 1px solid #cf222e; }
.hl-related mark { background: #b6e3ff; outline-color: #0969da; }
.no-excerpt { margin: .4rem .5rem; color: var(--dim); }
#cases { width: 100%; }
#cases > thead th { text-align: left; border-bottom: 2px solid var(--line); padding: .3rem .5rem; }
#cases > tbody > tr > td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
#cases .status { white-space: nowrap; font-weight: 600; }
.status-passed .status { color: var(--green-ink); } .status-failed .status, .status-error .status { color: var(--red-ink); } .status-skipped .status { color: var(--amber-ink); }
.case-detail > td { background: #fafbfc; }
.num { text-align: right; white-space: nowrap; }
.checks { margin: .4rem 0; width: 100%; table-layout: fixed; }
.checks th, .checks td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
.checks th:first-child, .checks td:first-child { width: 7rem; }
.checks pre, .request pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.checks td:nth-child(3) { background: #e6ffec; } .checks td:nth-child(4) { background: #ffebe9; }
.request pre { background: #f6f8fa; padding: .3rem .5rem; border-radius: 4px; }
.problems { padding-left: 1.2rem; }
.ok { color: var(--green-ink); }
`;

// Static: no data from the report is ever placed in the script.
const SCRIPT = `
(() => {
  const filter = document.getElementById('locale-filter');
  const apply = () => {
    const locale = filter.value;
    for (const el of document.querySelectorAll('[data-locale]')) el.hidden = locale !== '' && el.dataset.locale !== locale;
    for (const group of document.querySelectorAll('.finding-group')) group.hidden = !group.querySelector('.finding:not([hidden])');
  };
  filter.addEventListener('change', apply);
  apply();
  // Each excerpt opens scrolled to its highlighted line, so locales line up side by side.
  for (const box of document.querySelectorAll('.code')) {
    const line = box.querySelector('tr.counterpart') ?? box.querySelector('tr.hl');
    if (line) box.scrollTop = Math.max(0, line.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3);
  }
})();
`;

/** The dashboard as one HTML document. Pure: excerpts come already read in `report.excerpts`. */
export function renderHtml(report: RunReport): string {
  // Only groups with findings get a section to link to from the matrix.
  const withFindings = new Set((report.lint?.diagnostics ?? []).map((d) => d.pageId));
  const groupAnchor = new Map((report.lint?.pageGroups ?? []).map((g, i) => [g.pageId, `group-${i + 1}`] as const).filter(([pageId]) => withFindings.has(pageId)));
  const sections: string[] = [];
  if (report.lint) sections.push(renderMatrix(report.lint, groupAnchor), renderFindings(report.lint, report.excerpts, groupAnchor));
  if (report.conformance) sections.push(renderConformance(report.conformance, report.excerpts));
  if (sections.length === 0) sections.push('<p>Nothing to report.</p>');
  const options = localesOf(report).map((l) => `<option value="${esc(l)}">${esc(l === NO_LOCALE ? 'no locale' : l)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>lockstep report</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>lockstep report</h1><span class="tool">${esc(report.tool.name)} ${esc(report.tool.version)}</span>${renderSummary(report)}
<label class="filter">Locale <select id="locale-filter"><option value="">All locales</option>${options}</select></label></header>
<main>
${sections.join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
