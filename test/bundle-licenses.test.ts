/**
 * The worker bundle (scripts/bundle-worker.mjs) copies other packages' code into dist/: their licenses must go with
 * it. The notices file beside it names every package the bundle holds code of, each with its license text.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

const dist = path.join(repoRoot, 'dist', 'run');
/** A package's title line and its underline: `name@version (license)`. */
const TITLE = /^(\S+)@\d\S* \(.*\)\n-+$/gm;

describe('the worker bundle’s third-party notices', () => {
  it('list every package the bundle holds code of, with its license files’ text', async () => {
    if (!existsSync(path.join(dist, 'worker.bundle.js')))
      throw new Error('dist/ is not built: run `npm run build` (`npm test` does) before this test');
    const bundle = await readFile(path.join(dist, 'worker.bundle.js'), 'utf8');
    const notices = await readFile(path.join(dist, 'worker.bundle.js.LICENSE.txt'), 'utf8');
    expect(bundle.split('\n', 1)[0]).toContain('worker.bundle.js.LICENSE.txt');
    // esbuild heads each bundled module with its path: `// node_modules/markdown-it/lib/…`.
    const bundled = new Set(
      [...bundle.matchAll(/^\/\/ (?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]!),
    );
    expect(bundled).toContain('markdown-it');
    expect(bundled).toContain('yaml');
    const titles = [...notices.matchAll(TITLE)];
    const sections = new Map(
      titles.map((title, k) => [title[1]!, notices.slice(title.index, titles[k + 1]?.index ?? notices.length)]),
    );
    // Every package with code in the bundle, and no other.
    expect([...sections.keys()].sort()).toEqual([...bundled].sort());
    expect(notices.split('\n', 1)[0]).toBe(
      `worker.bundle.js holds code of these ${bundled.size} packages, under their own licenses:`,
    );
    // markdown-it's own LICENSE (MIT, its authors' names), not only the name of the license.
    expect(sections.get('markdown-it')).toMatch(/^markdown-it@[\d.]+ \(MIT\)\n-+\n\nLICENSE:\n\nCopyright \(c\)/);
    expect(sections.get('markdown-it')).toContain('Permission is hereby granted, free of charge');
    for (const [name, section] of sections)
      expect(section, name).toMatch(/\n\n(?:LICEN[CS]E|COPYING|NOTICE)[^:\n]*:\n\n\S|ships no license file/i);
  });
});
