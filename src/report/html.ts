import { gzipSync } from 'node:zlib';
import { caseLocation } from '../conformance/location.js';
import type { CaseResult, ConformanceReport } from '../conformance/run.js';
import type { LintResult } from '../run/lint-run.js';
import { CLIENT_FUNCTIONS } from './dashboard-client.js';
import { dashboardData, dataScript, NO_LOCALE } from './dashboard.js';
import { excerptKey, type ExcerptWindow, type RunReport } from './model.js';

/**
 * The HTML dashboard: one self-contained file (inline CSS and script, no URL to anything), so it
 * can be attached to a CI run and opened offline. A locale × page-group matrix, the findings with
 * their sample side by side across locales, and the conformance cases with expected vs actual.
 * The lint part is data (src/report/dashboard.ts) that the page's script renders as it is viewed:
 * the matrix at once, findings a page at a time, a finding's excerpts when it is opened; so the
 * Exchange corpus's report is a few MB and interactive at once instead of 63 MB of rows.
 */

/** How items without a locale (pages named by no path segment or front matter) are keyed. */
export { NO_LOCALE };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const esc = escapeHtml;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
const localeKey = (locale: string | null | undefined) => locale ?? NO_LOCALE;

// ---------------------------------------------------------------- conformance

/** The documented sample of a case that did not pass, its line highlighted. */
function renderDocumented(r: CaseResult, window: ExcerptWindow): string {
  const at = caseLocation(r);
  const rows = window.lines
    .map((text, i) => {
      const n = window.startLine + i;
      return `<tr${n === at.line ? ' class="hl"' : ''}><td class="ln">${n}</td><td class="src">${esc(text)}</td></tr>`;
    })
    .join('');
  const locale = localeKey(r.locale);
  return (
    `<div class="side-by-side" style="--columns:1"><figure class="excerpt own" data-excerpt-locale="${esc(locale)}">` +
    `<figcaption><span class="locale-tag">${esc(r.locale ?? 'no locale')}</span>` +
    ` <span class="where">${esc(at.where)}</span>` +
    ` <span class="caption">documented request</span></figcaption>` +
    `<div class="code"><table>${rows}</table></div></figure></div>`
  );
}

const STATUS_MARK: Record<CaseResult['status'], string> = { passed: '✔', failed: '✘', skipped: '–', error: '!' };

function renderChecks(r: CaseResult): string {
  if (r.checks.length === 0) return '';
  const rows = r.checks
    .map(
      (c) =>
        `<tr><td>${esc(c.check)}</td><td><code>${esc(c.path)}</code>` +
        `${c.docLine ? `<div class="dim">documented at line ${c.docLine}</div>` : ''}</td>` +
        `<td><pre>${esc(c.expected)}</pre></td><td><pre>${esc(c.actual)}</pre></td></tr>`,
    )
    .join('');
  return (
    '<table class="checks"><thead><tr><th>check</th><th>path</th><th>expected</th><th>actual</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>`
  );
}

function renderRequest(request: NonNullable<CaseResult['request']>): string {
  // Only these fields, already redacted upstream: a report never carries a body or a credential.
  const lines = [`${request.method} ${request.url}`, ...request.headers.map(([n, v]) => `${n}: ${v}`)];
  return `<div class="request"><div class="dim">request sent</div><pre>${esc(lines.join('\n'))}</pre></div>`;
}

function renderCase(r: CaseResult, excerpts: Record<string, ExcerptWindow> | undefined): string {
  const at = caseLocation(r);
  const head =
    `<tr><td class="status">${STATUS_MARK[r.status]} ${r.status}</td><td><code>${esc(r.caseId)}</code>` +
    `${r.note ? `<div class="dim">${esc(r.note)}</div>` : ''}</td>` +
    `<td class="where">${esc(at.where)}</td><td>${esc(r.locale ?? 'no locale')}</td>` +
    `<td class="num">${r.durationMs} ms</td></tr>`;
  let detail = '';
  if (r.status !== 'passed') {
    const window = excerpts?.[excerptKey(at.file, at.line)];
    const documented = window ? renderDocumented(r, window) : '';
    const request = r.request ? renderRequest(r.request) : '';
    detail =
      `<tr class="case-detail"><td colspan="5"><p class="message">${esc(at.message)}</p>` +
      `${renderChecks(r)}${request}${documented}</td></tr>`;
  }
  return `<tbody class="case status-${r.status}" data-locale="${esc(localeKey(r.locale))}">${head}${detail}</tbody>`;
}

function renderConformance(report: ConformanceReport, excerpts: Record<string, ExcerptWindow> | undefined): string {
  const problems =
    report.diagnostics.length > 0
      ? `<ul class="problems">${report.diagnostics
          .map(
            (d) =>
              `<li class="sev-${d.severity}">${esc(`${d.file}:${d.line}:${d.column}`)}` +
              ` <span class="sev">${d.severity}</span> ${esc(d.message)} <code>${esc(d.ruleId)}</code></li>`,
          )
          .join('')}</ul>`
      : '';
  const cases =
    report.results.length > 0
      ? '<table id="cases"><thead><tr><th>status</th><th>case</th><th>documented at</th><th>locale</th>' +
        `<th>duration</th></tr></thead>${report.results.map((r) => renderCase(r, excerpts)).join('')}</table>`
      : '<p>No cases.</p>';
  return (
    '<section id="conformance"><h2>Conformance</h2>' +
    `<p>Documented requests replayed against <code>${esc(report.target)}</code>.</p>${problems}${cases}</section>`
  );
}

// ---------------------------------------------------------------- page

function renderSummary(report: RunReport): string {
  const out: string[] = [];
  if (report.lint) {
    const s = report.lint.summary;
    // The counts are the script's to update as filters change; these are the whole report's.
    const known = s.baselined ? `, <span class="n-known" id="count-known">${s.baselined} baselined</span>` : '';
    out.push(
      `<div class="stat"><b>Lint</b> <span class="n-err" id="count-errors">${plural(s.errors, 'error')}</span>,` +
        ` <span class="n-warn" id="count-warnings">${plural(s.warnings, 'warning')}</span>,` +
        ` <span id="count-infos">${plural(s.infos, 'info')}</span>${known}` +
        ` <span class="dim">· ${s.pages} pages in ${s.pageGroups} page groups (${esc(s.locales.join(', '))}),` +
        ` ${s.samples} samples</span></div>`,
    );
  }
  if (report.conformance) {
    const s = report.conformance.summary;
    out.push(
      `<div class="stat"><b>Conformance</b> <span class="n-ok">${s.passed} passed</span>,` +
        ` <span class="n-err">${s.failed} failed</span>, ${s.skipped} skipped,` +
        ` <span class="n-err">${plural(s.errors, 'error')}</span>` +
        ` <span class="dim">· target ${esc(report.conformance.target)}</span></div>`,
    );
  }
  return out.join('');
}

/** Every locale something on the page belongs to, for the filter. */
function localesOf(report: RunReport): string[] {
  const all = new Set<string>(report.lint?.summary.locales ?? []);
  for (const d of [...(report.lint?.diagnostics ?? []), ...(report.lint?.baselined ?? [])])
    all.add(localeKey(d.locale));
  for (const g of report.lint?.pageGroups ?? []) for (const p of g.pages) all.add(localeKey(p.locale));
  for (const r of report.conformance?.results ?? []) all.add(localeKey(r.locale));
  return [...all].sort();
}

/** The lint sections' frames; the script fills them from the data. */
function renderLintFrame(lint: LintResult): string {
  const rules = [...new Set([...lint.diagnostics, ...(lint.baselined ?? [])].map((d) => d.ruleId))].sort();
  const known =
    (lint.baselined?.length ?? 0) > 0
      ? '<label>Findings <select id="known-filter"><option value="new">new</option>' +
        '<option value="known">baselined</option><option value="all">all</option></select></label>'
      : '';
  return (
    `<section id="matrix-section"><h2>Locales × page groups</h2>` +
    '<p class="legend"><span class="swatch red"></span>errors <span class="swatch amber"></span>warnings only' +
    ' <span class="swatch green"></span>no errors or warnings' +
    ' <span class="swatch missing"></span>no page in this locale' +
    ' <span class="dim">· counts follow the filters; a group\'s name shows its findings</span></p>' +
    '<table id="matrix"><thead></thead><tbody></tbody></table>' +
    '<p id="matrix-more" hidden><button type="button" id="matrix-all"></button></p></section>' +
    '<section id="findings"><h2>Findings</h2><div class="controls">' +
    '<label>Severity <select id="severity-filter"><option value="">all</option><option value="0">errors</option>' +
    '<option value="1">warnings</option><option value="2">info</option></select></label>' +
    ' <label>Rule <select id="rule-filter"><option value="">all</option>' +
    `${rules.map((r) => `<option value="${esc(r)}">${esc(r)}</option>`).join('')}</select></label>` +
    ` ${known} <span id="group-chip" hidden></span> <span id="showing" class="dim"></span>` +
    ' <button type="button" id="open-all">open all on this page</button></div>' +
    '<div id="finding-list"></div><nav class="pager"><button type="button" id="prev">‹ previous</button>' +
    ' <span id="page-of"></span> <button type="button" id="next">next ›</button></nav></section>'
  );
}

const STYLE = `
:root { color-scheme: light; --red: #ffd7d5; --red-ink: #a40e26; --amber: #fff1c2; --amber-ink: #7d4e00; \
--green: #dafbe1; --green-ink: #116329; --grey: #eef0f3; --line: #d0d7de; --dim: #59636e; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", \
"Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "DejaVu Sans", sans-serif; \
color: #1f2328; background: #fff; }
code, pre, .code { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono", "Noto Sans Mono CJK SC", \
"WenQuanYi Micro Hei Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
header.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; \
align-items: center; padding: .7rem 1.2rem; background: #f6f8fa; border-bottom: 1px solid var(--line); }
header.top h1 { font-size: 1.15rem; margin: 0; }
header.top .tool { color: var(--dim); }
.stat { white-space: nowrap; }
.filter { margin-left: auto; }
main { padding: 0 1.2rem 2rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .5rem; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
h3 .count, .dim { color: var(--dim); font-weight: normal; font-size: .9em; }
.n-err { color: var(--red-ink); } .n-warn { color: var(--amber-ink); } .n-ok { color: var(--green-ink); } \
.n-info { color: #0550ae; }
.legend { color: var(--dim); }
.swatch { display: inline-block; width: .9em; height: .9em; border: 1px solid var(--line); vertical-align: -1px; \
margin: 0 .2em 0 .8em; }
.swatch.red, .cell.red { background: var(--red); } .swatch.amber, .cell.amber { background: var(--amber); }
.swatch.green, .cell.green { background: var(--green); } .swatch.missing, .cell.missing { background: var(--grey); \
color: var(--dim); }
table { border-collapse: collapse; }
#matrix th, #matrix td { border: 1px solid var(--line); padding: .35rem .6rem; text-align: left; vertical-align: top; }
#matrix thead th { background: #f6f8fa; }
#matrix .group { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: normal; font-size: 12.5px; }
.cell { min-width: 7.5rem; }
.cell .n { display: block; white-space: nowrap; }
.cell.missing { text-align: center !important; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
.finding { border: 1px solid var(--line); border-left-width: 4px; border-radius: 4px; margin: .6rem 0; \
padding: .5rem .7rem; }
.finding.sev-error { border-left-color: #cf222e; } .finding.sev-warning { border-left-color: #bf8700; } \
.finding.sev-info { border-left-color: #0969da; }
.finding > summary { cursor: pointer; }
.finding > summary > * { margin-right: .5rem; }
.finding .details:empty { display: none; }
.finding.baselined { border-left-style: dashed; }
.known { font-size: .75rem; padding: 0 .4em; border: 1px solid var(--line); border-radius: 8px; color: var(--dim); }
.n-known { color: var(--dim); }
.controls { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; margin: .4rem 0; }
.pager { margin: .8rem 0; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; letter-spacing: .03em; }
.sev-error .sev { color: #cf222e; } .sev-warning .sev { color: #9a6700; } .sev-info .sev { color: #0969da; }
.rule { background: #eff1f3; padding: 0 .3em; border-radius: 3px; }
.where { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; color: var(--dim); \
overflow-wrap: anywhere; }
.locale-tag { font-size: .75rem; padding: 0 .4em; border-radius: 8px; background: #ddf4ff; color: #0550ae; \
white-space: nowrap; }
.message { margin: .35rem 0; overflow-wrap: anywhere; }
.side-by-side { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, 1fr)); gap: .5rem; \
margin-top: .4rem; }
@media (max-width: 900px) { .side-by-side { grid-template-columns: minmax(0, 1fr); } }
.excerpt { margin: 0; border: 1px solid var(--line); border-radius: 4px; min-width: 0; }
.excerpt.own { border-color: #8c959f; }
.excerpt figcaption { padding: .25rem .5rem; background: #f6f8fa; border-bottom: 1px solid var(--line); \
font-size: 12px; }
.caption { color: var(--dim); font-style: italic; }
.code { max-height: 20em; overflow: auto; }
.code table { width: 100%; }
.code td { padding: 0 .5rem; white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 4; vertical-align: top; }
.code .ln { text-align: right; color: #8c959f; user-select: none; width: 1%; white-space: nowrap; \
overflow-wrap: normal; border-right: 1px solid var(--line); }
.code tr.hl { background: #fff8c5; } .code tr.hl-related { background: #ddf4ff; } \
.code tr.counterpart { background: #b6e3ff; }
mark { background: #ffb3ad; color: inherit; border-radius: 2px; outline: 1px solid #cf222e; }
.hl-related mark { background: #b6e3ff; outline-color: #0969da; }
.no-excerpt { margin: .4rem .5rem; color: var(--dim); }
#cases { width: 100%; }
#cases > thead th { text-align: left; border-bottom: 2px solid var(--line); padding: .3rem .5rem; }
#cases > tbody > tr > td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; }
#cases .status { white-space: nowrap; font-weight: 600; }
.status-passed .status { color: var(--green-ink); } .status-failed .status, \
.status-error .status { color: var(--red-ink); } .status-skipped .status { color: var(--amber-ink); }
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

/** Data larger than this many characters is embedded gzipped. */
export const COMPRESS_ABOVE = 1_000_000;

// Static: no data from the report is ever placed in the script (the data is a JSON element it reads).
const SCRIPT = `
(async () => {
  const $ = (id) => document.getElementById(id);
  const filter = $('locale-filter');
  const dataElement = $('lockstep-data');
  const readData = async () => {
    if (!dataElement) return null;
    if (dataElement.dataset.encoding !== 'gzip+base64') return JSON.parse(dataElement.textContent);
    const binary = atob(dataElement.textContent.trim());
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(inflated).text());
  };
  const data = await readData();
  const PAGE = 100;
  const MATRIX_ROWS = 500;
  const state = { page: 0, group: -1, matrixAll: false };
  const value = (id) => ($(id) ? $(id).value : '');
  // Findings in report order, page group by page group (input problems last).
  const order = data ? data.findings.map((_, i) => i).sort((a, b) => {
    const ga = data.findings[a].g < 0 ? Infinity : data.findings[a].g;
    const gb = data.findings[b].g < 0 ? Infinity : data.findings[b].g;
    return ga - gb || a - b;
  }) : [];
  // What the filters select; the matrix ignores the page-group filter (it is how one is chosen).
  const select = (forMatrix) => {
    const locale = filter.value, severity = value('severity-filter'), rule = value('rule-filter');
    const known = value('known-filter') || 'new';
    return order.filter((i) => {
      const f = data.findings[i];
      if (locale !== '' && data.locales[f.o] !== locale) return false;
      if (severity !== '' && String(f.s) !== severity) return false;
      if (rule !== '' && data.rules[f.r] !== rule) return false;
      if (!forMatrix && state.group >= 0 && f.g !== state.group) return false;
      if (forMatrix) return known === 'known' ? f.k === 1 : true;
      return known === 'all' || (known === 'known') === (f.k === 1);
    });
  };
  const renderMatrix = () => {
    const locale = filter.value;
    const cells = matrixCells(data, select(true));
    const cols = data.locales.slice(0, data.cols);
    $('matrix').tHead.innerHTML = '<tr><th scope="col">page group</th>' + cols.map((l) =>
      '<th scope="col" data-locale="' + esc(l) + '"' + (locale !== '' && l !== locale ? ' hidden' : '') + '>' + esc(l) \
+ '</th>').join('') + '</tr>';
    // Groups with something to show first would reorder the matrix; \
instead a long one is cut, with a button for the rest.
    const rows = state.matrixAll ? data.groups.length : Math.min(MATRIX_ROWS, data.groups.length);
    let html = '';
    for (let g = 0; g < rows; g++) {
      const group = data.groups[g];
      html += '<tr><th scope="row" class="group"><a href="#findings" data-group="' + g + '">' + esc(group.id) \
+ '</a></th>';
      cells[g].forEach((c, col) => {
        const l = cols[col];
        const file = group.f[col] === null ? null : data.files[group.f[col]];
        const title = c.state === 'missing' ? 'no ' + l + ' page' : (file || 'no ' + l + ' page') + ': ' \
+ plural(c.e, 'error') + ', ' + plural(c.w, 'warning') + ', ' + plural(c.i, 'info') \
+ (c.k ? ', ' + c.k + ' baselined' : '');
        html += '<td class="cell ' + c.state + '" data-locale="' + esc(l) + '" data-page-id="' + esc(group.id) \
+ '" data-state="' + c.state
          + '" data-errors="' + c.e + '" data-warnings="' + c.w + '" data-infos="' + c.i + '" data-known="' + c.k \
+ '" title="' + esc(title) + '"'
          + (locale !== '' && l !== locale ? ' hidden' : '') + '>' + cellHtml(c) + '</td>';
      });
      html += '</tr>';
    }
    $('matrix').tBodies[0].innerHTML = html;
    $('matrix-more').hidden = rows === data.groups.length;
    $('matrix-all').textContent = 'show all ' + data.groups.length + ' page groups (' + rows + ' shown)';
  };
  const scrollToMarks = (root) => {
    // Each excerpt opens scrolled to its highlighted line, so locales line up side by side.
    for (const box of root.querySelectorAll('.code')) {
      const line = box.querySelector('tr.counterpart') || box.querySelector('tr.hl');
      if (line) box.scrollTop = Math.max(0, \
line.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3);
    }
  };
  const renderFindings = () => {
    const chosen = select(false);
    const pages = Math.max(1, Math.ceil(chosen.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const shown = chosen.slice(state.page * PAGE, (state.page + 1) * PAGE);
    // A short list opens whole; a long one opens a finding at a time (its excerpts are built then).
    const open = chosen.length <= PAGE;
    const perGroup = new Map();
    for (const i of chosen) perGroup.set(data.findings[i].g, (perGroup.get(data.findings[i].g) || 0) + 1);
    let html = '';
    let current = null;
    for (const i of shown) {
      const g = data.findings[i].g;
      if (g !== current) {
        if (current !== null) html += '</section>';
        current = g;
        const title = g < 0 ? 'Input problems (no page group)' : data.groups[g].id;
        html += '<section class="finding-group" id="' + (g < 0 ? 'group-other' : 'group-' + (g + 1)) + '"><h3>' \
+ esc(title)
          + ' <span class="count">' + plural(perGroup.get(g), 'finding') + '</span></h3>';
      }
      html += findingHtml(data.findings[i], i, data, open);
    }
    if (current !== null) html += '</section>';
    if (chosen.length === 0) html = '<p class="ok">No findings' + (data.findings.length > 0 ? ' for these filters.' \
: '.') + '</p>';
    const list = $('finding-list');
    list.innerHTML = html;
    if (open) scrollToMarks(list);
    $('showing').textContent = chosen.length === 0 ? '' : 'findings ' + (state.page * PAGE + 1) + '–' \
+ (state.page * PAGE + shown.length) + ' of ' + chosen.length;
    $('page-of').textContent = 'page ' + (state.page + 1) + ' of ' + pages;
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page >= pages - 1;
    $('open-all').hidden = open || shown.length === 0;
    const chip = $('group-chip');
    chip.hidden = state.group < 0;
    chip.innerHTML = state.group < 0 ? '' : 'page group <code>' + esc(data.groups[state.group].id) \
+ '</code> <button type="button" id="group-clear" title="all page groups">✕</button>';
    // The header's counts are those of the findings the filters select (all page groups).
    const counts = severityCounts(data, select(true).filter((i) => !data.findings[i].k \
|| value('known-filter') === 'known'));
    $('count-errors').textContent = plural(counts[0], 'error');
    $('count-warnings').textContent = plural(counts[1], 'warning');
    $('count-infos').textContent = plural(counts[2], 'info');
    if ($('count-known')) {
      const known = select(true).filter((i) => data.findings[i].k).length;
      $('count-known').textContent = known + ' baselined';
    }
  };
  const applyLocale = () => {
    const locale = filter.value;
    for (const el of document.querySelectorAll('#cases [data-locale]')) el.hidden = locale !== '' \
&& el.dataset.locale !== locale;
  };
  const update = () => {
    if (data) { renderMatrix(); renderFindings(); }
    applyLocale();
  };
  for (const id of ['locale-filter', 'severity-filter', 'rule-filter', 'known-filter']) {
    if ($(id)) $(id).addEventListener('change', () => { state.page = 0; update(); });
  }
  if (data) {
    $('prev').addEventListener('click', () => { state.page--; renderFindings(); $('findings').scrollIntoView(); });
    $('next').addEventListener('click', () => { state.page++; renderFindings(); $('findings').scrollIntoView(); });
    $('matrix-all').addEventListener('click', () => { state.matrixAll = true; renderMatrix(); });
    $('open-all').addEventListener('click', () => { \
for (const d of document.querySelectorAll('#finding-list details.finding')) d.open = true; });
    $('matrix').addEventListener('click', (e) => {
      const link = e.target.closest('a[data-group]');
      if (!link) return;
      state.group = Number(link.dataset.group);
      state.page = 0;
      renderFindings();
    });
    $('findings').addEventListener('click', (e) => {
      if (e.target.id !== 'group-clear') return;
      state.group = -1;
      renderFindings();
    });
    // A finding's excerpts are built when it is first opened.
    $('finding-list').addEventListener('toggle', (e) => {
      const details = e.target;
      if (!details.open || !details.classList.contains('finding')) return;
      const box = details.querySelector('.details');
      if (box.childElementCount > 0) return;
      box.innerHTML = spotsHtml(data.findings[Number(details.dataset.index)], data);
      scrollToMarks(box);
    }, true);
  }
  update();
  document.documentElement.dataset.ready = String(Math.round(performance.now()));
})();
`;

/** The dashboard as one HTML document. Pure: excerpts come already read in `report.excerpts`. */
export function renderHtml(report: RunReport): string {
  const sections: string[] = [];
  let data = '';
  if (report.lint) {
    sections.push(renderLintFrame(report.lint));
    const json = dataScript(dashboardData(report.lint, report.excerpts ?? {}));
    // A large report's data goes gzipped (base64): pages' lines and messages repeat, and the
    // Exchange corpus's 10.7 MB of JSON becomes 1.7 MB; the browser inflates it with its own
    // DecompressionStream. A small one stays readable JSON.
    data =
      json.length > COMPRESS_ABOVE
        ? '<script type="application/octet-stream" id="lockstep-data" data-encoding="gzip+base64">' +
          `${gzipSync(json, { level: 9 }).toString('base64')}</script>\n`
        : `<script type="application/json" id="lockstep-data">${json}</script>\n`;
  }
  if (report.conformance) sections.push(renderConformance(report.conformance, report.excerpts));
  if (sections.length === 0) sections.push('<p>Nothing to report.</p>');
  const options = localesOf(report)
    .map((l) => `<option value="${esc(l)}">${esc(l === NO_LOCALE ? 'no locale' : l)}</option>`)
    .join('');
  // The renderers the script calls, as their own source: the same functions the tests call.
  const client = CLIENT_FUNCTIONS.map((f) => f.toString()).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" \
content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>lockstep report</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>lockstep report</h1>\
<span class="tool">${esc(report.tool.name)} ${esc(report.tool.version)}</span>${renderSummary(report)}
<label class="filter">Locale \
<select id="locale-filter"><option value="">All locales</option>${options}</select></label></header>
<main>
${sections.join('\n')}
</main>
${data}<script>${client}\n${SCRIPT}</script>
</body>
</html>
`;
}
