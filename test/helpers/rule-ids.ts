import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './paths.js';

/** Every rule id written in src/ (diagnostic literals, rule reports, sample parse problems). */
export async function emittedRuleIds(): Promise<Set<string>> {
  const files = (await readdir(path.join(repoRoot, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
  const ids = new Set<string>();
  for (const f of files) {
    const src = await readFile(path.join(repoRoot, 'src', f), 'utf8');
    for (const m of src.matchAll(
      new RegExp(
        [
          "ruleId: '([a-z-]+)'",
          String.raw`|(?:report\(ctx, \w+|fileDiagnostic\([^,]+), '([a-z-]+)'`,
          "|'([a-z]+-malformed)'|'(xml-doctype)'",
        ].join(''),
        'g',
      ),
    ))
      ids.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  return ids;
}
