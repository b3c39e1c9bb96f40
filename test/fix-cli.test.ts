/**
 * `lockstep lint --fix` and `--fix-dry-run` on disk: line endings, BOM and trailing spaces kept,
 * git apply, usage errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { examplePage } from '../src/lint/examples.js';
import { runCli } from './helpers/cli.js';

const link = (text: string) =>
  `# <a name="drop"></a>Drop\n\nSee [**${text}**](/windows/win32/api/tapi/nf-tapi-linedrop).  \n`;
const good = (locale: string) => examplePage(locale, link('lineDrop'));

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-fix-cli-'));
  for (const locale of ['pt-BR', 'zh-CN']) {
    await mkdir(path.join(dir, 'docs', locale), { recursive: true });
    await writeFile(path.join(dir, 'docs', locale, 'page.md'), good(locale));
  }
  await mkdir(path.join(dir, 'docs', 'ru-RU'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ru = () => path.join(dir, 'docs', 'ru-RU', 'page.md');

describe('lint --fix', () => {
  it("keeps a CRLF page's line endings, BOM and trailing spaces, and changes only the damaged span", async () => {
    const damaged = `\uFEFF${examplePage('ru-RU', link('линедроп'))}`.replace(/\n/g, '\r\n');
    await writeFile(ru(), damaged);
    const run = await runCli(['lint', 'docs', '--fix', '--no-cache'], { cwd: dir });
    expect(run.stdout).toContain('--fix repaired 1 finding in 1 file');
    expect(run.code).toBe(0);
    expect(await readFile(ru(), 'utf8')).toBe(damaged.replace('линедроп', 'lineDrop'));
    // A second run has nothing to write.
    const again = await runCli(['lint', 'docs', '--fix', '--no-cache'], { cwd: dir });
    expect(again.stdout).toContain('--fix repaired 0 findings in 0 files');
  });

  it('--fix-dry-run writes nothing and prints a patch git apply takes, equal to what --fix writes', async () => {
    const damaged = examplePage('ru-RU', link('линедроп'));
    await writeFile(ru(), damaged);
    const dry = await runCli(['lint', 'docs', '--fix-dry-run', '--no-cache'], { cwd: dir });
    expect(await readFile(ru(), 'utf8')).toBe(damaged);
    expect(dry.stdout).toContain('--- a/docs/ru-RU/page.md');
    expect(dry.stderr).toContain('1 finding repairable in 1 file');
    expect(dry.code).toBe(0);
    await writeFile(path.join(dir, 'fix.patch'), dry.stdout);
    try {
      execFileSync('git', ['apply', '--unsafe-paths', 'fix.patch'], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`git apply: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
    expect(await readFile(ru(), 'utf8')).toBe(good('ru-RU'));
  });

  it('says "not fixed" with the reason where the authority is split, and writes nothing', async () => {
    // Two locales, two anchors, no source: nobody decides.
    await rm(path.join(dir, 'docs', 'zh-CN'), { recursive: true });
    const damaged = good('ru-RU').replace('name="drop"', 'name="sbros"');
    await writeFile(ru(), damaged);
    const run = await runCli(['lint', 'docs', '--fix', '--no-cache'], { cwd: dir });
    expect(run.stdout).toContain('(not fixed: the locales disagree and no source locale decides)');
    expect(run.stdout).toContain('--fix repaired 0 findings in 0 files');
    expect(run.code).toBe(1);
    expect(await readFile(ru(), 'utf8')).toBe(damaged);
    expect(await readFile(path.join(dir, 'docs', 'pt-BR', 'page.md'), 'utf8')).toBe(good('pt-BR'));
  });

  it('carries SARIF fixes and JSON fix fields for repairable findings', async () => {
    await writeFile(ru(), examplePage('ru-RU', link('линедроп')));
    const sarif = JSON.parse((await runCli(['lint', 'docs', '-f', 'sarif', '--no-cache'], { cwd: dir })).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'identifier-translated');
    expect(result.fixes[0].artifactChanges[0].replacements[0]).toEqual({
      deletedRegion: { startLine: 10, startColumn: 8, endLine: 10, endColumn: 16 },
      insertedContent: { text: 'lineDrop' },
    });
    const json = JSON.parse((await runCli(['lint', 'docs', '-f', 'json', '--no-cache'], { cwd: dir })).stdout);
    expect(
      json.diagnostics.find((d: { ruleId: string }) => d.ruleId === 'identifier-translated').fix.edits[0].text,
    ).toBe('lineDrop');
  });

  it.each([
    [['--fix', '--fix-dry-run'], '--fix and --fix-dry-run exclude each other'],
    [['--fix', '--write-baseline'], '--fix and --write-baseline exclude each other'],
    [['--fix-dry-run', '-f', 'json'], '--fix-dry-run prints a unified diff'],
    [['--fix-stale'], '--fix-stale goes with --fix or --fix-dry-run'],
  ])('%j is a usage error', async (flags, message) => {
    const run = await runCli(['lint', 'docs', ...flags, '--no-cache'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
