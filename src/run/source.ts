import { hash } from 'node:crypto';
import {
  close,
  closeSync,
  constants,
  fstatSync,
  open,
  openSync,
  read as readInto,
  readFile,
  readSync,
  stat,
  statSync,
} from 'node:fs';
import { discoveredStats, type DiscoveredFile, type FileStat } from '../discover/discover.js';
import { pageIdentity, type ContentIdentity } from '../page/identity.js';

export type { ContentIdentity };
import { decodeSource, DEFAULT_MAX_FILE_BYTES, refuseToRead, unreadableSource, type SourceText } from '../page/read.js';

/**
 * Reading for whole doc sets. `readSource` (page/read.ts) reads through `fs/promises`: on 9,000
 * small cached files that is 4–7 s of thread-pool round trips, where a synchronous read and a
 * SHA-256 of each file take under 0.2 s. So the first step of a run reads with many callback
 * reads in flight (`readPageBytesAsync`), in each worker or in the main thread: a synchronous read
 * of a cold file would leave a core idle. The checks then read the same files again, synchronously
 * (the page cache holds them by then): `readPageBytes`, `readPageBytesReusing`. All mirror
 * `readSource` exactly (same checks, same diagnostics, same decoded text;
 * test/run-source.test.ts holds them equal) and also return the content hash the cache is keyed by.
 */

/** Hex SHA-256 of a page's bytes, truncated to 128 bits: what the cache is keyed by. */
export const contentHash = (bytes: Uint8Array | string): string =>
  // One call, not a Hash object per page (4.7 µs against 7.7 µs for a 2.5 kB page; every page is hashed twice in a
  // cold run); from the digest's first 16 bytes, not a slice of its 64 hex digits (a slice keeps all 64 alive).
  hash('sha256', bytes, 'buffer').toString('hex', 0, 16);

/**
 * A page's bytes and their hash (with the stat taken before reading), or why there are none (as the SourceText
 * readSource gives then).
 */
export type PageBytes =
  | { bytes: Buffer; hash: string; stats: FileStat; failed: null }
  | { bytes: null; hash: null; stats: null; failed: SourceText };

/**
 * Read and hash one page, synchronously, without decoding it (a cache hit needs no text): the bytes of
 * `readPageBytesReusing`, copied out of its buffer so that they stay. Never throws for a user's file.
 */
export function readPageBytes(file: string, displayPath: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES): PageBytes {
  const read = readPageBytesReusing(file, displayPath, maxFileBytes);
  return read.bytes ? { ...read, bytes: Buffer.from(read.bytes) } : read;
}

/**
 * Pages read synchronously in more than this (ms, the median of a window) come from the disk, not the page cache.
 * Measured on Graph in two workers: 20-30 µs a read from the page cache, 220 µs from a cold disk.
 */
const SLOW_READ_MS = 0.1;

/**
 * Whether a window of synchronous reads' times (ms) says the files come from the disk. The read alone is timed (not
 * what is done with the bytes), and the median decides: the first reads of a worker, before its code is compiled,
 * take five to twenty times as long, and an average that counted them (with the identification after each read) took
 * a warm page cache for a cold disk, sending the whole first step to callback reads (7-10 s where it takes 3 s on
 * Graph).
 */
export function readsFromDiskBy(times: number[], slowMs = SLOW_READ_MS): boolean {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]! > slowMs;
}

/**
 * A run's first pages, read one after another in the main thread, take longer than this (ms, the median) when they
 * come from the disk: 0.07-0.16 ms on Exchange and Graph after the page cache was dropped (files of a folder lie
 * together, and the disk reads ahead), 0.011-0.03 ms from the page cache.
 */
export const PROBE_SLOW_MS = 0.05;

/** Whether `files` (a few) come from the disk, not the page cache, by the time a synchronous read of each takes. */
export function readsComeFromDisk(files: readonly DiscoveredFile[], maxFileBytes = DEFAULT_MAX_FILE_BYTES): boolean {
  const times: number[] = [];
  for (const file of files)
    if (readPageBytesReusing(file.absPath, file.displayPath, maxFileBytes).bytes) times.push(readTook);
  return times.length > 0 && readsFromDiskBy(times, PROBE_SLOW_MS);
}

/** Bytes read ahead of a file, at most: kernel readahead fetches more around them; the checks read any rest. */
const AHEAD_BYTES = 128 * 1024;

/**
 * Bring `files` into the page cache, in order, `inFlight` reads at a time, the bytes thrown away: checks read pages
 * synchronously, and from a cold disk each such read waits for it (220 µs on Graph) while many reads in flight keep
 * it busy. Files discovery took a stat of are read when that says a regular file within the size limit; the others
 * it found regular as it walked, or followed a link to inside the root (no more than AHEAD_BYTES is read of any).
 * Each is opened as readPageBytesReusing opens it (a FIFO put in a page's place is not waited on). Never fails;
 * `finished` gives how many files it read.
 */
export function readAhead(
  files: readonly DiscoveredFile[],
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  inFlight = 32,
): { stop(): void; finished: Promise<number> } {
  let next = 0;
  let stopped = false;
  let read = 0;
  let lanesLeft = inFlight;
  let finish: (count: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const lane = (buffer: Buffer) => {
    let file: DiscoveredFile | undefined;
    let stats: FileStat | undefined;
    do {
      if (stopped || next >= files.length) {
        if (--lanesLeft === 0) finish(read);
        return;
      }
      file = files[next++]!;
      stats = discoveredStats(file);
    } while (stats !== undefined && (!stats.isFile() || stats.size > maxFileBytes));
    open(file.absPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY, (error, fd) => {
      if (error) return lane(buffer);
      read++;
      readInto(fd, buffer, 0, buffer.length, 0, () => close(fd, () => lane(buffer)));
    });
  };
  for (let k = 0; k < inFlight; k++) lane(Buffer.allocUnsafeSlow(AHEAD_BYTES));
  return {
    stop: () => {
      stopped = true;
    },
    finished,
  };
}

/** How long the last `readPageBytesReusing` of this thread took to open and read its file (ms), hashing aside. */
let readTook = 0;
export const lastReadTook = (): number => readTook;

/** The buffer `readPageBytesReusing` reads into, one per thread, grown as pages need. */
let scratch = Buffer.allocUnsafeSlow(1 << 20);
/** Larger than this, the buffer is not kept for the next page. */
const SCRATCH_KEPT = 8 << 20;

/**
 * `readPageBytes` into a buffer this thread reuses: the bytes are valid only until the next call in
 * the same thread, for a caller that decodes them at once (a check). A Buffer of its own per page, as
 * readFileSync allocates, left the worker threads' malloc arenas fragmented: on Graph, 983-1,288 MB
 * peak RSS where the main thread's reads kept it at 897-912 MB.
 */
export function readPageBytesReusing(
  file: string,
  displayPath: string,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
): PageBytes {
  try {
    // Opened first and asked for its stat after (a stat by path then an open walked the path twice: 15 % of
    // the read); without blocking, so that a FIFO put in a page's place is refused, not waited on (opening it
    // wakes a writer waiting on it, which the stat first did not), and never as a controlling terminal.
    let fd: number;
    const started = performance.now();
    try {
      fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (error) {
      // What cannot be opened may still be refused for what it is (a socket is not a regular file).
      const refused = refuseToRead(displayPath, statSync(file), maxFileBytes);
      if (refused) return { bytes: null, hash: null, stats: null, failed: refused };
      throw error;
    }
    let length = 0;
    let st: FileStat;
    try {
      st = fstatSync(fd);
      const refused = refuseToRead(displayPath, st, maxFileBytes);
      if (refused) return { bytes: null, hash: null, stats: null, failed: refused };
      // As readFileSync reads: the size the stat gave, or to the end of a file whose stat says 0 (as /proc's).
      for (;;) {
        if (st.size > 0 && length >= st.size) break;
        const wanted = st.size > 0 ? st.size - length : 64 * 1024;
        if (scratch.length - length < wanted) {
          const grown = Buffer.allocUnsafeSlow(Math.max(scratch.length * 2, length + wanted));
          scratch.copy(grown, 0, 0, length);
          scratch = grown;
        }
        const read = readSync(fd, scratch, length, st.size > 0 ? wanted : scratch.length - length, null);
        if (read === 0) break;
        length += read;
        const grew = refuseToRead(displayPath, { isFile: () => true, size: length }, maxFileBytes);
        if (grew) return { bytes: null, hash: null, stats: null, failed: grew };
      }
    } finally {
      closeSync(fd);
    }
    readTook = performance.now() - started;
    const bytes = scratch.subarray(0, length);
    // A buffer grown for one large page goes with it (the view returned keeps it until it is let go).
    if (scratch.length > SCRATCH_KEPT) scratch = Buffer.allocUnsafeSlow(1 << 20);
    return { bytes, hash: contentHash(bytes), stats: st, failed: null };
  } catch (error) {
    return { bytes: null, hash: null, stats: null, failed: unreadableSource(displayPath, error) };
  }
}

/**
 * `readPageBytes` asynchronously, the same result. Many of these in flight keep the disk busy when
 * the files are not in the page cache: the 98,130 Graph pages take 22 s read one by one
 * synchronously and 3.5 s with 32 reads in flight (1.6 s against 0.8 s when cached). Callback
 * `readFile`, not `fs/promises`: its FileHandle round trips cost twice as much.
 */
export function readPageBytesAsync(
  file: string,
  displayPath: string,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  stats?: FileStat,
): Promise<PageBytes> {
  const failed = (error: unknown): PageBytes => ({
    bytes: null,
    hash: null,
    stats: null,
    failed: unreadableSource(displayPath, error),
  });
  return new Promise((resolve) => {
    const withStats = (st: FileStat) => {
      const refused = refuseToRead(displayPath, st, maxFileBytes);
      if (refused) return resolve({ bytes: null, hash: null, stats: null, failed: refused });
      readFile(file, (error, bytes) =>
        resolve(error ? failed(error) : { bytes, hash: contentHash(bytes), stats: st, failed: null }),
      );
    };
    if (stats) withStats(stats);
    else stat(file, (error, st) => (error ? resolve(failed(error)) : withStats(st)));
  });
}

/** The numbers of a regular file's stat that a run keeps (FileStat without its method, to cross threads). */
export interface PlainStat {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** A stat's numbers, to cross threads. */
export function plainStat(stats: PlainStat): PlainStat {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

/**
 * A page read by the main thread for a worker's task: `PageBytes` without the stat (the bytes
 * arrive as a Uint8Array, structured-cloned).
 */
export type PageRead =
  { bytes: Uint8Array; hash: string; failed: null } | { bytes: null; hash: null; failed: SourceText };

/** `readPageBytesAsync` for a task: what a worker needs of it. */
export async function readForTask(file: DiscoveredFile, maxFileBytes?: number): Promise<PageRead> {
  return withoutStats(await readPageBytesAsync(file.absPath, file.displayPath, maxFileBytes, discoveredStats(file)));
}

export function withoutStats(read: PageBytes): PageRead {
  return (
    read.failed
      ? { bytes: null, hash: null, failed: read.failed }
      : { bytes: read.bytes, hash: read.hash, failed: null }
  ) as PageRead;
}

/** The decoded page of `readPageBytes`: what readSource gives. */
export function decodePageBytes(read: PageRead, displayPath: string): SourceText {
  return read.failed ?? decodeSource(displayPath, read.bytes);
}

export interface PlannedIdentity {
  pageId: string;
  locale: string | null;
  assetId: string | null;
  file: string;
  source: DiscoveredFile;
  /** Content hash of the bytes the identity was read from (null: not read). */
  hash: string | null;
}

/** A page's identity from its path and the content part: the same as `identifyPage`. */
export function identityOf(
  file: DiscoveredFile,
  content: ContentIdentity,
  hash: string | null,
  defaultLocale?: string,
): PlannedIdentity {
  const id = pageIdentity(file, content.declaredLocale, defaultLocale);
  return { pageId: id.pageId, locale: id.locale, assetId: content.assetId, file: file.displayPath, source: file, hash };
}
