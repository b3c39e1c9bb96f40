/**
 * The lint run reads pages itself (synchronously, and concurrently in its first step) and identifies them itself
 * (src/run/source.ts); it must see exactly what `readSource`, `loadPage` and `identifyPage` see, on real pages and on
 * bad input.
 */
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveredStats, discoverFiles, type DiscoveredFile } from '../src/discover/discover.js';
import { buildPage, identifyPage, loadPage } from '../src/page/page.js';
import { readSource } from '../src/page/read.js';
import {
  contentHash,
  decodePageBytes,
  identityOf,
  readForTask,
  readPageBytes,
  readPageBytesAsync,
  readAhead,
  readPageBytesReusing,
  readsComeFromDisk,
  readsFromDiskBy,
  PROBE_SLOW_MS,
} from '../src/run/source.js';
import { contentIdentity, contentIdentityOfBytes, identifyBatch, identifyReading } from '../src/run/check.js';
import { repoRoot } from './helpers/paths.js';

const enc = (s: string) => new TextEncoder().encode(s);
let dir = '';
let odd: DiscoveredFile[] = [];
let socketServer: Server | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-scale-source-'));
  const pages = path.join(dir, 'docs', 'pt-BR');
  await mkdir(pages, { recursive: true });
  const files: Record<string, Uint8Array> = {
    'bom.md': new Uint8Array([0xef, 0xbb, 0xbf, ...enc('---\nms.assetid: ABC\n---\n# Título\n')]),
    'utf16.md': new Uint8Array([
      0xff,
      0xfe,
      ...Buffer.from('---\nms.contentlocale: ru-ru\n---\n# Привет\n', 'utf16le'),
    ]),
    'utf16be.md': new Uint8Array([0xfe, 0xff, ...Buffer.from('# Hi\n', 'utf16le').swap16()]),
    'binary.md': new Uint8Array([...enc('ab\ncd'), 0, 1, 2]),
    'invalid.md': new Uint8Array([...enc('line one\nab'), 0xc3, 0x28, ...enc('\n')]),
    'crlf.md': enc('---\r\ntitle: x\r\nms.assetid: [One, Two]\r\n---\r\n# T\r\n'),
    'broken-yaml.md': enc('---\nms.contentlocale: [zh-cn\n---\n# T\n'),
    'unclosed.md': enc('---\nms.contentlocale: zh-cn\n# T\n'),
    'empty.md': new Uint8Array(),
    // Front matter the first step reads without decoding the rest of the page (contentIdentityOfBytes).
    'fm-multibyte.md': enc('---\ntitle: Título 标题\nms.contentlocale: ru-ru\nms.assetid: 7A\n---\n# Т\n'),
    'fm-invalid.md': new Uint8Array([
      ...enc('---\ntitle: a'),
      0xe6,
      0xa0,
      ...enc('\nms.contentlocale: zh-cn\n---\nb\n'),
    ]),
    'fm-at-end.md': enc('---\nms.contentlocale: pt-br\n---'),
    'fm-yaml.md': enc('---\nms.contentlocale: pt-br\nnested:\n  key: value\n---\n# T\n'),
    'fm-close-not-alone.md': enc('---\nms.contentlocale: pt-br\n----\nms.assetid: B\n---\n'),
    'fm-bom.md': new Uint8Array([0xef, 0xbb, 0xbf, ...enc('---\nms.contentlocale: zh-cn\n---\n')]),
    'fm-nul-after.md': new Uint8Array([...enc('---\nms.contentlocale: zh-cn\n---\n'), 0]),
    'not-fm.md': enc('--- \nms.contentlocale: zh-cn\n---\n'),
  };
  for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(pages, name), bytes);
  await writeFile(path.join(pages, 'big.md'), '');
  await truncate(path.join(pages, 'big.md'), 2 * 1024 * 1024);
  await mkdir(path.join(pages, 'folder.md'));
  await symlink(path.join(pages, 'nowhere.md'), path.join(pages, 'dangling.md'));
  // A FIFO (which a blocking open would wait on for a writer) and a socket (which cannot be opened) in a page's place.
  execFileSync('mkfifo', [path.join(pages, 'pipe.md')]);
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer!.listen(path.join(pages, 'socket.md'), resolve));
  const root = path.join(dir, 'docs');
  const placed = ['big.md', 'folder.md', 'dangling.md', 'missing.md', 'pipe.md', 'socket.md'];
  odd = [...Object.keys(files), ...placed].map((name) => ({
    absPath: path.join(pages, name),
    displayPath: `docs/pt-BR/${name}`,
    root,
  }));
});
afterAll(async () => {
  await new Promise((resolve) => (socketServer ? socketServer.close(resolve) : resolve(undefined)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const LIMIT = 1024 * 1024;

async function expectSameAsAsync(file: DiscoveredFile) {
  // What a worker decodes of the bytes the main thread read for its task is what readSource gives.
  const read = await readForTask(file, LIMIT);
  const sync = { source: decodePageBytes(read, file.displayPath), hash: read.hash };
  const async_ = await readSource(file.absPath, file.displayPath, { maxFileBytes: LIMIT });
  expect(sync.source, file.displayPath).toStrictEqual(async_);
  // The page built from it is the page loadPage builds.
  expect(
    buildPage(file, sync.source.text, sync.source.diagnostics, sync.source.bytes, { maxFileBytes: LIMIT }),
    file.displayPath,
  ).toStrictEqual(await loadPage(file, { maxFileBytes: LIMIT }));
  // And so is the identity.
  // The synchronous read (a task given without bytes) sees the same bytes, hash, stat and failure.
  const [bytesSync, bytesAsync] = [
    readPageBytes(file.absPath, file.displayPath, LIMIT),
    await readPageBytesAsync(file.absPath, file.displayPath, LIMIT),
  ];
  expect({ ...bytesAsync, stats: bytesAsync.stats?.ino }, file.displayPath).toStrictEqual({
    ...bytesSync,
    stats: bytesSync.stats?.ino,
  });
  // So does a check's read into the thread's reused buffer (copied here: the next read overwrites it).
  const reusing = readPageBytesReusing(file.absPath, file.displayPath, LIMIT);
  const copied = { ...reusing, bytes: reusing.bytes && Buffer.from(reusing.bytes), stats: reusing.stats?.ino };
  expect(copied, file.displayPath).toStrictEqual({ ...bytesSync, stats: bytesSync.stats?.ino });
  // The first step's identity, from the front matter's bytes alone where it can, is the decoded page's.
  expect(contentIdentityOfBytes(read, file.displayPath), file.displayPath).toStrictEqual(
    contentIdentity(sync.source, file.displayPath),
  );
  const identity = identityOf(file, contentIdentity(sync.source, file.displayPath), sync.hash, 'en-US');
  const { hash, ...rest } = identity;
  expect(rest, file.displayPath).toStrictEqual(
    await identifyPage(file, { maxFileBytes: LIMIT, defaultLocale: 'en-US' }),
  );
  return sync;
}

describe('reading for scale', () => {
  it('reads, decodes and identifies real pages exactly as readSource, loadPage and identifyPage do', async () => {
    const { files } = await discoverFiles(['docs', 'fixtures'], { cwd: repoRoot });
    expect(files.length).toBeGreaterThan(70);
    for (const file of files) {
      const { hash } = await expectSameAsAsync(file);
      expect(hash).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it(`agrees on bad input: \
BOMs, UTF-16, binary, invalid UTF-8, CRLF, broken front matter, too large, not a file (a folder, a FIFO, a socket), \
missing`, async () => {
    const hashes: Record<string, string | null> = {};
    for (const file of odd) hashes[path.basename(file.absPath)] = (await expectSameAsAsync(file)).hash;
    // Files that were not read have no content hash: nothing about them is cached.
    expect(hashes).toMatchObject({
      'big.md': null,
      'folder.md': null,
      'dangling.md': null,
      'missing.md': null,
      'pipe.md': null,
      'socket.md': null,
    });
    const refused = (name: string) => {
      const file = odd.find((f) => f.absPath.endsWith(name))!;
      return readPageBytesReusing(file.absPath, file.displayPath, LIMIT).failed?.diagnostics[0]?.message;
    };
    expect([refused('pipe.md'), refused('socket.md')]).toEqual(['not a regular file', 'not a regular file']);
    expect(hashes['empty.md']).toBe(contentHash(new Uint8Array()));
    expect(hashes['binary.md']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reads pages of any size into the reused buffer, each exactly, larger ones growing it', async () => {
    const pages = path.join(dir, 'sizes');
    await mkdir(pages, { recursive: true });
    const sizes = [10, 3 * 1024 * 1024 + 7, 1, 5 * 1024 * 1024, 0, 2 * 1024 * 1024 - 1];
    for (const [i, size] of sizes.entries()) await writeFile(path.join(pages, `${i}.md`), Buffer.alloc(size, 97 + i));
    for (const [i, size] of sizes.entries()) {
      const read = readPageBytesReusing(path.join(pages, `${i}.md`), `${i}.md`, 8 * 1024 * 1024);
      expect(read.bytes?.length).toBe(size);
      expect(read.hash).toBe(contentHash(Buffer.alloc(size, 97 + i)));
    }
  });

  it('takes the identity of front matter from its bytes as from the decoded page', () => {
    const declared = (name: string) => {
      const file = odd.find((f) => f.absPath.endsWith(`/${name}`))!;
      return contentIdentityOfBytes(readPageBytes(file.absPath, file.displayPath), file.displayPath);
    };
    expect(declared('fm-multibyte.md')).toEqual({ declaredLocale: 'ru-RU', assetId: '7a' });
    expect(declared('fm-invalid.md')).toEqual({ declaredLocale: 'zh-CN', assetId: null });
    expect(declared('fm-at-end.md')).toEqual({ declaredLocale: 'pt-BR', assetId: null });
    expect(declared('fm-yaml.md')).toEqual({ declaredLocale: 'pt-BR', assetId: null });
    expect(declared('fm-close-not-alone.md')).toEqual({ declaredLocale: 'pt-BR', assetId: null });
    expect(declared('fm-bom.md')).toEqual({ declaredLocale: 'zh-CN', assetId: null });
    expect(declared('fm-nul-after.md')).toEqual({ declaredLocale: null, assetId: null });
    expect(declared('not-fm.md')).toEqual({ declaredLocale: 'zh-CN', assetId: null });
  });

  it("tells a cold disk from a warm page cache by a window's median read time, not its average", () => {
    // Read times (ms) a worker measured on Graph with the page cache warm: its first reads, before its code was
    // compiled, 5 to 20 times the rest (their average, 0.12-0.17 ms, once sent the first step to callback reads).
    const warm = [0.5, 0.13, 0.11, 0.08, 0.05, 0.04, 0.04, 0.12, 0.87, 0.09, 0.13, 0.13, 0.05, 0.16, 0.06, 0.04];
    warm.push(0.04, 0.04, 0.03, 0.03, 0.03, 0.02, 0.02, 0.03, 0.02, 0.02, 0.03, 0.03, 0.04, 0.03, 0.02, 2.06);
    expect(warm.reduce((a, b) => a + b) / warm.length).toBeGreaterThan(0.1);
    expect(readsFromDiskBy(warm)).toBe(false);
    // A cold disk: 220 µs a read on average, a few from the disk's cache.
    const cold = Array.from({ length: 32 }, (_, k) => (k % 8 === 0 ? 0.03 : 0.15 + (k % 5) * 0.05));
    expect(readsFromDiskBy(cold)).toBe(true);
  });

  it("tells a cold disk by the main thread's first reads, as measured on Exchange and Graph", () => {
    // The first 32 pages of a run in check order, read one after another: page cache, then dropped page cache.
    const cached = [0.306, 0.032, 0.019, 0.014, 0.013, 0.013, 0.011, 0.011, 0.012, 0.013, 0.011, 0.03, 0.012];
    const dropped = [0.417, 0.124, 0.087, 0.08, 0.087, 0.086, 0.082, 0.083, 0.159, 0.115, 1.384, 0.109, 0.074];
    expect(readsFromDiskBy(cached, PROBE_SLOW_MS)).toBe(false);
    expect(readsFromDiskBy(dropped, PROBE_SLOW_MS)).toBe(true);
    expect(readsComeFromDisk([])).toBe(false);
  });

  it(`reads ahead the regular files within the limit by discovery's stats, and whatever opens without them, \
never waiting on a FIFO`, async () => {
    const { files } = await discoverFiles([path.join(dir, 'docs')], { cwd: dir });
    const regular = files.filter((f) => discoveredStats(f)?.isFile() && discoveredStats(f)!.size <= LIMIT);
    expect(regular.length).toBeGreaterThan(10);
    expect(regular.length).toBeLessThan(files.length); // big.md is over the limit
    expect(await readAhead(files, LIMIT, 4).finished).toBe(regular.length);
    // Discovery without stats: the walk found each a regular file, and each is read (no more than AHEAD_BYTES).
    const unstated = (await discoverFiles([path.join(dir, 'docs')], { cwd: dir, statMatches: false })).files;
    expect(unstated).toEqual(files);
    expect(unstated.filter((f) => discoveredStats(f) !== undefined)).toEqual([]);
    expect(await readAhead(unstated, LIMIT, 4).finished).toBe(files.length);
    // `odd` holds files of no stat that do not open (a dangling link, a missing file, a socket) or open and are not
    // pages (a FIFO, opened without waiting for a writer; a folder): all but the first three are read, none waited on.
    expect(await readAhead(odd, LIMIT, 4).finished).toBe(odd.length - 3);
    const stopped = readAhead(files, LIMIT, 1);
    stopped.stop();
    expect(await stopped.finished).toBeLessThanOrEqual(1);
  });

  it('identifies pages alike whether it reads them one by one or many at a time (a cold disk)', async () => {
    const { files } = await discoverFiles(['docs', 'fixtures'], { cwd: repoRoot });
    const task = { files: [...files, ...odd], maxFileBytes: LIMIT };
    const oneByOne = await identifyReading(task);
    const inFlight = await identifyReading(task, 'from-disk');
    expect(inFlight).toStrictEqual(oneByOne);
    expect(inFlight.map(({ stats, ...rest }) => rest)).toStrictEqual(identifyBatch(task));
  });

  it('takes the declared locale and asset id from the front matter', () => {
    const page = odd.find((f) => f.absPath.endsWith('utf16.md'))!;
    const source = decodePageBytes(readPageBytes(page.absPath, page.displayPath), page.displayPath);
    expect(contentIdentity(source, page.displayPath)).toEqual({ declaredLocale: 'ru-RU', assetId: null });
    const crlf = odd.find((f) => f.absPath.endsWith('crlf.md'))!;
    expect(
      contentIdentity(
        decodePageBytes(readPageBytes(crlf.absPath, crlf.displayPath), crlf.displayPath),
        crlf.displayPath,
      ),
    ).toEqual({ declaredLocale: null, assetId: 'one' });
  });
});
