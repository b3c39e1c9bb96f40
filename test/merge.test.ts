/**
 * `lockstep merge`: the JSON reports of a run's shards, merged, are the whole run's report in every
 * format, byte for byte. Lint on the bundled docs and on a 640-page slice of the Exchange corpus
 * (four locales); conformance over real loopback HTTP against the docs server.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_EXTENSION, FORMATS } from '../src/report/index.js';
import { shardOf } from '../src/run/shard.js';
import { corporaDir, repoRoot, sharedAvailable } from './helpers/paths.js';
import { runCli } from './helpers/cli.js';
import { close, startDocsServer } from './helpers/servers.js';

let dir = '';
const servers: Server[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-merge-'));
});
afterAll(async () => {
  for (const s of servers) await close(s);
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[], cwd = repoRoot) => runCli(args, { cwd });

const out = (name: string) => path.join(dir, name);
const read = (name: string) => readFile(out(name), 'utf8');

/**
 * Run `command` whole and in n shards (JSON), merge the shards into every format, and compare each
 * with the whole run's report in that format.
 */
async function expectMergeEqualsWhole(
  command: string[],
  n: number,
  tag: string,
  cwd = repoRoot,
): Promise<{ shardSizes: number[] }> {
  const whole = await cli([...command, '--output-dir', out(`${tag}-whole`), ...FORMATS.flatMap((f) => ['-f', f])], cwd);
  expect([0, 1], whole.stderr).toContain(whole.code);
  const shards: string[] = [];
  const shardSizes: number[] = [];
  for (let i = 1; i <= n; i++) {
    const file = out(`${tag}-shard-${i}.json`);
    const r = await cli([...command, '--shard', `${i}/${n}`, '-f', 'json', '-o', file], cwd);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.stderr).toContain(`wrote ${file}`);
    const doc = JSON.parse(await readFile(file, 'utf8')) as {
      shard: { index: number; count: number };
      pageGroups?: unknown[];
      results?: unknown[];
    };
    expect(doc.shard).toEqual({ index: i, count: n });
    shardSizes.push((doc.pageGroups ?? doc.results)!.length);
    shards.push(file);
  }
  const merged = await cli(
    ['merge', ...shards, '--output-dir', out(`${tag}-merged`), ...FORMATS.flatMap((f) => ['-f', f])],
    cwd,
  );
  expect(merged.code, merged.stderr).toBe(whole.code);
  const kind = command[0]!;
  for (const format of FORMATS) {
    const name = `lockstep-${kind}.${FILE_EXTENSION[format]}`;
    const [a, b] = await Promise.all([read(`${tag}-whole/${name}`), read(`${tag}-merged/${name}`)]);
    expect(b.length, `${tag} ${format}`).toBeGreaterThan(100);
    // Compared as strings: every byte the reporters write.
    expect(b === a, `${tag}: merged ${format} differs from the whole run's`).toBe(true);
  }
  return { shardSizes };
}

describe('merging lint shards', () => {
  it("gives exactly the whole run's report, in every format, on the bundled docs", async () => {
    const { shardSizes } = await expectMergeEqualsWhole(['lint', 'docs', '--no-cache'], 3, 'docs');
    // The split is real: the 4 page groups land in more than one shard.
    expect(shardSizes.reduce((a, b) => a + b, 0)).toBe(4);
    expect(shardSizes.filter((s) => s > 0).length).toBeGreaterThan(1);
  });

  it.runIf(sharedAvailable('merging shards of an Exchange slice'))(
    "gives exactly the whole run's report on 640 Exchange pages in four locales",
    async () => {
      const corpus = out('exchange');
      await mkdir(corpus);
      await promisify(execFile)('tar', [
        '-xJf',
        path.join(corporaDir, 'exchange-docs.tar.xz'),
        '-C',
        corpus,
        '--wildcards',
        '*/web-service-reference/c*',
      ]);
      const { shardSizes } = await expectMergeEqualsWhole(
        ['lint', 'exchange', '--no-cache', '--workers', '0'],
        3,
        'exchange',
        corpus,
      );
      expect(shardSizes.every((s) => s > 20)).toBe(true);
    },
    120_000,
  );

  it('carries baselined findings: counted in the merged summary as in the whole run', async () => {
    const baseline = out('baseline.json');
    await cli(['lint', 'docs', '--no-cache', '--write-baseline', baseline]);
    // Accept only the warnings: the errors stay new.
    const known = JSON.parse(await readFile(baseline, 'utf8')) as { findings: { message: string; ruleId: string }[] };
    const full = JSON.parse((await cli(['lint', 'docs', '--no-cache', '-f', 'json'])).stdout) as {
      diagnostics: { severity: string }[];
    };
    known.findings = known.findings.filter((_, i) => full.diagnostics[i]!.severity === 'warning');
    await writeFile(baseline, JSON.stringify(known));
    await expectMergeEqualsWhole(['lint', 'docs', '--no-cache', '--baseline', baseline], 2, 'baselined');
    const merged = JSON.parse(await read('baselined-merged/lockstep-lint.json')) as {
      summary: { baselined: number; warnings: number };
      baselined: unknown[];
    };
    expect(merged.summary.baselined).toBe(known.findings.length);
    expect(merged.baselined).toHaveLength(known.findings.length);
    expect(merged.summary.warnings).toBe(0);
  });
});

describe('merging conformance shards', () => {
  let target = '';
  beforeAll(async () => {
    const docs = await startDocsServer();
    servers.push(docs.server);
    target = docs.url;
  });

  it("gives the whole run's report: shards split from one run merge into it byte for byte", async () => {
    // Durations differ from run to run: the shards are cut from one whole run, as n jobs would make them.
    const whole = await cli(['conformance', 'docs', '--target', target, '-f', 'json', '-o', out('conf-whole.json')]);
    expect(whole.code, whole.stderr).toBe(0);
    const doc = JSON.parse(await read('conf-whole.json')) as {
      results: { pageId: string }[];
      summary: Record<string, number>;
    };
    const n = 3;
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const results = doc.results.filter((r) => shardOf(r.pageId, n) === i);
      const summary = { passed: results.length, failed: 0, skipped: 0, errors: 0 };
      files.push(out(`conf-cut-${i + 1}.json`));
      await writeFile(files.at(-1)!, JSON.stringify({ ...doc, shard: { index: i + 1, count: n }, results, summary }));
    }
    for (const format of FORMATS) {
      const ext = FILE_EXTENSION[format];
      await cli(['merge', out('conf-whole.json'), '-f', format, '-o', out(`conf-whole-again.${ext}`)]);
      const merged = await cli(['merge', ...files, '-f', format, '-o', out(`conf-merged.${ext}`)]);
      expect(merged.code, merged.stderr).toBe(0);
      expect(await read(`conf-merged.${ext}`), format).toBe(await read(`conf-whole-again.${ext}`));
    }
    expect(await read('conf-merged.json')).toBe(await read('conf-whole.json'));
  });

  it("merges real shard runs (--shard i/n) into the whole run's cases, in its order", async () => {
    const zero = (text: string) => JSON.parse(text, (k, v: unknown) => (k === 'durationMs' ? 0 : v)) as unknown;
    const whole = zero((await cli(['conformance', 'docs', '--target', target, '-f', 'json'])).stdout);
    const files: string[] = [];
    for (let i = 1; i <= 2; i++) {
      files.push(out(`conf-real-${i}.json`));
      const r = await cli([
        'conformance',
        'docs',
        '--target',
        target,
        '--shard',
        `${i}/2`,
        '--allow-empty',
        '-f',
        'json',
        '-o',
        files.at(-1)!,
      ]);
      expect([0], r.stderr).toContain(r.code);
    }
    const merged = await cli(['merge', ...files, '-f', 'json']);
    expect(zero(merged.stdout)).toEqual(whole);
  });
});

describe('a conformance shard that holds no case', () => {
  let target = '';
  beforeAll(async () => {
    const docs = await startDocsServer();
    servers.push(docs.server);
    target = docs.url;
  });

  it('passes a correct server, saying why it replayed nothing; the shards merge into every case passed', async () => {
    // docs/'s page groups hash to shards 1 and 3 of 3: shard 2 holds none of the 25 cases.
    const files: string[] = [];
    const notes: string[] = [];
    for (let i = 1; i <= 3; i++) {
      files.push(out(`conf-of-3-${i}.json`));
      const r = await cli([
        'conformance',
        'docs',
        '--target',
        target,
        '--shard',
        `${i}/3`,
        '-f',
        'json',
        '-o',
        files.at(-1)!,
      ]);
      expect(r.code, r.stderr).toBe(0);
      notes.push(
        r.stderr
          .split('\n')
          .filter((l) => l && !l.includes('wrote'))
          .join('\n'),
      );
    }
    expect(notes).toEqual([
      '',
      'lockstep: shard 2/3 holds none of the 25 cases (each page group goes to the shard its id hashes to): ' +
        'the other shards replay them',
      '',
    ]);
    const merged = await cli(['merge', ...files, '-f', 'json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect((JSON.parse(merged.stdout) as { summary: unknown }).summary).toEqual({
      passed: 25,
      failed: 0,
      skipped: 0,
      errors: 0,
    });
  });

  it('still fails a run over pages, or a selection, that holds no case in any shard', async () => {
    const r = await cli(['conformance', 'docs/pt-BR/tapi', '--target', target, '--shard', '2/3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lockstep: tested nothing: no documented request with a response in docs\/pt-BR\/tapi/);
    const mistyped = await cli(['conformance', 'docs', '--target', target, '--case', 'no-such-case', '--shard', '2/3']);
    expect(mistyped.code).toBe(1);
    expect(mistyped.stderr).toMatch(/^lockstep: tested nothing: no documented request with a response in docs/);
  });
});

describe('merge refuses what would not be one run', () => {
  it('a missing shard, a shard twice, shards of two splits: exit 2, one line naming the file', async () => {
    for (let i = 1; i <= 3; i++)
      await cli(['lint', 'docs', '--no-cache', '--shard', `${i}/3`, '-f', 'json', '-o', out(`r-${i}.json`)]);
    await cli(['lint', 'docs', '--no-cache', '--shard', '1/2', '-f', 'json', '-o', out('r-1of2.json')]);
    const cases: [string[], RegExp][] = [
      [
        [out('r-1.json'), out('r-3.json')],
        /^lockstep: lint shard 2\/3 missing: the merged report would cover only part of the doc set\n$/,
      ],
      [
        [out('r-1.json'), out('r-2.json'), out('r-2.json'), out('r-3.json')],
        /r-2\.json: lint shard 2\/3 again \(also .*r-2\.json\)\n$/,
      ],
      [
        [out('r-1.json'), out('r-2.json'), out('r-3.json'), out('r-1of2.json')],
        /r-1of2\.json: lint shard 1\/2, but .*r-1\.json is one of 3: shards of different splits\n$/,
      ],
    ];
    for (const [files, message] of cases) {
      const r = await cli(['merge', ...files]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('files that are no lockstep JSON report: exit 2, saying what each is', async () => {
    await writeFile(out('notes.txt'), 'hello');
    await writeFile(out('other.json'), '{"version": 2}');
    await cli(['extract', 'docs', '-f', 'json', '-o', out('extract.json')]);
    await cli(['lint', 'docs', '--no-cache', '-f', 'sarif', '-o', out('lint.sarif')]);
    const cases: [string, RegExp][] = [
      [out('missing.json'), /missing\.json: no such file\n$/],
      [out('notes.txt'), /notes\.txt: not JSON \(.*\); merge reads the reports of -f json\n$/],
      [out('other.json'), /other\.json: not a lockstep JSON report \(version 1\)/],
      [
        out('extract.json'),
        /extract\.json: not a lint or conformance report \(an extract report cannot be merged\)\n$/,
      ],
      [out('lint.sarif'), /lint\.sarif: not a lockstep JSON report/],
      [dir, /: is a folder, not a report\n$/],
    ];
    for (const [file, message] of cases) {
      const r = await cli(['merge', file]);
      expect(r.code, file).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n').length).toBe(2);
    }
    expect((await cli(['merge'])).code).toBe(2);
  });

  it('the same page group in two reports, and two targets', async () => {
    await cli(['lint', 'docs', '--no-cache', '-f', 'json', '-o', out('all.json')]);
    const twice = await cli(['merge', out('all.json'), out('all.json')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/all\.json: page group \S+ is also in .*all\.json: the same pages checked twice/);
    const conf = JSON.parse(await read('conf-whole.json')) as { target: string };
    await writeFile(out('conf-other.json'), JSON.stringify({ ...conf, target: 'http://127.0.0.1:1', results: [] }));
    const targets = await cli(['merge', out('conf-whole.json'), out('conf-other.json')]);
    expect(targets.code).toBe(2);
    expect(targets.stderr).toMatch(/replayed against different targets/);
  });
});
