/** `lockstep conformance`: replay the documented requests against an implementation, report each case. */
import type { Command } from 'commander';
import { loadConfig } from '../../lint/config.js';
import { formatCaseLine } from '../../report/conformance.js';
import { createStatusLine, shouldShowProgress } from '../progress.js';
import { secretsOf } from '../../util/secrets.js';
import { conformanceSetup, type ConformanceFlags } from '../conformance-options.js';
import { checkOutput, emitReports } from '../emit.js';
import { EXIT, tool, type CommandContext } from '../io.js';
import {
  collect,
  inputCommand,
  parseCount,
  parseShard,
  parseSize,
  withReportOptions,
  type ReportOptions,
} from '../options.js';

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

export function conformanceCommand(program: Command, { io, setExit }: CommandContext): void {
  const description =
    'replay the documented requests against an implementation and compare its responses with the documented ones';
  withReportOptions(inputCommand(program, 'conformance', description))
    .option('-t, --target <url>', 'base URL of the implementation (env LOCKSTEP_TARGET)', io.env['LOCKSTEP_TARGET'])
    .option('--locale <locale>', "only this locale's pages")
    .option('--source-locale <locale>', 'the authority when locales disagree (default: the majority)')
    .option('--var <name=value>', 'a value for {name} placeholders and {{name}} templates (repeatable)', collect)
    .option('--vars-file <file>', 'a JSON file of variables')
    .option(
      '-H, --header <header>',
      "a header sent with every request, e.g. 'Authorization: Bearer …' (repeatable; env LOCKSTEP_TOKEN sets a " +
        'bearer token); credentials never printed',
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
      const setup = await conformanceSetup(paths, opts, config, found?.file ?? null, io.cwd, io.env);
      await checkOutput(io, opts);
      const secrets = secretsOf({ headers: setup.headers });
      // As lint draws it: on a terminal outside CI, one line cut to the terminal's width.
      const progress = io.progress && shouldShowProgress(io.progress, io.env) ? createStatusLine(io.progress) : null;
      let done = 0;
      let total = 0;
      let inAllShards = 0;
      const [{ runConformance, testedNothing }, { emptyShardNote }] = await Promise.all([
        import('../../conformance/run.js'),
        import('../../conformance/plan.js'),
      ]);
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
        onPlanned: (n, all) => {
          total = n;
          inAllShards = all;
        },
        onResult: progress
          ? (r) => {
              done++;
              progress.update(`[${done}/${total}] ${formatCaseLine(r, false)}`);
            }
          : undefined,
      });
      progress?.done();
      await emitReports(io, 'conformance', opts, { tool, cwd: io.cwd, conformance: report }, { secrets });
      if (report.summary.failed > 0 || report.summary.errors > 0) setExit(EXIT.findings);
      const nothing = testedNothing(report.results, paths);
      if (nothing && opts.shard && report.results.length === 0 && inAllShards > 0) {
        io.stderr(`lockstep: ${emptyShardNote(opts.shard, inAllShards)}\n`);
      } else if (nothing && !opts.allowEmpty) {
        io.stderr(`lockstep: ${nothing}; a run that sends nothing is not a pass (--allow-empty to accept it)\n`);
        setExit(EXIT.findings);
      }
    });
}
