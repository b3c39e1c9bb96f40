import pc from 'picocolors';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadResult } from '../group/load.js';
import type { Sample } from '../sample/sample.js';

export interface TextOptions {
  color: boolean;
  quiet?: boolean;
}

function describe(s: Sample): string {
  switch (s.kind) {
    case 'xml':
      return s.xml.soap
        ? `SOAP ${s.xml.soap.version} ${s.xml.soap.operation?.local ?? '(empty Body)'}`
        : s.xml.roots.map((r) => r.name).join(', ') || '(not parsed)';
    case 'http-request':
      return s.http
        ? `${s.http.method} ${s.http.target}${s.http.body ? ` + ${s.http.body.type} body` : ''}`
        : '(not parsed)';
    case 'http-response':
      return `${s.http.status} ${s.http.reason}${s.http.body ? ` + ${s.http.body.type} body` : ''}`;
    case 'http-request-lines':
      return s.http.alternatives.map((a) => `${a.method} ${a.target}`).join(' | ');
    case 'json':
      return s.json.value
        ? `${s.json.value.type}${s.json.ellipses ? `, ${s.json.ellipses} ellipses` : ''}`
        : '(not parsed)';
    default:
      return s.lang || '(no language)';
  }
}

export function formatDiagnosticLine(d: Diagnostic, color: boolean, withFile = false): string {
  const c = color ? pc : pc.createColors(false);
  const sev = d.severity === 'error' ? c.red('error') : d.severity === 'warning' ? c.yellow('warning') : c.blue('info');
  const place = `${withFile ? `${d.file}:` : ''}${d.line}:${d.column}`;
  return `  ${place.padEnd(withFile ? 0 : 7)}  ${sev.padEnd(color ? 16 : 7)}  ${d.message}  ${c.dim(d.ruleId)}`;
}

/** Human-readable listing of pages, their samples and diagnostics, then a summary line. */
export function extractText(result: LoadResult, options: TextOptions): string {
  const c = options.color ? pc : pc.createColors(false);
  const out: string[] = [];
  for (const d of result.diagnostics) out.push(formatDiagnosticLine(d, options.color, true));
  if (result.diagnostics.length > 0) out.push('');
  const kinds: Record<string, number> = {};
  let errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  let warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  for (const page of result.pages) {
    errors += page.diagnostics.filter((d) => d.severity === 'error').length;
    warnings += page.diagnostics.filter((d) => d.severity === 'warning').length;
    for (const s of page.samples) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
    if (options.quiet && page.diagnostics.every((d) => d.severity === 'info')) continue;
    out.push(`${c.underline(page.file)}  ${c.cyan(page.locale ?? '(no locale)')}  ${c.dim(page.pageId)}`);
    if (!options.quiet) {
      for (const s of page.samples) {
        const lines = `${s.line}-${s.endLine}`.padEnd(9);
        const pairing = s.pairedWith ? c.dim(` ↔ ${s.pairedWith}`) : '';
        out.push(`  ${lines} ${s.kind.padEnd(18)} ${s.role.padEnd(12)} ${s.id}  ${c.dim(describe(s))}${pairing}`);
      }
      if (page.samples.length === 0) out.push(c.dim('  (no samples)'));
    }
    for (const d of page.diagnostics)
      if (!options.quiet || d.severity !== 'info') out.push(formatDiagnosticLine(d, options.color));
    out.push('');
  }
  const samples = Object.values(kinds).reduce((a, b) => a + b, 0);
  const byKind = Object.entries(kinds)
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  out.push(
    `${result.pages.length} pages in ${result.groups.length} page groups, ${samples} samples` +
      `${byKind ? ` (${byKind})` : ''}: ${errors} errors, ${warnings} warnings`,
  );
  return out.join('\n') + '\n';
}
