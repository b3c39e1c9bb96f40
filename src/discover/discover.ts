import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { childPath, directlyIn, isNormalized, leavesFolder, relativePath, resolvedPath } from '../util/paths.js';
import { ALWAYS_IGNORED, walkPages } from './walk.js';

export interface DiscoveredFile {
  absPath: string;
  /** Path shown to the user: relative to the working directory when inside it, with `/`. */
  displayPath: string;
  /** The folder the user named (or the glob's base, or the file's folder): reading never leaves it. */
  root: string;
}

export interface DiscoverOptions {
  cwd: string;
  /** Extensions of pages found by walking folders. */
  extensions?: string[];
  ignore?: string[];
  /**
   * Whether each page a folder or pattern matched is looked at with lstat (default true), keeping its stat for the
   * run (`discoveredStats`). The walk lists regular files only (it leaves links out), so a run that reads every page
   * and takes each one's stat as it opens it need not: on Graph's 98,130 pages these lstats took 0.5 s of the main
   * thread while the workers, loaded, waited for their first task. A file named as an input is always looked at.
   */
  statMatches?: boolean;
}

const DEFAULT_EXTENSIONS = ['md', 'markdown'];

export function displayPathOf(absPath: string, cwd: string): string {
  return shownAs(absPath, relativePath(cwd, absPath));
}

/** How a path is shown, given its path relative to the working directory. */
function shownAs(absPath: string, rel: string): string {
  const shown = rel === '' || leavesFolder(rel) ? absPath : rel;
  return path.sep === '/' ? shown : shown.split(path.sep).join('/');
}

/**
 * What a run needs of a page's stat (fs.Stats has this shape too): its signature for the cache, and
 * whether and how much to read.
 */
export interface FileStat {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  isFile(): boolean;
}

/**
 * A FileStat kept for the run: Node 20's fs.Stats holds four Date objects and fourteen numbers, which
 * for Graph's 98,130 pages kept 80 MB of the main thread's 258 MB alive for the whole run.
 */
class TakenStat implements FileStat {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  private readonly regular: boolean;
  constructor(stats: Stats) {
    this.dev = stats.dev;
    this.ino = stats.ino;
    this.size = stats.size;
    this.mtimeMs = stats.mtimeMs;
    this.ctimeMs = stats.ctimeMs;
    this.regular = stats.isFile();
  }
  isFile(): boolean {
    return this.regular;
  }
}

/** What a folder's pages share (see discoverFiles' folderFacts). */
interface FolderFacts {
  real: string;
  /** `real` with a separator after it: a page's real path but for its name. */
  realPrefix: string;
  /** Whether it is inside its root, so its pages are. */
  insideRoot: boolean;
  /** How its pages' paths are shown, but for their name; null: as absolute paths (the folder is outside `cwd`). */
  displayPrefix: string | null;
  /** Whether `real` is absolute and normalized, so a page's real path is `realPrefix` and its name. */
  normalized: boolean;
  /** Whether `real` is the folder's path as walked (no link on the way), so a page's real path is its path. */
  realIsPath: boolean;
}

const statsTaken = new WeakMap<DiscoveredFile, FileStat>();

/**
 * The stat discovery took of a page that is a regular file (not a link), so that the first step
 * of a run does not stat it again: on 98,000 files each syscall saved is most of a second.
 */
export function discoveredStats(file: DiscoveredFile): FileStat | undefined {
  return statsTaken.get(file);
}

/** Whether a path relative to a root (`relativePath`) stays inside it. */
function staysInside(rel: string): boolean {
  return !leavesFolder(rel);
}

/** Expand files, folders and globs into the pages to read, in a stable order; problems become diagnostics. */
export async function discoverFiles(
  inputs: readonly string[],
  options: DiscoverOptions,
  /** Called with how many paths a folder or pattern matched, before each is looked at. */
  onMatched?: (count: number) => void,
): Promise<{ files: DiscoveredFile[]; diagnostics: Diagnostic[] }> {
  const { cwd } = options;
  const extensions = options.extensions ?? DEFAULT_EXTENSIONS;
  const ignore = [...ALWAYS_IGNORED, ...(options.ignore ?? [])];
  const diagnostics: Diagnostic[] = [];
  const byRealPath = new Map<string, DiscoveredFile>();

  // Synchronous on purpose: ~100k awaited realpath calls one after another cost 9 s on the Graph
  // corpus. A file that is not a link is its folder's real path plus its name, so only folders,
  // roots and links are resolved (each once), and a file costs one lstat (1.6 s -> 0.7 s on Graph).
  const realPaths = new Map<string, string>();
  const resolved = (p: string): string => {
    let real = realPaths.get(p);
    if (real === undefined) realPaths.set(p, (real = realpathSync.native(p)));
    return real;
  };
  /**
   * What the pages of one folder share, under one root: the folder's real path, its path relative to that root's
   * real path and to the working directory, and so each page's paths but for its name. Worked out per folder, not per
   * file (path arithmetic was a third of a warm run's discovery on Graph: 98,130 pages in 88 folders), and kept for
   * the last folder asked about: a walk lists a folder's pages one after another.
   */
  const folders = new Map<string, Map<string, FolderFacts>>();
  let last: { root: string; folder: string; facts: FolderFacts } | null = null;
  const folderFacts = (folder: string, root: string): FolderFacts => {
    let byFolder = folders.get(root);
    if (!byFolder) folders.set(root, (byFolder = new Map()));
    let facts = byFolder.get(folder);
    if (!facts) {
      const real = resolved(folder);
      const underRoot = relativePath(resolved(root), real);
      const underCwd = relativePath(cwd, folder);
      // A page's path below its folder's is one more segment: what relativePath and childPath give for a plain name.
      const cwdPrefix = underCwd === '' ? '' : underCwd + path.sep;
      facts = {
        real,
        realPrefix: real.endsWith(path.sep) ? real : real + path.sep,
        insideRoot: underRoot === '' || staysInside(underRoot),
        displayPrefix: underCwd !== '' && leavesFolder(underCwd) ? null : shownAs(cwdPrefix, cwdPrefix),
        normalized: isNormalized(real),
        realIsPath: real === folder,
      };
      byFolder.set(folder, facts);
    }
    last = { root, folder, facts };
    return facts;
  };
  /** The folder and name of a page's path, and its folder's facts. */
  const placeOf = (absPath: string, root: string): { name: string; facts: FolderFacts } => {
    if (last !== null && last.root === root && directlyIn(absPath, last.folder))
      return { name: absPath.slice(last.folder.length + 1), facts: last.facts };
    return { name: path.basename(absPath), facts: folderFacts(path.dirname(absPath), root) };
  };
  const statMatches = options.statMatches ?? true;
  /** `matched`: found by the walk of a folder or a pattern, which lists regular files only. */
  const add = (absPath: string, root: string, matched = false): void => {
    let real: string;
    let inside: boolean;
    let stats: Stats | undefined;
    let displayPath: string;
    try {
      stats = matched && !statMatches ? undefined : lstatSync(absPath);
      const link = stats?.isSymbolicLink() ?? false;
      if (link) stats = undefined;
      const { name, facts } = placeOf(absPath, root);
      const plain = name !== '' && name !== '.' && name !== '..' && absPath.endsWith(name);
      // The page's own path when it is its real path: no string made (and hashed as a key) per page.
      real = link
        ? realpathSync.native(absPath)
        : facts.normalized && plain
          ? facts.realIsPath
            ? absPath
            : facts.realPrefix + name
          : childPath(facts.real, name);
      inside = !link && plain ? facts.insideRoot : staysInside(relativePath(resolved(root), real));
      displayPath = plain && facts.displayPrefix !== null ? facts.displayPrefix + name : displayPathOf(absPath, cwd);
    } catch {
      diagnostics.push({
        ruleId: 'file-unreadable',
        severity: 'error',
        file: displayPathOf(absPath, cwd),
        line: 1,
        column: 1,
        message: 'cannot resolve path (broken link?)',
      });
      return;
    }
    if (!inside) {
      diagnostics.push({
        ruleId: 'outside-root',
        severity: 'error',
        file: displayPath,
        line: 1,
        column: 1,
        message: `links outside ${displayPathOf(root, cwd)}: not read`,
      });
      return;
    }
    if (!byRealPath.has(real)) {
      const file: DiscoveredFile = { absPath, displayPath, root };
      if (stats) statsTaken.set(file, new TakenStat(stats));
      byRealPath.set(real, file);
    }
  };

  for (const input of inputs) {
    const absInput = path.resolve(cwd, input);
    let info: Awaited<ReturnType<typeof stat>> | null = null;
    try {
      info = await stat(absInput);
    } catch {
      info = null;
    }
    if (info === null && isDynamicPattern(input)) {
      // The pattern's folder part is what the user named: follow a link there, never below it.
      const baseText = staticBase(input);
      const base = path.resolve(cwd, baseText);
      const rest = input.slice(baseText === '.' ? 0 : baseText.length).replace(/^[\\/]+/, '');
      let realBase = base;
      try {
        realBase = await realpath(base);
      } catch {
        /* reported as no match below */
      }
      const matches = await glob([rest], {
        cwd: realBase,
        absolute: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        ignore,
        expandDirectories: false,
      });
      if (matches.length === 0)
        diagnostics.push({
          ruleId: 'no-pages',
          severity: 'error',
          file: input,
          line: 1,
          column: 1,
          message: 'the pattern matches no files',
        });
      onMatched?.(matches.length);
      for (const m of matches.sort()) add(path.join(base, relativePath(realBase, resolvedPath(m))), base, true);
      continue;
    }
    if (info === null) {
      diagnostics.push({
        ruleId: 'file-unreadable',
        severity: 'error',
        file: displayPathOf(absInput, cwd),
        line: 1,
        column: 1,
        message: 'no such file or directory',
      });
      continue;
    }
    if (info.isDirectory()) {
      const matches = await walkPages(absInput, extensions, options.ignore);
      if (matches.length === 0) {
        diagnostics.push({
          ruleId: 'no-pages',
          severity: 'error',
          file: displayPathOf(absInput, cwd),
          line: 1,
          column: 1,
          message: `no ${extensions.map((e) => `.${e}`).join(' or ')} files in this folder`,
        });
      }
      onMatched?.(matches.length);
      for (const m of matches.sort()) add(resolvedPath(m), absInput, true);
      continue;
    }
    add(absInput, path.dirname(absInput));
  }
  const files = [...byRealPath.values()].sort((a, b) =>
    a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0,
  );
  return { files, diagnostics };
}

/** The folder part of a glob before its first magic segment: `docs/*\/x/*.md` → `docs`. */
function staticBase(pattern: string): string {
  const segments = pattern.split(/[\\/]/);
  const out: string[] = [];
  for (const s of segments) {
    if (isDynamicPattern(s)) break;
    out.push(s);
  }
  return out.length === 0 ? '.' : out.join('/');
}
