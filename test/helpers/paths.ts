import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const docsDir = path.join(repoRoot, 'docs');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const seedsDir = path.join(sharedDir, 'seeds');
export const corporaDir = path.join(sharedDir, 'corpora');

/** Tests that need ../shared skip with a printed reason when it is missing. */
export function sharedAvailable(what: string): boolean {
  const ok = existsSync(seedsDir) && existsSync(corporaDir);
  if (!ok) console.warn(`[lockstep tests] skipping ${what}: ${sharedDir} is not present (see ../shared/README.md)`);
  return ok;
}
