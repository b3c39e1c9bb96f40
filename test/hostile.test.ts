/** Hostile documents: limits with clear diagnostics, nothing read outside the roots, the run goes on. */
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPages } from '../src/index.js';
import { repoRoot } from './helpers/paths.js';

let dir: string;
let outside: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-hostile-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'lockstep-outside-'));
  const docs = path.join(dir, 'docs', 'pt-BR');
  await mkdir(docs, { recursive: true });
  await cp(path.join(repoRoot, 'docs/pt-BR/exchange/web-service-reference/disconnect-operation-um-web-service.md'), path.join(docs, 'good.md'));
  const big = path.join(docs, 'huge.md');
  await writeFile(big, '');
  await truncate(big, 100 * 1024 * 1024); // sparse: 100 MB that costs no disk
  await writeFile(path.join(docs, 'one-line.md'), `# One line\n\n${'[a](b) '.repeat(150_000)}\n`);
  await writeFile(path.join(docs, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
  await writeFile(path.join(docs, 'includes.md'), '# Includes\n\n[!INCLUDE [secret](../../../../../../etc/passwd)]\n');
  await writeFile(path.join(outside, 'secret.md'), '# Secret outside the root\n');
  await symlink(path.join(outside, 'secret.md'), path.join(docs, 'link-out.md'));
  await mkdir(path.join(docs, 'loop'));
  await symlink(path.join(docs, 'loop'), path.join(docs, 'loop', 'again'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); await rm(outside, { recursive: true, force: true }); });

describe('hostile documents', () => {
  it('bounds every one of them with a clear diagnostic, and reads the good page', async () => {
    const started = performance.now();
    const result = await loadPages(['docs'], { cwd: dir });
    expect(performance.now() - started).toBeLessThan(10_000);
    const by = (name: string) => result.pages.find((p) => p.file.endsWith(name))?.diagnostics.map((d) => [d.ruleId, d.severity, d.line]) ?? result.diagnostics.filter((d) => d.file.endsWith(name)).map((d) => [d.ruleId, d.severity, d.line]);
    expect(by('good.md')).toEqual([]);
    expect(result.pages.find((p) => p.file.endsWith('good.md'))!.samples).toHaveLength(2);
    expect(by('huge.md')).toEqual([['file-too-large', 'error', 1]]);
    expect(by('one-line.md')).toEqual([['line-too-long', 'warning', 3]]);
    expect(by('binary.md')).toEqual([['file-binary', 'error', 3]]);
    expect(by('includes.md')).toEqual([['include-outside-root', 'info', 3]]);
    // A symlink that leaves the root is not read; a symlink loop is not followed.
    expect(JSON.stringify(result)).not.toContain('Secret outside the root');
    expect(result.pages.filter((p) => p.file.includes('loop'))).toEqual([]);
  });
});
