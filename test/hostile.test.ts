/** Hostile documents: limits with clear diagnostics, nothing read outside the roots, the run goes on. */
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, loadPages } from '../src/index.js';
import { repoRoot } from './helpers/paths.js';

let dir: string;
let outside: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-hostile-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'lockstep-outside-'));
  const docs = path.join(dir, 'docs', 'pt-BR');
  await mkdir(docs, { recursive: true });
  await cp(
    path.join(repoRoot, 'docs/pt-BR/exchange/web-service-reference/disconnect-operation-um-web-service.md'),
    path.join(docs, 'good.md'),
  );
  const big = path.join(docs, 'huge.md');
  await writeFile(big, '');
  await truncate(big, 100 * 1024 * 1024); // sparse: 100 MB that costs no disk
  await writeFile(path.join(docs, 'one-line.md'), `# One line\n\n${'[a](b) '.repeat(150_000)}\n`);
  await writeFile(
    path.join(docs, 'binary.md'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
  );
  await writeFile(path.join(docs, 'includes.md'), '# Includes\n\n[!INCLUDE [secret](../../../../../../etc/passwd)]\n');
  await writeFile(path.join(outside, 'secret.md'), '# Secret outside the root\n');
  await symlink(path.join(outside, 'secret.md'), path.join(docs, 'link-out.md'));
  await mkdir(path.join(docs, 'loop'));
  await symlink(path.join(docs, 'loop'), path.join(docs, 'loop', 'again'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('hostile documents', () => {
  it('bounds every one of them with a clear diagnostic, and reads the good page', async () => {
    const started = performance.now();
    const result = await loadPages(['docs'], { cwd: dir });
    expect(performance.now() - started).toBeLessThan(10_000);
    const by = (name: string) =>
      result.pages.find((p) => p.file.endsWith(name))?.diagnostics.map((d) => [d.ruleId, d.severity, d.line]) ??
      result.diagnostics.filter((d) => d.file.endsWith(name)).map((d) => [d.ruleId, d.severity, d.line]);
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

  it('decides every include that climbs above the root, past the 1,000 answers a folder keeps', async () => {
    // Includes that go above the root on their way are resolved, and the answers kept for 1,000 paths a folder
    // (page.ts): two pages of one folder with 1,250 such includes each, half coming back inside, half not.
    const root = await mkdtemp(path.join(os.tmpdir(), 'lockstep-includes-'));
    try {
      const folder = path.join(root, 'docs', 'pt-BR', 'deep', 'er');
      await mkdir(folder, { recursive: true });
      const lines = Array.from({ length: 1_250 }, (_, i) =>
        i % 2 === 0 ? `[!INCLUDE [in](../../../../docs/pt-BR/x${i}.md)]` : `[!INCLUDE [out](../../../../x${i}.md)]`,
      );
      const page = `# Includes\n\n${lines.join('\n\n')}\n`;
      await writeFile(path.join(folder, 'first.md'), page);
      await writeFile(path.join(folder, 'second.md'), page);
      const result = await loadPages(['docs'], { cwd: root });
      expect(result.pages).toHaveLength(2);
      for (const { diagnostics } of result.pages) {
        const outside = diagnostics.filter((d) => d.ruleId === 'include-outside-root');
        // The odd includes, on lines 5, 9, 13…: one finding each, and none for the ones coming back inside.
        expect(outside.map((d) => d.line)).toEqual(lines.flatMap((_, i) => (i % 2 === 1 ? [3 + 2 * i] : [])));
        expect(outside[0]!.message).toBe('[!INCLUDE] target ../../../../x1.md is outside docs/: never read');
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

/**
 * Markdown that breaks the parser: the page is reported, its group's other locales are still
 * checked (without it: compared, an unparsed page would look as if it had dropped every sample).
 */
describe('pathological markdown', () => {
  let root: string;
  const page = 'tapi/drop-ovr.md';
  // 8,000 nested `[`…`](b)` in one paragraph: micromark's label matching is quadratic here (2–5 s).
  // markdown-it, which outlines most pages, parses them in linear time; a footnote definition
  // leaves the page to micromark.
  const brackets = `${'['.repeat(8000)}a${'](b)'.repeat(8000)}`.replace(/(.{1,200})/g, '$1\n') + '\n[^1]: note\n';
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'lockstep-pathological-'));
    for (const locale of ['pt-BR', 'ru-RU'])
      await cp(path.join(repoRoot, 'docs', locale, page), path.join(root, 'docs', locale, page), { recursive: true });
    await mkdir(path.join(root, 'docs/zh-CN/tapi'), { recursive: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const findings = (result: Awaited<ReturnType<typeof lint>>) =>
    result.diagnostics.map((d) => `${d.locale} ${d.ruleId} ${d.line}`);
  // ru-RU's translated identifiers, found by comparing with pt-BR: present whatever zh-CN holds.
  const ruFindings = ['ru-RU identifier-translated 26', 'ru-RU identifier-translated 28'];

  it('reports a page nested too deeply to parse as page-unparsable, and checks the rest of its group', async () => {
    await writeFile(
      path.join(root, 'docs/zh-CN', page),
      `---\nms.contentlocale: zh-CN\n---\n${'>'.repeat(20_000)} deep\n`,
    );
    const result = await lint(['docs'], { cwd: root, workers: 0 });
    expect(findings(result)).toEqual(expect.arrayContaining([...ruFindings, 'zh-CN page-unparsable 1']));
    // Nothing blamed on zh-CN for what it could not be compared on.
    expect(findings(result).filter((f) => f.startsWith('zh-CN'))).toEqual(['zh-CN page-unparsable 1']);
    expect(result.diagnostics.find((d) => d.ruleId === 'page-unparsable')!.message).toContain(
      'nested too deeply for the parser',
    );
    const loaded = await loadPages(['docs/zh-CN'], { cwd: root, keepTree: true });
    expect(loaded.pages[0]).toMatchObject({ parsed: false, locale: 'zh-CN', samples: [] });
  });

  it(`stops a page whose parse overruns --page-timeout on a worker, reports it, \
and does not cache its group`, async () => {
    await writeFile(path.join(root, 'docs/zh-CN', page), `---\nms.contentlocale: zh-CN\n---\n# Drop\n\n${brackets}`);
    const cache = { location: 'cache' };
    const stopped = await lint(['docs'], { cwd: root, workers: 1, pageTimeoutMs: 500, cache });
    expect(findings(stopped)).toEqual(expect.arrayContaining([...ruFindings, 'zh-CN page-timeout 1']));
    expect(findings(stopped).filter((f) => f.startsWith('zh-CN'))).toEqual(['zh-CN page-timeout 1']);
    expect(stopped.diagnostics.find((d) => d.ruleId === 'page-timeout')!.message).toMatch(
      /^parsing this page took over 500 ms and was stopped/,
    );
    // Without a limit the same cache gives the page's real parse: the stopped group was not cached.
    const full = await lint(['docs'], { cwd: root, workers: 1, pageTimeoutMs: 0, cache });
    expect(findings(full)).not.toContain('zh-CN page-timeout 1');
    expect(findings(full)).toEqual(expect.arrayContaining(ruFindings));
  }, 60_000);
});
