/**
 * Hold the front-matter scanner of the identify step (identityFromSimpleFrontMatter) equal to the
 * YAML parser on real pages: for every .md file under the given folders, the identity read by the
 * scanner, where it reads one, must be the one the YAML front matter gives. Prints how many pages
 * the scanner read and the CPU time of each way; exits 1 on any difference.
 *   npm run build && node scripts/verify-identity-scan.mjs DIR [DIR...]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const { identityFromSimpleFrontMatter, contentIdentityOf } = await import('../dist/page/identity.js');
const { parseFrontMatter } = await import('../dist/page/frontmatter.js');

const dirs = process.argv.slice(2);
if (dirs.length === 0) { console.error('usage: node scripts/verify-identity-scan.mjs DIR [DIR...]'); process.exit(2); }
const files = [];
const walk = (dir) => { for (const e of readdirSync(dir, { withFileTypes: true })) { const p = path.join(dir, e.name); if (e.isDirectory()) walk(p); else if (e.name.endsWith('.md')) files.push(p); } };
for (const d of dirs) walk(d);

let scanned = 0;
let differences = 0;
let scanMs = 0;
let yamlMs = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  let t = performance.now();
  const fast = identityFromSimpleFrontMatter(text);
  scanMs += performance.now() - t;
  t = performance.now();
  const full = contentIdentityOf(parseFrontMatter(text, file).frontMatter?.data ?? {});
  yamlMs += performance.now() - t;
  if (!fast) continue;
  scanned++;
  if (fast.declaredLocale !== full.declaredLocale || fast.assetId !== full.assetId) {
    differences++;
    if (differences <= 10) console.log(`${file}: scanner ${JSON.stringify(fast)}, YAML ${JSON.stringify(full)}`);
  }
}
console.log(`${files.length} pages: the scanner read ${scanned} (${(100 * scanned / Math.max(1, files.length)).toFixed(1)}%), ${differences} differ from YAML; scanner ${(scanMs / 1000).toFixed(1)} s, YAML ${(yamlMs / 1000).toFixed(1)} s`);
process.exit(differences > 0 ? 1 : 0);
