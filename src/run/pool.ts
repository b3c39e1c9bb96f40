import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { tuneForPool, untuneAfterPool } from './v8-tuning.js';
import type { CheckTask, GroupOutcome, IdentifyOutcome, IdentifyTask } from './check.js';

// The parsers and rules are loaded on first use in this thread: a warm run (every group cached)
// or a run on workers never needs them here, and loading them costs a few hundred milliseconds.
const inThread = () => import('./check.js');
const checkBatch = async (task: CheckTask) => (await inThread()).checkBatch(task);
const identifyBatch = async (task: IdentifyTask) => (await inThread()).identifyBatch(task);

/** Below this many pages to parse, a run stays in the main thread: starting workers costs more than it saves. */
export const WORKER_THRESHOLD_PAGES = 400;

/**
 * How many worker threads a run uses: `requested` when given (0 = none), else one per core when there is enough work.
 */
export function workerCount(
  requested: number | undefined,
  pagesToParse: number,
  cores = os.availableParallelism(),
): number {
  if (pagesToParse <= 0) return 0;
  if (requested !== undefined) return Math.max(0, Math.min(Math.floor(requested), pagesToParse));
  if (cores <= 1 || pagesToParse < WORKER_THRESHOLD_PAGES) return 0;
  return Math.min(cores, Math.ceil(pagesToParse / (WORKER_THRESHOLD_PAGES / 2)));
}

/**
 * The worker file: when running built code (dist/), `worker.bundle.js` beside this module (the entry and all it
 * imports in one file, scripts/bundle-worker.mjs), else `worker.js`; from the TypeScript sources (vitest), a small
 * .mjs entry that loads `worker.ts` through tsx. Null when none can run: the caller checks in the main thread.
 */
export function workerEntry(): string | null {
  for (const name of ['./worker.bundle.js', './worker.js']) {
    const js = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(js))) return js.href;
  }
  const ts = new URL('./worker.ts', import.meta.url);
  const dev = new URL('./worker-dev.mjs', import.meta.url);
  if (!existsSync(fileURLToPath(ts)) || !existsSync(fileURLToPath(dev))) return null;
  try {
    createRequire(import.meta.url).resolve('tsx/esm/api');
    return dev.href;
  } catch {
    return null;
  }
}

export interface CheckRunner {
  /** Worker threads in use (0: checking in the main thread, also after a worker failed). */
  threads: number;
  /**
   * Check a task. With `signal`, on a worker: aborting it stops the task's worker (a new one takes
   * its place) and rejects with an AbortError. In the main thread `signal` is ignored: synchronous
   * parsing cannot be interrupted there.
   */
  run(task: CheckTask, signal?: AbortSignal): Promise<GroupOutcome[]>;
  identify(task: IdentifyTask): Promise<IdentifyOutcome[]>;
  close(): Promise<void>;
}

/**
 * Check in the main thread, one task at a time. The event loop turns before each task: checking is synchronous,
 * and without a turn the cache's journal appends (and the CLI's progress timers) would wait for the run's end, so a
 * killed run would keep nothing it finished.
 */
export const IN_THREAD: CheckRunner = {
  threads: 0,
  run: async (task) => {
    await new Promise((resolve) => setImmediate(resolve));
    return checkBatch(task);
  },
  identify: identifyBatch,
  close: async () => {},
};

/**
 * Workers started on first need: the first call with enough work (`workerCount`) starts the
 * pool, and later calls get the same pool; until then, and for small runs, the main thread.
 */
export function lazyRunner(requested: number | undefined): { for(pages: number): CheckRunner; close(): Promise<void> } {
  let pool: CheckRunner | null = null;
  return {
    for(pages) {
      if (!pool) {
        const n = workerCount(requested, pages);
        if (n > 0) pool = poolRunner(n);
      }
      return pool ?? IN_THREAD;
    },
    close: async () => {
      await pool?.close();
    },
  };
}

/**
 * A tinypool of `threads` workers. A task whose worker fails (it could not start, or died) is
 * checked in the main thread instead, so a pool problem never changes a run's results.
 */
export function poolRunner(threads: number): CheckRunner {
  const filename = workerEntry();
  if (threads <= 0 || filename === null) return IN_THREAD;
  // Before the workers start, so that they compile under the flags from their first function.
  tuneForPool();
  let pool: Tinypool;
  try {
    pool = new Tinypool({
      filename,
      minThreads: threads,
      maxThreads: threads,
      // Parsing allocates many short-lived objects: a young generation larger than V8's default means
      // fewer scavenges, for memory. Graph, cold, each pair interleaved in one bench run (medians of 3):
      // 192 MB 38.7 s at 1,245 MB peak RSS against 32 MB 39.4 s at 1,000 MB; 64 MB 41.8 s at 1,018 MB
      // against 32 MB 43.8 s at 878 MB (peak RSS varies by ±150 MB from run to run).
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
  } catch (error) {
    void untuneAfterPool(); // no pool is up: nothing else would put the flags back
    throw error;
  }
  let closed = false;
  let broken = false;
  const attempt = async <T, R>(
    task: T,
    name: string,
    fallback: (task: T) => Promise<R>,
    signal?: AbortSignal,
  ): Promise<R> => {
    if (broken) return fallback(task);
    try {
      return (await pool.run(task, { name, signal })) as R;
    } catch (error) {
      if (signal?.aborted) throw error; // stopped on purpose (a watchdog): not a broken pool
      broken = true;
      return fallback(task);
    }
  };
  return {
    get threads() {
      return broken ? 0 : threads;
    },
    run: (task, signal) => attempt(task, 'default', IN_THREAD.run, signal),
    identify: (task) => attempt(task, 'identify', IN_THREAD.identify),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await pool.destroy();
      } finally {
        await untuneAfterPool();
      }
    },
  };
}
