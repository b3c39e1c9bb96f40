import { mkdtemp, rm, writeFile, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSource, readSource, firstInvalidUtf8Offset } from '../src/page/read.js';
import { parseFrontMatter } from '../src/page/frontmatter.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('decoding page bytes', () => {
  it('strips a UTF-8 BOM with an info diagnostic', () => {
    const r = decodeSource('f.md', new Uint8Array([0xef, 0xbb, 0xbf, ...enc('# Título\n')]));
    expect(r.text).toBe('# Título\n');
    expect(r.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([['file-bom', 'info']]);
  });

  it('reports invalid UTF-8 at its line and column and keeps going', () => {
    const bytes = new Uint8Array([...enc('line one\nab'), 0xc3, 0x28, ...enc('\n')]);
    expect(firstInvalidUtf8Offset(bytes)).toBe(11);
    const r = decodeSource('f.md', bytes);
    expect(r.text).toContain('\ufffd');
    expect(r.diagnostics[0]).toMatchObject({ ruleId: 'file-encoding', severity: 'error', line: 2, column: 3 });
  });

  it('decodes UTF-16 with a BOM and warns', () => {
    const body = Buffer.from('# Привет\n', 'utf16le');
    const r = decodeSource('f.md', new Uint8Array([0xff, 0xfe, ...body]));
    expect(r.text).toBe('# Привет\n');
    expect(r.diagnostics[0]).toMatchObject({ ruleId: 'file-encoding', severity: 'warning' });
  });

  it('refuses binary content with a NUL byte', () => {
    const r = decodeSource('f.md', new Uint8Array([...enc('ab\ncd'), 0, 1, 2]));
    expect(r.text).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ ruleId: 'file-binary', line: 2, column: 3 });
  });
});

describe('reading files', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('reports a 50 MB file as too large without reading it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-read-'));
    dirs.push(dir);
    const big = path.join(dir, 'big.md');
    await writeFile(big, '');
    await truncate(big, 50 * 1024 * 1024); // sparse: costs no disk
    const r = await readSource(big, 'big.md', { maxFileBytes: 10 * 1024 * 1024 });
    expect(r.text).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ ruleId: 'file-too-large', severity: 'error', line: 1, column: 1 });
    expect(r.diagnostics[0]!.message).toContain('50.0 MiB');
  });

  it('says a small limit in the unit it was given, exact when rounding would hide the excess', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-read-'));
    dirs.push(dir);
    const page = path.join(dir, 'page.md');
    await writeFile(page, 'x'.repeat(6 * 1024));
    const over = await readSource(page, 'page.md', { maxFileBytes: 5 * 1024 });
    expect(over.diagnostics[0]!.message).toBe('file is 6.0 KiB, over the limit of 5.0 KiB (--max-file-size): skipped');
    const justOver = await readSource(page, 'page.md', { maxFileBytes: 6 * 1024 - 1 });
    expect(justOver.diagnostics[0]!.message).toBe(
      'file is 6,144 bytes, over the limit of 6,143 bytes (--max-file-size): skipped',
    );
  });

  it('reports a missing file', async () => {
    const r = await readSource('/nonexistent/x.md', 'x.md', { maxFileBytes: 1024 });
    expect(r.diagnostics[0]).toMatchObject({ ruleId: 'file-unreadable', message: 'cannot read file: no such file' });
  });
});

describe('front matter', () => {
  it('keeps dates as strings and records key lines', () => {
    const r = parseFrontMatter('---\ntitle: T\nms.date: 09/17/2015\nms.lasthandoff: 2021-09-24\n---\n# T\n', 'f.md');
    expect(r.frontMatter?.data).toEqual({ title: 'T', 'ms.date': '09/17/2015', 'ms.lasthandoff': '2021-09-24' });
    expect(r.frontMatter?.keys).toEqual([
      { key: 'title', line: 2 },
      { key: 'ms.date', line: 3 },
      { key: 'ms.lasthandoff', line: 4 },
    ]);
    expect(r.frontMatter?.endLine).toBe(5);
  });

  it('names a duplicate key and its line', () => {
    const r = parseFrontMatter('---\ntitle: a\nauthor: b\ntitle: c\n---\n', 'f.md');
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        ruleId: 'frontmatter-invalid',
        line: 4,
        message: 'front matter repeats the key `title` (first on line 2)',
      }),
    ]);
  });

  it('reports broken YAML and an unclosed block', () => {
    expect(parseFrontMatter('---\ntitle: [a\n---\n', 'f.md').diagnostics[0]).toMatchObject({
      ruleId: 'frontmatter-invalid',
      severity: 'error',
    });
    expect(parseFrontMatter('---\ntitle: a\n# no end\n', 'f.md').diagnostics[0]!.message).toMatch(/never closed/);
  });

  it('handles CRLF line ends', () => {
    const text = '---\r\ntitle: a\r\n---\r\n# Body\r\n';
    const r = parseFrontMatter(text, 'f.md');
    expect(r.diagnostics).toEqual([]);
    expect(r.frontMatter?.data).toEqual({ title: 'a' });
    expect(text.slice(r.bodyOffset)).toBe('# Body\r\n');
  });
});

describe('front matter found by fuzzing', () => {
  it('reports an alias used before its anchor instead of throwing', () => {
    const r = parseFrontMatter('---\ntitle: T\nms.prod: *cloud-communications\n---\n', 'f.md');
    expect(r.diagnostics[0]).toMatchObject({ ruleId: 'frontmatter-invalid', message: expect.stringMatching(/alias/i) });
  });

  it('bounds alias expansion (a YAML "billion laughs")', () => {
    const bomb = [
      '---',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
      '---',
      '',
    ].join('\n');
    const started = performance.now();
    const r = parseFrontMatter(bomb, 'f.md');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.diagnostics[0]?.ruleId).toBe('frontmatter-invalid');
  });
});
