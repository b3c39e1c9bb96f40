import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiscoveredFile } from '../discover/discover.js';
import { pageGroup } from '../group/group.js';
import { fixText, type FixText } from '../fix/resolve.js';
import { resolvePlans } from '../fix/repair.js';
import { lintGroups, type LintOptions } from '../lint/lint.js';
import { parseFrontMatter } from '../page/frontmatter.js';
import { scanFlatFrontMatter } from '../page/flat-frontmatter.js';
import { contentIdentityOf, type ContentIdentity } from '../page/identity.js';
import { buildPage, unparsedPage, type Page, type PageOptions } from '../page/page.js';
import type { SourceText } from '../page/read.js';
import { forEachConcurrently } from '../util/concurrently.js';
import {
  decodePageBytes,
  readPageBytes,
  readPageBytesAsync,
  readPageBytesReusing,
  lastReadTook,
  readsFromDiskBy,
  plainStat,
  withoutStats,
  type PageBytes,
  type PageRead,
  type PlainStat,
} from './source.js';

/**
 * The unit of work of a lint run: parse the pages of some page groups and check each group.
 * The same function runs in the main thread and in the worker pool, so a run gives the same
 * results with and without workers; only diagnostics and counts cross the thread boundary.
 */
export interface CheckTask {
  /** The page groups: each check reads its members' files itself (see lint-run.ts). */
  groups: { pageId: string; members: DiscoveredFile[] }[];
  /** Page options (maxFileBytes, defaultLocale) and lint options (sourceLocale, locales, rules): plain data. */
  options: PageOptions & LintOptions;
  /**
   * Where the task says what it is doing, for the run's watchdog (lint-run.ts), backed by a
   * SharedArrayBuffer so that the main thread reads it while a worker is busy:
   * [steps begun, group index in this task, member index or -1 for the group's checks].
   */
  watch?: Int32Array;
  /** Steps a watchdog stopped on an earlier try of this task: not tried again, reported as `page-timeout`. */
  stopped?: StoppedStep[];
  /**
   * Also give each member's identity from its front matter (`GroupOutcome.contents`): the groups were planned from
   * paths alone, and the run checks the plan against what the pages say (lint-run.ts).
   */
  identify?: boolean;
}

/**
 * A step of a check task that a watchdog stopped: parsing member `member` of group `group` (-1: the group's checks),
 * after `afterMs`.
 */
export interface StoppedStep {
  group: number;
  member: number;
  afterMs: number;
}

export interface GroupOutcome {
  diagnostics: Diagnostic[];
  samples: number;
  /**
   * Content hash of each member as read here (null: not read), in member order: a cache entry is written only when they
   * match the plan's.
   */
  hashes: (string | null)[];
  /** With `CheckTask.identify`: each member's front matter identity, in member order. */
  contents?: ContentIdentity[];
  /**
   * With `CheckTask.identify`: the stat each member was read under (null: not read), in member order, for the cache's
   * stat signature (discovery takes none on such a run).
   */
  stats?: (PlainStat | null)[];
}

/** What a group's check tells a watchdog, and the steps that a watchdog stopped before. */
export interface StepWatch {
  /** Called as member `member` (-1: the group's checks) begins. */
  begin(member: number): void;
  /** How long the step ran before a watchdog stopped it on an earlier try; undefined when it was not stopped. */
  stoppedAfter(member: number): number | undefined;
}

const UNWATCHED: StepWatch = { begin() {}, stoppedAfter: () => undefined };

export function checkGroup(
  pageId: string,
  members: readonly DiscoveredFile[],
  options: PageOptions & LintOptions,
  watch: StepWatch = UNWATCHED,
  identify = false,
): GroupOutcome {
  const hashes: (string | null)[] = [];
  const stats: (PlainStat | null)[] = [];
  const pageOptions: PageOptions = { ...options, keepTree: false };
  const texts = new Map<string, string | null>();
  const pages = members.map((file, member) => {
    watch.begin(member);
    const bytes = readPageBytesReusing(file.absPath, file.displayPath, options.maxFileBytes);
    const source = decodePageBytes(bytes, file.displayPath);
    texts.set(file.displayPath, repairableText(source));
    hashes.push(bytes.hash);
    if (identify) stats.push(bytes.stats ? plainStat(bytes.stats) : null);
    const stopped = watch.stoppedAfter(member);
    if (stopped === undefined) return buildPage(file, source.text, source.diagnostics, source.bytes, pageOptions);
    const reason: Diagnostic = {
      ruleId: 'page-timeout',
      severity: 'error',
      file: file.displayPath,
      line: 1,
      column: 1,
      message:
        `parsing this page took over ${stopped.toLocaleString('en-US')} ms and was stopped: the page is not checked ` +
        '(markdown such as lists nested hundreds deep or thousands of unclosed brackets makes the parser superlinear)',
    };
    return unparsedPage(file, source.text, source.diagnostics, source.bytes, reason, pageOptions);
  });
  for (const page of pages) page.diagnostics.sort(compareDiagnostics);
  const samples = pages.reduce((n, p) => n + p.samples.length, 0);
  // Read before pageGroup gives every page the group's id. The page took its locale and asset id from its front
  // matter as contentIdentityOfBytes does (both through parseFrontMatter's data and contentIdentityOf).
  const contents = identify ? pages.map(contentOf) : [];
  const group = pageGroup(pageId, pages);
  watch.begin(-1);
  const stopped = watch.stoppedAfter(-1);
  const outcome = (diagnostics: Diagnostic[]): GroupOutcome =>
    identify ? { diagnostics, samples, hashes, contents, stats } : { diagnostics, samples, hashes };
  if (stopped === undefined) return outcome(resolvePlans(lintGroups([group], options), reader(texts)));
  // The pages' own findings still stand; the cross-locale checks are what was stopped.
  const first = group.pages[0]!;
  const reason: Diagnostic = {
    ruleId: 'page-timeout',
    severity: 'error',
    file: first.file,
    line: 1,
    column: 1,
    locale: first.locale ?? undefined,
    pageId,
    sampleId: null,
    related: [],
    message:
      `checking page group ${pageId} took over ${stopped.toLocaleString('en-US')} ms and was stopped: ` +
      'its cross-locale checks were not run',
  };
  return outcome([...lintGroups([group], options, []), reason].sort(compareDiagnostics));
}

/** What a built page's front matter said of its identity: `contentIdentityOf` of the data it was built from. */
function contentOf(page: Page): ContentIdentity {
  return { declaredLocale: page.localeSource === 'front-matter' ? page.locale : null, assetId: page.assetId };
}

/**
 * A page's text as `--fix` would read it (src/fix/files.ts): UTF-8 without its BOM; null when the
 * bytes are not valid UTF-8, which is never repaired.
 */
function repairableText(source: SourceText): string | null {
  if (source.text === null || source.encoding !== 'utf-8') return null;
  return source.diagnostics.some((d) => d.ruleId === 'file-encoding') ? null : source.text;
}

/** The group's texts, each split into lines only when a finding's repair asks for it. */
function reader(texts: ReadonlyMap<string, string | null>): (file: string) => FixText | null {
  const split = new Map<string, FixText | null>();
  return (file) => {
    let t = split.get(file);
    if (t === undefined) {
      const text = texts.get(file);
      t = text == null ? null : fixText(text);
      split.set(file, t);
    }
    return t;
  };
}

export function checkBatch(task: CheckTask): GroupOutcome[] {
  const { watch, stopped = [] } = task;
  return task.groups.map((g, index) =>
    checkGroup(
      g.pageId,
      g.members,
      task.options,
      {
        begin(member) {
          if (!watch) return;
          Atomics.store(watch, 1, index);
          Atomics.store(watch, 2, member);
          Atomics.add(watch, 0, 1);
        },
        stoppedAfter: (member) => stopped.find((s) => s.group === index && s.member === member)?.afterMs,
      },
      task.identify,
    ),
  );
}

/** The first step of a run, for files the cache does not know: read, hash, and identify from front matter. */
export interface IdentifyTask {
  files: DiscoveredFile[];
  /** Each file's bytes as the caller read them, in file order (else read here). */
  read?: PageRead[];
  /** Without `read`: each file's stat as discovery took it (else taken here), in file order. */
  stats?: (PlainStat | null)[];
  maxFileBytes?: number;
}

export interface IdentifyOutcome {
  hash: string | null;
  content: ContentIdentity;
  /** The stat the file was read under, when read here (for the cache's stat signature). */
  stats?: PlainStat | null;
}

/** The front matter's part of a page's identity, cacheable by content hash. */
export function contentIdentity(source: SourceText, displayPath: string): ContentIdentity {
  return contentIdentityOf(
    source.text === null ? {} : (parseFrontMatter(source.text, displayPath).frontMatter?.data ?? {}),
  );
}

/** `---` and a line feed, a line feed and `---`: where flat front matter opens and closes (flat-frontmatter.ts). */
const OPENING = Buffer.from('---\n');
const CLOSING = Buffer.from('\n---');

/**
 * `contentIdentity` of a page's bytes, decoding only its front matter where that is the same: the first step of a
 * run reads every page for its identity (decoding whole pages was a quarter of its CPU on Graph). The bytes up to
 * the closing `---` decode to the text's own start (UTF-8 resynchronizes at every ASCII byte, so a bad sequence
 * before it never takes it), and scanFlatFrontMatter reads nothing past it. Anything else is decoded whole: UTF-16,
 * a NUL (no text at all), front matter YAML must read, or none closed.
 */
export function contentIdentityOfBytes(read: PageRead, displayPath: string): ContentIdentity {
  if (read.failed) return contentIdentity(read.failed, displayPath);
  const bytes = read.bytes;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom);
  if (!utf16 && body.indexOf(0) === -1) {
    // No `---` at the start: no front matter for either reader of it (parseFrontMatter).
    if (body[0] !== 0x2d || body[1] !== 0x2d || body[2] !== 0x2d) return contentIdentityOf({});
    const close = body.indexOf(CLOSING, 3);
    if (
      body.subarray(0, 4).equals(OPENING) &&
      close !== -1 &&
      (close + 4 === body.length || body[close + 4] === 0x0a)
    ) {
      const flat = scanFlatFrontMatter(body.toString('utf8', 0, close + 4));
      if (flat) return contentIdentityOf(flat.data);
    }
  }
  return contentIdentity(decodePageBytes(read, displayPath), displayPath);
}

export function identifyBatch(task: IdentifyTask): IdentifyOutcome[] {
  return task.files.map((file, i) => {
    const bytes = task.read?.[i] ?? readPageBytes(file.absPath, file.displayPath, task.maxFileBytes);
    return { hash: bytes.hash, content: contentIdentityOfBytes(bytes, file.displayPath) };
  });
}

/** Reads in flight at once in one thread, once the disk is found slow: two workers keep 32, as the main thread did. */
const READS_IN_FLIGHT = 16;
/** Pages read synchronously in each window whose median read time decides. */
const READS_TO_DECIDE = 32;
/** This thread found reads slow: the files come from the disk. */
let readsFromDisk = false;
/** The read times (ms) of this thread's current window. */
const readTimes: number[] = [];

/**
 * `identifyBatch` reading the files itself (a worker's task given no bytes), so that the reads,
 * hashes and front matter of the first step run on every worker. Synchronously while the files
 * come from the page cache (on Graph's 98,130 pages, two workers reading this way took 1.4 s, with
 * callback reads 3.6 s: a read is four thread-pool round trips); the rest many at a time once reads
 * turn out slow (a cold disk reads 32 files in flight 6 times faster than one after another).
 */
export async function identifyReading(
  task: IdentifyTask,
  reads: 'measured' | 'from-disk' = 'measured',
): Promise<IdentifyOutcome[]> {
  const { files, maxFileBytes } = task;
  const out = new Array<IdentifyOutcome>(files.length);
  let i = 0;
  // Once slow, for the rest of the run: a cold disk stays cold for files read once.
  for (; i < files.length && !readsFromDisk && reads === 'measured'; i++) {
    const file = files[i]!;
    const read = readPageBytesReusing(file.absPath, file.displayPath, maxFileBytes);
    if (read.bytes) readTimes.push(lastReadTook());
    if (readTimes.length === READS_TO_DECIDE) {
      readsFromDisk = readsFromDiskBy(readTimes);
      readTimes.length = 0;
    }
    out[i] = identified(file, read);
  }
  const rest = Array.from({ length: files.length - i }, (_, k) => i + k);
  await forEachConcurrently(rest, READS_IN_FLIGHT, async (k) => {
    const file = files[k]!;
    const stat = task.stats?.[k];
    const known = stat ? { ...stat, isFile: () => true } : undefined;
    out[k] = identified(file, await readPageBytesAsync(file.absPath, file.displayPath, maxFileBytes, known));
  });
  return out;
}

/** A page's identity from its bytes, with the stat they were read under. */
function identified(file: DiscoveredFile, read: PageBytes): IdentifyOutcome {
  const content = contentIdentityOfBytes(withoutStats(read), file.displayPath);
  return { hash: read.hash, content, stats: read.stats ? plainStat(read.stats) : null };
}
