/**
 * `glossary()`: the do-not-translate list of a doc set, for MT engines and translators. Each term
 * is an identifier the page groups agree on (vocabulary/vocabulary.ts decides which), with where
 * it comes from and the pages that use it.
 *
 * Built to run on doc sets of any size: files are identified from path and front matter first
 * (as lint plans its groups), then each page group is read, parsed and reduced to its vocabulary
 * on its own, so memory holds one group's pages at a time plus the terms found so far.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverFiles, type DiscoveredFile } from '../discover/discover.js';
import { groupIdentities } from '../group/group.js';
import type { LoadOptions } from '../group/load.js';
import { buildPage, type Page, type PageOptions } from '../page/page.js';
import { identifyFiles } from '../run/identify.js';
import { lazyRunner } from '../run/pool.js';
import type { LintProgress } from '../run/lint-run.js';
import { decodePageBytes, readForTask, type PageRead } from '../run/source.js';
import { SAMPLE_ORIGINS, type TermOrigin } from '../vocabulary/tokens.js';
import { groupVocabulary, mergeVocabularies, type Vocabulary } from '../vocabulary/vocabulary.js';

/** A term with its origins and the pages using it, as the vocabularies give it. */
export interface FoundTerm {
  term: string;
  origins: TermOrigin[];
  /** Files of the pages that use it (as discovery names them), in page-group order then locale order. */
  pages: string[];
}

/**
 * `identifier`: a name that is never a word of prose (`CallId`, `@odata.type`, `Content-Type`, `USA`).
 * `word`: a plain word that is a name where it stands in code, samples and tables (an enum member
 * `Busy`, an element `Body`, a sample value `Bob`) and an ordinary word in prose: an MT engine told
 * never to translate it would keep `Busy` or `Home` in translated sentences.
 */
export type TermKind = 'identifier' | 'word';
export const termKind = (term: string): TermKind => (/^[A-Za-z][a-z]*$/.test(term) ? 'word' : 'identifier');

/** One do-not-translate term: its kind, origins (in the order of {@link ORIGINS}) and the pages using it. */
export interface GlossaryTerm extends FoundTerm {
  kind: TermKind;
}

export interface Glossary {
  /** Sorted by term (code-unit order, so `CallId` before `callId`). */
  terms: GlossaryTerm[];
  /** The authority locale the terms were taken from, when one was named and present. */
  sourceLocale: string | null;
  /** Every locale of the pages read. */
  locales: string[];
  summary: { pages: number; pageGroups: number; terms: number };
  /** Problems with the inputs (missing paths, empty folders), and why pages could not be read or parsed (no term). */
  diagnostics: Diagnostic[];
}

export interface GlossaryOptions extends LoadOptions {
  /**
   * The authority locale (e.g. `en-US`): a group that has it takes its terms from that page plus
   * those every other locale agrees on; without one, the terms at least two locales use.
   */
  sourceLocale?: string | null;
  /** Worker threads that identify files (0: none; default: one per core for large doc sets). */
  workers?: number;
  /** Called with counts as files are identified and groups read (the CLI draws a progress bar). */
  onProgress?: (progress: LintProgress) => void;
}

/** Every origin a term can have, in the order the glossary lists them: samples first, then prose. */
export const ORIGINS: readonly TermOrigin[] = [...SAMPLE_ORIGINS, 'link-target', 'code', 'api-name', 'table-name'];

/** Group vocabularies are joined in batches: one join per group would copy the terms found so far each time. */
const MERGE_BATCH = 512;

/** The do-not-translate terms of the pages under `inputs`, with their origins and pages. */
export async function glossary(inputs: readonly string[], options: GlossaryOptions = {}): Promise<Glossary> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const { files, diagnostics } = await discoverFiles(inputs, { ...options, cwd });
  const progress: LintProgress = {
    phase: 'reading',
    files: { done: 0, total: files.length, cached: 0 },
    groups: { done: 0, total: 0, cached: 0 },
    pages: { done: 0, total: files.length },
    workers: 0,
    elapsedMs: 0,
  };
  const report = (phase: LintProgress['phase']) => {
    if (!options.onProgress) return;
    progress.phase = phase;
    progress.elapsedMs = performance.now() - started;
    options.onProgress({
      ...progress,
      files: { ...progress.files },
      groups: { ...progress.groups },
      pages: { ...progress.pages },
    });
  };
  report('reading');
  // Identities only (path and front matter): enough to plan the groups without parsing a page.
  const runners = lazyRunner(options.workers);
  let identities: Awaited<ReturnType<typeof identifyFiles>>;
  try {
    identities = await identifyFiles(files, {
      cache: null,
      runnerFor: runners.for,
      maxFileBytes: options.maxFileBytes,
      defaultLocale: options.defaultLocale,
      onFiles: (k) => {
        progress.files.done += k;
        if (progress.files.done % 256 < k || progress.files.done === files.length) report('reading');
      },
    });
  } finally {
    await runners.close();
  }
  const groups = groupIdentities(identities);
  const locales = [...new Set(identities.map((i) => i.locale).filter((l): l is string => l !== null))].sort();
  const sourceLocale = options.sourceLocale && locales.includes(options.sourceLocale) ? options.sourceLocale : null;
  progress.groups.total = groups.length;
  progress.workers = 0;
  report('checking');

  const pageOptions: PageOptions = {
    maxFileBytes: options.maxFileBytes,
    defaultLocale: options.defaultLocale,
    keepTree: false,
  };
  let merged: Vocabulary = { terms: new Map(), pageNames: new Set() };
  let pending: Vocabulary[] = [];
  const pageDiagnostics: Diagnostic[] = [];
  const readGroup = (i: number) => {
    const members = groups[i]!.members.map((m) => m.source);
    return Promise.all(members.map((file) => readForTask(file, options.maxFileBytes))).then((read) => ({
      members,
      read,
    }));
  };
  // The next group is read while one is parsed, in group order (the pages of a term keep that
  // order): only those two groups' pages are held.
  let next = groups.length > 0 ? readGroup(0) : null;
  for (let i = 0; next; i++) {
    const { members, read } = await next;
    next = i + 1 < groups.length ? readGroup(i + 1) : null;
    const pages = members.map((file, k) => parsePage(file, read[k]!, pageOptions));
    // A page parsed with problems (an unclosed fence) still gives its terms; one not parsed gives none.
    for (const page of pages)
      if (!page.parsed) pageDiagnostics.push(...page.diagnostics.filter((d) => d.severity === 'error'));
    const source = sourceLocale ? (pages.find((p) => p.locale === sourceLocale) ?? null) : null;
    pending.push(groupVocabulary(pages, source));
    if (pending.length >= MERGE_BATCH) {
      merged = mergeVocabularies([merged, ...pending]);
      pending = [];
    }
    progress.groups.done++;
    progress.pages.done += pages.length;
    if (progress.groups.done % 64 === 0) report('checking');
  }
  merged = mergeVocabularies([merged, ...pending]);
  report('done');

  // Pages in the order the run met them: group by group, locale by locale.
  const pageOrder = new Map<string, number>();
  for (const group of groups) for (const member of group.members) pageOrder.set(member.file, pageOrder.size);
  const rank = new Map(ORIGINS.map((o, i) => [o, i]));
  const terms = foldPageNames([...merged.terms.values()], pageOrder).map((t) => ({
    term: t.term,
    kind: termKind(t.term),
    origins: [...t.origins].sort((a, b) => (rank.get(a) ?? ORIGINS.length) - (rank.get(b) ?? ORIGINS.length)),
    pages: t.pages,
  }));
  return {
    terms,
    sourceLocale,
    locales,
    summary: { pages: files.length, pageGroups: groups.length, terms: terms.length },
    diagnostics: [...diagnostics, ...pageDiagnostics],
  };
}

function parsePage(file: DiscoveredFile, read: PageRead, options: PageOptions): Page {
  const source = decodePageBytes(read, file.displayPath);
  return buildPage(file, source.text, source.diagnostics, source.bytes, options);
}

/**
 * A page name known only from link targets (`responsecode`, from `responsecode.md`) names the
 * identifier that samples, code or tables spell `ResponseCode`: the vocabulary matches page names
 * without regard to case. Listed apart, it would ask translators to keep a spelling no page
 * uses, so it joins that term (the one on most pages when several spellings exist) with its
 * origin and pages. A page name with no other spelling stays as it is.
 */
export function foldPageNames(terms: readonly FoundTerm[], pageOrder: ReadonlyMap<string, number>): FoundTerm[] {
  const isPageNameOnly = (t: FoundTerm) => t.origins.length === 1 && t.origins[0] === 'link-target';
  const spellings = new Map<string, FoundTerm>();
  for (const t of terms) {
    if (isPageNameOnly(t)) continue;
    const key = t.term.toLowerCase();
    const known = spellings.get(key);
    if (!known || t.pages.length > known.pages.length) spellings.set(key, t);
  }
  const joined = new Map<FoundTerm, FoundTerm>();
  const kept: FoundTerm[] = [];
  for (const t of terms) {
    const into = isPageNameOnly(t) ? spellings.get(t.term.toLowerCase()) : undefined;
    if (!into) {
      kept.push(t);
      continue;
    }
    const entry = joined.get(into) ?? { term: into.term, origins: [...into.origins], pages: [...into.pages] };
    joined.set(into, entry);
    if (!entry.origins.includes('link-target')) entry.origins.push('link-target');
    const seen = new Set(entry.pages);
    for (const page of t.pages) if (!seen.has(page)) entry.pages.push(page);
  }
  const order = (page: string) => pageOrder.get(page) ?? Number.MAX_SAFE_INTEGER;
  for (const entry of joined.values()) entry.pages.sort((a, b) => order(a) - order(b));
  return kept.map((t) => joined.get(t) ?? t);
}
