import { discoveredStats, type DiscoveredFile, type FileStat } from '../discover/discover.js';
import { statSync } from 'node:fs';
import { signatureOf, type LintCache } from './cache.js';
import type { CheckRunner } from './pool.js';
import { forEachConcurrently } from '../util/concurrently.js';
import {
  identityOf,
  readPageBytesAsync,
  withoutStats,
  type ContentIdentity,
  type PageBytes,
  type PlannedIdentity,
} from './source.js';

export interface IdentifyOptions {
  cache: LintCache | null;
  /** Where to parse front matter: the worker pool when there are many files to identify. */
  runnerFor: (files: number) => CheckRunner;
  maxFileBytes?: number;
  defaultLocale?: string;
  /**
   * Called as files are identified, with how many more are done and how many of those were not read (unchanged stat).
   */
  onFiles?: (count: number, unread?: number) => void;
}

/** Reads in flight at once: enough to keep a cold disk busy (see readPageBytesAsync). */
const READS_IN_FLIGHT = 32;

/** Files read, then identified, per batch: a batch's bytes are all that is held at once per lane. */
const BATCH = 256;

/**
 * The first step of a run: every file's identity (page id, locale, asset id) and content hash,
 * from which page groups are planned. A file the cache knows by its stat signature is not read;
 * the others are read here, many at a time (workers never wait on the disk), and hashed; its
 * front matter's locale and asset id come from the cache when this content was seen before, else
 * from its front matter, read in the worker pool when there are many files to identify (the
 * cache then learns them).
 */
export async function identifyFiles(
  files: readonly DiscoveredFile[],
  options: IdentifyOptions,
): Promise<PlannedIdentity[]> {
  const { cache, maxFileBytes } = options;
  const done = options.onFiles ?? (() => {});
  const contents: (ContentIdentity | undefined)[] = new Array(files.length);
  const hashes: (string | null)[] = new Array(files.length).fill(null);
  /** The stat and hash of each file read here, for the cache to remember once its identity is known. */
  const readHere: { i: number; stats: FileStat; hash: string }[] = [];
  const toRead: { i: number; stats: FileStat | undefined }[] = [];
  files.forEach((file, i) => {
    // A file whose stat signature is the one the cache read it under is not read again.
    let stats: FileStat | undefined;
    if (cache) {
      try {
        stats = discoveredStats(file) ?? statSync(file.absPath);
      } catch {
        stats = undefined;
      }
    } // readPageBytesAsync says why
    const unchanged = cache && stats ? cache.unchanged(file.absPath, signatureOf(stats)) : undefined;
    if (unchanged) {
      hashes[i] = unchanged.hash;
      contents[i] = unchanged.identity;
      done(1, 1);
    } else toRead.push({ i, stats: stats ?? discoveredStats(file) });
  });
  // Chosen when the first file the cache does not know turns up: a warm run starts no worker.
  let runner: CheckRunner | null = null;
  const batches: (typeof toRead)[] = [];
  for (let k = 0; k < toRead.length; k += BATCH) batches.push(toRead.slice(k, k + BATCH));
  const lanes = 2; // one batch read while the other is identified
  await forEachConcurrently(batches, lanes, async (batch) => {
    const reads = new Array<PageBytes>(batch.length);
    await forEachConcurrently(
      batch.map((_, j) => j),
      READS_IN_FLIGHT / lanes,
      async (j) => {
        const { i, stats } = batch[j]!;
        reads[j] = await readPageBytesAsync(files[i]!.absPath, files[i]!.displayPath, maxFileBytes, stats);
      },
    );
    const unknown: number[] = [];
    batch.forEach(({ i }, j) => {
      const { hash, stats } = reads[j]!;
      hashes[i] = hash;
      if (cache && hash !== null) readHere.push({ i, stats: stats!, hash });
      const known = hash !== null ? cache?.identity(hash) : undefined;
      if (known) {
        contents[i] = known;
        done(1);
      } else unknown.push(j);
    });
    if (unknown.length === 0) return;
    runner ??= options.runnerFor(toRead.length);
    const found = await runner.identify({
      files: unknown.map((j) => files[batch[j]!.i]!),
      read: unknown.map((j) => withoutStats(reads[j]!)),
      maxFileBytes,
    });
    unknown.forEach((j, k) => {
      contents[batch[j]!.i] = found[k]!.content;
    });
    done(unknown.length);
  });
  // Remembered only when the identity came from the bytes hashed here; in file order, as the next run visits
  // them (the two lanes finish batches out of order), so that it finds each at the pack's read position.
  readHere.sort((a, b) => a.i - b.i);
  for (const { i, stats, hash } of readHere)
    if (hashes[i] === hash) cache!.remember(files[i]!.absPath, stats, hash, contents[i]!);
  return files.map((file, i) => identityOf(file, contents[i]!, hashes[i] ?? null, options.defaultLocale));
}
