/**
 * Mutation tests of `lockstep lint --fix` on the bundled docs: one defect per repairing rule, in one
 * locale, on a copy that --fix has already repaired; --fix must restore that page byte for byte and
 * touch no other file; the dry run's patch must change only lines inside the findings' repair spans.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { linesOutsideSpans, sarifSpans } from './helpers/fix.js';
import { docsDir } from './helpers/paths.js';

const EXCHANGE = 'docs/ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md';
const DELETE = (locale: string) => `docs/${locale}/graph/api-reference/beta/api/call-delete.md`;

/** rule id → the page it damages and how (each mutation must change the text). */
const MUTATIONS: [string, string, (text: string) => string][] = [
  ['sample-mismatch', DELETE('pt-BR'), (t) => t.replace('"state": "terminating"', '"state": "encerrando"')],
  [
    'sample-missing',
    DELETE('ru-RU'),
    (t) =>
      t.replace(/(<a name="notification---terminating"><\/a>[^\n]*\n)\n```http[\s\S]*?```json[\s\S]*?\n```\n/, '$1'),
  ],
  ['annotation-mismatch', DELETE('zh-CN'), (t) => t.replace('"truncated": true', '"truncated": false')],
  [
    'anchor-mismatch',
    DELETE('pt-BR'),
    (t) => t.replace('<a name="notification---terminated">', '<a name="notificacao---encerrada">'),
  ],
  ['link-target-mismatch', DELETE('ru-RU'), (t) => t.replace('(#tab/csharp)', '(#tab/CSharp)')],
  ['frontmatter-damaged', DELETE('zh-CN'), (t) => t.replace(/^title:/m, '标题:')],
  ['identifier-translated', EXCHANGE, (t) => t.replace('[CallId (', '[Каллид (')],
];

let dir = '';
const snapshot = new Map<string, string>();

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  return out.sort();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-fix-'));
  await cp(docsDir, path.join(dir, 'docs'), { recursive: true });
  // The bundled docs have real defects: repaired first, so that each mutation is the only one.
  await runCli(['lint', 'docs', '--fix', '--no-cache'], { cwd: dir });
  for (const f of await files(path.join(dir, 'docs'))) snapshot.set(f, await readFile(path.join(dir, f), 'utf8'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lint --fix on one-defect mutations of docs/', () => {
  it('has nothing left to repair on the repaired copy', async () => {
    const again = await runCli(['lint', 'docs', '--fix-dry-run', '--no-cache'], { cwd: dir });
    expect(again.stdout).toBe('');
  });

  it.each(MUTATIONS)('%s: restores the page byte for byte and touches no other file', async (rule, file, mutate) => {
    const original = snapshot.get(file)!;
    const damaged = mutate(original);
    expect(damaged).not.toBe(original);
    await writeFile(path.join(dir, file), damaged);
    try {
      const report = await runCli(['lint', 'docs', '-f', 'json', '--no-cache'], { cwd: dir });
      const found = (JSON.parse(report.stdout) as { diagnostics: { ruleId: string; file: string }[] }).diagnostics;
      expect(
        found.some((d) => d.ruleId === rule && d.file === file),
        `${rule} reported on ${file}`,
      ).toBe(true);
      // The patch changes only lines inside the spans the SARIF fixes name.
      const dry = await runCli(['lint', 'docs', '--fix-dry-run', '--no-cache'], { cwd: dir });
      const sarif = await runCli(['lint', 'docs', '-f', 'sarif', '--no-cache'], { cwd: dir });
      expect(linesOutsideSpans(dry.stdout, sarifSpans(JSON.parse(sarif.stdout)))).toEqual([]);
      const fixed = await runCli(['lint', 'docs', '--fix', '--no-cache'], { cwd: dir });
      expect(fixed.stdout).toContain('--fix repaired');
      for (const [f, text] of snapshot) expect(await readFile(path.join(dir, f), 'utf8'), f).toBe(text);
    } finally {
      await writeFile(path.join(dir, file), original);
    }
  });
});
