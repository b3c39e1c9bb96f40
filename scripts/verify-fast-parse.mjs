/**
 * The outline lint reads (markdown/fast-outline.ts: from markdown-it's tokens, with GFM's autolink
 * literals found as remark-gfm finds them) must give the page structure of remark-gfm's tree,
 * which pages the outline cannot be sure of get instead. The property test
 * (test/parse-differential.test.ts) proves it on the spec examples, generated pages and mutated
 * real pages; this checks it on whole corpora. It parses every page of the given folders both
 * ways, compares the structures (headings, fences, annotations, links, inline code, tables,
 * emphasis… with their positions), counts the pages markdown-it's tokens outline, and times the
 * parses side by side (one child process per core, each taking every n-th page, alternating which
 * parse goes first).
 *   npm run build && node scripts/verify-fast-parse.mjs DIR [DIR…]
 * Exit 0: every structure identical; 1: differences (the first ones are listed); 2: usage.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const { parseFrontMatter } = await import('../dist/page/frontmatter.js');
const { parseMarkdown, pageStructure } = await import('../dist/markdown/markdown.js');
const { discoverFiles } = await import('../dist/discover/discover.js');

if (process.argv[2] === '--child') {
  const [, , , slice, count, ...dirs] = process.argv;
  // The pages lint would read (same extensions and ignores), every n-th one.
  const { files: found } = await discoverFiles(dirs, { cwd: process.cwd() });
  const files = found.map((f) => f.absPath).filter((_, i) => i % Number(count) === Number(slice));
  const result = { pages: 0, chars: 0, fullMs: 0, outlineMs: 0, byMarkdownIt: 0, differences: [] };
  const ways = [
    ['fullMs', { full: true }],
    ['outlineMs', { outline: true }],
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const { bodyOffset } = parseFrontMatter(text, file);
    // Rotate which parse goes first, so that none profits from the others' warm caches.
    const parsed = {};
    for (let k = 0; k < ways.length; k++) {
      const [key, options] = ways[(result.pages + k) % ways.length];
      const t = performance.now();
      parsed[key] = parseMarkdown(text, bodyOffset, options);
      result[key] += performance.now() - t;
    }
    const trees = { outlineMs: parsed.outlineMs.tree, fullMs: parsed.fullMs.tree };
    result.pages++;
    if (parsed.outlineMs.outlined) result.byMarkdownIt++;
    result.chars += text.length;
    if (
      JSON.stringify(pageStructure(trees.outlineMs, text, file)) !==
      JSON.stringify(pageStructure(trees.fullMs, text, file))
    )
      result.differences.push(`${file} (structure of the outline)`);
  }
  process.send(result, () => process.exit(0));
} else {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: node scripts/verify-fast-parse.mjs DIR [DIR…]');
    process.exit(2);
  }
  const n = Math.max(1, os.availableParallelism());
  const started = performance.now();
  const results = await Promise.all(
    Array.from(
      { length: n },
      (_, k) =>
        new Promise((resolve, reject) => {
          const child = fork(here, ['--child', String(k), String(n), ...dirs.map((d) => path.resolve(d))]);
          child.once('message', resolve);
          child.once('exit', (code) => {
            if (code !== 0) reject(new Error(`child ${k} exited with ${code}`));
          });
        }),
    ),
  );
  const sum = (key) => results.reduce((s, r) => s + r[key], 0);
  const differences = results.flatMap((r) => r.differences).sort();
  const [full, outline] = [sum('fullMs'), sum('outlineMs')];
  console.log(
    `${sum('pages')} pages (${(sum('chars') / 1e6).toFixed(1)} M characters) in ${dirs.join(', ')}, ` +
      `${n} processes, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(
    `parse CPU: remark-gfm ${(full / 1000).toFixed(1)} s, ` +
      `outline ${(outline / 1000).toFixed(1)} s (${(outline / full).toFixed(2)}×)`,
  );
  console.log(`outlined from markdown-it's tokens: ${sum('byMarkdownIt')} pages (the others get remark-gfm's tree)`);
  console.log(
    differences.length === 0
      ? "every outline's structure identical to the tree's (with positions)"
      : `${differences.length} pages differ, first ones:\n${differences.slice(0, 10).join('\n')}`,
  );
  process.exit(differences.length === 0 ? 0 : 1);
}
