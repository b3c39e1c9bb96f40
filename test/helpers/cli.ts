/** Run the CLI in-process, as the tests of commands and messages do: its output collected, no color, no env. */
import { run, type CliIO } from '../../src/cli/main.js';
import { repoRoot } from './paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function runCli(args: string[], io: Partial<CliIO> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const code = await run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: repoRoot,
    color: false,
    env: {},
    ...io,
  });
  return { code, stdout, stderr, ms: performance.now() - started };
}
