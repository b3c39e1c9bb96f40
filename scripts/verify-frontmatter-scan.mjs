/**
 * Hold the flat front-matter scanner (src/page/flat-frontmatter.ts) equal to gray-matter and YAML
 * on real pages: for every page lint would read under the given folders, parseFrontMatter's result (which
 * takes the scanner when it reads the page) must equal parseFrontMatterYaml's, data key order
 * included. Prints how many pages the scanner read and the CPU time of each way; exits 1 on any
 * difference.
 *   npm run build && node scripts/verify-frontmatter-scan.mjs DIR [DIR...]
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const { parseFrontMatter, parseFrontMatterYaml } = await import('../dist/page/frontmatter.js');
const { scanFlatFrontMatter } = await import('../dist/page/flat-frontmatter.js');
const { discoverFiles } = await import('../dist/discover/discover.js');

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node scripts/verify-frontmatter-scan.mjs DIR [DIR...]');
  process.exit(2);
}
// The pages lint would read (same extensions and ignores).
const files = (await discoverFiles(dirs, { cwd: process.cwd() })).files.map((f) => f.absPath);

let scanned = 0;
let differences = 0;
let fastMs = 0;
let yamlMs = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  let t = performance.now();
  const fast = parseFrontMatter(text, file);
  fastMs += performance.now() - t;
  t = performance.now();
  const yaml = parseFrontMatterYaml(text, file);
  yamlMs += performance.now() - t;
  if (scanFlatFrontMatter(text)) scanned++;
  const keyOrder = (r) => Object.keys(r.frontMatter?.data ?? {});
  if (!isDeepStrictEqual(fast, yaml) || !isDeepStrictEqual(keyOrder(fast), keyOrder(yaml))) {
    differences++;
    if (differences <= 10)
      console.log(`${file}:\n  scanner ${JSON.stringify(fast)}\n  YAML    ${JSON.stringify(yaml)}`);
  }
}
console.log(
  `${files.length} pages: the scanner read ${scanned} ` +
    `(${((100 * scanned) / Math.max(1, files.length)).toFixed(1)}%), ${differences} differ from YAML; ` +
    `parseFrontMatter ${(fastMs / 1000).toFixed(1)} s, YAML alone ${(yamlMs / 1000).toFixed(1)} s`,
);
process.exit(differences > 0 ? 1 : 0);
