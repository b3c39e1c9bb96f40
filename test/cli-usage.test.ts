/**
 * Every documented misuse is one line on stderr and exit 2, said before any work: never a stack
 * trace, never an "internal error", never a report written first and an error after.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';
import { runCli } from './helpers/cli.js';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lockstep-usage-'));
  await writeFile(path.join(tmp, 'broken.json'), '{ "rules": { "sample-missing": "error", } oops }');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args);

describe('misuse is a usage error, before the work', () => {
  const cases: [string[], RegExp][] = [
    [
      ['lint', 'docs', '-o', 'no-such-folder/report.json'],
      /^lockstep: --output no-such-folder\/report\.json: no such folder no-such-folder\n$/,
    ],
    [['lint', 'docs', '-o', 'docs'], /^lockstep: --output docs: is a folder \(use --output-dir for a folder\)\n$/],
    [['lint', 'docs', '-f', 'json', '-f', 'sarif'], /^lockstep: 2 formats need --output-dir \(one file each\)\n$/],
    [
      ['lint', 'docs', '-o', 'a.json', '--output-dir', 'out'],
      /^lockstep: --output and --output-dir exclude each other\n$/,
    ],
    [['lint', 'docs', '--shard', '3/2'], /^lockstep: option '--shard <i\/n>' argument '3\/2' is invalid/],
    [['lint', 'docs', '--config', 'none.json'], /^lockstep: invalid config: none\.json: no such file\n$/],
    [['lint', 'docs', '--max-file-size', 'lots'], /^lockstep: option '--max-file-size <size>' argument 'lots' is/],
    [
      ['extract', 'docs', '-o', 'no-such-folder/x.json'],
      /^lockstep: --output no-such-folder\/x\.json: no such folder no-such-folder\n$/,
    ],
    [
      ['demo', 'docs', '-o', 'no-such-folder/x.html', '-f', 'html'],
      /^lockstep: --output no-such-folder\/x\.html: no such folder no-such-folder\n$/,
    ],
    [
      ['conformance', 'docs', '--target', 'http://127.0.0.1:9', '--timeout', 'soon'],
      /^lockstep: option '--timeout <ms>' argument 'soon' is invalid/,
    ],
    [['serve', 'docs', '--port', 'x'], /^lockstep: option '-p, --port <n>' argument 'x' is invalid/],
    [['nosuchcommand'], /^lockstep: unknown command 'nosuchcommand' \(run with --help for usage\)\n$/],
    [['lint', 'docs', '--debg'], /^lockstep: unknown option '--debg' \(Did you mean --debug\?\) \(run with --help/],
    [['demo', 'no-such-docs'], /^lockstep: no-such-docs: no such file or folder\n$/],
    [['merge'], /^lockstep: missing required argument 'reports' \(run with --help for usage\)\n$/],
  ];
  it.each(cases)('%j', async (args, message) => {
    const { code, stdout, stderr, ms } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^lockstep: [^\n]+\n$/); // one line
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    expect(ms).toBeLessThan(2_000); // said before the work, not after a run
  });

  it('demo over pages without a documented exchange exits 1: a replay of nothing is no pass', async () => {
    const { code, stderr } = await cli(['demo', 'docs/pt-BR/tapi']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'lockstep: tested nothing: no documented request with a response in docs/pt-BR/tapi (or none selected); ' +
        'a run that sends nothing is not a pass\n',
    );
  });

  it('a config syntax error names the file, line and column, and says in words what is wrong', async () => {
    const { code, stderr } = await cli(['lint', 'docs', '--config', path.join(tmp, 'broken.json')]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'lockstep: invalid config: broken.json:1:43: unexpected character (names and strings need double quotes) ' +
        '(a syntax error: the file is JSON with comments)\n',
    );
    await writeFile(path.join(tmp, 'unquoted.json'), '{\n  // the authority\n  sourceLocale: "en-US"\n}');
    const unquoted = await cli(['lint', 'docs', '--config', path.join(tmp, 'unquoted.json')]);
    expect(unquoted.stderr).toBe(
      'lockstep: invalid config: unquoted.json:3:3: unexpected character (names and strings need double quotes) ' +
        '(a syntax error: the file is JSON with comments)\n',
    );
  });

  it('serve on a port already in use says so in one line', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      expect(await cli(['serve', 'docs', '--port', String(port)])).toMatchObject({
        code: 2,
        stdout: '',
        stderr: `lockstep: --host 127.0.0.1 --port ${port}: address already in use\n`,
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('a reader that stops early', () => {
  it('closes the pipe without a crash: no EPIPE trace, the exit code of a whole run', async () => {
    const { spawn } = await import('node:child_process');
    const whole = await runCli(['extract', 'fixtures', '-f', 'json']);
    // `lockstep extract fixtures -f json | head -c 100`: 280 kB of JSON, the reader gone after the first chunk.
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/lockstep.js'), 'extract', 'fixtures', '-f', 'json'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(whole.code);
  });
});

describe('a bug in lockstep', () => {
  // A failure no LockstepError describes (here the report's own stdout throws) is an internal error.
  const broken = { stdout: () => void JSON.parse('{ not json') };

  it('is one line with exit 2, naming the error, without a stack', async () => {
    const { code, stderr } = await runCli(['lint', 'docs', '-f', 'json'], broken);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^lockstep: internal error: SyntaxError: .*JSON.* \(a bug in lockstep: --debug prints its stack\)\n$/,
    );
  });

  it('prints its stack with --debug, before or after the command', async () => {
    for (const args of [
      ['--debug', 'lint', 'docs', '-f', 'json'],
      ['lint', 'docs', '-f', 'json', '--debug'],
    ]) {
      const { code, stderr } = await runCli(args, broken);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^lockstep: internal error: SyntaxError: [^\n]*\n\s+at /);
    }
  });
});
