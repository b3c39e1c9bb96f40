import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createRequire } from 'node:module';
import path from 'node:path';
// Only what every command needs is imported here; parsers, the conformance client and the docs
// server are loaded by the commands that use them (a warm `lint` run then starts in half the time).
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { GitError, lint, type LintResult } from '../scale/lint-run.js';
import { ConfigError, loadConfig } from '../lint/config.js';
import { conformanceText, formatCaseLine } from '../report/conformance.js';
import { secretsOf } from '../util/secrets.js';
import { FILE_EXTENSION, FORMATS, redactOutput, render, type Format } from '../report/index.js';
import type { FixSummary, RunReport } from '../report/model.js';
import { renderGithub } from '../report/github.js';
import { applyBaseline, BaselineError, createBaseline, parseBaseline } from '../lint/baseline.js';
import { ScenarioError } from '../conformance/errors.js';
import { mkdir, readFile, stat } from 'node:fs/promises';
import pc from 'picocolors';
import { lintText } from '../report/lint-text.js';
import { normalizeLocale } from '../discover/locale.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { OutputError, STDOUT, writeOutput } from '../util/output.js';
import { createProgressBar, shouldShowProgress, type ProgressStream } from '../scale/progress.js';

import { UsageError } from './errors.js';
import { checkOutputFlags, type OutputFlags } from './output-options.js';
import { glossaryCommand } from './glossary.js';
import { checkInputs, conformanceSetup, type ConformanceFlags } from './conformance-options.js';
import { ConformanceOptionError } from '../conformance/errors.js';
import { fitLine, sourceLocaleWarning, tooManyWarnings } from './messages.js';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Colors only on a terminal, and never when NO_COLOR is set. */
  color: boolean;
  /** Environment read for GITHUB_ACTIONS and CI (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Where a progress bar may be drawn (stderr); drawn only on a terminal outside CI. */
  progress?: ProgressStream;
}

/**
 * A reader that stops early (`lockstep lint … | head`) closes the pipe: what is left to print goes
 * nowhere, and the run ends with its own exit code rather than an unhandled EPIPE.
 */
function pipeSafeStdout(): (text: string) => void {
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) process.stdout.write(text);
  };
}

const defaultIO = (): CliIO => ({
  stdout: pipeSafeStdout(),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
  progress: process.stderr,
});

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
const tool = { name: 'lockstep', version } as const;

function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 500k, 10m or 1g');
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * factor);
}

function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
    throw new InvalidArgumentError('expected i/n with 1 ≤ i ≤ n, e.g. 2/4');
  return { index: Number(m[1]) - 1, count: Number(m[2]) };
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

interface InputOptions {
  ext: string[];
  maxFileSize: number;
}
interface SingleReportOptions extends InputOptions {
  format: 'text' | 'json';
  output?: string;
}
interface ReportOptions extends InputOptions {
  format?: Format[];
  output?: string;
  outputDir?: string;
}

/** The options every command that reads pages shares. */
function inputCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('[paths...]', 'files, folders or globs', ['docs'])
    .option(
      '--ext <list>',
      'extensions of pages found in folders, comma-separated',
      (v: string) =>
        v
          .split(',')
          .map((e) => e.trim().replace(/^\./, ''))
          .filter(Boolean),
      ['md', 'markdown'],
    )
    .option('--max-file-size <size>', 'skip larger files with a diagnostic (e.g. 10m)', parseSize, 10 * 1024 * 1024);
}

/** Report formats, repeatable: several at once go to --output-dir, one file per format. */
function withReportOptions(command: Command): Command {
  return command
    .option(
      '-f, --format <format>',
      `report format: ${FORMATS.join(', ')} (repeatable with --output-dir; default text)`,
      (value: string, previous?: Format[]) => {
        if (!(FORMATS as readonly string[]).includes(value))
          throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
        return [...(previous ?? []), value as Format];
      },
    )
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--output-dir <dir>', 'write every --format to DIR/lockstep-<command>.<ext> (atomically)');
}

/** An output path that cannot be written is said before the run, not after it (a lint of Exchange takes 30 s). */
const checkOutput = (io: CliIO, opts: OutputFlags): Promise<void> => checkOutputFlags(io.cwd, opts);

async function emit(io: CliIO, output: string | undefined, report: string): Promise<void> {
  if (output) {
    await writeOutput(output, report, { cwd: io.cwd });
    // Said on stderr, as --output-dir says it: a run that prints nothing looks like one that did nothing.
    io.stderr(`lockstep: wrote ${output}\n`);
  } else io.stdout(report);
}

/**
 * Print or write the requested formats of one report. Under GitHub Actions the findings are also
 * printed as annotations, unless stdout already carries a machine format they would corrupt.
 */
async function emitReports(
  io: CliIO,
  command: string,
  opts: ReportOptions,
  report: RunReport,
  options: { secrets?: string[]; text?: (color: boolean) => string } = {},
): Promise<void> {
  const formats = opts.format ?? ['text'];
  if (opts.output && opts.outputDir) throw new UsageError('--output and --output-dir exclude each other');
  if (formats.length > 1 && !opts.outputDir)
    throw new UsageError(`${formats.length} formats need --output-dir (one file each)`);
  if (formats.includes('html')) report.excerpts = await (await import('../report/excerpts.js')).collectExcerpts(report);
  const rendered = (format: Format, color: boolean) =>
    format === 'text' && options.text
      ? redactOutput(options.text(color), options.secrets ?? [])
      : render(format, report, { color, secrets: options.secrets });
  if (opts.outputDir) {
    const dir = path.resolve(io.cwd, opts.outputDir);
    await mkdir(dir, { recursive: true });
    for (const format of new Set(formats)) {
      const file = path.join(dir, `lockstep-${command}.${FILE_EXTENSION[format]}`);
      await writeOutput(file, rendered(format, false));
      io.stderr(`lockstep: wrote ${path.relative(io.cwd, file) || file}\n`);
    }
  } else {
    await emit(io, opts.output, rendered(formats[0]!, io.color && !opts.output));
  }
  const stdoutCarriesMachineFormat = !opts.outputDir && !opts.output && formats[0] !== 'text';
  if (
    (io.env ?? process.env)['GITHUB_ACTIONS'] === 'true' &&
    !formats.includes('github') &&
    !stdoutCarriesMachineFormat
  ) {
    io.stdout(render('github', report, { color: false, secrets: options.secrets }));
  }
}

interface ConformanceCommandOptions extends ReportOptions, ConformanceFlags {
  locale?: string;
  sourceLocale?: string;
  soapPath?: string;
  config?: string;
  timeout: number;
  maxResponseSize: number;
  concurrency: number;
  strict?: boolean;
  allowEmpty?: boolean;
  shard?: { index: number; count: number };
}

/** --fix writes the pages and --fix-dry-run prints a patch: neither goes with what would compete with them. */
function checkFixOptions(opts: {
  fix?: boolean;
  fixStale?: boolean;
  fixDryRun?: boolean;
  watch?: boolean;
  writeBaseline?: unknown;
  format?: Format[];
  outputDir?: string;
}): void {
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

/** Run the CLI; resolves to the exit code. Never throws for user errors. */
export async function run(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('lockstep')
    .description(
      'Keep localized API documentation honest: check that its locales agree (lint), replay its samples against an implementation (conformance, init, serve), and join the reports of CI shards (merge).',
    )
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');

  inputCommand(
    program,
    'extract',
    'parse pages and print their samples (kinds, roles, lines, sections, pairs) and diagnostics',
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--default-locale <locale>', 'locale of pages whose front matter and path name none')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseCount)
    .option('-q, --quiet', 'text format: list only pages with problems, without their samples')
    .action(
      async (
        paths: string[],
        opts: SingleReportOptions & { defaultLocale?: string; maxWarnings?: number; quiet?: boolean },
      ) => {
        await checkOutput(io, opts);
        const { loadPages } = await import('../group/load.js');
        const result = await loadPages(paths, {
          cwd: io.cwd,
          extensions: opts.ext,
          maxFileBytes: opts.maxFileSize,
          defaultLocale: opts.defaultLocale,
        });
        await emit(
          io,
          opts.output,
          opts.format === 'json'
            ? `${JSON.stringify((await import('../report/extract-json.js')).extractJson(result), null, 2)}\n`
            : (await import('../report/extract-text.js')).extractText(result, {
                color: io.color && !opts.output,
                quiet: opts.quiet,
              }),
        );
        const counts = countBySeverity([...result.diagnostics, ...result.pages.flatMap((p) => p.diagnostics)]);
        if (counts.error > 0) exitCode = EXIT.findings;
        if (opts.maxWarnings !== undefined && counts.warning > opts.maxWarnings) {
          io.stderr(`lockstep: ${tooManyWarnings(counts.warning, opts.maxWarnings)}\n`);
          exitCode = EXIT.findings;
        }
      },
    );

  withReportOptions(
    inputCommand(
      program,
      'lint',
      'check that samples, links, anchors and metadata agree across the locales of each page',
    ),
  )
    .option('--source-locale <locale>', 'the authority locale (e.g. en-US) when a page has it')
    .option(
      '-c, --config <file>',
      'config file (default: lockstep.config.json, .locksteprc.json or package.json "lockstep", searched from the working directory up)',
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
    .action(
      async (
        paths: string[],
        opts: ReportOptions & {
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
        },
      ) => {
        const config = (await loadConfig(io.cwd, opts.config))?.config ?? {};
        await checkOutput(io, opts);
        if (opts.watch) (await import('./watch.js')).checkWatchOptions(opts);
        if (opts.fix || opts.fixDryRun || opts.fixStale) checkFixOptions(opts);
        const sourceLocale = opts.sourceLocale ?? config.sourceLocale;
        const progress =
          io.progress && shouldShowProgress(io.progress, io.env ?? process.env) ? createProgressBar(io.progress) : null;
        const lintOptions: Parameters<typeof lint>[1] = {
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
        const linted = await lint(paths, lintOptions);
        progress?.done();
        const noSource = sourceLocale
          ? sourceLocaleWarning(
              sourceLocale,
              opts.sourceLocale ? '--source-locale' : 'config sourceLocale',
              linted.summary.locales,
            )
          : null;
        if (noSource) io.stderr(`lockstep: ${noSource}\n`);
        let result = linted;
        let fixSummary: FixSummary | undefined;
        {
          const { fixFiles, markStale, reasonKey, repairInPasses, resolveFixes, unifiedDiffOf } = await import(
            '../fix/index.js'
          );
          const files = fixFiles(io.cwd);
          if (opts.fix || opts.fixDryRun) {
            const repaired = repairInPasses(linted.diagnostics, {
              cwd: io.cwd,
              groups: linted.pageGroups,
              read: files.read,
              sourceLocale: lintOptions.sourceLocale,
              locales: lintOptions.locales ?? linted.summary.locales,
              rules: config.rules,
              defaultLocale: config.defaultLocale,
              stale: opts.fixStale,
            });
            const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
            if (opts.fixDryRun) {
              const patch = repaired.files
                .map((f) => unifiedDiffOf(f.file.split(path.sep).join('/'), f.before, f.after))
                .join('');
              await emit(io, opts.output, patch);
              io.stderr(
                `lockstep: --fix-dry-run: ${n(repaired.fixed, 'finding')} repairable in ` +
                  `${n(repaired.files.length, 'file')}; ${repaired.reasons.size} not fixed` +
                  (opts.fixStale
                    ? `; ${n(repaired.staleFiles.length, 'stale page')} brought to the source revision, whose prose still needs translators`
                    : '') +
                  '; nothing written\n',
              );
              // As after --fix: the exit code says whether errors would remain.
              const left = linted.diagnostics.filter(
                (d) => d.severity === 'error' && (repaired.reasons.has(reasonKey(d)) || !d.fix),
              );
              if (left.length > 0) exitCode = EXIT.findings;
              return;
            }
            // A file that cannot be written is said, and the run goes on: its findings stay in the report.
            const written: typeof repaired.files = [];
            for (const f of repaired.files) {
              try {
                await files.write(f.file, f.after);
                written.push(f);
              } catch (error) {
                io.stderr(`lockstep: --fix could not write ${f.file}: ${(error as Error).message}\n`);
              }
            }
            // What remains: the doc set linted again (the cache re-reads the files written).
            const again =
              written.length > 0
                ? await lint(paths, { ...lintOptions, onProgress: undefined, onCacheWarning: undefined })
                : linted;
            const diagnostics = resolveFixes(again.diagnostics, fixFiles(io.cwd).read).map((d) => {
              const why = repaired.reasons.get(reasonKey(d));
              return why && d.fix ? { ...d, fix: { ...d.fix, resolved: undefined, notFixed: why } } : d;
            });
            result = { ...again, diagnostics };
            fixSummary = {
              fixed: written.reduce((n, f) => n + (repaired.fixedByFile.get(f.file) ?? 0), 0),
              files: written.length,
              ...(opts.fixStale ? { stale: repaired.staleFiles.filter((f) => written.some((w) => w.file === f)) } : {}),
              notFixed: diagnostics.filter((d) => d.fix?.notFixed).length,
            };
          } else {
            result = { ...linted, diagnostics: markStale(linted.diagnostics) };
          }
        }
        let baseline: ReturnType<typeof parseBaseline> | null = null;
        if (opts.writeBaseline) {
          const file = typeof opts.writeBaseline === 'string' ? opts.writeBaseline : 'lockstep-baseline.json';
          await writeFileAtomic(path.resolve(io.cwd, file), `${JSON.stringify(createBaseline(result), null, 2)}\n`);
          io.stderr(`lockstep: wrote ${linted.diagnostics.length} findings to the baseline ${file}\n`);
        } else if (opts.baseline) {
          let text: string;
          try {
            text = await readFile(path.resolve(io.cwd, opts.baseline), 'utf8');
          } catch (error) {
            throw new UsageError(
              `--baseline ${opts.baseline}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (write one with --write-baseline)' : (error as Error).message}`,
            );
          }
          baseline = parseBaseline(text, opts.baseline);
          result = applyBaseline(result, baseline);
        }
        if (opts.quiet) result = { ...result, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') };
        await emitReports(io, 'lint', opts, {
          tool,
          cwd: io.cwd,
          lint: result,
          ...(fixSummary ? { fix: fixSummary } : {}),
        });
        if (result.summary.errors > 0 && !opts.writeBaseline) exitCode = EXIT.findings;
        // Counted before --quiet hides them, as the gate is about the pages, not the report's length.
        const warnings = result.summary.warnings;
        if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings && !opts.writeBaseline) {
          io.stderr(`lockstep: ${tooManyWarnings(warnings, opts.maxWarnings)}\n`);
          exitCode = EXIT.findings;
        }
        if (opts.watch) {
          // Each re-check is shaped as this report was (baseline, --quiet); the progress bar is the first run's only.
          const finish = (r: LintResult) => {
            const known = baseline ? applyBaseline(r, baseline) : r;
            return opts.quiet
              ? { ...known, diagnostics: known.diagnostics.filter((d) => d.severity === 'error') }
              : known;
          };
          await (
            await import('./watch.js')
          ).watchLint(paths, { ...lintOptions, onProgress: undefined, onCacheWarning: undefined }, io, finish);
          exitCode = EXIT.ok; // stopped by the user: the reports were the point
        }
      },
    );

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  withReportOptions(
    inputCommand(
      program,
      'conformance',
      'replay the documented requests against an implementation and compare its responses with the documented ones',
    ),
  )
    .option(
      '-t, --target <url>',
      'base URL of the implementation (env LOCKSTEP_TARGET)',
      (io.env ?? process.env)['LOCKSTEP_TARGET'],
    )
    .option('--locale <locale>', "only this locale's pages")
    .option('--source-locale <locale>', 'the authority when locales disagree (default: the majority)')
    .option('--var <name=value>', 'a value for {name} placeholders and {{name}} templates (repeatable)', collect)
    .option('--vars-file <file>', 'a JSON file of variables')
    .option(
      '-H, --header <header>',
      "a header sent with every request, e.g. 'Authorization: Bearer …' (repeatable; env LOCKSTEP_TOKEN sets a bearer token); credentials never printed",
      collect,
    )
    .option('--soap-path <path>', 'path SOAP envelopes are POSTed to (config soapPaths: per namespace)')
    .option('--path-map <from=to>', 'rebase documented paths, e.g. /beta=/ (repeatable; config pathMap)', collect)
    .option(
      '--case <id-or-glob>',
      'only the cases whose id (or page id) matches, e.g. "*#delete-*" (repeatable; config cases)',
      collect,
    )
    .option(
      '--skip <id-or-glob>',
      'leave out the cases whose id (or page id) matches (repeatable; config skipCases)',
      collect,
    )
    .option('-c, --config <file>', 'config file (as for lint)')
    .option('--timeout <ms>', 'per-request timeout in milliseconds', (v: string) => parseCount(v), 10_000)
    .option(
      '--notification-timeout <ms>',
      "how long to wait for a request's documented notifications (default 5000; config notificationTimeout)",
      (v: string) => parseCount(v),
    )
    .option('--max-response-size <size>', 'largest response body read (e.g. 5m)', parseSize, 5 * 1024 * 1024)
    .option('--concurrency <n>', 'requests in flight at once', (v: string) => Math.max(1, parseCount(v)), 4)
    .option(
      '--scenarios <dir>',
      "folder of scenario files (default: the config's scenarios, else the docs' .lockstep/scenarios)",
    )
    .option('--callback-listen <host:port>', 'where the callback receiver listens (default 127.0.0.1 on a free port)')
    .option(
      '--callback-url <url>',
      "the URL services are told to call back, when it is not the receiver's own (a tunnel or proxy to it)",
    )
    .option('--strict', 'JSON members the docs do not show fail the case (config strict; default: they pass)')
    .option('--allow-empty', 'exit 0 even when no case was run (no pages, none selected, all skipped)')
    .option('--shard <i/n>', 'replay only shard i of n (page groups split as lint --shard splits them)', parseShard)
    .action(async (paths: string[], opts: ConformanceCommandOptions) => {
      const found = await loadConfig(io.cwd, opts.config);
      const config = found?.config ?? {};
      const setup = await conformanceSetup(paths, opts, config, found?.file ?? null, io.cwd, io.env ?? process.env);
      await checkOutput(io, opts);
      const secrets = secretsOf({ headers: setup.headers });
      // As lint draws it: on a terminal outside CI, one line cut to the terminal's width.
      const progress = io.progress && shouldShowProgress(io.progress, io.env ?? process.env) ? io.progress : null;
      let done = 0;
      let total = 0;
      const { runConformance, testedNothing } = await import('../conformance/run.js');
      const report = await runConformance(paths, {
        ...setup,
        cwd: io.cwd,
        extensions: opts.ext,
        maxFileBytes: opts.maxFileSize,
        locale: opts.locale,
        sourceLocale: opts.sourceLocale,
        soapPaths: { ...config.soapPaths, ...(opts.soapPath ? { '*': opts.soapPath } : {}) },
        limits: { timeoutMs: opts.timeout, maxResponseBytes: opts.maxResponseSize },
        concurrency: opts.concurrency,
        strict: opts.strict ?? config.strict ?? false,
        shard: opts.shard,
        onPlanned: (n) => {
          total = n;
        },
        onResult: progress
          ? (r) => {
              done++;
              progress.write(
                `\r\x1b[K${fitLine(`[${done}/${total}] ${formatCaseLine(r, false)}`, progress.columns ?? 80)}`,
              );
            }
          : undefined,
      });
      if (progress) progress.write('\r\x1b[K');
      await emitReports(io, 'conformance', opts, { tool, cwd: io.cwd, conformance: report }, { secrets });
      if (report.summary.failed > 0 || report.summary.errors > 0) exitCode = EXIT.findings;
      const nothing = testedNothing(report.results, paths);
      if (nothing && !opts.allowEmpty) {
        io.stderr(`lockstep: ${nothing}; a run that sends nothing is not a pass (--allow-empty to accept it)\n`);
        exitCode = EXIT.findings;
      }
    });

  const glossaryDescription = 'print the derived do-not-translate list (terms, their origins, the pages using them)';
  glossaryCommand(inputCommand(program, 'glossary', glossaryDescription), io, tool, (code) => {
    exitCode = code;
  });

  program
    .command('init')
    .description(
      'write lockstep.config.json and scenario skeletons for the cases that need variables, setup or callbacks',
    )
    .argument('[paths...]', 'files, folders or globs', ['docs'])
    .option('--force', 'replace files already there (atomically)')
    .action(async (paths: string[], opts: { force?: boolean }) => {
      const { runInit, formatInit } = await import('./init.js');
      io.stdout(formatInit(await runInit(paths, { cwd: io.cwd, force: opts.force })));
    });

  program
    .command('serve')
    .description(
      'answer each documented request with its documented response (HTTP by method and path, SOAP by operation)',
    )
    .argument('[paths...]', 'files, folders or globs', ['docs'])
    .option('-p, --port <n>', 'port (0: any free one)', (v: string) => parseCount(v), 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--allow-empty', 'start even when the docs document no exchange')
    .action(async (paths: string[], opts: { port: number; host: string; allowEmpty?: boolean }) => {
      await checkInputs(paths, io.cwd);
      const [{ loadPages }, { createDocsServer }] = await Promise.all([
        import('../group/load.js'),
        import('../serve/server.js'),
      ]);
      const { groups } = await loadPages(paths, { cwd: io.cwd });
      const server = createDocsServer(groups, { log: (line) => io.stdout(`${line}\n`) });
      if (server.routes === 0 && !opts.allowEmpty) {
        io.stderr(
          `lockstep: no documented exchange in ${paths.join(' ')}: nothing to serve (--allow-empty to start anyway)\n`,
        );
        exitCode = EXIT.findings;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, resolve);
      }).catch((error: NodeJS.ErrnoException) => {
        const why =
          error.code === 'EADDRINUSE'
            ? 'address already in use'
            : error.code === 'EADDRNOTAVAIL'
              ? 'no such local address'
              : error.code === 'EACCES'
                ? 'permission denied'
                : error.message;
        throw new UsageError(`--host ${opts.host} --port ${opts.port}: ${why}`);
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      io.stdout(
        `lockstep serve: ${server.routes} documented exchanges on http://${opts.host}:${port} (Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          server.closeAllConnections();
          server.close(() => resolve());
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  withReportOptions(
    program
      .command('merge')
      .description(
        'join the JSON reports of shards (lint or conformance --shard i/n -f json) into one report, in any format',
      )
      .argument('<reports...>', 'JSON reports (-f json) of the shards of one run'),
  ).action(async (files: string[], opts: ReportOptions) => {
    await checkOutput(io, opts);
    const merged = await (await import('./merge.js')).mergeFiles(files, io.cwd);
    await emitReports(io, merged.kind, opts, { tool, cwd: io.cwd, ...merged.report });
    if (merged.failed) exitCode = EXIT.findings;
  });

  withReportOptions(
    program
      .command('demo')
      .description(
        'the whole job on the given docs: lint them, serve them on loopback, replay them against that server, one report',
      )
      .argument('[paths...]', 'files, folders or globs', ['docs']),
  ).action(async (paths: string[], opts: ReportOptions) => {
    await checkOutput(io, opts);
    const found = await lint(paths, { cwd: io.cwd });
    // What `lint --fix` would repair, counted as it would (verified, in passes), nothing written.
    const { fixFiles, markStale, repairInPasses } = await import('../fix/index.js');
    const files = fixFiles(io.cwd);
    const wouldFix = repairInPasses(found.diagnostics, {
      cwd: io.cwd,
      groups: found.pageGroups,
      read: files.read,
      locales: found.summary.locales,
    });
    const linted = { ...found, diagnostics: markStale(found.diagnostics) };
    const [{ loadPages }, { createDocsServer }, { runConformance }] = await Promise.all([
      import('../group/load.js'),
      import('../serve/server.js'),
      import('../conformance/run.js'),
    ]);
    const loaded = await loadPages(paths, { cwd: io.cwd });
    const server = createDocsServer(loaded.groups);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    let report;
    try {
      report = await runConformance(paths, { cwd: io.cwd, target, loaded });
    } finally {
      server.closeAllConnections();
      server.close();
    }
    const s = linted.summary;
    const total = report.summary.passed + report.summary.failed + report.summary.skipped + report.summary.errors;
    // The text format tells the story in order; the other formats are the combined report.
    const story = (color: boolean) => {
      const c = color ? pc : pc.createColors(false);
      return [
        c.bold(
          `lockstep on ${paths.join(' ')}: ${s.pages} pages in ${s.pageGroups} page groups (${s.locales.join(', ')}), ${s.samples} samples`,
        ),
        '',
        c.bold('1. Lint: do the locales agree? (findings per page and locale)'),
        '',
        lintText(linted, { color }),
        c.bold(
          `2. Conformance: the documented requests replayed against the docs served on ${target} (${server.routes} documented exchanges)`,
        ),
        '',
        conformanceText(report, { color }),
        c.bold(
          `Repair: \`lockstep lint ${paths.join(' ')} --fix\` would repair ${wouldFix.fixed} of the ` +
            `${linted.diagnostics.length} findings in ${wouldFix.files.length} files (\`--fix-dry-run\` prints the patch); ` +
            'the others need a translator or the source.',
        ),
        '',
        c.bold(
          `Summary: lint ${s.errors} errors, ${s.warnings} warnings, ${s.infos} info; conformance ${report.summary.passed}/${total} passed, ${report.summary.failed} failed, ${report.summary.skipped} skipped, ${report.summary.errors} errors.`,
        ),
        c.dim(
          'Point the conformance suite at your own implementation: npx lockstep conformance docs --target http://localhost:8080',
        ),
        '',
      ].join('\n');
    };
    await emitReports(io, 'demo', opts, { tool, cwd: io.cwd, lint: linted, conformance: report }, { text: story });
    // Findings are what the demo shows; the tool is broken only if its own server does not conform.
    if (report.summary.failed > 0 || report.summary.errors > 0) exitCode = EXIT.findings;
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`lockstep: invalid config: ${error.message}\n`);
      return EXIT.usage;
    }
    if (
      error instanceof UsageError ||
      error instanceof BaselineError ||
      error instanceof ScenarioError ||
      error instanceof ConformanceOptionError ||
      error instanceof OutputError ||
      error instanceof SyntaxError ||
      error instanceof GitError
    ) {
      io.stderr(`lockstep: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr(`lockstep: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.usage;
  }
  return exitCode;
}
