/**
 * The repair stage: findings with a planned fix and the texts of their pages in, the edits to write
 * and each finding's outcome out. Pure apart from the `verify` callback, which lints page groups
 * in memory (src/fix/verify.ts) so that a repair that leaves a page worse is never written.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { applyEdits, overlaps, resolvePlan, toTextEdits, type FixText, type OffsetEdit } from './resolve.js';

export interface FileChange {
  file: string;
  before: string;
  after: string;
  edits: OffsetEdit[];
  /** The findings these edits repair. */
  fixes: Diagnostic[];
}

export interface RepairResult {
  /** The findings, each with `fix.resolved` (repairable) or `fix.notFixed` (why not) where it has a plan. */
  diagnostics: Diagnostic[];
  /** What `--fix` writes, by file (verified when a verifier was given). */
  changes: FileChange[];
  fixed: number;
  notFixed: number;
}

/** Per page group: the files whose findings a changed text would raise (their counts before and after). */
export interface PageCount {
  file: string;
  /** The page group it belongs to. */
  group: string;
  before: number;
  after: number;
  /** Of those, the errors: a repair that trades a warning for an error leaves the page worse. */
  errorsBefore?: number;
  errorsAfter?: number;
}
export type Verifier = (changed: ReadonlyMap<string, string>) => PageCount[];

/** Why a stale page's plan waits: it is written only when asked for. */
export const STALE_ONLY = 'a stale page is brought to the source revision only with --fix-stale';

/** Why a finding waits for the next pass: another page of its group is repaired first. */
export const WAITING = 'another page of its group is repaired first, and this one then against it: run --fix again';

/** Why a finding waits for the next pass: another finding's edits on the same text went first. */
export const OVERLAPS = 'its repair overlaps the repair of another finding here: run --fix again';

/** Resolve every plan against the texts: what SARIF and the text report show without writing anything. */
export function resolveFixes(diagnostics: readonly Diagnostic[], read: (file: string) => FixText | null): Diagnostic[] {
  return markStale(resolvePlans(diagnostics, read));
}

/**
 * Resolve the plans that need the texts, where the texts are at hand (a page group's check, in its
 * worker); stale plans are left as they are, for `markStale` or for `--fix-stale`.
 */
export function resolvePlans(diagnostics: readonly Diagnostic[], read: (file: string) => FixText | null): Diagnostic[] {
  return diagnostics.map((d) => {
    if (!d.fix || d.fix.stale || d.fix.resolved || d.fix.notFixed) return d;
    const r = resolvePlan(d, read);
    const mine = read(d.file);
    return 'notFixed' in r || !mine
      ? { ...d, fix: { ...d.fix, notFixed: 'notFixed' in r ? r.notFixed : `${d.file} cannot be read` } }
      : { ...d, fix: { ...d.fix, resolved: toTextEdits(mine, r.edits) } };
  });
}

/** A stale page's plans wait for `--fix-stale`: the report says so (no text is read). */
export function markStale(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (d.fix?.stale ? { ...d, fix: { ...d.fix, notFixed: STALE_ONLY } } : d));
}

/**
 * The repairs of a run: each file's findings' edits in report order, one that overlaps an earlier
 * one left for the next run; then, when `verify` is given, a file whose page (or whose group) would
 * have more findings is left as it is, until the rest holds.
 */
export function planRepairs(
  diagnostics: readonly Diagnostic[],
  read: (file: string) => FixText | null,
  verify?: Verifier,
  options: PlanOptions = {},
): RepairResult {
  const out = diagnostics.map((d) => ({ ...d }));
  const perFile = new Map<string, { edits: OffsetEdit[]; fixes: Diagnostic[] }>();
  for (const d of out) {
    if (!d.fix) continue;
    // Resolved by the run's check against the same texts: resolved again here, as a pass sees them.
    if (d.fix.resolved) {
      const { resolved: _resolved, ...plan } = d.fix;
      d.fix = plan;
    }
    if (d.fix.stale && !options.stale) {
      d.fix = { ...d.fix, notFixed: STALE_ONLY };
      continue;
    }
    const r = resolvePlan(d, read);
    const mine = read(d.file);
    if ('notFixed' in r || !mine) {
      d.fix = { ...d.fix, notFixed: 'notFixed' in r ? r.notFixed : `${d.file} cannot be read` };
      continue;
    }
    if (options.frozen?.has(d.file)) {
      d.fix = { ...d.fix, notFixed: options.frozenReason ?? '' };
      continue;
    }
    const entry = perFile.get(d.file) ?? { edits: [], fixes: [] };
    const fresh = r.edits.filter(
      (e) => !entry.edits.some((x) => x.start === e.start && x.end === e.end && x.text === e.text),
    );
    if (fresh.some((e) => entry.edits.some((x) => overlaps(x, e)))) {
      d.fix = { ...d.fix, notFixed: OVERLAPS };
      continue;
    }
    entry.edits.push(...fresh);
    entry.fixes.push(d);
    perFile.set(d.file, entry);
    d.fix = { ...d.fix, resolved: toTextEdits(mine, r.edits) };
  }
  const changed = new Map<string, string>();
  for (const [file, entry] of perFile) {
    const text = read(file)!.text;
    const after = applyEdits(text, entry.edits);
    if (after !== text) changed.set(file, after);
  }
  const refuse = (file: string, why: string) => {
    for (const d of perFile.get(file)?.fixes ?? []) d.fix = { ...d.fix!, resolved: undefined, notFixed: why };
  };
  // The pages that wait are set aside before verifying: what is verified is what is written.
  const setAside = new Map<string, string>();
  if (options.groupOf)
    for (const file of waitingFiles(changed, perFile, options.groupOf, options.sourceLocale)) {
      setAside.set(file, changed.get(file)!);
      changed.delete(file);
    }
  if (verify) verifyChanges(changed, verify, refuse);
  // A group whose chosen pages were all refused tries its next page in the same pass, one at a time.
  for (let round = 0; round < 20 && options.groupOf && setAside.size > 0; round++) {
    const busy = new Set([...changed.keys()].map((f) => options.groupOf!(f) ?? f));
    const next = new Map<unknown, string>();
    for (const file of setAside.keys()) {
      const group = options.groupOf(file) ?? file;
      if (!busy.has(group) && !next.has(group)) next.set(group, file);
    }
    if (next.size === 0) break;
    const trying = new Map<string, string>();
    for (const file of next.values()) {
      trying.set(file, setAside.get(file)!);
      setAside.delete(file);
    }
    if (verify) verifyChanges(trying, verify, refuse);
    for (const [file, after] of trying) changed.set(file, after);
  }
  for (const file of setAside.keys()) refuse(file, WAITING);
  const changes: FileChange[] = [];
  for (const [file, after] of changed) {
    const entry = perFile.get(file)!;
    changes.push({ file, before: read(file)!.text, after, edits: entry.edits, fixes: entry.fixes });
  }
  changes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const fixed = out.filter((d) => d.fix?.resolved && changed.has(d.file)).length;
  const notFixed = out.filter((d) => d.fix?.notFixed).length;
  return { diagnostics: out, changes, fixed, notFixed };
}

export interface PlanOptions {
  /** Also the stale pages' plans (`--fix-stale`). */
  stale?: boolean;
  /**
   * The page group of a file: then only some files of a group change (see `waitingFiles`), and those
   * are what the verifier checks, so that what is written is what was verified.
   */
  groupOf?: (file: string) => unknown;
  /** The source locale: a repair copied from it does not depend on the pages this pass changes. */
  sourceLocale?: string | null;
  /** Files left as they are (their repairs took turns with others), with the reason their repairable findings give. */
  frozen?: ReadonlySet<string>;
  frozenReason?: string;
}

/**
 * The files of a page group that wait for a later pass: a group changes one page at a time, so that each
 * is repaired against the others as they now are. Pages whose every repair comes from the source locale,
 * or from pages that this pass does not change, go together, as nothing they are repaired from moves (a
 * group's stale pages brought to the source or newest revision at once, where each alone would disagree
 * with the others).
 */
function waitingFiles(
  changed: ReadonlyMap<string, string>,
  perFile: ReadonlyMap<string, { fixes: Diagnostic[] }>,
  groupOf: (file: string) => unknown,
  sourceLocale: string | null | undefined,
): string[] {
  const byGroup = new Map<unknown, string[]>();
  for (const file of [...changed.keys()].sort()) {
    const group = groupOf(file) ?? file;
    byGroup.set(group, [...(byGroup.get(group) ?? []), file]);
  }
  const localeOf = (file: string) => perFile.get(file)!.fixes[0]?.locale;
  const waiting: string[] = [];
  for (const files of byGroup.values()) {
    const moving = new Set(files.map(localeOf));
    const steady = (file: string) =>
      perFile.get(file)!.fixes.every((d) => {
        const from = d.fix!.authority.split(', ').map((a) => a.replace(/ \(source\)$/, ''));
        return (sourceLocale != null && from.includes(sourceLocale)) || from.every((a) => !moving.has(a));
      });
    const together = files.filter(steady);
    const going = together.length > 0 ? together : files.slice(0, 1);
    waiting.push(...files.filter((f) => !going.includes(f)));
  }
  return waiting;
}

/**
 * Leave out of `changed` each file whose page, or a page of whose group, the verifier finds with more
 * findings, until the rest holds.
 */
function verifyChanges(
  changed: Map<string, string>,
  verify: Verifier,
  refuse: (file: string, why: string) => void,
): void {
  const reject = (file: string, why: string) => {
    changed.delete(file);
    refuse(file, why);
  };
  for (let round = 0; round < 50 && changed.size > 0; round++) {
    const counts = verify(changed);
    const worse = counts.filter((c) => c.after > c.before || (c.errorsAfter ?? 0) > (c.errorsBefore ?? 0));
    if (worse.length === 0) return;
    const own = worse.filter((c) => changed.has(c.file));
    if (own.length > 0) for (const c of own) reject(c.file, `the repaired page would have ${more(c)}: not written`);
    else {
      // An unchanged page of the group would have more: every change of its group stays out.
      const c = worse[0]!;
      for (const file of verifyGroupOf(c.file, counts, changed))
        reject(file, `repairing it would give ${c.file} ${more(c)}: not written`);
    }
  }
}

/** What a page would have more of: findings, else errors (a warning traded for an error). */
const more = (c: PageCount) =>
  c.after > c.before
    ? `more findings (${c.before} → ${c.after})`
    : `more errors (${c.errorsBefore ?? 0} → ${c.errorsAfter ?? 0})`;

/** The changed files of `file`'s page group. */
function verifyGroupOf(file: string, counts: readonly PageCount[], changed: ReadonlyMap<string, string>): string[] {
  const group = counts.find((c) => c.file === file)?.group;
  return counts.filter((c) => c.group === group && changed.has(c.file)).map((c) => c.file);
}
