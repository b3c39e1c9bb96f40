import { caseLocation, describeCheck } from '../conformance/location.js';
import type { Severity } from '../diagnostics/diagnostic.js';
import type { RunReport } from './model.js';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): the runner turns each line
 * on stdout into an annotation on the pull request's diff. Escaping follows the runner's rules:
 * `%`, CR and LF in the message; also `:` and `,` in property values.
 */
export function renderGithub(report: RunReport): string {
  const out: string[] = [];
  for (const d of report.lint?.diagnostics ?? []) {
    out.push(
      command(
        LEVEL[d.severity],
        {
          file: d.file,
          line: d.line,
          col: d.column,
          endLine: d.endLine,
          endColumn: d.endColumn,
          title: `lockstep ${d.ruleId}${d.locale ? ` (${d.locale})` : ''}`,
        },
        d.message,
      ),
    );
  }
  const conformance = report.conformance;
  for (const d of conformance?.diagnostics ?? [])
    out.push(
      command(
        LEVEL[d.severity],
        { file: d.file, line: d.line, col: d.column, title: `lockstep ${d.ruleId}` },
        d.message,
      ),
    );
  for (const r of conformance?.results ?? []) {
    if (r.status !== 'failed' && r.status !== 'error') continue;
    const at = caseLocation(r);
    const detail = at.first ? `\n${describeCheck(at.first)}` : '';
    const title = `lockstep conformance ${r.status}: ${r.caseId}`;
    out.push(command('error', { file: at.file, line: at.docLine, title }, `${at.message}${detail}`));
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(level: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${level} ${props}::${escapeData(message)}`;
}
