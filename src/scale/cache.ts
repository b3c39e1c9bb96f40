import { createHash, hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../util/atomic-write.js';
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
 * and dependencies, and the options that change results): one read and one atomic write per run
 * (9,000 small files would cost more than the whole warm run). A pack that cannot be read or
 * parsed, or an entry of the wrong shape, is ignored; the pack is written with
 * util/atomic-write, so a killed run leaves the previous pack or the new one, never a torn one.
 */

export const DEFAULT_CACHE_DIR = path.join('node_modules', '.cache', 'lockstep');
const FORMAT = 'lockstep-lint-cache';
const FORMAT_VERSION = 3;
/** A file changed this recently may change again within the same timestamp: not remembered by its stat. */
export const RACY_MS = 2000;
/** Packs (namespaces) kept in the cache folder; older ones are removed when a run saves. */
const KEEP_PACKS = 8;
/** Entries carried over from earlier runs, beyond those this run used. */
const CARRY_OVER = 20_000;

export interface GroupEntry {
  diagnostics: Diagnostic[];
  samples: number;
}

/**
 * The pack as stored, shaped for a fast load (on Graph's 98,000 files the load is a tenth of a
 * warm run): the file entries are one text of lines `path\tsignature\thash\tlocale\tasset id`
 * (a null field is empty, a string one starts with `=`), and each group's entry is its JSON text,
 * parsed only when asked for.
 */
interface Pack {
  format: typeof FORMAT;
  formatVersion: number;
  namespace: string;
  files: string;
  groups: Record<string, string>;
}

const sha = (text: string) => hash('sha256', text, 'hex').slice(0, 32);

/** JSON with sorted keys, so equal values hash equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : stableStringify(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().flatMap((k) => {
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
  try { version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version; } catch { /* not in a package */ }
  hash.update(`lockstep@${version}\n`);
  const walk = (dir: string) => {
    let names: string[];
    try { names = readdirSync(dir).sort(); } catch { return; }
    for (const name of names) {
      const file = path.join(dir, name);
      if (/\.(?:js|mjs|ts)$/.test(name) && !name.endsWith('.d.ts')) {
        try { hash.update(`${path.relative(root, file)}\n`).update(readFileSync(file)); } catch { /* unreadable: skip */ }
      } else if (!name.includes('.')) {
        try { if (statSync(file).isDirectory()) walk(file); } catch { /* vanished */ }
      }
    }
  };
  walk(root);
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    try { hash.update(readFileSync(path.join(dir, 'node_modules', '.package-lock.json'))); break; } catch { /* look further up */ }
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
    for (let i = 0; i < value.length; i++) { if (value[i] === UNDEFINED) value[i] = undefined; else restoreUndefined(value[i]); }
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) { if (o[k] === UNDEFINED) o[k] = undefined; else restoreUndefined(o[k]); }
  }
}

const isDiagnostic = (d: unknown): d is Diagnostic => {
  if (d === null || typeof d !== 'object') return false;
  const x = d as Record<string, unknown>;
  return typeof x['ruleId'] === 'string' && typeof x['message'] === 'string' && typeof x['file'] === 'string'
    && (x['severity'] === 'error' || x['severity'] === 'warning' || x['severity'] === 'info')
    && typeof x['line'] === 'number' && typeof x['column'] === 'number';
};

/** The entries of one pack section: this run's, then earlier ones it did not touch, up to CARRY_OVER. */
function packMembers<V>(own: ReadonlyMap<string, V>, old: Iterable<[string, V]>, member: (key: string, value: V) => string): string[] {
  const out: string[] = [];
  for (const [k, v] of own) out.push(member(k, v));
  let carried = 0;
  for (const [k, v] of old) {
    if (carried >= CARRY_OVER) break;
    if (!own.has(k)) { out.push(member(k, v)); carried++; }
  }
  return out;
}

/** What stat says of a file, enough to tell it changed. */
export interface FileSignature { size: number; mtimeMs: number; ctimeMs: number; ino: number; dev: number }
export const signatureOf = (s: FileSignature): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/** A file entry after its path, `signature\thash\tlocale\tasset id`, from `from` (past the signature) on; undefined when malformed. */
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
  const field = (start: number, end: number): string | null | undefined => (start === end ? null : entry.charCodeAt(start) === 61 /* = */ ? entry.slice(start + 1, end) : undefined);
  const declaredLocale = field(t1 + 1, t2);
  const assetId = field(t2 + 1, entry.length);
  if (declaredLocale === undefined || assetId === undefined) return undefined;
  return { hash, identity: { declaredLocale, assetId } };
}

const fileField = (value: string | null): string => (value === null ? '' : `=${value}`);

export class LintCache {
  readonly file: string;
  private readonly old: Pack;
  /** Path → the rest of its file entry: this run's, and (parsed on first use) the pack's. */
  private readonly fileEntries = new Map<string, string>();
  private packedEntries: Map<string, string> | null = null;
  /** Read position in the pack's file entries, and the packed entries this run found still valid (kept first when saving). */
  private packedCursor = 0;
  private readonly packedUsed: string[] = [];
  /** Content hash → identity: what this run learned, and (built on first use) what the pack knows. */
  private readonly learned = new Map<string, ContentIdentity>();
  private packedIdentities: Map<string, ContentIdentity> | null = null;
  private readonly groups = new Map<string, string>();
  /** Whether this run learned anything the pack does not hold (else saving is skipped). */
  private dirty = false;

  private constructor(readonly dir: string, readonly namespace: string, old: Pack) {
    this.file = path.join(dir, `lint-${namespace}.json`);
    this.old = old;
  }

  /**
   * Open the pack of a namespace in `dir`. `config` is everything besides file contents that
   * changes results (options); it is hashed with the code fingerprint into the namespace.
   */
  static async open(dir: string, config: unknown): Promise<LintCache> {
    const namespace = sha(`${codeFingerprint()}\n${stableStringify(config)}`);
    const empty: Pack = { format: FORMAT, formatVersion: FORMAT_VERSION, namespace, files: '', groups: {} };
    const cache = new LintCache(dir, namespace, empty);
    let pack: unknown;
    try {
      pack = JSON.parse(await readFile(cache.file, 'utf8'));
    } catch {
      return cache; // none yet, unreadable, or not JSON: start empty
    }
    const p = pack as Partial<Pack> | null;
    if (p && typeof p === 'object' && p.format === FORMAT && p.formatVersion === FORMAT_VERSION && p.namespace === namespace
      && typeof p.files === 'string' && p.groups && typeof p.groups === 'object') {
      return new LintCache(dir, namespace, p as Pack);
    }
    return cache;
  }

  private packedFiles(): Map<string, string> {
    if (this.packedEntries) return this.packedEntries;
    this.packedEntries = new Map();
    for (const line of this.old.files.split('\n')) {
      const tab = line.indexOf('\t');
      const path = line.slice(0, tab);
      if (tab > 0 && !this.packedEntries.has(path)) this.packedEntries.set(path, line.slice(tab + 1));
    }
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
    if (this.packedEntries === null && text.startsWith(absPath, at) && text.charCodeAt(at + absPath.length) === 9 /* tab */) {
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
    if (entry === undefined || !entry.startsWith(signature) || entry.charCodeAt(signature.length) !== 9 /* tab */) return undefined;
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
    const entry = `${signatureOf(stats)}\t${hash}\t${fileField(identity.declaredLocale)}\t${fileField(identity.assetId)}`;
    // A path or value holding a tab or a newline cannot be stored in the line format: such a file is read every time.
    if (/[\t\n]/.test(absPath) || entry.split('\t').length !== 4 || entry.includes('\n')) return;
    if (this.fileEntries.get(absPath) === entry) return;
    this.fileEntries.set(absPath, entry);
    this.dirty = true;
  }

  /** Key of a page group: its id, its members (paths, locales, content hashes) and the run's locales. */
  static groupKey(pageId: string, members: readonly { file: string; absPath: string; root: string; locale: string | null; hash: string }[], locales: readonly string[]): string {
    // Strings and nulls in arrays only: plain JSON is already canonical.
    return sha(JSON.stringify([pageId, locales, members.map((m) => [m.file, m.absPath, m.root, m.locale, m.hash])]));
  }

  group(key: string): GroupEntry | undefined {
    const text = this.groups.get(key) ?? (Object.hasOwn(this.old.groups, key) ? this.old.groups[key] : undefined);
    if (typeof text !== 'string') return undefined;
    let entry: unknown;
    try { entry = JSON.parse(text); } catch { return undefined; }
    const e = entry as { d?: unknown; s?: unknown } | null;
    if (e && typeof e === 'object' && Array.isArray(e.d) && typeof e.s === 'number' && e.d.every(isDiagnostic)) {
      restoreUndefined(e.d);
      this.groups.set(key, text);
      return { diagnostics: e.d as Diagnostic[], samples: e.s };
    }
    return undefined;
  }

  setGroup(key: string, entry: GroupEntry): void {
    this.groups.set(key, encode({ d: entry.diagnostics, s: entry.samples }));
    this.dirty = true;
  }

  /**
   * Write the pack atomically: this run's entries, then earlier ones up to a bound. Nothing is
   * written when the run learned nothing new (a warm run). Errors (read-only folder, full disk)
   * are swallowed: the cache only ever saves time.
   */
  async save(): Promise<boolean> {
    if (!this.dirty) return true;
    try {
      await mkdir(this.dir, { recursive: true });
      // This run's entries, then the pack's ones this run looked up, then others up to CARRY_OVER.
      const packed = this.packedFiles();
      for (const used of this.packedUsed) if (!this.fileEntries.has(used)) this.fileEntries.set(used, packed.get(used)!);
      const files = packMembers(this.fileEntries, packed, (k, v) => `${k}\t${v}`);
      const groups = packMembers(this.groups, Object.entries(this.old.groups), (k, v) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
      const text = `{"format":${JSON.stringify(FORMAT)},"formatVersion":${FORMAT_VERSION},"namespace":${JSON.stringify(this.namespace)},\n"files":${JSON.stringify(files.join('\n'))},\n"groups":{${groups.join(',\n')}}}\n`;
      await writeFileAtomic(this.file, text);
      await this.prune();
      return true;
    } catch {
      return false;
    }
  }

  /** Keep the newest packs; remove temporary files left by killed runs. */
  private async prune(): Promise<void> {
    const names = await readdir(this.dir);
    const now = Date.now();
    const packs: { file: string; mtime: number }[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        if (/^lint-[0-9a-f]+\.json$/.test(name)) packs.push({ file, mtime: (await stat(file)).mtimeMs });
        else if (/^\.lint-[0-9a-f]+\.json\..*\.tmp$/.test(name) && now - (await stat(file)).mtimeMs > 3_600_000) await unlink(file);
      } catch { /* raced with another run */ }
    }
    packs.sort((a, b) => b.mtime - a.mtime);
    for (const old of packs.slice(KEEP_PACKS)) await unlink(old.file).catch(() => {});
  }
}
