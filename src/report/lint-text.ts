import pc from 'picocolors';
import type { LintResult } from '../run/lint-run.js';
import type { FixSummary } from './model.js';

/** vfile-reporter's layout: a heading per file, `line:col  severity  message  rule-id`, then a summary. */
export function lintText(result: LintResult, options: { color: boolean; fix?: FixSummary }): string {
  const c = options.color ? pc : pc.createColors(false);
  const out: string[] = [];
  let file = '';
  const width = Math.max(0, ...result.diagnostics.map((d) => `${d.line}:${d.column}`.length));
  for (const d of result.diagnostics) {
    if (d.file !== file) {
      if (file) out.push('');
      file = d.file;
      out.push(c.underline(d.file));
    }
    const sev =
      d.severity === 'error' ? c.red('error  ') : d.severity === 'warning' ? c.yellow('warning') : c.blue('info   ');
    // A repair that --fix would write is marked; after --fix, a finding it could not repair says why.
    const mark =
      d.fix?.resolved && !d.fix.notFixed
        ? `  ${c.green('(fixable)')}`
        : options.fix && d.fix?.notFixed
          ? `  ${c.dim(`(not fixed: ${d.fix.notFixed})`)}`
          : '';
    out.push(`  ${`${d.line}:${d.column}`.padEnd(width)}  ${sev}  ${d.message}  ${c.dim(d.ruleId)}${mark}`);
  }
  const s = result.summary;
  if (out.length > 0) out.push('');
  const problems = s.errors + s.warnings + s.infos;
  const counts =
    `${s.errors} error${s.errors === 1 ? '' : 's'}, ` +
    `${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info`;
  const scope = `${s.pages} pages in ${s.pageGroups} page groups (${s.locales.join(', ')}), ${s.samples} samples`;
  const known = s.baselined
    ? c.dim(`; ${s.baselined} known finding${s.baselined === 1 ? '' : 's'} in the baseline not shown`)
    : '';
  const fixable = result.diagnostics.filter((d) => d.fix?.resolved && !d.fix.notFixed).length;
  if (options.fix) {
    const f = options.fix;
    const left = f.notFixed > 0 ? `; ${f.notFixed} not fixed (each says why)` : '';
    out.push(`${c.green('✔')} --fix repaired ${plural(f.fixed, 'finding')} in ${plural(f.files, 'file')}${left}`);
    if (f.stale && f.stale.length > 0) {
      const some = f.stale.slice(0, 5).join(', ') + (f.stale.length > 5 ? `, and ${f.stale.length - 5} more` : '');
      out.push(
        `  ${plural(f.stale.length, 'stale page')} brought to the source revision (samples, anchors, link targets);` +
          ` their prose still needs translators: ${some}`,
      );
    }
  } else if (fixable > 0) {
    const how = '`lockstep lint --fix` (`--fix-dry-run` prints the patch)';
    out.push(`  ${plural(fixable, 'finding')} marked (fixable) can be repaired with ${how}`);
  }
  out.push(
    problems === 0
      ? `${c.green('✔')} no problems: ${scope}${known}`
      : `${s.errors > 0 ? c.red('✖') : c.yellow('⚠')} ${problems} problem${problems === 1 ? '' : 's'}` +
          ` (${counts}): ${scope}${known}`,
  );
  return `${out.join('\n')}\n`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
