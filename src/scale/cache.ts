import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ContentIdentity } from './source.js';

/**
 * The lint cache: what a run learned, keyed by content, so that a re-run over unchanged files
 * reads and hashes them and does nothing else.
 *
 * - Per file, by content hash: the front matter's part of its identity (declared locale, asset id),
 *   so groups are planned without parsing YAML.
 * - Per file, by path: its content hash and the stat signature it was read under (size, mtime,
 *   ctime, inode), as git's index does, so that an unchanged file is not even read again. Every
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
const FORMAT_VERSION = 2;
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

interface Pack {
  format: typeof FORMAT;
  formatVersion: number;
  namespace: string;
  files: Record<string, [string | null, string | null]>;
  stat: Record<string, [string, string]>;
  groups: Record<string, { d: unknown[]; s: number }>;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

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

/**
 * The members of one pack object as `"key":value` texts: this run's entries, then earlier ones
 * it did not touch, up to CARRY_OVER.
 */
function packMembers<Own, Old>(own: ReadonlyMap<string, Own>, old: Record<string, Old>, encodeOwn: (v: Own) => string, encodeOld: (v: Old) => string): string[] {
  const out: string[] = [];
  for (const [k, v] of own) out.push(`${JSON.stringify(k)}:${encodeOwn(v)}`);
  let carried = 0;
  for (const [k, v] of Object.entries(old)) {
    if (carried >= CARRY_OVER) break;
    if (!own.has(k)) { out.push(`${JSON.stringify(k)}:${encodeOld(v)}`); carried++; }
  }
  return out;
}

/** What stat says of a file, enough to tell it changed. */
export interface FileSignature { size: number; mtimeMs: number; ctimeMs: number; ino: number; dev: number }
export const signatureOf = (s: FileSignature): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

const isNullableString = (v: unknown) => v === null || typeof v === 'string';

export class LintCache {
  readonly file: string;
  private readonly old: Pack;
  private readonly files = new Map<string, [string | null, string | null]>();
  private readonly groups = new Map<string, string>();
  private readonly signatures = new Map<string, [string, string]>();
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
    const empty: Pack = { format: FORMAT, formatVersion: FORMAT_VERSION, namespace, files: {}, stat: {}, groups: {} };
    const cache = new LintCache(dir, namespace, empty);
    let pack: unknown;
    try {
      pack = JSON.parse(await readFile(cache.file, 'utf8'));
    } catch {
      return cache; // none yet, unreadable, or not JSON: start empty
    }
    const p = pack as Partial<Pack> | null;
    if (p && typeof p === 'object' && p.format === FORMAT && p.formatVersion === FORMAT_VERSION && p.namespace === namespace
      && p.files && typeof p.files === 'object' && p.groups && typeof p.groups === 'object' && p.stat && typeof p.stat === 'object') {
      return new LintCache(dir, namespace, p as Pack);
    }
    return cache;
  }

  /** The front-matter identity of a file's content, if known. */
  identity(hash: string): ContentIdentity | undefined {
    const own = this.files.get(hash);
    const entry = own ?? (Object.hasOwn(this.old.files, hash) ? this.old.files[hash] : undefined);
    if (Array.isArray(entry) && entry.length === 2 && isNullableString(entry[0]) && isNullableString(entry[1])) {
      if (!own) this.files.set(hash, entry);
      return { declaredLocale: entry[0], assetId: entry[1] };
    }
    return undefined;
  }

  setIdentity(hash: string, identity: ContentIdentity): void {
    const known = this.files.get(hash);
    if (known && known[0] === identity.declaredLocale && known[1] === identity.assetId) return;
    this.files.set(hash, [identity.declaredLocale, identity.assetId]);
    this.dirty = true;
  }

  /** The content hash of a file last read under this stat signature, if it has not changed since. */
  hashOf(absPath: string, signature: string): string | undefined {
    const entry = this.signatures.get(absPath) ?? (Object.hasOwn(this.old.stat, absPath) ? this.old.stat[absPath] : undefined);
    if (Array.isArray(entry) && entry.length === 2 && entry[0] === signature && typeof entry[1] === 'string') {
      this.signatures.set(absPath, entry);
      return entry[1];
    }
    return undefined;
  }

  /** Remember a file's content hash under its stat signature (when it has been still long enough). */
  setHash(absPath: string, stats: FileSignature, hash: string, now = Date.now()): void {
    if (Math.max(stats.mtimeMs, stats.ctimeMs) > now - RACY_MS) return;
    const signature = signatureOf(stats);
    const known = this.signatures.get(absPath);
    if (known && known[0] === signature && known[1] === hash) return;
    this.signatures.set(absPath, [signature, hash]);
    this.dirty = true;
  }

  /** Key of a page group: its id, its members (paths, locales, content hashes) and the run's locales. */
  static groupKey(pageId: string, members: readonly { file: string; absPath: string; root: string; locale: string | null; hash: string }[], locales: readonly string[]): string {
    return sha(stableStringify([pageId, locales, members.map((m) => [m.file, m.absPath, m.root, m.locale, m.hash])]));
  }

  group(key: string): GroupEntry | undefined {
    const own = this.groups.get(key);
    let entry: unknown;
    try {
      entry = own !== undefined ? JSON.parse(own) : Object.hasOwn(this.old.groups, key) ? structuredClone(this.old.groups[key]) : undefined;
    } catch {
      entry = undefined;
    }
    const e = entry as { d?: unknown; s?: unknown } | undefined;
    if (e && typeof e === 'object' && Array.isArray(e.d) && typeof e.s === 'number' && e.d.every(isDiagnostic)) {
      restoreUndefined(e.d);
      if (own === undefined) this.groups.set(key, encode(this.old.groups[key]));
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
      const files = packMembers(this.files, this.old.files, JSON.stringify, JSON.stringify);
      const signatures = packMembers(this.signatures, this.old.stat, JSON.stringify, JSON.stringify);
      const groups = packMembers(this.groups, this.old.groups, (v) => v, encode);
      const text = `{"format":${JSON.stringify(FORMAT)},"formatVersion":${FORMAT_VERSION},"namespace":${JSON.stringify(this.namespace)},\n"files":{${files.join(',\n')}},\n"stat":{${signatures.join(',\n')}},\n"groups":{${groups.join(',\n')}}}\n`;
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
