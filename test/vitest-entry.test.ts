/** The vitest entry, as an implementer uses it: `LOCKSTEP_TARGET=… npx vitest run` in their own repo. */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, startDocsServer } from './helpers/servers.js';
import { repoRoot } from './helpers/paths.js';

const dir = path.join(repoRoot, 'test-results', 'vitest-entry');
let docs: Awaited<ReturnType<typeof startDocsServer>>;

beforeAll(async () => {
  docs = await startDocsServer();
  await mkdir(dir, { recursive: true });
  // The package refers to itself by name, as an implementer's project would after `npm install lockstep`.
  await writeFile(
    path.join(dir, 'conformance.test.mjs'),
    "import { conformanceSuite } from 'lockstep/vitest';\nawait conformanceSuite({ paths: ['docs'] });\n",
  );
  await writeFile(
    path.join(dir, 'opt-out.test.mjs'),
    "import { conformanceSuite } from 'lockstep/vitest';\n" +
      "await conformanceSuite({ paths: ['docs'], skipWithoutTarget: true });\n",
  );
  await writeFile(
    path.join(dir, 'all-skipped.test.mjs'),
    "import { conformanceSuite } from 'lockstep/vitest';\n" +
      "await conformanceSuite({ paths: ['docs/*/exchange/**/*.md'], scenarios: [{ file: 'inline', page: " +
      "'exchange/web-service-reference/disconnect-operation-um-web-service', skip: " +
      "{ 'disconnect-request-example/code#1': 'not yet' } }] });\n",
  );
  await writeFile(
    path.join(dir, 'second-half.test.mjs'),
    "import { conformanceSuite } from 'lockstep/vitest';\n" +
      "await conformanceSuite({ paths: ['docs'], shard: { index: 1, count: 2 } });\n",
  );
  await writeFile(
    path.join(dir, 'missing.test.mjs'),
    "import { conformanceSuite } from 'lockstep/vitest';\nawait conformanceSuite({ paths: ['no-such-docs'] });\n",
  );
  await writeFile(
    path.join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['test-results/vitest-entry/*.test.mjs'], testTimeout: 60000 } };\n`,
  );
});
afterAll(async () => {
  await close(docs.server);
  await rm(dir, { recursive: true, force: true });
});

const vitest = (env: Record<string, string>, file = 'conformance') =>
  promisify(execFile)(
    'npx',
    ['vitest', 'run', file, '--config', path.join(dir, 'vitest.config.mjs'), '--reporter', 'verbose'],
    { cwd: repoRoot, env: { ...process.env, ...env, NO_COLOR: '1' } },
  ).catch((e: { stdout: string; stderr: string; code: number }) => e);

describe('lockstep/vitest', () => {
  it('registers one describe per page and one it per case, all passing against the documented behaviour', async () => {
    const { stdout } = await vitest({ LOCKSTEP_TARGET: docs.url });
    expect(stdout).toMatch(
      /lockstep conformance > graph\/api-reference\/beta\/api\/call-delete > delete-call-1\/request/,
    );
    expect(stdout).toMatch(
      new RegExp(
        [
          String.raw`lockstep conformance > exchange\/web-service-reference\/disconnect-operation-um-web-service`,
          String.raw` > disconnect-request-example\/code#1`,
        ].join(''),
      ),
    );
    expect(stdout).toMatch(/Tests\s+25 passed \(25\)/);
  }, 120_000);

  it('fails every case, saying why, when no target is set: a suite that sent nothing is no pass', async () => {
    const { stdout, stderr } = await vitest({ LOCKSTEP_TARGET: '' });
    expect(stdout).toMatch(/Tests\s+25 failed \(25\)/);
    expect(stdout + stderr).toContain(
      'set LOCKSTEP_TARGET (or the target option) to the implementation under test, or pass skipWithoutTarget: true',
    );
  }, 120_000);

  it('skips them instead when told to (skipWithoutTarget)', async () => {
    const { stdout } = await vitest({ LOCKSTEP_TARGET: '' }, 'opt-out');
    expect(stdout).toMatch(/Tests\s+25 skipped \(25\)/);
  }, 120_000);

  it('replays its shard’s cases only (LOCKSTEP_SHARD or the shard option); the shards cover them all', async () => {
    const counts: number[] = [];
    for (const shard of ['1/2', '2/2']) {
      const { stdout } = await vitest({ LOCKSTEP_TARGET: docs.url, LOCKSTEP_SHARD: shard });
      const passed = /Tests\s+(\d+) passed \((\d+)\)/.exec(stdout);
      expect(passed?.[1], `shard ${shard}: ${stdout.slice(-400)}`).toBe(passed?.[2]);
      counts.push(Number(passed![1]));
    }
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(counts[0]! + counts[1]!).toBe(25);
    const { stdout } = await vitest({ LOCKSTEP_TARGET: docs.url }, 'second-half');
    expect(stdout).toMatch(new RegExp(String.raw`Tests\s+${counts[1]} passed \(${counts[1]}\)`));
  }, 240_000);

  it('passes a shard that holds no case, with one skipped test saying why (docs/ has none in shard 2/3)', async () => {
    const ran = await vitest({ LOCKSTEP_TARGET: docs.url, LOCKSTEP_SHARD: '2/3' });
    expect('code' in ran ? ran.code : 0, ran.stdout.slice(-400)).toBe(0);
    expect(ran.stdout).toMatch(/Tests\s+1 skipped \(1\)/);
    expect(ran.stdout).toContain(
      'shard 2/3 holds none of the 25 cases (each page group goes to the shard its id hashes to): ' +
        'the other shards replay them',
    );
  }, 120_000);

  it('fails, saying what it must be, when LOCKSTEP_SHARD says no shard', async () => {
    const { stdout, stderr } = await vitest({ LOCKSTEP_TARGET: docs.url, LOCKSTEP_SHARD: '3/2' });
    expect(stdout).toMatch(/Tests\s+1 failed \(1\)/);
    expect(stdout + stderr).toContain('LOCKSTEP_SHARD is "3/2": expected i/n with 1 ≤ i ≤ n, e.g. 2/4');
  }, 120_000);

  it('fails, naming the path, when the docs hold no case', async () => {
    const { stdout, stderr } = await vitest({ LOCKSTEP_TARGET: docs.url }, 'missing');
    expect(stdout).toMatch(/Tests\s+1 failed \(1\)/);
    expect(stdout + stderr).toMatch(
      /no conformance case in no-such-docs \(no-such-docs: .*\): a suite that tests nothing is no pass/,
    );
  }, 120_000);

  it('fails a run in which every case was skipped: it tested nothing', async () => {
    const { stdout, stderr } = await vitest({ LOCKSTEP_TARGET: docs.url }, 'all-skipped');
    expect(stdout + stderr).toContain(
      'tested nothing: all 1 cases were skipped: a suite that tests nothing is no pass',
    );
    expect(stdout).toMatch(/Tests\s+1 skipped \(1\)/);
    expect(stdout).toMatch(/Test Files\s+1 failed/);
  }, 120_000);
});
