import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { repoRoot } from './helpers/paths.js';

async function cli(args: string[], cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd,
    color: false,
  });
  return { code, stdout, stderr };
}

describe('lockstep lint', () => {
  it('prints vfile-reporter style text and exits 1 on errors', async () => {
    const { code, stdout } = await cli(['lint', 'docs']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'docs/ru-RU/tapi/drop-ovr.md\n  26:30    error    identifier `lineDrop` is translated or transliterated in ' +
        'this link text (`линедроп`); pt-BR has it  identifier-translated',
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      '✖ 37 problems (6 errors, 31 warnings, 0 info): 11 pages in 4 page groups (pt-BR, ru-RU, zh-CN), 126 samples',
    );
  });

  it('prints the documented JSON shape', async () => {
    const { stdout } = await cli(['lint', 'docs', '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['version', 'diagnostics', 'pageGroups', 'summary']);
    expect(report.summary).toEqual({
      pages: 11,
      pageGroups: 4,
      locales: ['pt-BR', 'ru-RU', 'zh-CN'],
      samples: 126,
      errors: 6,
      warnings: 31,
      infos: 0,
    });
    const stale = report.diagnostics.find((d: { ruleId: string }) => d.ruleId === 'stale-translation');
    expect(Object.keys(stale)).toEqual([
      'ruleId',
      'severity',
      'file',
      'line',
      'column',
      'locale',
      'pageId',
      'sampleId',
      'message',
      'related',
    ]);
    expect(stale).toMatchObject({
      file: 'docs/ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md',
      line: 14,
      column: 1,
      locale: 'ru-RU',
      pageId: 'exchange/web-service-reference/disconnect-operation-um-web-service',
      sampleId: null,
    });
  });

  it('exits 0 when only warnings remain, and --quiet keeps errors only', async () => {
    expect((await cli(['lint', 'docs/pt-BR/graph', 'docs/ru-RU/graph', 'docs/zh-CN/graph'])).code).toBe(0);
    const quiet = await cli(['lint', 'docs', '-q', '-f', 'json']);
    expect(JSON.parse(quiet.stdout).diagnostics.every((d: { severity: string }) => d.severity === 'error')).toBe(true);
  });
});

describe('lint config and directives', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-config-'));
    await cp(path.join(repoRoot, 'docs'), path.join(dir, 'docs'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads lockstep.config.json: rule severities, off, and locales for coverage', async () => {
    await writeFile(
      path.join(dir, 'lockstep.config.json'),
      JSON.stringify({
        locales: ['pt-BR', 'ru-RU', 'zh-CN', 'de-DE'],
        rules: { 'identifier-translated': 'warning', 'sample-malformed': 'off' },
      }),
    );
    const { code, stdout } = await cli(['lint', 'docs', '-f', 'json'], dir);
    const report = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(report.diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'sample-malformed')).toEqual([]);
    expect(
      report.diagnostics
        .filter((d: { ruleId: string; severity: string }) => d.ruleId === 'identifier-translated')
        .every((d: { severity: string }) => d.severity === 'warning'),
    ).toBe(true);
    // de-DE is configured and absent from every group.
    expect(
      report.diagnostics.filter(
        (d: { ruleId: string; message: string }) =>
          d.ruleId === 'page-missing-locale' && d.message.startsWith('no de-DE page'),
      ),
    ).toHaveLength(4);
    await rm(path.join(dir, 'lockstep.config.json'));
  });

  it('reads the `lockstep` key of package.json and --config FILE', async () => {
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'x', lockstep: { rules: { 'page-missing-locale': 'off' } } }),
    );
    const fromPackage = JSON.parse((await cli(['lint', 'docs', '-f', 'json'], dir)).stdout);
    expect(fromPackage.diagnostics.some((d: { ruleId: string }) => d.ruleId === 'page-missing-locale')).toBe(false);
    await writeFile(path.join(dir, 'other.json'), JSON.stringify({ rules: { 'stale-translation': 'off' } }));
    const explicit = JSON.parse((await cli(['lint', 'docs', '-f', 'json', '--config', 'other.json'], dir)).stdout);
    expect(explicit.diagnostics.some((d: { ruleId: string }) => d.ruleId === 'stale-translation')).toBe(false);
    expect(explicit.diagnostics.some((d: { ruleId: string }) => d.ruleId === 'page-missing-locale')).toBe(true);
    await rm(path.join(dir, 'package.json'));
  });

  it('exits 2 with a clear message on a bad config', async () => {
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ rules: { 'no-such-rule': 'error' } }));
    const bad = await cli(['lint', 'docs', '--config', 'bad.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lockstep: invalid config: bad\.json: unknown rule `no-such-rule`/);
    const missing = await cli(['lint', 'docs', '--config', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: no such file');
  });

  it('silences a rule for the next block with <!-- lockstep-disable rule-id -->', async () => {
    const file = path.join(dir, 'docs/ru-RU/tapi/drop-ovr.md');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace(
        '**Интерфейс TAPI 2. x:**',
        '<!-- lockstep-disable identifier-translated -->\n**Интерфейс TAPI 2. x:**',
      ),
    );
    const report = JSON.parse((await cli(['lint', 'docs/pt-BR/tapi', 'docs/ru-RU/tapi', '-f', 'json'], dir)).stdout);
    const ru = report.diagnostics.filter(
      (d: { file: string; ruleId: string }) =>
        d.file === 'docs/ru-RU/tapi/drop-ovr.md' && d.ruleId === 'identifier-translated',
    );
    // lineDrop (the next block) is silenced; ITBasicCallControl::Disconnect (a later block) is not.
    expect(ru.map((d: { message: string }) => d.message.match(/`([^`]+)`/)![1])).toEqual([
      'ITBasicCallControl::Disconnect',
    ]);
    await writeFile(file, text);
  });

  it('makes the source locale the authority with --source-locale', async () => {
    const { stdout } = await cli(['lint', 'docs', '--source-locale', 'pt-br', '-f', 'json'], dir);
    const gap = JSON.parse(stdout).diagnostics.find((d: { ruleId: string }) => d.ruleId === 'page-missing-locale');
    expect(gap.locale).toBe('pt-BR');
  });
});

describe('lint --shard i/n', () => {
  it('splits page groups so that the shards together give exactly the full run', async () => {
    const full = JSON.parse((await cli(['lint', 'docs', 'fixtures/lint', 'missing-path', '-f', 'json'])).stdout);
    const shards = [];
    for (let i = 1; i <= 3; i++)
      shards.push(
        JSON.parse(
          (await cli(['lint', 'docs', 'fixtures/lint', 'missing-path', '-f', 'json', '--shard', `${i}/3`])).stdout,
        ),
      );
    const key = (d: { ruleId: string; file: string; line: number; message: string }) =>
      `${d.file}:${d.line} ${d.ruleId} ${d.message}`;
    const union = shards.flatMap((s) => s.diagnostics.map(key)).sort();
    expect(union).toEqual(full.diagnostics.map(key).sort());
    expect(shards.reduce((n, s) => n + s.summary.pageGroups, 0)).toBe(full.summary.pageGroups);
    expect(shards.reduce((n, s) => n + s.summary.pages, 0)).toBe(full.summary.pages);
  });

  it('refuses a malformed shard', async () => {
    expect((await cli(['lint', 'docs', '--shard', '4/3'])).code).toBe(2);
    expect((await cli(['lint', 'docs', '--shard', 'two'])).code).toBe(2);
  });
});

describe('lint --changed-since REF', () => {
  it('checks only the page groups with a changed file, with all their locales', async () => {
    const { execFileSync } = await import('node:child_process');
    const repo = await mkdtemp(path.join(os.tmpdir(), 'lockstep-git-'));
    try {
      await cp(path.join(repoRoot, 'docs'), path.join(repo, 'docs'), { recursive: true });
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
      git('init', '-q');
      git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'add', '.');
      git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'docs');
      const tapi = path.join(repo, 'docs/ru-RU/tapi/drop-ovr.md');
      await writeFile(tapi, (await readFile(tapi, 'utf8')).replace('**линедроп**', '**lineDrop**'));
      const report = JSON.parse((await cli(['lint', 'docs', '--changed-since', 'HEAD', '-f', 'json'], repo)).stdout);
      expect(report.summary).toMatchObject({ pages: 2, pageGroups: 1 });
      expect(new Set(report.diagnostics.map((d: { pageId: string }) => d.pageId))).toEqual(new Set(['tapi/drop-ovr']));
      expect(report.diagnostics.some((d: { message: string }) => d.message.includes('lineDrop'))).toBe(false);
      const bad = await cli(['lint', 'docs', '--changed-since', 'no-such-ref'], repo);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^lockstep: --changed-since no-such-ref: git diff failed/);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
