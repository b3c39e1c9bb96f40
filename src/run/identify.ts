import { discoveredStats, type DiscoveredFile, type FileStat } from '../discover/discover.js';
import { statSync } from 'node:fs';
import { signatureOf, type LintCache } from './cache.js';
import type { CheckRunner } from './pool.js';
import { forEachConcurrently } from '../util/concurrently.js';
import {
  identityOf,
  plainStat,
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
 * from which page groups are planned. A file the cache knows by its stat signature is not read.
 * When there are enough of the others for workers, each worker reads, hashes and identifies
 * batches of them, many reads in flight; else they are read here, many at a time, and hashed, and
 * a file's locale and asset id come from the cache when its content was seen before, else from its
 * front matter. The cache then learns them.
 */
export async function identifyFiles(
  files: readonly DiscoveredFile[],
  options: IdentifyOptions,
): Promise<PlannedIdentity[]> {
  const { cache, maxFileBytes } = options;
  const done = options.onFiles ?? (() => {});
  const contents: (ContentIdentity | undefined)[] = new Array(files.length);
  const hashes: (string | null)[] = new Array(files.length).fill(null);
  /**
   * The stat and hash of each file read here, by batch, for the cache to remember once its identity is known: in file
   * order, as the next run visits them, so that it finds each at the pack's read position. Batches finish out of
   * order; each is remembered once those before it are, while the others are still being read (done at the end,
   * remembering held up the start of checking on Graph by 0.4 s).
   */
  const readHere: { i: number; stats: FileStat; hash: string }[][] = [];
  let rememberedBatches = 0;
  const rememberInOrder = () => {
    for (; readHere[rememberedBatches] !== undefined; rememberedBatches++)
      for (const { i, stats, hash } of readHere[rememberedBatches]!)
        if (hashes[i] === hash) cache!.remember(files[i]!.absPath, stats, hash, contents[i]!);
  };
  const toRead: { i: number; stats: FileStat | undefined }[] = [];
  // A cache that knows no file needs no stat to tell one unchanged (discovery may have taken none): the file's is
  // taken as it is read.
  const knowsFiles = cache?.holdsFiles() ?? false;
  files.forEach((file, i) => {
    // A file whose stat signature is the one the cache read it under is not read again.
    let stats: FileStat | undefined;
    if (knowsFiles) {
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
  const batches: (typeof toRead)[] = [];
  for (let k = 0; k < toRead.length; k += BATCH) batches.push(toRead.slice(k, k + BATCH));
  // Enough files to read for workers (a warm run has none): each worker reads, hashes and identifies its
  // batches, many reads in flight. The main thread reading them all cost Graph's first step 4.8 s of
  // its CPU over 5.3 s, the workers mostly waiting for the bytes.
  const pool = toRead.length > 0 ? options.runnerFor(toRead.length) : null;
  if (pool && pool.threads > 0) {
    await forEachConcurrently(batches, pool.threads * 2, async (batch, b) => {
      const found = await pool.identify({
        files: batch.map(({ i }) => files[i]!),
        stats: batch.map(({ stats }) => (stats ? plainStat(stats) : null)),
        maxFileBytes,
      });
      const learned: (typeof readHere)[number] = [];
      batch.forEach(({ i, stats }, k) => {
        const { hash, content, stats: readUnder } = found[k]!;
        hashes[i] = hash;
        contents[i] = content;
        const signature = readUnder ?? stats;
        if (cache && hash !== null && signature) learned.push({ i, stats: { ...signature, isFile: () => true }, hash });
      });
      readHere[b] = learned;
      rememberInOrder();
      done(batch.length);
    });
    return identities();
  }
  // Chosen when the first file the cache does not know turns up.
  let runner: CheckRunner | null = null;
  const lanes = 2; // one batch read while the other is identified
  await forEachConcurrently(batches, lanes, async (batch, b) => {
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
    const learned: (typeof readHere)[number] = [];
    batch.forEach(({ i }, j) => {
      const { hash, stats } = reads[j]!;
      hashes[i] = hash;
      if (cache && hash !== null) learned.push({ i, stats: stats!, hash });
      const known = hash !== null ? cache?.identity(hash) : undefined;
      if (known) {
        contents[i] = known;
        done(1);
      } else unknown.push(j);
    });
    if (unknown.length > 0) {
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
    }
    readHere[b] = learned;
    rememberInOrder();
  });
  return identities();

  function identities(): PlannedIdentity[] {
    return files.map((file, i) => identityOf(file, contents[i]!, hashes[i] ?? null, options.defaultLocale));
  }
}
