/** Where reports go: stdout, a file (`-o`) or one file per format (`--output-dir`), always atomically. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FILE_EXTENSION, redactOutput, render, type Format } from '../report/index.js';
import type { RunReport } from '../report/model.js';
import { writeOutput } from '../util/output.js';
import { UsageError } from './errors.js';
import type { CommandIO } from './io.js';
import { checkOutputFlags, type OutputFlags } from './output-options.js';
import type { ReportOptions } from './options.js';

/** An output path that cannot be written is said before the run, not after it (a lint of Exchange takes 30 s). */
export const checkOutput = (io: CommandIO, opts: OutputFlags): Promise<void> => checkOutputFlags(io.cwd, opts);

export async function emit(io: CommandIO, output: string | undefined, report: string): Promise<void> {
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
export async function emitReports(
  io: CommandIO,
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
  if (io.env['GITHUB_ACTIONS'] === 'true' && !formats.includes('github') && !stdoutCarriesMachineFormat) {
    io.stdout(render('github', report, { color: false, secrets: options.secrets }));
  }
}
