/**
 * The command line: one module per command (commands/), options parsed by commander, the process's
 * streams and environment read only through the IO object. A `LockstepError` says what the user
 * asked for cannot be done (one line, its exit code); anything else is a bug in lockstep (exit 2, one
 * line, the stack with --debug).
 */
import { Command, CommanderError } from 'commander';
import { LockstepError } from '../util/errors.js';
import { conformanceCommand } from './commands/conformance.js';
import { demoCommand } from './commands/demo.js';
import { extractCommand } from './commands/extract.js';
import { glossaryCommand } from './commands/glossary.js';
import { initCommand } from './commands/init.js';
import { lintCommand } from './commands/lint.js';
import { mergeCommand } from './commands/merge.js';
import { serveCommand } from './commands/serve.js';
import { defaultIO, EXIT, version, type CliIO, type CommandContext } from './io.js';

export { EXIT, type CliIO } from './io.js';

const DESCRIPTION =
  'Keep localized API documentation honest: check that its locales agree (lint), replay its samples against an ' +
  'implementation (conformance, init, serve), and join the reports of CI shards (merge).';

/** Run the CLI; resolves to the exit code. Never throws. */
export async function run(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const context: CommandContext = {
    io: { ...io, env: io.env ?? process.env },
    setExit: (code) => {
      exitCode = code;
    },
  };
  const program = new Command('lockstep')
    .description(DESCRIPTION)
    .version(version)
    .option('--debug', 'on an internal error, print its stack')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // commander's own usage errors (an unknown option, an invalid value) in lockstep's form: one line.
      outputError: (message, write) => write(`lockstep: ${oneLine(message)} (run with --help for usage)\n`),
    });
  for (const command of [
    extractCommand,
    lintCommand,
    conformanceCommand,
    glossaryCommand,
    initCommand,
    serveCommand,
    mergeCommand,
    demoCommand,
  ])
    command(program, context);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof LockstepError) {
      io.stderr(`lockstep: ${error.describe()}\n`);
      return error.exitCode;
    }
    // --help and --version end here too, with exit code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.stderr(internalError(error, argv.includes('--debug')));
    return EXIT.usage;
  }
  return exitCode;
}

/** `error: unknown option '--x'\n(Did you mean --y?)\n` as `unknown option '--x' (Did you mean --y?)`. */
function oneLine(message: string): string {
  return message
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ');
}

/** A bug in lockstep, said in one line (and where to report it); the stack only when asked for. */
function internalError(error: unknown, debug: boolean): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (debug) return `lockstep: internal error: ${(error instanceof Error && error.stack) || what}\n`;
  return `lockstep: internal error: ${what.split('\n')[0]} (a bug in lockstep: --debug prints its stack)\n`;
}
