/**
 * Hand-judged precision samples, kept as tests (fixtures/precision): each file holds a seeded random
 * sample of one rule's findings on a real corpus, every finding judged real or false by hand. The
 * test runs lint on the sampled pages' groups again and holds the rule to what was judged: every
 * real damage is still found, and precision on the sample stays at 95 % or more.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { corporaDir, repoRoot, sharedAvailable } from './helpers/paths.js';

interface JudgedSample {
  corpus: string;
  root: string;
  sourceLocale: string | null;
  rule: string;
  /** Rule settings of the run sampled (a rule off by default turned on). */
  rules?: Record<string, 'error' | 'warning' | 'info' | 'off'>;
  seed: number;
  findings: { file: string; line: number; identifier: string; verdict: 'real' | 'false'; reason: string }[];
}

const samplesDir = path.join(repoRoot, 'fixtures/precision');
const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, sample: JSON.parse(readFileSync(path.join(samplesDir, f), 'utf8')) as JudgedSample }));

describe.runIf(sharedAvailable('the hand-judged precision samples'))('hand-judged precision samples', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  /**
   * The sampled pages of each sample, in every locale folder of the corpus, unpacked: the groups they
   * belong to, without writing the corpus's other 98,000 files.
   */
  const unpack = async (sample: JudgedSample) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-precision-'));
    dirs.push(dir);
    const patterns = [
      ...new Set(sample.findings.map((f) => `${sample.root}/*/${f.file.split('/').slice(1).join('/')}`)),
    ];
    await promisify(execFile)('tar', [
      '-xJf',
      path.join(corporaDir, sample.corpus),
      '-C',
      dir,
      '--wildcards',
      ...patterns,
    ]);
    return dir;
  };

  for (const { name, sample } of samples) {
    it(`${name}: every real damage still found, precision ≥ 95 %`, async () => {
      const dir = await unpack(sample);
      const root = path.join(dir, sample.root);
      const files = [...new Set(sample.findings.map((f) => path.join(root, f.file)))];
      const result = await lint(files, {
        cwd: root,
        sourceLocale: sample.sourceLocale,
        rules: sample.rules,
        wholeGroups: true,
      });
      // A finding is the same when it names the same identifier at the same line of the same page.
      const found = new Set(
        result.diagnostics
          .filter((d) => d.ruleId === sample.rule)
          .map(
            (d) => `${path.relative(root, path.resolve(root, d.file))}:${d.line}:${/`([^`]+)`/.exec(d.message)?.[1]}`,
          ),
      );
      const key = (f: JudgedSample['findings'][number]) => `${f.file}:${f.line}:${f.identifier}`;
      const missed = sample.findings.filter((f) => f.verdict === 'real' && !found.has(key(f)));
      expect(missed.map(key)).toEqual([]);
      const real = sample.findings.filter((f) => f.verdict === 'real').length;
      const falseStill = sample.findings.filter((f) => f.verdict === 'false' && found.has(key(f)));
      const precision = real / (real + falseStill.length);
      console.log(
        `[precision] ${name}: ${real} real, ${falseStill.length} false still reported` +
          ` (${sample.findings.length - real - falseStill.length} false no longer): ${(precision * 100).toFixed(1)} %`,
      );
      expect(precision).toBeGreaterThanOrEqual(0.95);
    }, 300_000);
  }
});
