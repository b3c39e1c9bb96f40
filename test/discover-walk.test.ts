import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globPages, walkPages } from '../src/discover/walk.js';
import { docsDir, repoRoot } from './helpers/paths.js';

// walkPages matches names itself where it can, globPages through tinyglobby: both must list the same files.
let tree: string;

/** Files of the tree, by path below it, and what walkPages must find of them with the default extensions. */
const files: Record<string, boolean> = {
  'a.md': true,
  'B.MD': true,
  'c.Markdown': true,
  'd.mdx': false,
  'e.md.txt': false,
  '.md': false,
  '.hidden.md': false,
  md: false,
  'space name.md': true,
  'ünï.md': true,
  // U+212A KELVIN SIGN lower-cases to `k`; a RegExp without the `u` flag (picomatch's) does not fold it.
  'kelvin.mar\u212Adown': false,
  'x.md/inside.md': true,
  'deep/er/still/f.md': true,
  'deep/.dot/g.md': false,
  '.git/h.md': false,
  'node_modules/i.md': false,
  'deep/node_modules/j.md': false,
  'deep/Node_Modules/k.md': false,
  'deep/node_modules2/l.md': true,
  'a..b.md': true,
};

beforeAll(async () => {
  tree = await mkdtemp(path.join(os.tmpdir(), 'lockstep-walk-'));
  for (const file of Object.keys(files)) {
    await mkdir(path.dirname(path.join(tree, file)), { recursive: true });
    await writeFile(path.join(tree, file), '# x\n');
  }
  // Links are left out, to files and to folders.
  await symlink(path.join(tree, 'a.md'), path.join(tree, 'link.md'));
  await symlink(path.join(tree, 'deep'), path.join(tree, 'linked-folder'));
});
afterAll(async () => {
  await rm(tree, { recursive: true, force: true });
});

const below = (paths: string[]) => paths.map((p) => path.relative(tree, p).split(path.sep).join('/')).sort();

describe('walkPages', () => {
  it('lists what the glob lists: no dot names, node_modules in any case, links or other extensions', async () => {
    const walked = await walkPages(tree, ['md', 'markdown']);
    const expected = Object.keys(files)
      .filter((f) => files[f])
      .sort();
    expect(below(walked)).toEqual(expected);
    expect(walked.sort()).toEqual((await globPages(tree, ['md', 'markdown'])).sort());
  });

  it('lists what the glob lists for one extension, and for extensions it leaves to the glob', async () => {
    for (const extensions of [['md'], ['markdown'], ['MD'], ['md.txt'], ['m?'], ['{md,mdx}']]) {
      const walked = (await walkPages(tree, extensions)).sort();
      expect(walked, extensions.join()).toEqual((await globPages(tree, extensions)).sort());
    }
    expect(below(await walkPages(tree, ['mdx']))).toEqual(['d.mdx']);
  });

  it('leaves what the user ignores to the glob', async () => {
    const walked = await walkPages(tree, ['md'], ['deep/**']);
    expect(below(walked)).not.toContain('deep/er/still/f.md');
    expect(below(walked)).toContain('a.md');
  });

  it('lists the same pages as the glob in docs/ and in the repository', async () => {
    for (const dir of [docsDir, repoRoot]) {
      const walked = (await walkPages(dir, ['md', 'markdown'])).sort();
      expect(walked.length).toBeGreaterThan(5);
      expect(walked).toEqual((await globPages(dir, ['md', 'markdown'])).sort());
    }
  });
});
