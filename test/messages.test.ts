/**
 * What the CLI says about a run, beside its report: each message says what happened and why
 * (issue 27). Run in-process on the bundled docs, with a fake terminal for the progress lines.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitLine, sourceLocaleWarning } from '../src/cli/messages.js';
import { repoRoot } from './helpers/paths.js';
import { runCli } from './helpers/cli.js';
import { close, startDocsServer } from './helpers/servers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-messages-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = runCli;

describe('-o FILE says where the report went', () => {
  it('for lint, extract and merge, as --output-dir does', async () => {
    const lintFile = path.join(dir, 'lint.json');
    const lint = await cli(['lint', 'docs', '--no-cache', '-f', 'json', '-o', lintFile]);
    expect(lint.stdout).toBe('');
    expect(lint.stderr).toBe(`lockstep: wrote ${lintFile}\n`);
    const extract = await cli(['extract', 'docs', '-o', path.join(dir, 'extract.txt')]);
    expect(extract.stderr).toBe(`lockstep: wrote ${path.join(dir, 'extract.txt')}\n`);
    const merged = await cli(['merge', lintFile, '-f', 'sarif', '-o', path.join(dir, 'merged.sarif')]);
    expect(merged.stderr).toBe(`lockstep: wrote ${path.join(dir, 'merged.sarif')}\n`);
    // Stdout (`-o -`) is no file: nothing to say.
    const dash = await cli(['lint', 'docs', '--no-cache', '-q', '-o', '-']);
    expect(dash.stderr).toBe('');
    expect(dash.stdout).toContain('problems');
  });
});

describe('--max-warnings says why the run exits 1', () => {
  it('names the count and the limit; silent when within it', async () => {
    const over = await cli(['extract', 'docs', '-q', '--max-warnings', '10']);
    expect(over.code).toBe(1);
    const warnings = Number(/(\d+) warnings$/m.exec(over.stdout.trimEnd())?.[1]);
    expect(warnings).toBeGreaterThan(10);
    expect(over.stderr).toBe(`lockstep: ${warnings} warnings, more than --max-warnings 10 allows: exit 1\n`);
    const within = await cli(['extract', 'docs', '-q', '--max-warnings', String(warnings)]);
    expect(within.code).toBe(0);
    expect(within.stderr).toBe('');
  });

  it('for lint too, counting the warnings --quiet hides', async () => {
    const all = await cli(['lint', 'docs', '--no-cache', '-f', 'json']);
    const { summary } = JSON.parse(all.stdout) as { summary: { errors: number; warnings: number } };
    expect(summary.warnings).toBeGreaterThan(1);
    // Only the exit code's reason differs from a run without the option: docs/ has errors, so exit 1 either way.
    const over = await cli(['lint', 'docs', '--no-cache', '-q', '--max-warnings', '1']);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe(`lockstep: ${summary.warnings} warnings, more than --max-warnings 1 allows: exit 1\n`);
    const within = await cli(['lint', 'docs', '--no-cache', '-q', '--max-warnings', String(summary.warnings)]);
    expect(within.stderr).toBe('');
  });
});

describe('a source locale no page is in', () => {
  it('is said, from the flag or the config, and the run goes on judged by the majority', async () => {
    const flag = await cli(['lint', 'docs', '--no-cache', '-q', '--source-locale', 'en-US']);
    expect(flag.stderr).toBe(
      'lockstep: --source-locale en-US: no page is in that locale (the pages are in pt-BR, ru-RU, zh-CN), ' +
        'so none was the authority: each page group was judged by its majority, as with no source locale\n',
    );
    const none = await cli(['lint', 'docs', '--no-cache', '-q']);
    expect(flag.stdout).toBe(none.stdout);
    const config = path.join(dir, 'config.json');
    await writeFile(config, '{ "sourceLocale": "de-DE" }');
    expect((await cli(['lint', 'docs', '--no-cache', '-q', '-c', config])).stderr).toMatch(
      /^lockstep: config sourceLocale de-DE: no page is in that locale/,
    );
    // A locale that has pages, in any letter case: nothing to say.
    expect((await cli(['lint', 'docs', '--no-cache', '-q', '--source-locale', 'pt-br'])).stderr).toBe('');
    expect(sourceLocaleWarning('en-US', '--source-locale', [])).toContain('(no page has a locale)');
  });
});

describe('progress lines on a terminal', () => {
  const terminal = (columns: number) => {
    const writes: string[] = [];
    return {
      writes,
      stream: {
        isTTY: true,
        columns,
        write: (t: string) => {
          writes.push(t);
          return true;
        },
      },
    };
  };
  const lines = (writes: string[]) =>
    writes
      .flatMap((w) => w.split('\r'))
      .map((l) => l.replace(/\x1b\[K/g, ''))
      .filter(Boolean);

  let server: Server;
  let target = '';
  beforeAll(async () => {
    const docs = await startDocsServer();
    server = docs.server;
    target = docs.url;
  });
  afterAll(async () => {
    await close(server);
  });

  it('conformance shows done/total, each line within the terminal width, erased at the end', async () => {
    const t = terminal(60);
    const r = await cli(['conformance', 'docs', '--target', target, '-f', 'json'], { progress: t.stream });
    expect(r.code).toBe(0);
    const total = (JSON.parse(r.stdout) as { results: unknown[] }).results.length;
    const shown = lines(t.writes);
    expect(shown).toHaveLength(total);
    shown.forEach((line, i) => {
      expect(line.startsWith(`[${i + 1}/${total}] `), line).toBe(true);
      expect([...line].length).toBeLessThanOrEqual(59);
    });
    expect(t.writes.at(-1)).toBe('\r\x1b[K');
    // In CI, none.
    const ci = terminal(60);
    await cli(['conformance', 'docs', '--target', target, '-f', 'json'], { progress: ci.stream, env: { CI: 'true' } });
    expect(ci.writes).toEqual([]);
  });

  it('lint draws within a narrow terminal', async () => {
    const t = terminal(40);
    await cli(['lint', 'docs', '--no-cache', '-q'], { progress: t.stream });
    const shown = lines(t.writes);
    expect(shown.length).toBeGreaterThan(0);
    for (const line of shown) expect([...line].length, line).toBeLessThanOrEqual(39);
  });

  it('fitLine cuts at the width with an ellipsis, counting characters, not UTF-16 units', () => {
    expect(fitLine('abc', 80)).toBe('abc');
    expect(fitLine('x'.repeat(100), 20)).toBe(`${'x'.repeat(18)}…`);
    expect([...fitLine('断'.repeat(100), 20)].length).toBe(19);
  });
});
