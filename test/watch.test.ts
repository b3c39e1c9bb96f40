/**
 * `lockstep lint --watch` as a person runs it (the built CLI, a child process) on a temporary copy
 * of the bundled docs: pages are edited while it runs, and each save re-checks that page's group
 * in all its locales, from the cache when nothing in it changed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { docsDir, repoRoot } from './helpers/paths.js';

const bin = path.join(repoRoot, 'bin', 'lockstep.js');
let dir = '';
let child: ChildProcess;
let stdout = '';
let stderr = '';

/** Resolves when `test` holds for what the process printed, or fails after `ms`. */
async function until(test: () => boolean, what: string, ms = 15_000): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}; stderr so far:\n${stderr}`);
    if (child.exitCode !== null)
      throw new Error(`lockstep exited (${child.exitCode}) while waiting for ${what}:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-watch-'));
  await cp(docsDir, path.join(dir, 'docs'), { recursive: true });
  child = spawn(process.execPath, [bin, 'lint', 'docs', '--watch'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', CI: '' },
  });
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  await until(() => stderr.includes('lockstep: watching docs for changes (Ctrl-C to stop)'), 'the first report');
}, 30_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('lint --watch', () => {
  const ru = 'docs/ru-RU/tapi/drop-ovr.md';

  it('prints the whole report first', () => {
    expect(stdout).toContain('линедроп');
    expect(stdout).toMatch(/✖ \d+ problems .*: 11 pages in 4 page groups/);
  });

  it("re-checks the saved page's group in all its locales, and only that group", async () => {
    const file = path.join(dir, ru);
    const before = stdout.length;
    await writeFile(file, (await readFile(file, 'utf8')).replace('линедроп', 'lineDrop'));
    await until(
      () => stderr.includes(`lockstep: ${ru} changed: checked 1 page group (tapi/drop-ovr; 0 from the cache)`),
      'the re-check',
    );
    await until(() => stdout.slice(before).includes('problems'), 'its report');
    const report = stdout.slice(before);
    expect(report).not.toContain('линедроп');
    // Its other locale is checked with it; other page groups are not.
    expect(report).toContain('docs/pt-BR/tapi/drop-ovr.md');
    expect(report).toContain('2 pages in 1 page group');
    expect(report).not.toContain('exchange/');
  });

  it('takes an unchanged group from the cache', async () => {
    const file = path.join(dir, 'docs/zh-CN/graph/api-reference/beta/api/call-delete.md');
    const now = new Date();
    await utimes(file, now, now);
    await until(
      () =>
        stderr.includes(
          'docs/zh-CN/graph/api-reference/beta/api/call-delete.md changed: checked 1 page group ' +
            '(graph/api-reference/beta/api/call-delete; 1 from the cache)',
        ),
      'a cached re-check',
    );
  });

  it('checks pages saved together in one run, and ignores files that are no pages', async () => {
    await writeFile(path.join(dir, 'docs/notes.txt'), 'not a page');
    const a = path.join(dir, 'docs/pt-BR/tapi/drop-ovr.md');
    const b = path.join(dir, 'docs/ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md');
    await writeFile(a, `${await readFile(a, 'utf8')}\n`);
    await writeFile(b, `${await readFile(b, 'utf8')}\n`);
    await until(
      () => /docs\/pt-BR\/tapi\/drop-ovr\.md, docs\/ru-RU\/exchange\/\S+ changed: checked 2 page groups/.test(stderr),
      'one run for both',
    );
    expect(stderr).not.toContain('notes.txt');
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses options that make no sense while watching: exit 2, one line', async () => {
    for (const [args, flag] of [
      [['-f', 'json'], '--format other than text'],
      [['--shard', '1/2'], '--shard'],
      [['-o', 'x.txt'], '--output'],
    ] as const) {
      let err = '';
      const code = await run(['lint', 'docs', '--watch', ...args], {
        stdout: () => {},
        stderr: (t) => {
          err += t;
        },
        cwd: repoRoot,
        color: false,
      });
      expect(code).toBe(2);
      expect(err).toBe(`lockstep: --watch prints text reports as files change: it cannot take ${flag}\n`);
    }
  });
});
