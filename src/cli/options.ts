/** Option parsers and the option sets several commands share. */
import { InvalidArgumentError, type Command } from 'commander';
import { FORMATS, type Format } from '../report/index.js';
import { SHARD_EXPECTED, shardFromText, type Shard } from '../run/shard.js';

export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 500k, 10m or 1g');
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * factor);
}

export function parseShard(v: string): Shard {
  const shard = shardFromText(v);
  if (!shard) throw new InvalidArgumentError(SHARD_EXPECTED);
  return shard;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export interface InputOptions {
  ext: string[];
  maxFileSize: number;
}
export interface ReportOptions extends InputOptions {
  format?: Format[];
  output?: string;
  outputDir?: string;
}

/** The options every command that reads pages shares. */
export function inputCommand(program: Command, name: string, description: string): Command {
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
export function withReportOptions(command: Command): Command {
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
