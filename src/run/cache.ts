import { createHash, hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { appendFile, mkdir, open, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { writeFileAtomicStats } from '../util/atomic-write.js';
import { countOf } from '../util/text.js';
import type { ContentIdentity } from './source.js';

/**
 * The lint cache: what a run learned, so that a re-run over unchanged files reads none of them
 * and checks nothing again.
 *
 * - Per file path: its content hash and the stat signature it was read under (size, mtime, ctime,
 *   inode), as git's index does, so that an unchanged file is not even read again; and the front
 *   matter's part of its identity (declared locale, asset id), so groups are planned without
 *   parsing YAML (also for a file whose stat changed but whose content is one seen before). Every
 *   write to a file moves its ctime, which no tool can set back; a signature is only recorded once
 *   the file has been still for RACY_MS, so a write within the file system's timestamp granularity
 *   cannot go unseen.
 * - Per page group, by a hash of its members (paths, locales, content hashes) and of the run's
 *   locales: the group's diagnostics and sample count. A group's findings depend on all its
 *   members and nothing else, so one changed file re-checks its own group only.
 *
 * Everything lives in one pack file per namespace (lockstep's version, a fingerprint of its code
 * and dependencies, and the options that change results): one read per run, and atomic writes
 * (9,000 small files would cost more than the whole warm run). The pack is written with
 * util/atomic-write, so a killed run leaves the previous pack or the new one, never a torn one.
 *
 * Integrity: valid JSON is not enough (one `"error"` edited to `"info"` would turn a gate green
 * forever), so each group entry carries a checksum of its key and JSON text, checked when the
 * entry is parsed (lazily, as entries are), and the file entries' text one checksum, checked once
 * when the pack is read. An entry that fails it is dropped and recomputed, a pack that cannot be
 * used is ignored and rebuilt, and either is told once per run ({@link LintCache.warning}).
 *
 * Saving: the pack is written once, at the end of a run. Meanwhile, every few seconds (checkpoint),
 * the run appends what it learned since to its own journal, `lint-<namespace>.<pid>.<stamp>.journal`, one
 * checksummed line per entry, so a killed run keeps the groups it finished. Rewriting the whole pack
 * instead cost a cold Graph run 5 s of its 43 and 270 MB of peak memory. A run that starts takes in
 * the journals of dead runs (a torn last line is what a kill leaves, skipped without a word) and
 * removes them once its pack holds them. Before the pack is written it is read again when someone
 * else has replaced it since, and the entries this run did not produce are merged in: concurrent
 * runs (two subsets sharing a cache) add up instead of the last writer winning. Temporary files
 * of dead writers are removed when a cache is opened.
 */

export const DEFAULT_CACHE_DIR = path.join('node_modules', '.cache', 'lockstep');
/** Where the cache goes in a folder without node_modules (a docs repository): ignored by its own `.gitignore`. */
export const FALLBACK_CACHE_DIR = '.lockstep-cache';
/** Written into the cache folder, as pytest and ruff do, so that `git add -A` never takes the cache. */
export const CACHE_GITIGNORE = '# Created by lockstep: the lint cache, never committed.\n*\n';

/**
 * The cache folder of a run in `cwd`: `node_modules/.cache/lockstep` when `cwd` has a node_modules
 * (find-cache-dir's convention, ignored by every Node project), else `.lockstep-cache`. Creating
 * node_modules in a docs repository would put the cache in the next `git add -A`.
 */
export function defaultCacheDir(cwd: string): string {
  const modules = statSync(path.join(cwd, 'node_modules'), { throwIfNoEntry: false });
  return path.join(cwd, modules?.isDirectory() ? DEFAULT_CACHE_DIR : FALLBACK_CACHE_DIR);
}
const FORMAT = 'lockstep-lint-cache';
const FORMAT_VERSION = 5;
/** A file changed this recently may change again within the same timestamp: not remembered by its stat. */
export const RACY_MS = 2000;
/** Packs (namespaces) kept in the cache folder; older ones are removed when a run saves. */
const KEEP_PACKS = 8;
/** Entries carried over from earlier runs, beyond those this run used (by a run's last save). */
const CARRY_OVER = 20_000;
/** Time between a run's appends to its journal. */
const SAVE_EVERY_MS = 3000;
/** A temporary file older than this is removed even when its pid is alive (the pid was reused). */
const STALE_TEMP_MS = 3_600_000;
/** How long a save waits for another run's save of the same pack before it goes ahead unlocked. */
const LOCK_WAIT_MS = 10_000;
/** Length of a group entry's checksum, before its JSON text. */
const SUM_LENGTH = 32;

export interface GroupEntry {
  diagnostics: Diagnostic[];
  samples: number;
}

/**
 * A pack, shaped for a fast load (on Graph's 98,000 files the load is a tenth of a warm run): the file entries are
 * one text of lines `path\tsignature\thash\tlocale\tasset id` (a null field is empty, a string one starts with `=`),
 * and each group's entry is its text, parsed only when asked for. `filesSum` is the checksum of `files`; a group
 * entry is its checksum ({@link entrySum}) followed by its JSON text.
 *
 * As stored: a line of JSON (format, version, namespace, `filesSum`, the length of `files`, the count of group lines:
 * PackHead), `files`, and a line `key\tentry` per group. No entry holds a newline (paths that do are not kept, and
 * JSON escapes its own), so none is escaped: on Graph, a pack of JSON strings took 0.55-0.6 s to write (against
 * 0.24-0.28 s), at the end of a first run when nothing else runs, and 134-161 ms to parse (against 51-54 ms) at the
 * start of each warm run.
 */
interface Pack {
  namespace: string;
  files: string;
  filesSum: string;
  groups: Map<string, string>;
}

/** The first line of a stored pack. */
interface PackHead {
  format: typeof FORMAT;
  formatVersion: number;
  namespace: string;
  filesSum: string;
  /** Length of the file entries' text (UTF-16 code units), which follows the head's line. */
  filesLength: number;
  /** Lines of group entries, which follow the file entries' text. */
  groupLines: number;
}

/** A pack of no entries. */
const emptyPack = (namespace: string): Pack => ({ namespace, files: '', filesSum: filesSum(''), groups: new Map() });

const sha = (text: string) => hash('sha256', text, 'hex').slice(0, 32);
/** A group entry's checksum covers its key too: an entry moved to another key fails it. Exported for tests. */
export const entrySum = (key: string, json: string): string => sha(`${key}\n${json}`);
/** The checksum of a pack's file entries' text. Exported for tests. */
export const filesSum = (files: string): string => sha(files);
/** `filesSum` of the lines joined by line feeds, without joining them. */
function filesSumOfLines(lines: readonly string[]): string {
  const sum = createHash('sha256');
  lines.forEach((line, i) => (i === 0 ? sum : sum.update('\n')).update(line));
  return sum.digest('hex').slice(0, 32);
}

/** JSON with sorted keys, so equal values hash equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value))
    return `[${value
      .map((v) => (v === undefined || typeof v === 'function' ? 'null' : stableStringify(v)))
      .join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .flatMap((k) => {
        const v = (value as Record<string, unknown>)[k];
        return v === undefined || typeof v === 'function' ? [] : [`${JSON.stringify(k)}:${stableStringify(v)}`];
      });
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

let fingerprintMemo: string | null = null;

/**
 * What the code that computes results is: lockstep's version, a hash of its own modules (a
 * rule edited without a version bump must not be served stale findings) and of the installed
 * dependency tree (`node_modules/.package-lock.json`, when present).
 */
export function codeFingerprint(): string {
  if (fingerprintMemo !== null) return fingerprintMemo;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.dirname(here); // src/ or dist/
  const hash = createHash('sha256');
  let version = 'unknown';
  try {
    version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    /* not in a package */
  }
  hash.update(`lockstep@${version}\n`);
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      if (/\.(?:js|mjs|ts)$/.test(name) && !name.endsWith('.d.ts')) {
        try {
          hash.update(`${path.relative(root, file)}\n`).update(readFileSync(file));
        } catch {
          /* unreadable: skip */
        }
      } else if (!name.includes('.')) {
        try {
          if (statSync(file).isDirectory()) walk(file);
        } catch {
          /* vanished */
        }
      }
    }
  };
  walk(root);
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    try {
      hash.update(readFileSync(path.join(dir, 'node_modules', '.package-lock.json')));
      break;
    } catch {
      /* look further up */
    }
    if (path.dirname(dir) === dir) break;
  }
  fingerprintMemo = `${version}-${hash.digest('hex').slice(0, 16)}`;
  return fingerprintMemo;
}

const UNDEFINED = '\u0000undefined';

/** JSON drops `key: undefined`; diagnostics carry such keys (`locale` of a page with none): keep them as a marker. */
function encode(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v === undefined ? UNDEFINED : v));
}

function restoreUndefined(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] === UNDEFINED) value[i] = undefined;
      else restoreUndefined(value[i]);
    }
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (o[k] === UNDEFINED) o[k] = undefined;
      else restoreUndefined(o[k]);
    }
  }
}

const isDiagnostic = (d: unknown): d is Diagnostic => {
  if (d === null || typeof d !== 'object') return false;
  const x = d as Record<string, unknown>;
  return (
    typeof x['ruleId'] === 'string' &&
    typeof x['message'] === 'string' &&
    typeof x['file'] === 'string' &&
    (x['severity'] === 'error' || x['severity'] === 'warning' || x['severity'] === 'info') &&
    typeof x['line'] === 'number' &&
    typeof x['column'] === 'number'
  );
};

/** What stat says of a file, enough to tell it changed. */
export interface FileSignature {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}
export const signatureOf = (s: FileSignature): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/**
 * A file entry after its path, `signature\thash\tlocale\tasset id`, from `from` (past the signature) on; undefined when
 * malformed.
 */
function parseFileEntry(entry: string, from: number): { hash: string; identity: ContentIdentity } | undefined {
  // By hand rather than split + regex: this runs once per file of a warm run.
  const t1 = entry.indexOf('\t', from);
  const t2 = t1 === -1 ? -1 : entry.indexOf('\t', t1 + 1);
  if (t1 - from !== 32 || t2 === -1 || entry.indexOf('\t', t2 + 1) !== -1) return undefined;
  const hash = entry.slice(from, t1);
  for (let i = 0; i < 32; i++) {
    const c = hash.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return undefined; // [0-9a-f]
  }
  const field = (start: number, end: number): string | null | undefined =>
    start === end ? null : entry.charCodeAt(start) === 61 /* = */ ? entry.slice(start + 1, end) : undefined;
  const declaredLocale = field(t1 + 1, t2);
  const assetId = field(t2 + 1, entry.length);
  if (declaredLocale === undefined || assetId === undefined) return undefined;
  return { hash, identity: { declaredLocale, assetId } };
}

const fileField = (value: string | null): string => (value === null ? '' : `=${value}`);

/** Path → rest of the entry, for each line of a pack's file entries (the first entry of a path wins). */
function fileMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    const path = line.slice(0, tab);
    if (tab > 0 && !map.has(path)) map.set(path, line.slice(tab + 1));
  }
  return map;
}

/**
 * What tells that a pack file was replaced: not ctime, which the rename of a freshly written file
 * moves (each atomic write makes a new inode anyway).
 */
const packSignature = (s: Stats): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;

interface ReadPack {
  /** The pack, with its file entries emptied when they failed their checksum; null when none could be used. */
  pack: Pack | null;
  /** Signature of the file read (null: there was none). */
  signature: string | null;
  /** Why a pack that exists could not be used. */
  problem?: string;
  /** Whether the file entries failed their checksum. */
  filesFailed: boolean;
  /** Group lines without a key (dropped). */
  damaged: number;
}

async function readPack(file: string, namespace: string): Promise<ReadPack> {
  let signature: string | null = null;
  let text: string;
  try {
    // The signature first: a pack replaced in between is read again at the next save, never missed.
    signature = packSignature(await stat(file));
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? undefined : `unreadable: ${code ?? (error as Error).message}`;
    return { pack: null, signature, problem, filesFailed: false, damaged: 0 };
  }
  return { ...parsePack(text, namespace), signature };
}

/**
 * A stored pack's text read (see Pack): null with why when it is not one of this namespace and version, or is cut
 * short; its file entries emptied when they fail their checksum. Exported for tests.
 */
export function parsePack(
  text: string,
  namespace: string,
): { pack: Pack | null; problem?: string; filesFailed: boolean; damaged: number } {
  const unusable = (problem: string) => ({ pack: null, problem, filesFailed: false, damaged: 0 });
  const headEnd = text.indexOf('\n');
  let head: Partial<PackHead> | null = null;
  try {
    head = JSON.parse(headEnd === -1 ? text : text.slice(0, headEnd)) as Partial<PackHead> | null;
  } catch {
    return unusable('not a lint cache pack');
  }
  // The namespace includes the code's fingerprint: a pack of another shape under this name is damaged, not old.
  if (!(
    headEnd !== -1 &&
    head &&
    typeof head === 'object' &&
    head.format === FORMAT &&
    head.formatVersion === FORMAT_VERSION &&
    head.namespace === namespace &&
    typeof head.filesSum === 'string' &&
    Number.isSafeInteger(head.filesLength) &&
    head.filesLength! >= 0 &&
    Number.isSafeInteger(head.groupLines)
  ))
    return unusable('not a lint cache pack of this version');
  // Each part ends with a line feed: a pack cut short or lengthened is not used, wherever that happened (a line
  // changed in place fails its checksum instead).
  const filesEnd = headEnd + 1 + head.filesLength!;
  const groupsStart = head.filesLength! > 0 ? filesEnd + 1 : filesEnd;
  if (groupsStart > text.length || (head.filesLength! > 0 && text[filesEnd] !== '\n') || !text.endsWith('\n'))
    return unusable('cut short or damaged');
  const groups = new Map<string, string>();
  let lines = 0;
  let damaged = 0;
  for (let at = groupsStart; at < text.length; lines++) {
    const end = text.indexOf('\n', at);
    const tab = text.indexOf('\t', at);
    // A line without its key is dropped, told as an entry that failed its checksum.
    if (tab > at && tab < end) {
      const key = text.slice(at, tab);
      if (!groups.has(key)) groups.set(key, text.slice(tab + 1, end));
    } else damaged++;
    at = end + 1;
  }
  if (lines !== head.groupLines) return unusable('cut short or damaged');
  let files = text.slice(headEnd + 1, filesEnd);
  // Checked once per read, not per entry: a warm run over 98,000 files uses them all anyway.
  const filesFailed = filesSum(files) !== head.filesSum;
  if (filesFailed) files = '';
  return { pack: { namespace, files, filesSum: head.filesSum!, groups }, filesFailed, damaged };
}

/**
 * Whether a process is running (or may be: EPERM is one of another user's). Our own pid counts as
 * alive: another lint() in this process may be mid-save.
 */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run `work` holding `<pack>.lock`: a save reads the pack, merges and writes it, and two runs doing
 * that at once would each miss the other's entries. A lock whose holder is dead is taken over; one
 * held longer than LOCK_WAIT_MS is not waited for (the cache only saves time: a save is not worth
 * hanging a run).
 */
async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  let held = false;
  while (!held && Date.now() < deadline) {
    try {
      const handle = await open(lock, 'wx');
      held = true;
      await handle.writeFile(String(process.pid)).finally(() => handle.close());
    } catch (error) {
      if (held || (error as NodeJS.ErrnoException).code !== 'EEXIST') break;
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      // An empty lock is being written by its holder: waited for like a live one.
      if (holder > 0 && !alive(holder)) await unlink(lock).catch(() => {});
      else await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
  }
  try {
    return await work();
  } finally {
    if (held) await unlink(lock).catch(() => {});
  }
}

/**
 * Temporary files of packs, `.lint-<namespace>.pack.<pid>.<time>.tmp` as util/atomic-write names them (`.json`: of
 * packs of earlier versions).
 */
const TEMP_FILE = /^\.lint-[0-9a-f]+\.(?:pack|json)\.(?:(\d+)\.)?.*\.tmp$/;

/**
 * Remove temporary files a killed run left: those of a dead pid at once (a live writer is mid-save:
 * kept), any older than STALE_TEMP_MS (its pid was reused). Errors are ignored: another run raced us.
 */
async function removeStaleTemps(dir: string, names: readonly string[]): Promise<void> {
  const now = Date.now();
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    try {
      const dead = m[1] !== undefined && !alive(Number(m[1]));
      if (dead || now - (await stat(file)).mtimeMs > STALE_TEMP_MS) await unlink(file);
    } catch {
      /* gone already */
    }
  }
}

/**
 * Journals: `lint-<namespace>.<pid>.<stamp>.journal`, the stamp telling apart two runs of one
 * process. Each line is `checksum\tF\tpath\tfile entry` or `checksum\tG\tgroup key\tgroup entry`,
 * the checksum covering the rest of the line. Neither paths (see remember) nor entries hold a
 * newline, and only a file entry holds tabs, after its path.
 */
const JOURNAL_FILE = /^lint-([0-9a-f]+)\.(\d+)\.[0-9a-z-]+\.journal$/;

/** Journal lines made and appended at once (see appendJournal). */
const JOURNAL_LINES_AT_ONCE = 4096;

export const journalLine = (kind: 'F' | 'G', key: string, value: string): string => {
  const rest = `${kind}\t${key}\t${value}`;
  return `${sha(rest)}\t${rest}\n`;
};

interface Journal {
  file: string;
  /** Path → file entry, later lines winning. */
  files: Map<string, string>;
  /** Group key → entry text, later lines winning. */
  groups: Map<string, string>;
  /** Lines that failed their checksum, other than a torn last line (what a kill leaves). */
  damaged: number;
}

function parseJournal(file: string, text: string): Journal {
  const journal: Journal = { file, files: new Map(), groups: new Map(), damaged: 0 };
  const lines = text.split('\n');
  // Text after the last newline is a line a killed run did not finish: not damage.
  lines.pop();
  for (const line of lines) {
    const rest = line.slice(SUM_LENGTH + 1);
    const kind = rest.slice(0, 2);
    const tab = rest.indexOf('\t', 2);
    if (
      line.charCodeAt(SUM_LENGTH) !== 9 ||
      tab < 3 ||
      (kind !== 'F\t' && kind !== 'G\t') ||
      sha(rest) !== line.slice(0, SUM_LENGTH)
    ) {
      journal.damaged++;
      continue;
    }
    (kind === 'F\t' ? journal.files : journal.groups).set(rest.slice(2, tab), rest.slice(tab + 1));
  }
  return journal;
}

/**
 * The journals of dead runs of this namespace (a live run's is its own business: it will write its
 * pack), oldest first; journals of dead runs of other namespaces older than STALE_TEMP_MS are removed.
 */
async function deadJournals(dir: string, names: readonly string[], namespace: string): Promise<Journal[]> {
  const found: { journal: Journal; mtime: number }[] = [];
  const now = Date.now();
  for (const name of names) {
    const m = JOURNAL_FILE.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    try {
      const { mtimeMs } = await stat(file);
      // A pid that is alive may be another process by now: after an hour its journal counts as dead. So does one
      // with this process's pid that this process did not write (a container's pids repeat from run to run).
      const pid = Number(m[2]);
      const live = pid === process.pid ? ownJournals.has(file) : alive(pid);
      if (live && now - mtimeMs <= STALE_TEMP_MS) continue;
      if (m[1] !== namespace) {
        if (now - mtimeMs > STALE_TEMP_MS) await unlink(file);
        continue;
      }
      found.push({ journal: parseJournal(file, await readFile(file, 'utf8')), mtime: mtimeMs });
    } catch {
      /* gone already: another run took it in */
    }
  }
  return found.sort((a, b) => a.mtime - b.mtime).map((f) => f.journal);
}

/** A pack with journals' entries (path → file entry, group key → entry) over its own. */
function withJournals(
  pack: Pack | null,
  namespace: string,
  files: ReadonlyMap<string, string>,
  groups: ReadonlyMap<string, string>,
): Pack | null {
  if (files.size === 0 && groups.size === 0) return pack;
  const base = pack ?? emptyPack(namespace);
  // fileMap keeps the first line of a path: the journals' lines go first.
  const lines = Array.from(files, ([path, entry]) => `${path}\t${entry}`);
  if (base.files !== '') lines.push(base.files);
  const merged = new Map(base.groups);
  for (const [key, text] of groups) merged.set(key, text);
  return { ...base, files: lines.join('\n'), groups: merged };
}

let journalCount = 0;
/** Entries a piece of a pack's text holds (see packTextInPieces). */
const ENTRIES_PER_PIECE = 4096;

/**
 * A pack's text (see Pack), a piece at a time: its head, the files' lines, then a line per group, a few thousand
 * entries a piece.
 */
function* packTextInPieces(
  namespace: string,
  files: readonly string[],
  groups: readonly [string, string][],
): Generator<string> {
  let filesLength = Math.max(0, files.length - 1);
  for (const line of files) filesLength += line.length;
  const head: PackHead = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    namespace,
    filesSum: filesSumOfLines(files),
    filesLength,
    groupLines: groups.length,
  };
  yield `${JSON.stringify(head)}\n`;
  for (let k = 0; k < files.length; k += ENTRIES_PER_PIECE)
    yield (k > 0 ? '\n' : '') + files.slice(k, k + ENTRIES_PER_PIECE).join('\n');
  if (files.length > 0) yield '\n';
  for (let k = 0; k < groups.length; k += ENTRIES_PER_PIECE) {
    let piece = '';
    for (const [key, text] of groups.slice(k, k + ENTRIES_PER_PIECE)) piece += `${key}\t${text}\n`;
    yield piece;
  }
}

/** A pack's text whole (see Pack). Exported for tests. */
export const packText = (pack: Pack): string =>
  [...packTextInPieces(pack.namespace, pack.files === '' ? [] : pack.files.split('\n'), [...pack.groups])].join('');

/** The journals this process has opened (see deadJournals). */
const ownJournals = new Set<string>();

export class LintCache {
  readonly file: string;
  private readonly old: Pack;
  /** Path → the rest of its file entry: this run's, and (parsed on first use) the pack's. */
  private readonly fileEntries = new Map<string, string>();
  /** The order the pack lists this run's file entries in (see orderFiles); null: the order they were learned in. */
  private fileOrder: readonly string[] | null = null;
  private packedEntries: Map<string, string> | null = null;
  /**
   * Read position in the pack's file entries, and the packed entries this run found still valid (kept first when
   * saving).
   */
  private packedCursor = 0;
  private readonly packedUsed: string[] = [];
  /** Content hash → identity: what this run learned, and (built on first use) what the pack knows. */
  private readonly learned = new Map<string, ContentIdentity>();
  private packedIdentities: Map<string, ContentIdentity> | null = null;
  /** Group key → entry text (checksum and JSON): this run's, and the pack's ones it found valid. */
  private readonly groups = new Map<string, string>();
  /** Group entries that failed their checksum (key → text): not carried over into the next pack. */
  private readonly rejected = new Map<string, string>();
  /** Whether this run learned anything the pack does not hold since its last save (else saving is skipped). */
  private dirty = false;
  /** The newest pack read from the disk (the one opened, or another run's read before a save), and its signature. */
  private latest: Pack;
  private latestSignature: string | null;
  /** Entries (the file entries' text counting as one) that failed their checksum, and why a pack could not be used. */
  private failures = 0;
  private problem: string | undefined;
  private saving: Promise<boolean> | null = null;
  private nextSave = Date.now() + SAVE_EVERY_MS;
  /** This run's journal, its lines not yet appended, and whether it has been written to. */
  private readonly journal: string;
  /** Entries learned since the last append, by path (`F`) and group key (`G`): their lines are made when appended. */
  private pending: { kind: 'F' | 'G'; key: string }[] = [];
  private journalWritten = false;
  private journalFailed = false;
  /** Journals of dead runs taken in when opening: removed once a pack holding their entries is written. */
  private absorbed: string[];
  private readonly absorbedFiles = new Map<string, string>();
  private readonly absorbedGroups = new Map<string, string>();

  private constructor(
    readonly dir: string,
    readonly namespace: string,
    read: ReadPack,
    journals: readonly Journal[] = [],
  ) {
    this.file = path.join(dir, `lint-${namespace}.pack`);
    this.journal = path.join(
      dir,
      `lint-${namespace}.${process.pid}.${Date.now().toString(36)}-${journalCount++}.journal`,
    );
    ownJournals.add(this.journal);
    this.absorbed = journals.map((j) => j.file);
    // Carried into this run's pack whole (the journals go once it is written), newer journals over older ones.
    for (const j of journals) {
      for (const [path, entry] of j.files) this.absorbedFiles.set(path, entry);
      for (const [key, text] of j.groups) this.absorbedGroups.set(key, text);
      this.failures += j.damaged;
    }
    // A pack is written at the end even by a run that learns nothing, so that the journals can go.
    this.dirty = journals.length > 0;
    this.old = withJournals(read.pack, namespace, this.absorbedFiles, this.absorbedGroups) ?? emptyPack(namespace);
    this.latest = this.old;
    this.latestSignature = read.signature;
    this.problem = read.problem;
    if (read.filesFailed) this.failures++;
    this.failures += read.damaged;
  }

  /**
   * Open the pack of a namespace in `dir`. `config` is everything besides file contents that
   * changes results (options); it is hashed with the code fingerprint into the namespace.
   * Temporary files that dead runs left in `dir` are removed meanwhile, and their journals taken in.
   */
  static async open(dir: string, config: unknown): Promise<LintCache> {
    const namespace = sha(`${codeFingerprint()}\n${stableStringify(config)}`);
    const names = await readdir(dir).catch(() => [] as string[]);
    const [read, journals] = await Promise.all([
      readPack(path.join(dir, `lint-${namespace}.pack`), namespace),
      deadJournals(dir, names, namespace),
      removeStaleTemps(dir, names),
    ]);
    return new LintCache(dir, namespace, read, journals);
  }

  /**
   * What a user should hear about this cache, once per run (after the run): entries that failed
   * their checksum, or a pack that could not be used. Undefined when all was well.
   */
  warning(): string | undefined {
    const parts: string[] = [];
    if (this.problem) parts.push(`the pack could not be used (${this.problem}) and was rebuilt`);
    const n = this.failures;
    if (n === 1) parts.push('1 entry failed its checksum and was recomputed');
    else if (n > 1) parts.push(`${n} entries failed their checksums and were recomputed`);
    return parts.length > 0 ? `cache: ${parts.join('; ')} (${this.file})` : undefined;
  }

  private packedFiles(): Map<string, string> {
    this.packedEntries ??= fileMap(this.old.files);
    return this.packedEntries;
  }

  /**
   * The pack's entry for a path. The pack lists files in the order runs visit them (sorted), so
   * a run over the same files finds each at the read position and builds no index; the first
   * path found elsewhere switches to an index of all entries.
   */
  private packedEntry(absPath: string): string | undefined {
    const text = this.old.files;
    const at = this.packedCursor;
    if (
      this.packedEntries === null &&
      text.startsWith(absPath, at) &&
      text.charCodeAt(at + absPath.length) === 9 /* tab */
    ) {
      const start = at + absPath.length + 1;
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      this.packedCursor = end + 1;
      return text.slice(start, end);
    }
    return this.packedFiles().get(absPath);
  }

  /** A file whose stat signature is the one it was last read under: its content hash and identity then. */
  unchanged(absPath: string, signature: string): { hash: string; identity: ContentIdentity } | undefined {
    const own = this.fileEntries.get(absPath);
    const entry = own ?? this.packedEntry(absPath);
    if (entry === undefined || !entry.startsWith(signature) || entry.charCodeAt(signature.length) !== 9 /* tab */)
      return undefined;
    const known = parseFileEntry(entry, signature.length + 1);
    if (known && own === undefined) this.packedUsed.push(absPath);
    return known;
  }

  /** The front-matter identity of a file's content, if this content was seen before (at any path). */
  identity(hash: string): ContentIdentity | undefined {
    const learned = this.learned.get(hash);
    if (learned) return learned;
    if (!this.packedIdentities) {
      this.packedIdentities = new Map();
      for (const entry of this.packedFiles().values()) {
        const known = parseFileEntry(entry, entry.indexOf('\t') + 1);
        if (known) this.packedIdentities.set(known.hash, known.identity);
      }
    }
    return this.packedIdentities.get(hash);
  }

  /**
   * Remember what reading a file found: its content's identity, and (once the file has been still
   * for RACY_MS) its hash and identity under its path and stat signature.
   */
  remember(absPath: string, stats: FileSignature, hash: string, identity: ContentIdentity, now = Date.now()): void {
    this.learned.set(hash, identity);
    if (Math.max(stats.mtimeMs, stats.ctimeMs) > now - RACY_MS) return;
    const entry =
      `${signatureOf(stats)}\t${hash}\t` + `${fileField(identity.declaredLocale)}\t${fileField(identity.assetId)}`;
    // A path or value holding a tab or a newline cannot be stored in the line format: such a file is read every time.
    if (/[\t\n]/.test(absPath) || countOf(entry, '\t') !== 3 || entry.includes('\n')) return;
    if (this.fileEntries.get(absPath) === entry) return;
    this.fileEntries.set(absPath, entry);
    this.pending.push({ kind: 'F', key: absPath });
    this.dirty = true;
  }

  /**
   * List the files learned so far in `order` (discovery's, the order the next run visits them in), any others after:
   * a run that learns them in two steps (lint-run's plan from paths, then the files it did not read) puts them back.
   */
  orderFiles(order: readonly string[]): void {
    // Kept, not applied: the pack is made in this order (see ownFileLines); rebuilding the entries' map in it took a
    // cold Graph run 70 ms after its last check, when nothing else runs.
    this.fileOrder = order;
  }

  /** This run's file entries as pack lines (`path\tentry`), in the order orderFiles gave, any others after. */
  private ownFileLines(): string[] {
    const lines: string[] = [];
    for (const absPath of this.fileOrder ?? []) {
      const entry = this.fileEntries.get(absPath);
      if (entry !== undefined) lines.push(`${absPath}\t${entry}`);
    }
    if (lines.length < this.fileEntries.size) {
      const ordered = new Set(this.fileOrder);
      for (const [k, v] of this.fileEntries) if (!ordered.has(k)) lines.push(`${k}\t${v}`);
    }
    return lines;
  }

  /** Key of a page group: its id, its members (paths, locales, content hashes) and the run's locales. */
  static groupKey(
    pageId: string,
    members: readonly { file: string; absPath: string; root: string; locale: string | null; hash: string }[],
    locales: readonly string[],
  ): string {
    // Strings and nulls in arrays only: plain JSON is already canonical.
    return sha(JSON.stringify([pageId, locales, members.map((m) => [m.file, m.absPath, m.root, m.locale, m.hash])]));
  }

  group(key: string): GroupEntry | undefined {
    const own = this.groups.get(key);
    const text = own ?? this.old.groups.get(key);
    if (text === undefined || this.rejected.has(key)) return undefined;
    const json = text.slice(SUM_LENGTH);
    // Checked here, when the entry is parsed, not when the pack is read: a warm run parses only the entries it uses.
    if (own === undefined && text.slice(0, SUM_LENGTH) !== entrySum(key, json)) {
      this.failures++;
      this.rejected.set(key, text);
      return undefined;
    }
    let entry: unknown;
    try {
      entry = JSON.parse(json);
    } catch {
      return undefined;
    }
    const e = entry as { d?: unknown; s?: unknown } | null;
    if (e && typeof e === 'object' && Array.isArray(e.d) && typeof e.s === 'number' && e.d.every(isDiagnostic)) {
      restoreUndefined(e.d);
      this.groups.set(key, text);
      return { diagnostics: e.d as Diagnostic[], samples: e.s };
    }
    return undefined;
  }

  /** Whether any file entry may be found (a first run's cache holds none). */
  holdsFiles(): boolean {
    return this.fileEntries.size > 0 || this.old.files !== '';
  }

  /** Whether any group entry may be found (a first run's cache holds none). */
  holdsGroups(): boolean {
    return this.groups.size > 0 || this.old.groups.size > 0;
  }

  setGroup(key: string, entry: GroupEntry): void {
    const json = encode({ d: entry.diagnostics, s: entry.samples });
    const text = entrySum(key, json) + json;
    this.groups.set(key, text);
    this.pending.push({ kind: 'G', key });
    this.dirty = true;
  }

  /**
   * Append what the run learned since the last call to its journal, if that is long enough ago (see
   * SAVE_EVERY_MS); in the background, one write at a time. Called as work gets done: a killed run
   * keeps what it finished. After a failed append the journal is left alone (a torn line stays its last).
   */
  checkpoint(now = Date.now()): void {
    if (this.pending.length === 0 || this.saving !== null || this.journalFailed || now < this.nextSave) return;
    const entries = this.pending;
    this.pending = [];
    const saving: Promise<boolean> = this.appendJournal(entries).finally(() => {
      if (this.saving === saving) this.saving = null;
      this.nextSave = Date.now() + SAVE_EVERY_MS;
    });
    this.saving = saving;
  }

  private async appendJournal(entries: readonly { kind: 'F' | 'G'; key: string }[]): Promise<boolean> {
    try {
      await this.makeDir();
      // A few thousand lines at a time, the event loop turning while each is appended: the first checkpoint of a cold
      // run holds every file's entry (Graph: 98,130 checksums, 0.45 s), and a main thread busy that long leaves the
      // workers waiting for their next tasks.
      for (let k = 0; k < entries.length; k += JOURNAL_LINES_AT_ONCE) {
        const text = entries
          .slice(k, k + JOURNAL_LINES_AT_ONCE)
          .map(({ kind, key }) => journalLine(kind, key, (kind === 'F' ? this.fileEntries : this.groups).get(key)!))
          .join('');
        await appendFile(this.journal, text);
        this.journalWritten = true;
      }
      return true;
    } catch {
      this.journalWritten = true; // it may exist, partly written
      this.journalFailed = true;
      return false;
    }
  }

  private async makeDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // The folder ignores itself wherever it is (a --cache-location inside the repository too).
    await writeFile(path.join(this.dir, '.gitignore'), CACHE_GITIGNORE, { flag: 'wx' }).catch(() => {});
  }

  /**
   * Write the pack atomically, merged with what another run may have saved meanwhile: this run's
   * entries, then the others (the newest pack's before the one opened), at most CARRY_OVER of
   * those besides the ones this run used. Then this run's journal and those it took in go. Nothing
   * is written when the run learned nothing new (a warm run). Errors (read-only folder, full disk)
   * are swallowed: the cache only ever saves time.
   */
  async save(): Promise<boolean> {
    while (this.saving) await this.saving;
    if (!this.dirty) return true;
    const saving: Promise<boolean> = this.write().finally(() => {
      if (this.saving === saving) this.saving = null;
    });
    this.saving = saving;
    return saving;
  }

  private async write(): Promise<boolean> {
    // Cleared first: what is learned while this save is under way makes the next one.
    this.dirty = false;
    try {
      await this.makeDir();
      await withLock(this.file, async () => {
        const signature = await stat(this.file).then(packSignature, () => null);
        if (signature !== this.latestSignature) {
          // Replaced since this run read or wrote it: another run saved. Its entries are merged in.
          const read = await readPack(this.file, this.namespace);
          if (read.filesFailed) this.failures++;
          if (read.pack) this.latest = read.pack;
          this.latestSignature = read.signature;
        }
        const pieces = this.packPieces(CARRY_OVER);
        const written = this.pending.length;
        this.latestSignature = packSignature(await writeFileAtomicStats(this.file, pieces));
        // What was learned while the pack was written is not in it: still to append.
        this.pending.splice(0, written);
      });
      const journals = [...this.absorbed, ...(this.journalWritten ? [this.journal] : [])];
      this.absorbed = [];
      this.journalWritten = false;
      this.journalFailed = false;
      await Promise.all(journals.map((j) => unlink(j).catch(() => {})));
      await this.prune();
      return true;
    } catch {
      this.dirty = true;
      return false;
    }
  }

  /**
   * The pack's text, in pieces: this run's entries, those it used (in their newest version), then up to `carry`
   * others, the newest pack's first. The entries are picked here, at once (what the run learns while the pack is
   * written is not in it); the pieces are made as they are written, a few thousand entries at a time. Made whole, the
   * text and its copies (the files' text, its JSON, the groups joined, the bytes) came to about 200 MB on Graph, at
   * the end of a run, which is when its peak RSS was reached.
   */
  private packPieces(carry: number): Iterable<string> {
    const oldFiles = this.packedFiles();
    const latestFiles = this.latest === this.old ? oldFiles : fileMap(this.latest.files);
    const files = this.ownFileLines();
    const seen = new Set<string>();
    // Which paths are listed already, only when something else could list them again (a first run's pack holds its
    // own entries only: 98,130 on Graph).
    const others = this.packedUsed.length + this.absorbedFiles.size + oldFiles.size + latestFiles.size;
    if (others > 0) for (const k of this.fileEntries.keys()) seen.add(k);
    for (const used of this.packedUsed) {
      if (!seen.has(used)) {
        files.push(`${used}\t${latestFiles.get(used) ?? oldFiles.get(used)!}`);
        seen.add(used);
      }
    }
    // Whatever dead runs' journals held, beyond the carry-over limit: those journals are removed after this write.
    for (const [k, v] of this.absorbedFiles) {
      if (!seen.has(k)) {
        files.push(`${k}\t${v}`);
        seen.add(k);
      }
    }
    let carried = 0;
    for (const source of latestFiles === oldFiles ? [oldFiles] : [latestFiles, oldFiles]) {
      for (const [k, v] of source) {
        if (carried >= carry) break;
        if (!seen.has(k)) {
          files.push(`${k}\t${v}`);
          seen.add(k);
          carried++;
        }
      }
    }
    const groups: [string, string][] = [...this.groups];
    const seenGroups = new Set<string>();
    const groupSources = this.latest === this.old ? [this.old.groups] : [this.latest.groups, this.old.groups];
    if (this.absorbedGroups.size > 0 || groupSources.some((source) => source.size > 0))
      for (const k of this.groups.keys()) seenGroups.add(k);
    for (const [k, v] of this.absorbedGroups) {
      if (seenGroups.has(k) || this.rejected.get(k) === v) continue;
      groups.push([k, v]);
      seenGroups.add(k);
    }
    carried = 0;
    for (const source of groupSources) {
      for (const [k, v] of source) {
        if (carried >= carry) break;
        // An entry that failed its checksum here is not passed on (unless another run wrote a new one).
        if (seenGroups.has(k) || this.rejected.get(k) === v) continue;
        groups.push([k, v]);
        seenGroups.add(k);
        carried++;
      }
    }
    return packTextInPieces(this.namespace, files, groups);
  }

  /** Keep the newest packs; remove temporary files left by killed runs. */
  private async prune(): Promise<void> {
    const names = await readdir(this.dir);
    await removeStaleTemps(this.dir, names);
    const packs: { file: string; mtime: number }[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        // Packs of earlier versions (JSON) count among the newest kept.
        if (/^lint-[0-9a-f]+\.(?:pack|json)$/.test(name)) packs.push({ file, mtime: (await stat(file)).mtimeMs });
      } catch {
        /* raced with another run */
      }
    }
    packs.sort((a, b) => b.mtime - a.mtime);
    for (const old of packs.slice(KEEP_PACKS)) await unlink(old.file).catch(() => {});
  }
}
