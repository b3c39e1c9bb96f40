/**
 * `lint()`: a whole run over doc sets of any size. Files are grouped by path and front matter, and each page group
 * is parsed and checked on its own, on workers when there is enough to do, and only when the cache does not already
 * know its findings; a run that would read every file checks the groups its paths plan as it reads them, and checks
 * again those its front matter plans otherwise. This module loads no parser: a warm run never needs one in the main
 * thread.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareDiagnostics, countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadOptions, LoadResult } from '../group/load.js';
import { lintGroups, type LintOptions } from '../lint/lint.js';
import { fixFiles } from '../fix/files.js';
import { resolvePlans } from '../fix/repair.js';
import { discoverFiles, type DiscoveredFile } from '../discover/discover.js';
import { groupIdentities, joinedByAsset } from '../group/group.js';
import { declaredLocaleMoves, pageIdentity } from '../page/identity.js';
import { docsRootOf } from '../discover/locale.js';
import { defaultCacheDir, LintCache, type GroupEntry } from './cache.js';
import { identifyFiles } from './identify.js';
import type { CheckTask, GroupOutcome, StoppedStep } from './check.js';
import { lazyRunner } from './pool.js';
import { forEachConcurrently } from '../util/concurrently.js';
import { identityOf, readAhead, readsComeFromDisk, type PlannedIdentity } from './source.js';
import { DEFAULT_PAGE_TIMEOUT_MS, Watchdog } from './watchdog.js';
import { shardOf, type Shard } from './shard.js';
import { LockstepError } from '../util/errors.js';
import { leavesFolder } from '../util/paths.js';

export { shardOf };

/** Pages read and timed to tell a cold disk from the page cache before a run reads ahead. */
const DISK_PROBE_FILES = 32;

/** The locales some identities name, sorted. */
const localesOf = (identities: readonly { locale: string | null }[]): string[] =>
  [...new Set(identities.map((i) => i.locale).filter((l): l is string => l !== null))].sort();

/**
 * The groups the paths alone plan (no front matter read), each with its members' indices in `files`, and the locales
 * they name. A function of its own, so that the path identities are let go once grouped: held through a run with a
 * map from file to index, they took 31 MB of the main thread's heap on Graph.
 */
function planFromPaths(files: readonly DiscoveredFile[], defaultLocale: string | undefined) {
  const fromPaths = files.map((file, index) => {
    const { pageId, locale } = pageIdentity(file, null, defaultLocale);
    return { pageId, locale, assetId: null, file: file.displayPath, index };
  });
  const plan = groupIdentities(fromPaths).map((g) => ({
    pageId: g.pageId,
    members: g.members.map((m) => files[m.index]!),
    indices: g.members.map((m) => m.index),
  }));
  return { plan, locales: localesOf(fromPaths) };
}

/**
 * The checks read each page synchronously, once. When the first pages of `groups` come from the disk, not the page
 * cache, the rest are read ahead of them in this thread, many at a time (a run's workers are still loading as this
 * starts); null when they come from the page cache.
 */
function readAheadIfCold(groups: readonly { members: DiscoveredFile[] }[], maxFileBytes: number | undefined) {
  const inCheckOrder = groups.flatMap((g) => g.members);
  return readsComeFromDisk(inCheckOrder.slice(0, DISK_PROBE_FILES), maxFileBytes)
    ? readAhead(inCheckOrder.slice(DISK_PROBE_FILES), maxFileBytes)
    : null;
}

/** The cache's key of a group of identified files; null when a file could not be read (no hash). */
function groupKeyOf(pageId: string, members: readonly PlannedIdentity[], locales: readonly string[]): string | null {
  if (!members.every((m) => m.hash !== null)) return null;
  const keyed = members.map((m) => ({
    file: m.file,
    absPath: m.source.absPath,
    root: m.source.root,
    locale: m.locale,
    hash: m.hash!,
  }));
  return LintCache.groupKey(pageId, keyed, locales);
}

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** `--changed-since` with a ref or a tree git cannot use. */
export class GitError extends LockstepError {}

/**
 * Files changed since a git ref in the repository that holds `dir` (committed, staged, unstaged,
 * untracked, and deleted ones; both paths of a rename), as absolute paths below the repository's
 * top level as git gives it (a real path). Git runs there, not in the working directory: the
 * docs may be a repository of their own, and `git diff` and `git ls-files` name paths from there.
 */
export function changedFiles(ref: string, dir: string): Set<string> {
  const git = (cwd: string, args: string[]) => {
    try {
      const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio, maxBuffer: 1 << 30 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '')
        .trim()
        .split('\n')[0];
      throw new GitError(`--changed-since ${ref}: git ${args[0]} failed: ${stderr || (error as Error).message}`);
    }
  };
  const top = git(dir, ['rev-parse', '--show-toplevel']).trim();
  const names: string[] = [];
  // NUL-separated, so that no path is quoted; `--no-relative` in case the user's config sets diff.relative.
  const fields = git(top, ['diff', '--name-status', '-z', '--find-renames', '--no-relative', ref, '--']).split('\0');
  for (let i = 0; i + 1 < fields.length;) {
    const status = fields[i++]!;
    // A rename changes two pages: the one that is gone (its group lost a member) and the new one.
    // A copy leaves its source as it was.
    if (status.startsWith('R')) names.push(fields[i++]!, fields[i++]!);
    else if (status.startsWith('C')) {
      i++;
      names.push(fields[i++]!);
    } else names.push(fields[i++]!);
  }
  names.push(...git(top, ['ls-files', '-z', '--others', '--exclude-standard']).split('\0'));
  return new Set(names.filter(Boolean).map((n) => path.resolve(top, n)));
}

/** Where `--changed-since` asks git: the first input's folder, or its nearest existing one (a file, a glob). */
function repositoryDir(inputs: readonly string[], cwd: string): string {
  let dir = path.resolve(cwd, inputs[0] ?? '.');
  const isFolder = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory();
  while (!isFolder(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * What `--changed-since` selects: the changed paths as discovery names them (git gives real paths,
 * while a root may be reached through a link, as `/tmp` is on macOS), and the page ids of pages
 * that are gone (deleted, renamed away). Those are in no group any more, so their group is found
 * by the id their path gave them, the way grouping derives it, and rechecked from its other locales.
 */
function changedSelection(
  changed: Set<string>,
  files: readonly DiscoveredFile[],
  defaultLocale?: string,
): { paths: Set<string>; pageIds: Set<string> } {
  const roots = [...new Set(files.map((f) => f.root))].map((root) => {
    let real = root;
    try {
      real = realpathSync(root);
    } catch {
      /* a root that went away: compared as given */
    }
    return { root, real };
  });
  const present = new Set(files.map((f) => path.resolve(f.absPath)));
  const paths = new Set<string>();
  const pageIds = new Set<string>();
  for (const changedPath of changed) {
    paths.add(changedPath);
    for (const { root, real } of roots) {
      const rel = path.relative(real, changedPath);
      if (rel === '' || leavesFolder(rel)) continue;
      const absPath = path.join(root, rel);
      paths.add(absPath);
      if (present.has(absPath) || existsSync(absPath)) continue;
      pageIds.add(pageIdentity({ absPath, root, displayPath: absPath }, null, defaultLocale).pageId);
    }
  }
  return { paths, pageIds };
}

/**
 * What `wholeGroups` reads for inputs that are all files: the docs root of each (the folder that
 * holds its locale folder, or its own folder), and each file as discovery will name it under that
 * root (as absolute paths). Null when some input is a folder, a glob or missing: those are read as given.
 */
function namedFiles(inputs: readonly string[], cwd: string): { roots: string[]; keys: Set<string> } | null {
  if (inputs.length === 0) return null;
  const roots = new Set<string>();
  const keys = new Set<string>();
  for (const input of inputs) {
    const absPath = path.resolve(cwd, input);
    if (!statSync(absPath, { throwIfNoEntry: false })?.isFile()) return null;
    roots.add(docsRootOf(absPath));
    keys.add(absPath);
  }
  return { roots: [...roots], keys };
}

export interface LintResult {
  diagnostics: Diagnostic[];
  /** Every page group checked, with its pages per locale (reporters draw the locale × group matrix from it). */
  pageGroups: { pageId: string; pages: { locale: string | null; file: string }[] }[];
  summary: {
    pages: number;
    pageGroups: number;
    locales: string[];
    samples: number;
    errors: number;
    warnings: number;
    infos: number;
    /** Findings left out because a baseline (`--baseline`) knows them. */
    baselined?: number;
  };
  /**
   * The findings a baseline knows, left out of `diagnostics` (counted by `summary.baselined`); reports can still show
   * them.
   */
  baselined?: Diagnostic[];
  /** The shard this run checked (`--shard`), so that `lockstep merge` can tell when one is missing. */
  shard?: Shard;
}

/** Progress of a lint run, as `onProgress` reports it (the CLI draws it: cli/progress.ts). */
export interface LintProgress {
  /**
   * `reading`: files are read and hashed and their front matter identified; `checking`: groups are parsed and checked;
   * `done`: the run is over.
   */
  phase: 'reading' | 'checking' | 'done';
  /**
   * Files identified / discovered; `cached`: of those, taken from the cache by their unchanged stat, without reading
   * them.
   */
  files: { done: number; total: number; cached: number };
  /** Page groups checked (parsed or found in the cache) / planned. */
  groups: { done: number; total: number; cached: number };
  /** Pages parsed so far / pages that need parsing (groups not in the cache). */
  pages: { done: number; total: number };
  /** Worker threads checking groups (0: the main thread). */
  workers: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

/**
 * Options of `lint()`: loading, checking, and how a run scales (the CLI's --shard, --changed-since, --cache, --workers,
 * progress).
 */
export interface LintRunOptions extends LoadOptions, LintOptions {
  /** Check only this shard of the page groups (0-based index). */
  shard?: Shard;
  /** Check only the page groups with a file changed since this git ref (all their locales). */
  changedSince?: string;
  /**
   * When every input is an existing file (a pre-commit hook, an editor): check those files' whole
   * page groups, with the other locales found under each file's docs root (the folder above its
   * locale folder: `docs` for `docs/pt-BR/x/a.md`; the file's own folder when its path names no
   * locale). Default false: the files alone. The CLI's `lint` sets it.
   */
  wholeGroups?: boolean;
  /**
   * Reuse what earlier runs found for unchanged files and page groups: `true` keeps the cache in
   * `node_modules/.cache/lockstep/` under `cwd` when `cwd` has a node_modules, else in
   * `.lockstep-cache/` (which ignores itself with a `.gitignore`); `{ location }` in that folder
   * (relative to `cwd`).
   * Absent or `false`: no cache is read or written. Results are the same either way.
   */
  cache?: boolean | { location?: string };
  /**
   * Worker threads that parse and check page groups; `0` checks in the main thread. Default: one
   * per core when there are a few hundred pages or more to parse, else none. Results are the same either way.
   */
  workers?: number;
  /**
   * On worker threads, stop a page whose parse (or a group whose checks) runs longer than this many
   * milliseconds, and report it as `page-timeout`. Default 60,000; `0`: no limit. Pages checked in
   * the main thread (small runs, `workers: 0`) cannot be stopped.
   */
  pageTimeoutMs?: number;
  /** Called with counts as files are read and groups checked (the CLI draws a progress bar on a terminal). */
  onProgress?: (progress: LintProgress) => void;
  /**
   * Called at most once per run, after the last `onProgress` and before `lint()` resolves, with a
   * line (no `lockstep: ` prefix, no newline) saying that cache entries failed their checksum and
   * were recomputed, or that the pack could not be used, e.g. `cache: 1 entry failed its checksum
   * and was recomputed (/repo/node_modules/.cache/lockstep/lint-….pack)`. Results are right either way;
   * this tells that the cache was damaged or edited. The CLI prints it on stderr.
   */
  onCacheWarning?: (message: string) => void;
}

/**
 * Load pages and run the cross-locale checks. Page groups are planned from each file's path and front matter (read
 * and hashed first, or, when every file must be read, as the groups the paths plan are checked); each group is
 * parsed and checked on its own (in worker threads on large runs, and only when the cache does not already know its
 * findings), so memory holds a few groups' syntax at a time, never the doc set.
 */
export async function lint(inputs: readonly string[], options: LintRunOptions = {}): Promise<LintResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const named = options.wholeGroups ? namedFiles(inputs, cwd) : null;
  // What changes a group's findings besides its files: everything but where files come from and how the run goes.
  const {
    shard,
    changedSince,
    wholeGroups: _wholeGroups,
    cache: cacheOption,
    workers,
    pageTimeoutMs = DEFAULT_PAGE_TIMEOUT_MS,
    onProgress,
    onCacheWarning,
    cwd: _cwd,
    extensions: _extensions,
    ignore: _ignore,
    keepTree: _keepTree,
    ...resultOptions
  } = options;
  const location = cacheOption === true ? undefined : cacheOption ? cacheOption.location : undefined;
  const cache = cacheOption
    ? await LintCache.open(location ? path.resolve(cwd, location) : defaultCacheDir(cwd), resultOptions)
    : null;
  const runners = lazyRunner(workers);
  let discovered: Awaited<ReturnType<typeof discoverFiles>>;
  try {
    // A run whose cache knows no file reads every file it finds: enough of them, and its workers start while discovery
    // looks at each one (they take a few hundred milliseconds to load the code), not after.
    // Such a run takes each page's stat as it opens it: discovery need not take them first.
    const firstRun = !cache || !cache.holdsFiles();
    discovered = await discoverFiles(
      named ? named.roots : inputs,
      { ...options, cwd, statMatches: !firstRun },
      firstRun ? (count) => void runners.for(count) : undefined,
    );
  } catch (error) {
    await runners.close();
    throw error;
  }
  const { files, diagnostics: inputDiagnostics } = discovered;

  const progress: LintProgress = {
    phase: 'reading',
    files: { done: 0, total: files.length, cached: 0 },
    groups: { done: 0, total: 0, cached: 0 },
    pages: { done: 0, total: 0 },
    workers: 0,
    elapsedMs: 0,
  };
  const report = (phase: LintProgress['phase']) => {
    if (!onProgress) return;
    progress.phase = phase;
    progress.elapsedMs = performance.now() - started;
    onProgress({
      ...progress,
      files: { ...progress.files },
      groups: { ...progress.groups },
      pages: { ...progress.pages },
    });
  };
  report('reading');
  let planned: ReturnType<typeof groupIdentities<PlannedIdentity>>;
  let locales: string[];
  const outcomes: (GroupEntry | undefined)[] = [];
  try {
    const tick = (k: number, unread = 0) => {
      progress.files.done += k;
      progress.files.cached += unread;
      if (progress.files.done % 64 < k || progress.files.done === files.length) {
        report('reading');
        cache?.checkpoint();
      }
    };
    const identifyRead = (some: readonly DiscoveredFile[]) =>
      identifyFiles(some, {
        cache,
        runnerFor: runners.for,
        maxFileBytes: options.maxFileBytes,
        defaultLocale: options.defaultLocale,
        onFiles: tick,
      });

    /**
     * Parse and check `groups`, a few per task, calling `done` with each group's index, outcome and whether all of it
     * was checked (a watchdog stopped none of its steps). Stops starting tasks once `stop` says so.
     */
    const checkGroups = async (
      groups: readonly { pageId: string; members: DiscoveredFile[] }[],
      checkOptions: CheckTask['options'],
      done: (index: number, outcome: GroupOutcome, complete: boolean) => void,
      { identify = false, stop = () => false }: { identify?: boolean; stop?: () => boolean } = {},
    ) => {
      const runner = runners.for(groups.reduce((n, g) => n + g.members.length, 0));
      progress.workers = runner.threads;
      report('checking');
      // In the main thread one group at a time (memory holds one group's pages); in workers a few groups per task.
      // Each task costs a round trip and the pool's memory probe (a few hundred microseconds): on Graph,
      // 2,045 tasks of 16 groups spent about 2 % of the workers' time on them.
      const perTask =
        runner.threads === 0 ? 1 : Math.max(1, Math.min(64, Math.ceil(groups.length / (runner.threads * 8))));
      const tasks: number[][] = [];
      for (let k = 0; k < groups.length; k += perTask)
        tasks.push(Array.from({ length: Math.min(perTask, groups.length - k) }, (_, j) => k + j));
      const watchdog = runner.threads > 0 && pageTimeoutMs > 0 ? new Watchdog(pageTimeoutMs) : null;
      const runTask = async (task: number[]) => {
        if (stop()) return;
        // Each check reads its own files, synchronously (from the page cache once they have been read): reading them
        // here instead cost the main thread, which shares the cores with the workers, 4 thread-pool round trips per
        // file (5 s of CPU on Graph) and a copy of every byte to a worker.
        const taskGroups = task.map((i) => ({ pageId: groups[i]!.pageId, members: groups[i]!.members }));
        const stopped: StoppedStep[] = [];
        let results: GroupOutcome[];
        // Tried again, without the step that overran, until the task finishes: each try stops one more step.
        for (;;) {
          const watched = watchdog?.watch();
          try {
            results = await runner.run(
              { groups: taskGroups, options: checkOptions, watch: watched?.cell, stopped: [...stopped], identify },
              watched?.signal,
            );
            break;
          } catch (error) {
            const step = watched?.stopped();
            if (!step) throw error;
            stopped.push(step);
          } finally {
            watched?.done();
          }
        }
        task.forEach((i, j) => done(i, results[j]!, !stopped.some((s) => s.group === j)));
        progress.workers = runner.threads;
        report('checking');
        // Saved as the run goes (every few seconds at most): a killed run keeps the groups it finished.
        cache?.checkpoint();
      };
      // Two tasks per worker in flight, so that none waits for the main thread between tasks.
      await forEachConcurrently(tasks, runner.threads > 0 ? runner.threads * 2 : 1, runTask);
    };

    // Identities first (path and front matter, with content hashes): groups are planned from them. A run that would
    // read every file to learn them (no cache, no filter) checks the groups that the paths alone plan while it reads
    // each file once, and then plans again from what the pages said: groups planned the same way keep what they
    // found, the others are checked again.
    let identities: PlannedIdentity[];
    /** The groups by page id when the path plan's are known to be them (sorted, members in discovery's order). */
    let byPageId: { pageId: string; members: PlannedIdentity[] }[] | null = null;
    /** The groups the paths planned, by page id, with what each found. */
    const guessed = new Map<string, { members: DiscoveredFile[]; found?: GroupEntry }>();
    let guessedLocales: string[] | null = null;
    const knowsNothing = !cache || (!cache.holdsFiles() && !cache.holdsGroups());
    if (knowsNothing && !shard && !changedSince && !named && files.length > 0) {
      const { plan, locales: pathLocales } = planFromPaths(files, options.defaultLocale);
      guessedLocales = pathLocales;
      for (const group of plan) guessed.set(group.pageId, group);
      const known = new Array<PlannedIdentity | undefined>(files.length);
      const guessOptions = { ...resultOptions, locales: options.locales ?? guessedLocales };
      // A page whose front matter moves it to another group or locale: the plan is wrong from there on, and the groups
      // not begun yet are planned once every file is identified.
      let contradicted = false;
      progress.groups.total = plan.length;
      progress.pages.total = files.length;
      const reading = readAheadIfCold(plan, options.maxFileBytes);
      try {
        await checkGroups(
          plan,
          guessOptions,
          (k, outcome, complete) => {
            const group = plan[k]!;
            const checked = group.members.map((file, j) => {
              const content = outcome.contents![j]!;
              const identity = identityOf(file, content, outcome.hashes[j]!, options.defaultLocale);
              // Without a declared locale a page's identity is its path's; with one, it may be another.
              const declared = content.declaredLocale;
              if (declared && declaredLocaleMoves(file, declared, options.defaultLocale)) contradicted = true;
              known[group.indices[j]!] = identity;
              // Learned at once (a killed run keeps it), put in discovery's order once every file is identified, under
              // the stat the check took of the file it opened, before reading it (as the first step does for a file it
              // reads: a file changed since has another signature, and is read again).
              const stats = cache && identity.hash ? outcome.stats![j] : null;
              if (stats) cache!.remember(file.absPath, stats, identity.hash!, content);
              return identity;
            });
            const found = { diagnostics: outcome.diagnostics, samples: outcome.samples };
            guessed.set(group.pageId, { members: group.members, found });
            // Kept under the key of the group as checked (its members as read, the locales it was checked for), which
            // is the key the final plan gives it when it plans it the same; another plan never asks for it. As soon as
            // it is found, so that a killed run keeps it.
            const key = cache && complete ? groupKeyOf(group.pageId, checked, guessOptions.locales) : null;
            if (key) cache!.setGroup(key, found);
            progress.files.done += group.members.length;
            progress.groups.done++;
            progress.pages.done += group.members.length;
          },
          { identify: true, stop: () => contradicted },
        );
      } finally {
        reading?.stop();
      }
      const rest = await identifyRead(files.filter((_, i) => known[i] === undefined));
      let next = 0;
      identities = files.map((_, i) => known[i] ?? rest[next++]!);
      cache?.orderFiles(files.map((f) => f.absPath));
      // Every page where its path put it: the path plan's groups are the final plan's but for the asset ids (the
      // groups by page id cost a tenth of a second on Graph, after the last check, when nothing else runs).
      if (!contradicted && rest.length === 0)
        byPageId = plan.map((group) => ({
          pageId: group.pageId,
          members: [...group.indices].sort((a, b) => a - b).map((i) => identities[i]!),
        }));
    } else identities = await identifyRead(files);
    const changed = changedSince
      ? changedSelection(changedFiles(changedSince, repositoryDir(inputs, cwd)), files, options.defaultLocale)
      : null;
    planned = (byPageId ? joinedByAsset(byPageId) : groupIdentities(identities))
      .filter((g) => !shard || shardOf(g.pageId, shard.count) === shard.index)
      // Files named one by one: their groups, all locales of each.
      .filter((g) => !named || g.members.some((m) => named.keys.has(path.resolve(m.source.absPath))))
      // A changed page is checked with every locale of its group; a group that lost a page, with those left.
      .filter(
        (g) =>
          !changed ||
          g.members.some((m) => changed.paths.has(path.resolve(m.source.absPath)) || changed.pageIds.has(m.pageId)),
      );
    locales = localesOf(identities);
    const checkOptions = { ...resultOptions, locales: options.locales ?? locales };

    // Groups the cache knows are done; the others are parsed and checked.
    const keyOf = (g: (typeof planned)[number]) =>
      cache ? groupKeyOf(g.pageId, g.members, checkOptions.locales) : null;
    // A cache that held no group before the run (a first run) finds none: each group is keyed as its findings come
    // back, while the workers check the next ones, not all before checking starts (Graph: 0.3 s of the main thread's
    // time).
    const lookUp = !knowsNothing && (cache?.holdsGroups() ?? false);
    const keys: (string | null | undefined)[] = planned.map((g) => (lookUp ? keyOf(g) : undefined));
    // What a group checked as the paths planned it found holds when it was planned the same (same id, same members in
    // the same order) under the same locales: a check is a function of those and the options alone.
    const sameLocales = options.locales !== undefined || sameList(locales, guessedLocales ?? []);
    const todo: number[] = [];
    let reused = 0;
    planned.forEach((group, i) => {
      // A group of the path plan that was not begun (the plan was found wrong first) has found nothing.
      const guess = sameLocales ? guessed.get(group.pageId) : undefined;
      if (
        guess?.found &&
        sameList(
          guess.members,
          group.members.map((m) => m.source),
        )
      ) {
        outcomes[i] = guess.found;
        reused++;
        return;
      }
      const hit = keys[i] ? cache!.group(keys[i]!) : undefined;
      if (hit) outcomes[i] = hit;
      else todo.push(i);
    });
    const parsedAlready = progress.pages.done;
    progress.groups = {
      done: planned.length - todo.length,
      total: planned.length,
      cached: planned.length - todo.length - reused,
    };
    progress.pages.total = parsedAlready + todo.reduce((n, i) => n + planned[i]!.members.length, 0);
    progress.pages.done = parsedAlready;
    await checkGroups(
      todo.map((i) => ({ pageId: planned[i]!.pageId, members: planned[i]!.members.map((m) => m.source) })),
      checkOptions,
      (k, outcome, complete) => {
        const { diagnostics, samples, hashes } = outcome;
        const i = todo[k]!;
        const group = planned[i]!;
        outcomes[i] = { diagnostics, samples };
        // Cached only when the files checked are the files planned (none changed in between), and
        // all of it was checked: whether a watchdog stops a page depends on the machine, not the files.
        const key = keys[i] === undefined ? keyOf(group) : keys[i];
        if (key && complete && hashes.every((h, m) => h === group.members[m]!.hash)) cache!.setGroup(key, outcomes[i]!);
        progress.groups.done++;
        progress.pages.done += group.members.length;
      },
    );
  } finally {
    // Before the cache is saved: the workers' heaps go before the pack's text is made (saving while they wound down
    // raised Graph's peak RSS by 10 MB, to 697-702 MB, for no time a benchmark could tell).
    await runners.close();
    // Also when the run failed: the groups it finished are right, and a re-run need not check them again.
    await cache?.save();
  }

  // Problems with the inputs themselves belong to the first shard only: each finding once across a matrix.
  const diagnostics: Diagnostic[] = !shard || shard.index === 0 ? [...inputDiagnostics] : [];
  let samples = 0;
  for (const outcome of outcomes) {
    for (const d of outcome!.diagnostics) diagnostics.push(d);
    samples += outcome!.samples;
  }
  diagnostics.sort(compareDiagnostics);
  report('done');
  const cacheWarning = cache?.warning();
  if (cacheWarning !== undefined) onCacheWarning?.(cacheWarning);
  const counts = countBySeverity(diagnostics);
  return {
    ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
    diagnostics,
    pageGroups: planned.map((g) => ({
      pageId: g.pageId,
      pages: g.members.map((m) => ({ locale: m.locale, file: m.file })),
    })),
    summary: {
      pages: planned.reduce((n, g) => n + g.members.length, 0),
      pageGroups: planned.length,
      locales,
      samples,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
    },
  };
}

/**
 * `lint()` over pages a caller has already loaded (`loadPages`), for a command that also serves or
 * replays them (`demo`): the same findings and summary, each page parsed once. In the main thread,
 * without cache or workers; repairs are resolved against the files' texts as `--fix` reads them.
 */
export function lintLoaded(loaded: LoadResult, options: LintOptions & { cwd: string }): LintResult {
  const locales = [...new Set(loaded.pages.map((p) => p.locale).filter((l): l is string => l !== null))].sort();
  const found = [
    ...loaded.diagnostics,
    ...lintGroups(loaded.groups, { ...options, locales: options.locales ?? locales }),
  ];
  const diagnostics = resolvePlans(found.sort(compareDiagnostics), fixFiles(options.cwd).read);
  const counts = countBySeverity(diagnostics);
  return {
    diagnostics,
    pageGroups: loaded.groups.map((g) => ({
      pageId: g.pageId,
      pages: g.pages.map((p) => ({ locale: p.locale, file: p.file })),
    })),
    summary: {
      pages: loaded.pages.length,
      pageGroups: loaded.groups.length,
      locales,
      samples: loaded.pages.reduce((n, p) => n + p.samples.length, 0),
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
    },
  };
}
