/** `lockstep lint`: options to `lint()`, then repair, baseline, reports and exit code, in that order. */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeLocale } from '../../discover/locale.js';
import { applyBaseline, createBaseline, parseBaseline } from '../../run/baseline.js';
import { loadConfig, type LockstepConfig } from '../../lint/config.js';
import type { FixSummary } from '../../report/model.js';
import { createProgressBar, shouldShowProgress } from '../progress.js';
import { markStale } from '../../fix/repair.js';
import { lint, type LintResult, type LintRunOptions } from '../../run/lint-run.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutput, emit, emitReports } from '../emit.js';
import { UsageError } from '../errors.js';
import { EXIT, tool, type CommandContext, type CommandIO } from '../io.js';
import { sourceLocaleWarning, tooManyWarnings } from '../messages.js';
import { inputCommand, parseCount, parseShard, withReportOptions, type ReportOptions } from '../options.js';

interface LintCommandOptions extends ReportOptions {
  fix?: boolean;
  fixStale?: boolean;
  fixDryRun?: boolean;
  maxWarnings?: number;
  watch?: boolean;
  sourceLocale?: string;
  config?: string;
  quiet?: boolean;
  shard?: { index: number; count: number };
  changedSince?: string;
  baseline?: string;
  writeBaseline?: string | true;
  cache: boolean;
  cacheLocation?: string;
  workers?: number;
  pageTimeout: number;
}

export function lintCommand(program: Command, { io, setExit }: CommandContext): void {
  const description = 'check that samples, links, anchors and metadata agree across the locales of each page';
  withReportOptions(inputCommand(program, 'lint', description))
    .option('--source-locale <locale>', 'the authority locale (e.g. en-US) when a page has it')
    .option(
      '-c, --config <file>',
      'config file (default: lockstep.config.json, .locksteprc.json or package.json "lockstep", ' +
        'searched from the working directory up)',
    )
    .option('-q, --quiet', 'report errors only')
    .option('--shard <i/n>', 'check only shard i of n (page groups split by a hash of their id; 1-based)', parseShard)
    .option(
      '--changed-since <ref>',
      'check only the page groups with a file changed since this git ref (all their locales)',
    )
    .option('--no-cache', 'neither read nor write the cache of earlier runs')
    .option(
      '--cache-location <dir>',
      'where the cache lives (default: node_modules/.cache/lockstep when ./node_modules exists, else .lockstep-cache)',
    )
    .option(
      '--workers <n>',
      'worker threads that parse and check page groups (0: none; default: one per core for large doc sets)',
      parseCount,
    )
    .option(
      '--page-timeout <ms>',
      'on worker threads, stop a page whose parse (or a group whose checks) takes longer, and report it (0: no limit)',
      parseCount,
      60_000,
    )
    .option('--baseline <file>', 'leave out the findings this baseline file knows: fail only on new ones')
    .option(
      '--write-baseline [file]',
      'write every current finding to a baseline file (default lockstep-baseline.json) and exit 0',
    )
    .option(
      '--watch',
      'after the report, re-check the page groups of files as they are saved (with the cache), until Ctrl-C',
    )
    .option(
      '--max-warnings <n>',
      'exit 1 when there are more warnings than this (new ones, with --baseline)',
      parseCount,
    )
    .option('--fix', 'repair the findings that have a repair, in place (atomic writes), then report what remains')
    .option(
      '--fix-dry-run',
      'write nothing: print the repairs as a unified diff that git apply accepts (to stdout or -o)',
    )
    .option(
      '--fix-stale',
      "with --fix or --fix-dry-run: also bring stale locales' samples, anchors and link targets to the source revision",
    )
    .action(async (paths: string[], opts: LintCommandOptions) => {
      const config = (await loadConfig(io.cwd, opts.config))?.config ?? {};
      await checkOutput(io, opts);
      if (opts.watch) (await import('../watch.js')).checkWatchOptions(opts);
      if (opts.fix || opts.fixDryRun || opts.fixStale) checkFixOptions(opts);
      const progress = io.progress && shouldShowProgress(io.progress, io.env) ? createProgressBar(io.progress) : null;
      const lintOptions = lintRunOptions(io, opts, config, progress);
      const linted = await lint(paths, lintOptions);
      progress?.done();
      warnOfMissingSource(io, opts, config, linted);

      const fixOptions = {
        cwd: io.cwd,
        sourceLocale: lintOptions.sourceLocale,
        locales: lintOptions.locales,
        rules: config.rules,
        defaultLocale: config.defaultLocale,
        stale: opts.fixStale,
      };
      // The repair stage loads every parser and rule (it verifies repairs by checking again): only when asked for,
      // as loading it after a plain run's checks took about 100 ms that nothing else was done in.
      if (opts.fixDryRun) {
        const dry = (await import('../../fix/index.js')).fixDryRun(linted, fixOptions);
        await emit(io, opts.output, dry.patch);
        io.stderr(`lockstep: ${dry.summary}\n`);
        // As after --fix: the exit code says whether errors would remain.
        if (dry.errorsLeft > 0) setExit(EXIT.findings);
        return;
      }
      let result: LintResult = { ...linted, diagnostics: markStale(linted.diagnostics) };
      let fixSummary: FixSummary | undefined;
      if (opts.fix) {
        // What remains: the doc set linted again (the cache re-reads the files written).
        const relint = () => lint(paths, { ...lintOptions, onProgress: undefined, onCacheWarning: undefined });
        const { fixInPlace } = await import('../../fix/index.js');
        const fixed = await fixInPlace(linted, fixOptions, relint, (file, error) =>
          io.stderr(`lockstep: --fix could not write ${file}: ${error.message}\n`),
        );
        result = fixed.result;
        fixSummary = fixed.outcome;
      }

      let baseline: ReturnType<typeof parseBaseline> | null = null;
      if (opts.writeBaseline) {
        const file = typeof opts.writeBaseline === 'string' ? opts.writeBaseline : 'lockstep-baseline.json';
        await writeFileAtomic(path.resolve(io.cwd, file), `${JSON.stringify(createBaseline(result), null, 2)}\n`);
        io.stderr(`lockstep: wrote ${linted.diagnostics.length} findings to the baseline ${file}\n`);
      } else if (opts.baseline) {
        baseline = parseBaseline(await readBaseline(io, opts.baseline), opts.baseline);
        result = applyBaseline(result, baseline);
      }
      const shaped = (r: LintResult) => (opts.quiet ? { ...r, diagnostics: errorsOnly(r) } : r);
      result = shaped(result);
      await emitReports(io, 'lint', opts, {
        tool,
        cwd: io.cwd,
        lint: result,
        ...(fixSummary ? { fix: fixSummary } : {}),
      });
      if (result.summary.errors > 0 && !opts.writeBaseline) setExit(EXIT.findings);
      // Counted before --quiet hides them, as the gate is about the pages, not the report's length.
      const warnings = result.summary.warnings;
      if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings && !opts.writeBaseline) {
        io.stderr(`lockstep: ${tooManyWarnings(warnings, opts.maxWarnings)}\n`);
        setExit(EXIT.findings);
      }
      if (opts.watch) {
        // Each re-check is shaped as this report was (baseline, --quiet); the progress bar is the first run's only.
        const finish = (r: LintResult) => shaped(baseline ? applyBaseline(r, baseline) : r);
        const watchOptions = { ...lintOptions, onProgress: undefined, onCacheWarning: undefined };
        await (await import('../watch.js')).watchLint(paths, watchOptions, io, finish);
        setExit(EXIT.ok); // stopped by the user: the reports were the point
      }
    });
}

const errorsOnly = (r: LintResult) => r.diagnostics.filter((d) => d.severity === 'error');

function lintRunOptions(
  io: CommandIO,
  opts: LintCommandOptions,
  config: LockstepConfig,
  progress: { done(): void; update: LintRunOptions['onProgress'] } | null,
): LintRunOptions {
  const sourceLocale = opts.sourceLocale ?? config.sourceLocale;
  return {
    cwd: io.cwd,
    // Said once, after the progress line is cleared: a cache entry that failed its checksum was recomputed.
    onCacheWarning: (message) => {
      progress?.done();
      io.stderr(`lockstep: ${message}\n`);
    },
    extensions: opts.ext,
    ignore: config.ignore,
    maxFileBytes: opts.maxFileSize,
    defaultLocale: config.defaultLocale,
    sourceLocale: sourceLocale ? (normalizeLocale(sourceLocale) ?? sourceLocale) : null,
    locales: config.locales?.map((l) => normalizeLocale(l) ?? l),
    rules: config.rules,
    shard: opts.shard,
    changedSince: opts.changedSince,
    wholeGroups: true,
    cache: opts.cache ? { location: opts.cacheLocation } : false,
    workers: opts.workers,
    pageTimeoutMs: opts.pageTimeout,
    onProgress: progress?.update,
  };
}

/** A source locale that no page has is said: every finding would otherwise be judged without it. */
function warnOfMissingSource(io: CommandIO, opts: LintCommandOptions, config: LockstepConfig, linted: LintResult) {
  const sourceLocale = opts.sourceLocale ?? config.sourceLocale;
  if (!sourceLocale) return;
  const from = opts.sourceLocale ? '--source-locale' : 'config sourceLocale';
  const warning = sourceLocaleWarning(sourceLocale, from, linted.summary.locales);
  if (warning) io.stderr(`lockstep: ${warning}\n`);
}

async function readBaseline(io: CommandIO, file: string): Promise<string> {
  try {
    return await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file (write one with --write-baseline)' : (error as Error).message;
    throw new UsageError(`--baseline ${file}: ${why}`);
  }
}

/** --fix writes the pages and --fix-dry-run prints a patch: neither goes with what would compete with them. */
function checkFixOptions(opts: LintCommandOptions): void {
  if (opts.fix && opts.fixDryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
  if (opts.fixStale && !opts.fix && !opts.fixDryRun)
    throw new UsageError('--fix-stale goes with --fix or --fix-dry-run');
  const flag = opts.fix ? '--fix' : '--fix-dry-run';
  if (opts.watch) throw new UsageError(`${flag} and --watch exclude each other`);
  if (opts.writeBaseline) throw new UsageError(`${flag} and --write-baseline exclude each other`);
  if (opts.fixDryRun && ((opts.format ?? []).some((f) => f !== 'text') || opts.outputDir)) {
    throw new UsageError(
      '--fix-dry-run prints a unified diff: --format and --output-dir do not apply (-o writes the diff to a file)',
    );
  }
}
