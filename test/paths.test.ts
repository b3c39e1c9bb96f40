import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childPath, isNormalized, relativePath, resolvedPath } from '../src/util/paths.js';

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
});
