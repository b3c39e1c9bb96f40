/** compareSamples takes two samples of the same text for equal without comparing them: their parses must be. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareParsed, compareSamples } from '../src/compare/sample.js';
import { loadPages } from '../src/group/load.js';
import { lint } from '../src/index.js';
import { repoRoot } from './helpers/paths.js';

describe('compareSamples', () => {
  it('finds every sample of docs/ and fixtures/ equal to itself when comparing its parse', async () => {
    const { pages } = await loadPages(['docs', 'fixtures'], { cwd: repoRoot });
    const samples = pages.flatMap((p) => p.samples);
    expect(new Set(samples.map((s) => s.kind)).size).toBeGreaterThanOrEqual(5);
    expect(samples.filter((s) => compareParsed(s, s) !== null).map((s) => s.id)).toEqual([]);
  });
  it('still compares samples of different texts', async () => {
    const { pages } = await loadPages(['docs', 'fixtures'], { cwd: repoRoot });
    const samples = pages.flatMap((p) => p.samples).filter((s) => s.kind !== 'text');
    let differing = 0;
    for (let i = 1; i < samples.length; i++) {
      const [a, b] = [samples[i - 1]!, samples[i]!];
      if (a.text === b.text) continue;
      const d = compareParsed(a, b);
      expect(compareSamples(a, b)).toStrictEqual(d);
      if (d) differing++;
    }
    expect(differing).toBeGreaterThan(20);
  });
});

describe('a JSON body that repeats a key (real Graph pages: signin-get, `homeTenantId` twice)', () => {
  const response = async (root: string) =>
    (await loadPages([root], { cwd: repoRoot })).pages.map((p) =>
      p.samples.find((s) => s.id === 'example/response#1')!,
    );

  it('is equal to itself, each occurrence paired with the same occurrence: no locale is blamed', async () => {
    const [pt, ru, zh] = await response('fixtures/repeated-key');
    expect(pt!.text).toBe(zh!.text);
    expect(compareParsed(pt!, zh!)).toBeNull();
    expect(compareParsed(ru!, pt!)).toBeNull();
    const { diagnostics } = await lint(['fixtures/repeated-key'], { cwd: repoRoot });
    expect(diagnostics.filter((d) => d.ruleId === 'sample-mismatch')).toEqual([]);
  });

  it('still tells the locale whose second occurrence was changed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-repeated-key-'));
    try {
      await cp(path.join(repoRoot, 'fixtures/repeated-key'), dir, { recursive: true });
      const zh = path.join(dir, 'zh-CN/signin-get.md');
      const text = await readFile(zh, 'utf8');
      const second = '"homeTenantId":"99081087-73c4-48d1-a112-f60ff75114f7"';
      expect(text.split(second)).toHaveLength(2);
      await writeFile(zh, text.replace(second, '"homeTenantId":"00000000-73c4-48d1-a112-f60ff75114f7"'));
      const { diagnostics } = await lint([dir], { cwd: dir });
      expect(
        diagnostics.filter((d) => d.ruleId === 'sample-mismatch').map((d) => `${d.file}:${d.line} ${d.message}`),
      ).toEqual([
        'zh-CN/signin-get.md:172 sample example/response#1 differs from pt-BR, ru-RU at body $.homeTenantId ' +
          '(value): `"00000000-73c4-48d1-a112-f60ff75114f7"` here, `"99081087-73c4-48d1-a112-f60ff75114f7"` in pt-BR ' +
          '(pt-BR/signin-get.md:172)',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
