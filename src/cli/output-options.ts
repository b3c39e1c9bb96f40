/** The checks every reporting command makes of its output options before it starts the work. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { STDOUT } from '../util/output.js';
import { UsageError } from './errors.js';

export interface OutputFlags {
  output?: string;
  outputDir?: string;
  format?: string | string[];
}

/**
 * An output that is a folder or in a missing one, `-o` with `--output-dir`, several formats without
 * a folder to hold them: usage errors, said before the run. `-o -` is stdout, as if no `-o` were given.
 */
export async function checkOutputFlags(cwd: string, opts: OutputFlags): Promise<void> {
  if (opts.output === STDOUT) delete opts.output;
  const formats = new Set(Array.isArray(opts.format) ? opts.format : [opts.format ?? 'text']);
  if (opts.output && opts.outputDir) throw new UsageError('--output and --output-dir exclude each other');
  if (formats.size > 1 && !opts.outputDir)
    throw new UsageError(`${formats.size} formats need --output-dir (one file each)`);
  if (opts.output) {
    const file = path.resolve(cwd, opts.output);
    // A device, a FIFO or a link is written to or through, never replaced (util/output.ts).
    if ((await stat(file).catch(() => null))?.isDirectory())
      throw new UsageError(`--output ${opts.output}: is a folder (use --output-dir for a folder)`);
    if (!(await stat(path.dirname(file)).catch(() => null))?.isDirectory())
      throw new UsageError(`--output ${opts.output}: no such folder ${path.dirname(opts.output) || '.'}`);
  }
  if (opts.outputDir) {
    const dir = await stat(path.resolve(cwd, opts.outputDir)).catch(() => null);
    if (dir && !dir.isDirectory()) throw new UsageError(`--output-dir ${opts.outputDir}: not a folder`);
  }
}
