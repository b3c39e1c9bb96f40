/**
 * `lint --fix` on real pages, through the CLI as a maintainer runs it: the EWS how-to pages of the
 * Exchange corpus (4 locales, 292 pages from ../shared). The dry run's patch changes only lines that
 * the SARIF report's fixes cover, `git apply` takes it, and it gives what `--fix` writes; lint then
 * finds less, and a second `--fix` has nothing to write. The whole corpora are measured by
 * scripts/fix-corpus.ts (minutes each).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { linesOutsideSpans, sarifSpans } from './helpers/fix.js';
import { corporaDir, sharedAvailable } from './helpers/paths.js';

const exec = promisify(execFile);
const lintArgs = ['lint', 'exchange', '--source-locale', 'en-US', '--no-cache'];

/** Every file's text under `dir`, by path relative to it. */
async function tree(dir: string): Promise<Map<string, string>> {
  const { stdout } = await exec('find', ['.', '-type', 'f'], { cwd: dir });
  const files = stdout.split('\n').filter(Boolean).sort();
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const)));
}

describe.runIf(sharedAvailable('the --fix test on Exchange pages'))('lint --fix on real Exchange pages', () => {
  let root = '';
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it(
    'patches only the reported spans, as --fix writes, and a second run has nothing left',
    { timeout: 300_000 },
    async () => {
      root = await mkdtemp(path.join(os.tmpdir(), 'lockstep-fix-exchange-'));
      const [fixed, applied] = [path.join(root, 'fixed'), path.join(root, 'applied')];
      await exec('mkdir', ['-p', fixed]);
      const slice = 'exchange/*/docs/exchange-web-services/how-to-*';
      await exec('tar', ['-xJf', path.join(corporaDir, 'exchange-docs.tar.xz'), '-C', fixed, '--wildcards', slice]);
      await cp(fixed, applied, { recursive: true });
      const original = await tree(fixed);
      expect(original.size).toBeGreaterThan(250);

      const before = await runCli([...lintArgs, '-f', 'sarif', '-o', '../before.sarif'], { cwd: fixed });
      expect(before.code).toBe(1);
      const sarif = JSON.parse(await readFile(path.join(root, 'before.sarif'), 'utf8'));
      const errorsBefore = sarif.runs[0].results.filter((r: { level: string }) => r.level === 'error').length;

      const dry = await runCli([...lintArgs, '--fix-dry-run', '-o', '../fix.patch'], { cwd: fixed });
      expect(dry.stderr).toMatch(/--fix-dry-run: \d+ findings repairable in \d+ files; .*nothing written/);
      const patch = await readFile(path.join(root, 'fix.patch'), 'utf8');
      expect(patch.length).toBeGreaterThan(0);
      expect(await tree(fixed)).toEqual(original);
      expect(linesOutsideSpans(patch, sarifSpans(sarif))).toEqual([]);

      const fix = await runCli([...lintArgs, '--fix'], { cwd: fixed });
      const repaired = Number(/--fix repaired (\d+) findings? in \d+ files?/.exec(fix.stdout)?.[1]);
      expect(repaired, fix.stdout.slice(-400)).toBeGreaterThan(100);
      await exec('git', ['apply', path.join(root, 'fix.patch')], { cwd: applied });
      expect(await tree(applied)).toEqual(await tree(fixed));

      const after = await runCli([...lintArgs, '-f', 'sarif', '-o', '../after.sarif'], { cwd: fixed });
      const sarifAfter = JSON.parse(await readFile(path.join(root, 'after.sarif'), 'utf8'));
      const errorsAfter = sarifAfter.runs[0].results.filter((r: { level: string }) => r.level === 'error').length;
      console.log(
        `[fix] Exchange EWS how-to pages: ${repaired} findings fixed; errors ${errorsBefore} → ${errorsAfter}`,
      );
      expect(errorsAfter).toBeLessThan(errorsBefore);
      expect(after.code).toBe(before.code);

      const again = await runCli([...lintArgs, '--fix-dry-run'], { cwd: fixed });
      expect(again.stdout).toBe('');
      expect(again.stderr).toMatch(/--fix-dry-run: 0 findings repairable in 0 files/);
    },
  );
});
