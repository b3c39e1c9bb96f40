/**
 * Damage is not drift: a name damaged in a translated sample is an error at its line whether the
 * translation shares its revision with another locale or stands alone behind a newer source. On a
 * real Exchange page (fixtures/drift) whose en-US source is a newer revision (its namespaces moved
 * from http to https) than its three translations.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { repoRoot } from './helpers/paths.js';

const PAGE = 'createitem-operation-task.md';
let dir: string;
const at = (locale: string) => path.join(dir, locale);
const summary = (ds: { ruleId: string; file: string; line: number; severity: string }[]) =>
  ds.map((d) => `${d.ruleId} ${d.severity} ${path.relative(dir, d.file).replace(/\\/g, '/')}:${d.line}`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-drift-'));
  await cp(path.join(repoRoot, 'fixtures/drift'), dir, { recursive: true });
  // A translator's `Assunto` for the element `Subject`, on line 46 of the pt-BR page.
  const file = path.join(dir, 'pt-BR', PAGE);
  const text = await readFile(file, 'utf8');
  expect(text.split('\n')[45]).toContain('<t:Subject>My task</t:Subject>');
  await writeFile(file, text.replace('<t:Subject>My task</t:Subject>', '<t:Assunto>My task</t:Assunto>'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('damage behind drift, on a real page', () => {
  it('source + one translation: the damaged name is an error at its line, the drift one warning', async () => {
    const { diagnostics } = await lint([at('en-US'), at('pt-BR')], { sourceLocale: 'en-US' });
    const damaged = diagnostics.filter((d) => d.ruleId === 'sample-damaged');
    expect(summary(damaged)).toEqual([`sample-damaged error ${path.relative(dir, at('pt-BR'))}/${PAGE}:46`]);
    expect(damaged[0]!.message).toBe(
      'sample task-createitem-request/code#1: element `Assunto` is used by no other locale of this page ' +
        "at any revision, and is a word of this page's translated text: translation damage, not drift",
    );
    expect(diagnostics.filter((d) => d.ruleId === 'stale-translation').map((d) => d.severity)).toEqual(['warning']);
  });

  it('source + one translation, undamaged: the drift alone is no sample error', async () => {
    const { diagnostics } = await lint(
      [path.join(repoRoot, 'fixtures/drift/en-US'), path.join(repoRoot, 'fixtures/drift/pt-BR')],
      { cwd: repoRoot, sourceLocale: 'en-US' },
    );
    // The page's own link texts `Tarefa` and `Assunto` (for Task and Subject) are real, and found.
    expect(diagnostics.filter((d) => d.severity === 'error' && d.ruleId !== 'identifier-translated')).toEqual([]);
    expect(diagnostics.filter((d) => d.ruleId === 'stale-translation')).toHaveLength(1);
  });

  it('source + three translations: the outlier of its own revision, at its line', async () => {
    const { diagnostics } = await lint([dir], { sourceLocale: 'en-US' });
    const errors = diagnostics.filter((d) => d.severity === 'error' && d.ruleId.startsWith('sample-'));
    expect(summary(errors)).toEqual([`sample-mismatch error pt-BR/${PAGE}:46`]);
    expect(errors[0]!.message).toContain('(element): `<t:Assunto>` here, `<t:Subject>` in ru-RU');
  });

  it('no source: the same, among the translations', async () => {
    const { diagnostics } = await lint([at('pt-BR'), at('ru-RU'), at('zh-CN')]);
    const errors = diagnostics.filter((d) => d.severity === 'error' && d.ruleId.startsWith('sample-'));
    expect(summary(errors)).toEqual([`sample-mismatch error pt-BR/${PAGE}:46`]);
  });
});
