/** `lockstep merge`: the JSON reports of CI shards joined into one report, in any format. */
import type { Command } from 'commander';
import { checkOutput, emitReports } from '../emit.js';
import { EXIT, tool, type CommandContext } from '../io.js';
import { withReportOptions, type ReportOptions } from '../options.js';

export function mergeCommand(program: Command, { io, setExit }: CommandContext): void {
  withReportOptions(
    program
      .command('merge')
      .description(
        'join the JSON reports of shards (lint or conformance --shard i/n -f json) into one report, in any format',
      )
      .argument('<reports...>', 'JSON reports (-f json) of the shards of one run'),
  ).action(async (files: string[], opts: ReportOptions) => {
    await checkOutput(io, opts);
    const merged = await (await import('../merge.js')).mergeFiles(files, io.cwd);
    await emitReports(io, merged.kind, opts, { tool, cwd: io.cwd, ...merged.report });
    if (merged.failed) setExit(EXIT.findings);
  });
}
