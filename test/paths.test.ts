import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../src/discover/discover.js';
import {
  childPath,
  depthBelow,
  directlyIn,
  isNormalized,
  leavesFolder,
  relativePath,
  resolvedPath,
  staysBelow,
} from '../src/util/paths.js';

// The fast paths must give exactly what node:path gives, for the paths runs meet and for odd ones.
const folders = [
  '/',
  '/tmp',
  '/tmp/corpora',
  '/tmp/corpora/',
  '/tmp/./corpora',
  '/tmp//corpora',
  '/tmp/corpora/..',
  '/tmp/corpora-x',
];
const children = [
  '/tmp/corpora',
  '/tmp/corpora/graph/pt-BR/a.md',
  '/tmp/corpora/',
  '/tmp/corpora//a.md',
  '/tmp/corpora/./a.md',
  '/tmp/corpora/../a.md',
  '/tmp/corpora-x/a.md',
  '/tmp/corporaa/a.md',
  '/other/a.md',
  '/tmp/corpora/a.md/..',
  '/tmp/corpora/.',
  '/',
];

describe('path fast paths', () => {
  it('relativePath is path.relative', () => {
    for (const folder of folders)
      for (const child of children)
        expect(relativePath(folder, child), `${folder} → ${child}`).toBe(path.relative(folder, child));
  });
  it('childPath is path.join for one segment', () => {
    for (const folder of folders)
      for (const name of ['a.md', '.md', '..a', '.', '..', '', 'x/y.md'])
        expect(childPath(folder, name), `${folder} + ${name}`).toBe(path.join(folder, name));
  });
  it('resolvedPath is path.resolve, and only normalized paths skip it', () => {
    for (const p of [...folders, ...children]) {
      expect(resolvedPath(p), p).toBe(path.resolve(p));
      expect(isNormalized(p), p).toBe(p === path.resolve(p));
    }
  });
  it('directlyIn is path.dirname(…) === folder for normalized paths below a folder that is not a root', () => {
    const below = children.filter((p) => isNormalized(p) && path.dirname(p) !== path.parse(p).root);
    expect(below.length).toBeGreaterThan(3);
    for (const folder of folders.filter((f) => f !== '/'))
      for (const child of below)
        expect(directlyIn(child, folder), `${child} in ${folder}`).toBe(path.dirname(child) === folder);
  });
  it('leavesFolder: `..` and what is below it leave, a name starting with two dots does not', () => {
    for (const [rel, leaves] of [
      ['..', true],
      ['../a.md', true],
      ['../..', true],
      ['/other/a.md', true],
      ['', false],
      ['a.md', false],
      ['..notes.md', false],
      ['...', false],
      ['x/../a.md', false],
    ] as const)
      expect(leavesFolder(rel), rel).toBe(leaves);
  });
  it('depthBelow counts the segments from a root to a folder below it, and is -1 elsewhere', () => {
    for (const root of folders)
      for (const folder of [...folders, ...children]) {
        const rel = path.relative(root, folder);
        const expected =
          !isNormalized(root) || !isNormalized(folder) || leavesFolder(rel)
            ? -1
            : rel.split(path.sep).filter(Boolean).length;
        expect(depthBelow(root, folder), `${folder} below ${root}`).toBe(expected);
      }
  });
  // Segments an include path is made of: names, dot names, `.`, `..`, empty ones; and names with a drive letter or
  // backslashes (a drive and separators on Windows, plain names elsewhere).
  const segment = fc.constantFrom('a', 'b.md', '..', '.', '', '...', '..x', '.a', 'c:..', 'D:x', 'a\\..\\..');
  test.prop([fc.array(segment, { maxLength: 6 }), fc.array(segment, { minLength: 1, maxLength: 6 })], {
    numRuns: 3000,
  })('staysBelow: what it says stays resolves to the root or below it', (folderSegments, includeSegments) => {
    const root = path.resolve('/tmp/corpora');
    const folder = path.resolve(root, ...folderSegments);
    const include = includeSegments.join('/');
    const depth = depthBelow(root, folder);
    if (!staysBelow(include, depth)) return;
    expect(leavesFolder(path.relative(root, path.resolve(folder, include))), `${include} from ${folder}`).toBe(false);
  });
  it('staysBelow: an include that climbs above the root on its way, or an absolute one, is not known this way', () => {
    expect(staysBelow('../includes/a.md', 1)).toBe(true);
    expect(staysBelow('./a/../../b.md', 1)).toBe(true);
    expect(staysBelow('../../includes/a.md', 1)).toBe(false);
    expect(staysBelow('../corpora/a.md', 0)).toBe(false); // out and back in: node:path decides
    expect(staysBelow('/etc/passwd', 3)).toBe(false);
    expect(staysBelow('a.md', -1)).toBe(false);
  });
  it('discovery reads a page whose name starts with two dots, as one inside its folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-dots-'));
    try {
      await writeFile(path.join(dir, '..notes.md'), '# Notes\n');
      await writeFile(path.join(dir, 'a.md'), '# A\n');
      // Named: a folder's walk leaves out names that start with a dot, as globs do.
      const { files, diagnostics } = await discoverFiles(['..notes.md', 'a.md'], { cwd: dir });
      expect(diagnostics).toEqual([]);
      expect(files.map((f) => f.displayPath)).toEqual(['..notes.md', 'a.md']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
