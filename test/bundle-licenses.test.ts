/**
 * The worker bundle (scripts/bundle-worker.mjs) copies other packages' code into dist/: their licenses must go with
 * it. The notices file beside it names every package the bundle holds code of, each with its license text.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

const dist = path.join(repoRoot, 'dist', 'run');

describe('the worker bundle’s third-party notices', () => {
  it('list every package the bundle holds code of, with its license files’ text', async () => {
    const bundle = await readFile(path.join(dist, 'worker.bundle.js'), 'utf8');
    const notices = await readFile(path.join(dist, 'worker.bundle.js.LICENSE.txt'), 'utf8');
    expect(bundle.split('\n', 1)[0]).toContain('worker.bundle.js.LICENSE.txt');
    // esbuild heads each bundled module with its path: `// node_modules/markdown-it/lib/…`.
    const bundled = new Set(
      [...bundle.matchAll(/^\/\/ (?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]!),
    );
    expect(bundled).toContain('markdown-it');
    expect(bundled).toContain('yaml');
    const sections = new Map(
      notices
        .split(/\n(?=\S+@\d\S* \([^)]*\)\n-+\n)/)
        .slice(1)
        .map((section) => [section.slice(0, section.indexOf('@', 1)), section] as const),
    );
    const unlisted = [...bundled].filter((name) => !sections.has(name));
    expect(unlisted).toEqual([]);
    // markdown-it's own LICENSE (MIT, its authors' names), not only the name of the license.
    expect(sections.get('markdown-it')).toMatch(/^markdown-it@[\d.]+ \(MIT\)\n-+\n\nLICENSE:\n\nCopyright \(c\)/);
    expect(sections.get('markdown-it')).toContain('Permission is hereby granted, free of charge');
    for (const [name, section] of sections)
      expect(section, name).toMatch(/\n\nLICENSE[^:\n]*:\n\n\S|\n\nLICENCE[^:\n]*:\n\n\S|ships no license file/i);
  });
});
