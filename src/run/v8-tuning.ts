import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

/**
 * V8 flags set while a run's workers are up, and put back to this binary's defaults when the last pool closes. V8
 * flags are the process's, not a worker's (node refuses them in a Worker's execArgv), so the main thread has them
 * too for that while; they change how fast code runs, never what it computes.
 */
export interface TunedFlag {
  name: string;
  value: number;
  /** The default when this binary's listing cannot be had: only for a flag whose default is the same in every V8. */
  fallback?: number;
}

export const TUNED_FLAGS: readonly TunedFlag[] = [
  /*
   * How far past what its last full collection kept a heap may grow before the next, in percent. V8's own factor
   * (0) rises to 4x on a program that allocates as fast as a parse does, and each of a run's three heaps (the main
   * thread's and two workers') grew to three or four times what it held. Graph, cold, 98,130 pages, in one
   * interleaved run (medians of 3): V8's own 31.6 s at 1,122 MB peak RSS; 50 % 32.1 s at 764 MB; 35 % 32.4 s at
   * 801 MB. V8 reads it at each full collection.
   */
  { name: 'heap-growing-percent', value: 50, fallback: 0 },
  /*
   * Less inlining, and code optimized only once it has run longer. Each worker compiles the parsers and rules
   * afresh, and with V8's defaults (920 bytecodes inlined per function, a 66 KB budget on Node 20) optimizing them
   * took more CPU than running them: identifier-translated's rule body was compiled 5 times on 7,272 Graph pages at
   * 300 ms each, a parse's outline builder 7 times at 100 ms. Both are read as code is compiled and as its budget
   * runs out. Exchange (8,978 pages, 2 workers), lint() alone, 2 rounds: 8.4 s wall, 16.4 s CPU with V8's defaults;
   * 6.3-6.6 s, 12.2-12.8 s CPU with these. Graph, cold, 3 rounds interleaved: 33.1 s against 29.8 s (median).
   * remark-parse over Exchange runs as fast with them as without (27.2 s, 27.5 s).
   */
  { name: 'max-inlined-bytecode-size-cumulative', value: 300 },
  { name: 'interrupt-budget', value: 400_000 },
];

const TUNED_NAMES = TUNED_FLAGS.map((flag) => flag.name);

/** Whether node's command line sets the flag: then it is the user's (V8 takes `-` and `_` alike in a name). */
export function setOnCommandLine(name: string, execArgv: readonly string[] = process.execArgv): boolean {
  const spelled = name.split('-').join('[-_]');
  return execArgv.some((arg) => new RegExp(`^--${spelled}(?:=|$)`).test(arg));
}

/**
 * Each named flag's default in a `node --v8-options` listing (`default: --name=value`); a flag not listed is left
 * out. V8 has no API that reads a flag's value, and its defaults differ from one release to the next (the interrupt
 * budget is 66 KB in Node 20's V8 and twice that in later ones): the listing of this very binary is the way to put
 * a flag back as it was.
 */
export function defaultsInListing(listing: string, names: readonly string[]): Map<string, number> {
  const defaults = new Map<string, number>();
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    const match = new RegExp(`default: --${escaped}=(-?\\d+)\\b`).exec(listing);
    if (match) defaults.set(name, Number(match[1]));
  }
  return defaults;
}

/**
 * Whether `process.execPath --v8-options` lists node's flags and exits: not in Electron, Bun or Deno (which may start
 * an app, or have no V8), nor in a single executable application or a pkg binary (which would start the program).
 */
function listsItsFlags(): boolean {
  if (process.versions.electron || process.versions.bun || process.versions.deno) return false;
  if ((process as { pkg?: unknown }).pkg !== undefined) return false;
  try {
    const sea = createRequire(import.meta.url)('node:sea') as { isSea?: () => boolean };
    return !sea.isSea?.();
  } catch {
    return true; // a node before node:sea has no single executable applications
  }
}

/** Without NODE_OPTIONS, which the listing does not need and a user's may make load code. */
function listingEnv(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _options, ...env } = process.env;
  return env;
}

/** The defaults of the tuned flags in a listing read now (none when it cannot be had). */
function listingNow(): Map<string, number> {
  const listed = spawnSync(process.execPath, ['--v8-options'], {
    encoding: 'utf8',
    timeout: 10_000,
    env: listingEnv(),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return defaultsInListing(listed.status === 0 && typeof listed.stdout === 'string' ? listed.stdout : '', TUNED_NAMES);
}

/**
 * This binary's defaults of the tuned flags (none when its listing cannot be had), read once per process. Where the
 * V8 is one whose listing holds every tuned flag (V8_HOLDING_THE_FLAGS), without waiting: the first pool sets the
 * flags and starts its workers at once (a synchronous listing held them back by 50-90 ms, on Exchange 1 % of a cold
 * run), and only putting the flags back waits for it.
 */
let listed: Promise<Map<string, number>> | null = null;
function binaryDefaults(): Promise<Map<string, number>> {
  listed ??= new Promise((resolve) => {
    if (!listsItsFlags()) return resolve(new Map());
    const chunks: Buffer[] = [];
    const child = spawn(process.execPath, ['--v8-options'], {
      env: listingEnv(),
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve(new Map()));
    child.on('close', (code) =>
      resolve(defaultsInListing(code === 0 ? Buffer.concat(chunks).toString('utf8') : '', TUNED_NAMES)),
    );
  });
  return listed;
}

/**
 * V8 majors whose `--v8-options` listing was read to hold every tuned flag (Node 20's V8 11.3). Elsewhere the listing
 * is read before any flag is set, and a flag it does not list is not set: V8 prints an error for a flag it does not
 * know.
 */
export const V8_HOLDING_THE_FLAGS: ReadonlySet<number> = new Set([11]);

/**
 * The flags this module sets: not set on node's command line (one a program sets with v8.setFlagsFromString cannot
 * be seen, and is not kept; nor is a default that another flag on the command line implies, `--stress-inline`: the
 * listing's is put back), and with a default to put back: a fallback, or this binary's listing. Should that listing
 * fail to come (it is read as the flags are set), a flag without a fallback stays set: it changes speed, not results.
 */
let owned: TunedFlag[] | null = null;
let poolsUp = 0;

/**
 * Called as a pool starts: the first one up sets the flags. Only in the main thread: the count is a thread's, the
 * flags the process's, and a lint run inside a worker thread (a test runner's) would put them back under another
 * thread's pool.
 */
export function tuneForPool(): void {
  if (!isMainThread) return;
  if (poolsUp++ > 0) return;
  if (owned === null) {
    const lists = listsItsFlags();
    // Where this V8 is not known to hold every tuned flag, its listing is read first: only the flags it lists are set.
    const listedNow =
      lists && !V8_HOLDING_THE_FLAGS.has(Number.parseInt(process.versions.v8, 10)) ? listingNow() : null;
    if (listedNow) listed = Promise.resolve(listedNow);
    owned = TUNED_FLAGS.filter(
      (flag) =>
        !setOnCommandLine(flag.name) && (flag.fallback !== undefined || (lists && (listedNow?.has(flag.name) ?? true))),
    );
  }
  if (owned.length > 0) void binaryDefaults();
  for (const flag of owned) v8.setFlagsFromString(`--${flag.name}=${flag.value}`);
}

/** Called as a pool closes: the last one down puts the flags back to this binary's defaults. */
export async function untuneAfterPool(): Promise<void> {
  if (!isMainThread || poolsUp === 0) return;
  if (--poolsUp > 0 || owned === null || owned.length === 0) return;
  const defaults = await binaryDefaults();
  if (poolsUp > 0) return; // another pool came up meanwhile: the flags stay set for it
  for (const flag of owned) {
    const restore = defaults.get(flag.name) ?? flag.fallback;
    if (restore !== undefined) v8.setFlagsFromString(`--${flag.name}=${restore}`);
  }
}
