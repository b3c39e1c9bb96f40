/**
 * Real pages from docs/, each with one defect (or one legitimate translation change):
 * lint must name the rule, blame the right locale and line, and stay quiet on the traps.
 * The fixtures are made by scripts/make-lint-fixtures.mjs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../src/index.js';
import { repoRoot } from './helpers/paths.js';

const dir = path.join(repoRoot, 'fixtures/lint');
const cases = readdirSync(dir)
  .sort()
  .map((name) => ({ name, expect: JSON.parse(readFileSync(path.join(dir, name, 'expect.json'), 'utf8')) }));

describe('lint on mutated copies of real pages', () => {
  // Real findings that the unmutated pages already have (docs/): a case may show them again, but no new ones off the
  // mutated locale.
  let baseline: LintResult;
  beforeAll(async () => {
    baseline = await lint(['docs'], { cwd: repoRoot });
  });
  const known = (d: { ruleId: string; locale?: string; line: number; message: string }) =>
    baseline.diagnostics.some(
      (b) => b.ruleId === d.ruleId && b.locale === d.locale && b.line === d.line && b.message === d.message,
    );

  it('has a case for every rule that compares locales', () => {
    const rules = new Set(cases.map((c) => c.expect.rule).filter(Boolean));
    for (const id of [
      'sample-malformed',
      'sample-missing',
      'sample-extra',
      'sample-mismatch',
      'sample-lang-mismatch',
      'annotation-mismatch',
      'link-target-mismatch',
      'anchor-mismatch',
      'frontmatter-damaged',
      'metadata-mismatch',
      'identifier-translated',
      'stale-translation',
    ]) {
      expect(rules).toContain(id);
    }
  });

  it.each(cases.filter((c) => c.expect.rule).map((c) => [c.name, c.expect] as const))(
    '%s: reports the rule at the blamed locale and line',
    async (name, want) => {
      const result = await lint([path.join(dir, name)], { cwd: path.join(dir, name) });
      const hits = result.diagnostics.filter((d) => d.ruleId === want.rule);
      expect(
        hits.map((d) => [d.file, d.line, d.locale]),
        want.note,
      ).toContainEqual([want.file, want.line, want.locale]);
      // Blame lands on the mutated locale only (besides the real findings the pages already had).
      for (const d of hits) if (d.locale !== want.locale) expect(known(d), `${d.locale}: ${d.message}`).toBe(true);
      // The defect does not cascade: no other sample error than the expected one.
      if (want.rule === 'stale-translation')
        expect(result.diagnostics.filter((d) => d.ruleId.startsWith('sample-'))).toEqual([]);
    },
  );

  it.each(cases.filter((c) => c.expect.silent).map((c) => [c.name, c.expect] as const))(
    '%s: stays silent',
    async (name, want) => {
      const result = await lint([path.join(dir, name)], { cwd: path.join(dir, name) });
      // Info (an include that climbs out of the fixture folder) is not a finding.
      const onMutated = result.diagnostics.filter(
        (d) =>
          d.locale === want.locale &&
          d.severity !== 'info' &&
          (want.silent.includes('*') || want.silent.includes(d.ruleId)),
      );
      expect(
        onMutated.map((d) => `${d.ruleId} ${d.line}: ${d.message}`),
        want.note,
      ).toEqual([]);
    },
  );
});
