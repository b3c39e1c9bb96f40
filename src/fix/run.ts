/**
 * `lint --fix` and `lint --fix-dry-run` over a finished lint run: every pass planned and verified in
 * memory, then either a patch or the files written and the doc set linted again. The lint run itself
 * is the caller's (passed in, and `relint` called back), so this stage does not reach up to it.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintOptions } from '../lint/lint.js';
import { unifiedDiffOf } from './diff.js';
import { fixFiles } from './files.js';
import { reasonKey, repairInPasses, type PassesResult, type PassOptions } from './passes.js';
import { resolveFixes } from './repair.js';

/** What a lint run hands the repair: its findings and page groups, and the locales it saw. */
export interface LintedSet {
  diagnostics: Diagnostic[];
  pageGroups: PassOptions['groups'];
  summary: { locales: string[] };
}

export interface FixRunOptions extends LintOptions {
  cwd: string;
  defaultLocale?: string;
  /** Also bring stale pages' samples, anchors and link targets to the source revision (`--fix-stale`). */
  stale?: boolean;
}

/** The outcome of `--fix`: findings repaired (and files written), and findings left with a reason. */
export interface FixOutcome {
  fixed: number;
  files: number;
  notFixed: number;
  /** With `stale`: the stale pages brought to the source revision, whose prose still needs translators. */
  stale?: string[];
}

const plural = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;

function repairs(linted: LintedSet, options: FixRunOptions, read: PassOptions['read']): PassesResult {
  return repairInPasses(linted.diagnostics, {
    ...options,
    groups: linted.pageGroups,
    read,
    locales: options.locales ?? linted.summary.locales,
  });
}

/**
 * The repairs as a unified diff that `git apply` takes, and a line saying what it holds; nothing
 * written. `errorsLeft`: errors the patch would not repair (the exit code, as after `--fix`).
 */
export function fixDryRun(
  linted: LintedSet,
  options: FixRunOptions,
): { patch: string; summary: string; errorsLeft: number } {
  const repaired = repairs(linted, options, fixFiles(options.cwd).read);
  const patch = repaired.files.map((f) => unifiedDiffOf(f.file.split(path.sep).join('/'), f.before, f.after)).join('');
  const stale = options.stale
    ? `; ${plural(repaired.staleFiles.length, 'stale page')} brought to the source revision, ` +
      'whose prose still needs translators'
    : '';
  const summary =
    `--fix-dry-run: ${plural(repaired.fixed, 'finding')} repairable in ${plural(repaired.files.length, 'file')}; ` +
    `${repaired.reasons.size} not fixed${stale}; nothing written`;
  const errorsLeft = linted.diagnostics.filter(
    (d) => d.severity === 'error' && (repaired.reasons.has(reasonKey(d)) || !d.fix),
  ).length;
  return { patch, summary, errorsLeft };
}

/**
 * Write the repairs (atomically, each file on its own: one that cannot be written is said through
 * `onWriteError` and its findings stay), then what remains: the doc set linted again by `relint`,
 * each finding left with the reason it was not repaired.
 */
export async function fixInPlace<R extends LintedSet>(
  linted: R,
  options: FixRunOptions,
  relint: () => Promise<R>,
  onWriteError: (file: string, error: Error) => void,
): Promise<{ result: R; outcome: FixOutcome }> {
  const files = fixFiles(options.cwd);
  const repaired = repairs(linted, options, files.read);
  const written: typeof repaired.files = [];
  for (const f of repaired.files) {
    try {
      await files.write(f.file, f.after);
      written.push(f);
    } catch (error) {
      onWriteError(f.file, error as Error);
    }
  }
  const again = written.length > 0 ? await relint() : linted;
  const diagnostics = resolveFixes(again.diagnostics, fixFiles(options.cwd).read).map((d) => {
    const why = repaired.reasons.get(reasonKey(d));
    return why && d.fix ? { ...d, fix: { ...d.fix, resolved: undefined, notFixed: why } } : d;
  });
  const outcome: FixOutcome = {
    fixed: written.reduce((n, f) => n + (repaired.fixedByFile.get(f.file) ?? 0), 0),
    files: written.length,
    ...(options.stale ? { stale: repaired.staleFiles.filter((f) => written.some((w) => w.file === f)) } : {}),
    notFixed: diagnostics.filter((d) => d.fix?.notFixed).length,
  };
  return { result: { ...again, diagnostics }, outcome };
}

/** What `--fix` would repair, counted as it would be (verified, in passes), nothing written. */
export function wouldFix(linted: LintedSet, options: FixRunOptions): { fixed: number; files: number } {
  const repaired = repairs(linted, options, fixFiles(options.cwd).read);
  return { fixed: repaired.fixed, files: repaired.files.length };
}
