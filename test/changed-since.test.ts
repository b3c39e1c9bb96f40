import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { repoRoot } from './helpers/paths.js';

interface Finding {
  ruleId: string;
  pageId: string;
  locale: string | null;
  message: string;
  severity: string;
}

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => {
      stdout += t;
    },
    stderr: (t: string) => {
      stderr += t;
    },
    cwd,
    color: false,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

async function lintJson(args: string[], cwd: string) {
  const { code, stdout, stderr } = await cli(['lint', ...args, '-f', 'json'], cwd);
  expect(stderr).toBe('');
  const report = JSON.parse(stdout) as { diagnostics: Finding[]; summary: { pageGroups: number; errors: number } };
  return { code, report };
}

/** A full lint's findings and exit code restricted to some groups: what --changed-since must match for them. */
function onlyGroups(full: { code: number; report: { diagnostics: Finding[] } }, pageIds: string[]) {
  const diagnostics = full.report.diagnostics.filter((d) => pageIds.includes(d.pageId));
  return { diagnostics, code: diagnostics.some((d) => d.severity === 'error') ? 1 : 0 };
}

// A temporary repository holding a copy of docs/, committed; each test changes its working tree.
describe("lint --changed-since: deletions, renames, and the docs' own repository", () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  beforeEach(async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), 'lockstep-changed-'));
    await cp(path.join(repoRoot, 'docs'), path.join(repo, 'docs'), { recursive: true });
    git('init', '-q');
    // This repository's own config only: the user's is never touched.
    git('config', 'user.email', 't@example.invalid');
    git('config', 'user.name', 't');
    git('config', 'commit.gpgsign', 'false');
    git('add', '.');
    git('commit', '-qm', 'docs');
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('rechecks the group of a deleted page from its other locales, as a full lint does', async () => {
    await unlink(path.join(repo, 'docs/ru-RU/tapi/drop-ovr.md'));
    const full = await lintJson(['docs'], repo);
    const expected = onlyGroups(full, ['tapi/drop-ovr']);
    const missing = expected.diagnostics.filter((d) => d.ruleId === 'page-missing-locale');
    expect(missing.some((d) => d.message.includes('ru-RU'))).toBe(true);
    const changed = await lintJson(['docs', '--changed-since', 'HEAD'], repo);
    expect(changed.report.summary.pageGroups).toBe(1);
    expect(changed.report.diagnostics).toEqual(expected.diagnostics);
    expect(changed.code).toBe(expected.code);
  });

  it('rechecks both groups of a renamed page: the one it left and the one it joined', async () => {
    const from = 'docs/ru-RU/tapi/drop-ovr.md';
    const to = 'docs/ru-RU/tapi/drop-line.md';
    git('mv', from, to);
    // Without its asset id the renamed page no longer joins its old group (git still sees a rename).
    const moved = path.join(repo, to);
    await writeFile(moved, (await readFile(moved, 'utf8')).replace(/^ms\.assetid:.*\n/m, ''));
    expect(git('diff', '--name-status', '--find-renames', 'HEAD').toString()).toMatch(/^R\d+\t/);
    const full = await lintJson(['docs'], repo);
    const expected = onlyGroups(full, ['tapi/drop-ovr', 'tapi/drop-line']);
    expect(
      new Set(expected.diagnostics.filter((d) => d.ruleId === 'page-missing-locale').map((d) => d.pageId)),
    ).toEqual(new Set(['tapi/drop-ovr', 'tapi/drop-line']));
    const changed = await lintJson(['docs', '--changed-since', 'HEAD'], repo);
    expect(changed.report.summary.pageGroups).toBe(2);
    expect(changed.report.diagnostics).toEqual(expected.diagnostics);
    expect(changed.code).toBe(expected.code);
  });

  it(`runs git in the docs' repository when the working directory is outside it \
(docs reached through a link)`, async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'lockstep-elsewhere-'));
    try {
      // Git names real paths below its top level; the pages are named through this link.
      await symlink(repo, path.join(outside, 'linked'));
      await unlink(path.join(repo, 'docs/ru-RU/tapi/drop-ovr.md'));
      const tapi = path.join(repo, 'docs/zh-CN/graph/api-reference/beta/api/call-delete.md');
      await writeFile(tapi, `${await readFile(tapi, 'utf8')}\nOne more line.\n`);
      const docs = path.join(outside, 'linked', 'docs');
      const full = await lintJson([docs], outside);
      const groups = ['tapi/drop-ovr', 'graph/api-reference/beta/api/call-delete'];
      const expected = onlyGroups(full, groups);
      const changed = await lintJson([docs, '--changed-since', 'HEAD'], outside);
      expect(changed.report.summary.pageGroups).toBe(2);
      expect(changed.report.diagnostics).toEqual(expected.diagnostics);
      expect(changed.code).toBe(expected.code);
      // Named by its real path, the same groups.
      const real = await lintJson([path.join(repo, 'docs'), '--changed-since', 'HEAD'], outside);
      expect(real.report.summary.pageGroups).toBe(2);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("says which git step failed, run in the docs' folder", async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'lockstep-norepo-'));
    try {
      await cp(path.join(repoRoot, 'docs/pt-BR/tapi'), path.join(outside, 'tapi'), { recursive: true });
      const bad = await cli(['lint', path.join(outside, 'tapi'), '--changed-since', 'HEAD'], repo);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^lockstep: --changed-since HEAD: git rev-parse failed: fatal: not a git repository/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
