/** What a command reads and writes besides its files: streams, working directory, environment, terminal. */
import { createRequire } from 'node:module';
import type { ProgressStream } from './progress.js';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Colors only on a terminal, and never when NO_COLOR is set. */
  color: boolean;
  /** Environment read for GITHUB_ACTIONS, CI, LOCKSTEP_TARGET… (tests pass their own; default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where a progress bar may be drawn (stderr); drawn only on a terminal outside CI. */
  progress?: ProgressStream;
}

/** The IO a command works with: the environment always set, read from here and nowhere else. */
export interface CommandIO extends CliIO {
  env: NodeJS.ProcessEnv;
}

/** A command's side of the run: its IO and where it sets the exit code. */
export interface CommandContext {
  io: CommandIO;
  setExit: (code: number) => void;
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

/** The process's own streams and environment: the only place the CLI reads them. */
export const defaultIO = (): CliIO => ({
  stdout: pipeSafeStdout(),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  color: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
  env: process.env,
  progress: process.stderr,
});

export const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
/** How reports name the tool that wrote them. */
export const tool = { name: 'lockstep', version } as const;
