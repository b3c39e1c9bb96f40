/**
 * Repairs in passes, as ESLint's --fix runs them: a repair can settle the authority of another
 * finding (a locale repaired now agrees with the one that was alone), so the page groups a pass
 * changed are linted again in memory and repaired again, until a pass changes nothing (at most 20). One
 * file of a page group changes a pass, so that each is repaired against the others as they now are.
 * A second `--fix` then finds nothing more to write.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintOptions } from '../lint/lint.js';
import type { Rule } from '../lint/rule.js';
import { planRepairs, WAITING } from './repair.js';
import { fixText, type FixText } from './resolve.js';
import { groupVerifier, lintGroupTexts } from './verify.js';

export interface PassOptions extends LintOptions {
  cwd: string;
  groups: readonly { pageId: string; pages: readonly { file: string }[] }[];
  /** The pages' texts as they are on disk. */
  read: (file: string) => FixText | null;
  defaultLocale?: string;
  lintRules?: readonly Rule[];
  maxPasses?: number;
  /** Also bring stale pages' samples, anchors and link targets to the source revision (`--fix-stale`). */
  stale?: boolean;
}

export interface PassesResult {
  /** The first pass's findings, each with its repair resolved or the reason it has none. */
  diagnostics: Diagnostic[];
  /** Files whose text changed: before (on disk) and after every pass. */
  files: { file: string; before: string; after: string }[];
  /** Findings repaired, over every pass. */
  fixed: number;
  /** Findings repaired, by file. */
  fixedByFile: Map<string, number>;
  /** Findings repaired, by rule id. */
  fixedByRule: Record<string, number>;
  /** Why findings were not repaired, by `file\0ruleId\0message` (the last pass that saw them). */
  reasons: Map<string, string>;
  passes: number;
  /** The stale pages brought to the source revision (`stale`): their prose still needs translators. */
  staleFiles: string[];
  /** Findings repaired in each pass. */
  perPass: number[];
}

/** Why a file whose repairs took turns was left as it was. */
export const CYCLE = 'its repair and another take turns (the authority changes as they are written): not written';

/** Why a page that waited for another of its group was not repaired: that one was not written either. */
export const STRANDED = 'it waited for another page of its group, whose repair was not written: not written';

export const reasonKey = (d: Diagnostic): string => `${d.file}\0${d.ruleId}\0${d.message}`;

export function repairInPasses(diagnostics: readonly Diagnostic[], options: PassOptions): PassesResult {
  const current = new Map<string, FixText>();
  const read = (file: string) => current.get(file) ?? options.read(file);
  const groupOf = new Map<string, PassOptions['groups'][number]>();
  for (const g of options.groups) for (const p of g.pages) groupOf.set(p.file, g);
  const reasons = new Map<string, string>();
  const perPass: number[] = [];
  // The texts each file has had in this run: a repair that brings one back undoes an earlier one (two
  // authorities take turns). Such a file is left as it was before the run, and not repaired again.
  const history = new Map<string, Set<string>>();
  const frozen = new Set<string>();
  const fixesOf = new Map<string, Diagnostic[]>();
  let first: Diagnostic[] | null = null;
  let findings = diagnostics;
  let passes = 0;
  for (; passes < (options.maxPasses ?? 20);) {
    passes++;
    const verify = groupVerifier({ ...options, read: (f) => read(f)?.text ?? null });
    const result = planRepairs(findings, read, verify, {
      stale: options.stale,
      groupOf: (file) => groupOf.get(file),
      sourceLocale: options.sourceLocale,
      frozen,
      frozenReason: CYCLE,
    });
    first ??= result.diagnostics;
    for (const d of result.diagnostics) if (d.fix?.notFixed) reasons.set(reasonKey(d), d.fix.notFixed);
    const touched: string[] = [];
    let now = 0;
    // What planRepairs verified is written: one page of a group a pass (pages repaired from the source
    // together), the others planned again against it in the next pass.
    for (const c of result.changes) {
      const seen = history.get(c.file) ?? new Set([options.read(c.file)!.text]);
      if (seen.has(c.after)) {
        frozen.add(c.file);
        current.delete(c.file);
        for (const d of [...(fixesOf.get(c.file) ?? []), ...c.fixes]) reasons.set(reasonKey(d), CYCLE);
        fixesOf.delete(c.file);
        touched.push(c.file);
        continue;
      }
      seen.add(c.after);
      history.set(c.file, seen);
      current.set(c.file, fixText(c.after));
      fixesOf.set(c.file, [...(fixesOf.get(c.file) ?? []), ...c.fixes]);
      for (const d of c.fixes) reasons.delete(reasonKey(d));
      touched.push(c.file);
      now += c.fixes.length;
    }
    if (touched.length === 0) break;
    perPass.push(now);
    // The groups this pass changed, linted again from their new texts.
    const groups = new Set(touched.map((f) => groupOf.get(f)).filter((g) => g !== undefined));
    findings = [...groups].flatMap((g) =>
      lintGroupTexts(
        g.pageId,
        g.pages.map((p) => p.file),
        (f) => read(f)?.text ?? null,
        options,
      ),
    );
    // A finding that another's repair settled (two findings on one link text) is gone, and so is its reason.
    const relinted = new Set([...groups].flatMap((g) => g.pages.map((p) => p.file)));
    const remaining = new Set(findings.map(reasonKey));
    for (const key of reasons.keys())
      if (relinted.has(key.slice(0, key.indexOf('\0'))) && !remaining.has(key)) reasons.delete(key);
  }
  // A page still waiting when the passes end waited for a page of its group that could not be repaired.
  for (const [key, why] of reasons) if (why === WAITING) reasons.set(key, STRANDED);
  let fixed = 0;
  const fixedByRule: Record<string, number> = {};
  const fixedByFile = new Map<string, number>();
  const staleFiles = new Set<string>();
  for (const [file, fixes] of fixesOf) {
    fixed += fixes.length;
    fixedByFile.set(file, fixes.length);
    for (const d of fixes) {
      fixedByRule[d.ruleId] = (fixedByRule[d.ruleId] ?? 0) + 1;
      if (d.fix?.stale) staleFiles.add(file);
    }
  }
  const files = [...current].map(([file, t]) => ({ file, before: options.read(file)!.text, after: t.text }));
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const changed = files.filter((f) => f.before !== f.after);
  return {
    diagnostics: first ?? [...diagnostics],
    files: changed,
    fixed,
    fixedByFile,
    fixedByRule,
    reasons,
    passes,
    perPass,
    staleFiles: [...staleFiles].sort(),
  };
}
