import { discoveredStats, type DiscoveredFile } from '../discover/discover.js';
import { statSync, type Stats } from 'node:fs';
import { signatureOf, type LintCache } from './cache.js';
import type { CheckRunner } from './pool.js';
import { forEachConcurrently } from '../util/concurrently.js';
import { decodePageBytes, identityOf, readPageBytesAsync, type ContentIdentity, type PlannedIdentity } from './source.js';

export interface IdentifyOptions {
  cache: LintCache | null;
  /** Where to parse front matter: the worker pool when there are many files to identify. */
  runnerFor: (files: number) => CheckRunner;
  maxFileBytes?: number;
  defaultLocale?: string;
  /** Called as files are identified, with how many more are done and how many of those were not read (unchanged stat). */
  onFiles?: (count: number, unread?: number) => void;
}

/** Reads in flight at once: enough to keep a cold disk busy (see readPageBytesAsync). */
const READS_IN_FLIGHT = 32;

/**
 * The first step of a run: every file's identity (page id, locale, asset id) and content hash,
 * from which page groups are planned. A file the cache knows by its stat signature is not read;
 * the others are read, many at a time, and hashed; its front matter's locale and asset id come from the
 * cache when this content was seen before, else from its YAML, parsed in the worker pool when
 * there are many files to identify (the cache then learns them).
 */
export async function identifyFiles(files: readonly DiscoveredFile[], options: IdentifyOptions): Promise<PlannedIdentity[]> {
  const { cache, maxFileBytes } = options;
  const done = options.onFiles ?? (() => {});
  const contents: (ContentIdentity | undefined)[] = new Array(files.length);
  const hashes: (string | null)[] = new Array(files.length).fill(null);
  /** The stat and hash of each file read here, for the cache to remember once its identity is known. */
  const readHere: { i: number; stats: Stats; hash: string }[] = [];
  let unknown: number[] = [];
  if (!cache && options.runnerFor(files.length).threads > 0) {
    unknown = files.map((_, i) => i); // no cache to look in: straight to the workers
  } else {
    // The YAML parser is loaded only when front matter will be parsed in this thread (no cache).
    const identifyHere = cache ? null : (await import('./check.js')).contentIdentity;
    const toRead: { i: number; stats: Stats | undefined }[] = [];
    files.forEach((file, i) => {
      // A file whose stat signature is the one the cache read it under is not read again.
      let stats: Stats | undefined;
      try { stats = discoveredStats(file) ?? statSync(file.absPath); } catch { stats = undefined; } // readPageBytesAsync says why
      const unchanged = cache && stats ? cache.unchanged(file.absPath, signatureOf(stats)) : undefined;
      if (unchanged) { hashes[i] = unchanged.hash; contents[i] = unchanged.identity; done(1, 1); }
      else toRead.push({ i, stats });
    });
    // Each file is dealt with as its read completes (its bytes are not kept); lists stay in file order.
    const readStats: (Stats | null)[] = new Array(files.length).fill(null);
    await forEachConcurrently(toRead, READS_IN_FLIGHT, async ({ i, stats }) => {
      const file = files[i]!;
      const bytes = await readPageBytesAsync(file.absPath, file.displayPath, maxFileBytes, stats);
      hashes[i] = bytes.hash;
      readStats[i] = bytes.stats;
      const known = bytes.hash !== null ? cache?.identity(bytes.hash) : undefined;
      // Without a cache, identify from this read; with one, what it does not know goes to a batch below.
      if (known || identifyHere) { contents[i] = known ?? identifyHere!(decodePageBytes(bytes, file.displayPath), file.displayPath); done(1); }
    });
    for (const { i } of toRead) {
      if (cache && hashes[i] !== null) readHere.push({ i, stats: readStats[i]!, hash: hashes[i]! });
      if (!contents[i]) unknown.push(i);
    }
  }
  if (unknown.length > 0) {
    const runner = options.runnerFor(unknown.length);
    const batches: number[][] = [];
    for (let k = 0; k < unknown.length; k += 256) batches.push(unknown.slice(k, k + 256));
    await Promise.all(batches.map(async (batch) => {
      const found = await runner.identify({ files: batch.map((i) => files[i]!), maxFileBytes });
      batch.forEach((i, j) => { hashes[i] = found[j]!.hash; contents[i] = found[j]!.content; });
      done(batch.length);
    }));
  }
  // Remembered only when the identity came from the bytes hashed here (the file did not change in between).
  for (const { i, stats, hash } of readHere) if (hashes[i] === hash) cache!.remember(files[i]!.absPath, stats, hash, contents[i]!);
  return files.map((file, i) => identityOf(file, contents[i]!, hashes[i] ?? null, options.defaultLocale));
}
