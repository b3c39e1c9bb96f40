import type { Page } from '../page/page.js';
import type { Table } from '../markdown/markdown.js';
import { isIdentifierLike, sampleTerms, type TermOrigin } from './tokens.js';
import { oncePerRecentText } from '../util/memo.js';

/** One protected identifier: where it comes from and the pages that use it. */
export interface VocabularyTerm {
  term: string;
  origins: TermOrigin[];
  /** Files of the pages that use it, in the order met. */
  pages: string[];
}

/**
 * The identifiers a doc set's pages agree on, which translation must leave as they are. Derived,
 * never hand-kept: names from samples, link targets (page names), code spans, `api_name` and the
 * name columns of tables. Page names are matched without regard to case (`contact.md` names
 * `Contact`); every other term exactly.
 */
export interface Vocabulary {
  terms: Map<string, VocabularyTerm>;
  /** Lower-cased page names of link targets. */
  pageNames: Set<string>;
}

const termsOf = new WeakMap<Page, Map<string, Set<TermOrigin>>>();
/** The terms a page uses, each with its origins (computed once per page). */
export function pageTerms(page: Page): Map<string, Set<TermOrigin>> {
  let terms = termsOf.get(page);
  if (!terms) {
    terms = readPageTerms(page);
    termsOf.set(page, terms);
  }
  return terms;
}

/**
 * The short texts of a page where names stand besides its samples: link texts, headings, emphasis,
 * table cells, code spans and its title.
 */
export function pageTexts(page: Page): string[] {
  return [
    ...page.links.map((l) => l.text),
    ...page.headings.map((h) => h.text),
    ...page.emphasis.map((e) => e.text),
    ...page.tables.flatMap((t) => [t.header, ...t.rows].flat().map((c) => c.text)),
    ...page.inlineCode.map((c) => c.value),
    page.title ?? '',
  ];
}

function readPageTerms(page: Page): Map<string, Set<TermOrigin>> {
  const terms = new Map<string, Set<TermOrigin>>();
  const add = (term: string, origin: TermOrigin) => {
    const origins = terms.get(term);
    if (origins) origins.add(origin);
    else terms.set(term, new Set([origin]));
  };
  for (const sample of page.samples) for (const t of sampleTerms(sample)) add(t.term, t.origin);
  const api = page.frontMatter?.data['api_name'];
  for (const name of Array.isArray(api) ? api : api ? [api] : [])
    if (isIdentifierLike(String(name))) add(String(name), 'api-name');
  for (const code of page.inlineCode)
    if (!code.inSource && isIdentifierLike(code.value.trim())) add(code.value.trim(), 'code');
  for (const link of page.links) {
    const name = targetNameOf(link.url);
    if (name) add(name, 'link-target');
  }
  for (const table of page.tables) for (const cell of nameColumn(table)) add(cell, 'table-name');
  return terms;
}

/** linkTargetName of a destination, once while it is recent: the locales of a group link to the same pages. */
const targetNameOf = oncePerRecentText(linkTargetName, 1 << 16);

/** `../resources/contact.md#properties` → `contact`; null for other destinations and names with dashes. */
export function linkTargetName(url: string): string | null {
  if (/^[a-z][\w+.-]*:/i.test(url) || url.startsWith('#')) return null;
  const file = url.split(/[?#]/)[0]!.split('/').pop() ?? '';
  const m = /^([A-Za-z_][A-Za-z0-9_.]*?)\.md$/i.exec(file);
  return m && isIdentifierLike(m[1]!) ? m[1]! : null;
}

/**
 * The names of a table's first column, when it is a name column: most of its cells (three in four)
 * are single identifiers, as in property, member and element tables.
 */
export function nameColumn(table: Table): string[] {
  const cells = table.rows.map((row) => identifierCell(row[0]?.text ?? ''));
  const names = cells.filter((c): c is string => c !== null);
  return table.rows.length > 0 && names.length * 4 >= table.rows.length * 3 ? names : [];
}

/** A cell that holds one identifier (markup and a trailing `collection` aside), or null. */
export function identifierCell(text: string): string | null {
  const bare = text.replace(/[*`]/g, '').trim();
  return isIdentifierLike(bare) ? bare : null;
}

/**
 * The vocabulary of one page group. With a source locale, its page's terms, plus those every other
 * locale agrees on (an older revision's names); without one, the terms of at least two locales (all
 * of them when the group has one locale), so that one locale's damage never protects itself.
 */
export function groupVocabulary(pages: readonly Page[], source: Page | null): Vocabulary {
  const perPage = pages.map((page) => ({ page, terms: pageTerms(page) }));
  const locales = new Map<string, Set<string>>();
  for (const { page, terms } of perPage) {
    for (const term of terms.keys()) {
      const set = locales.get(term);
      if (set) set.add(page.locale ?? page.file);
      else locales.set(term, new Set([page.locale ?? page.file]));
    }
  }
  const others = new Set(pages.filter((p) => p !== source).map((p) => p.locale ?? p.file)).size;
  const agreed = Math.min(2, Math.max(1, others));
  const sourceTerms = source ? perPage.find((p) => p.page === source)?.terms : undefined;
  const vocabulary: Vocabulary = { terms: new Map(), pageNames: new Set() };
  const kept = new Map<string, boolean>();
  const keeps = (term: string): boolean => {
    let keep = kept.get(term);
    if (keep === undefined) {
      const users = locales.get(term)!;
      const byOthers = users.size - (source?.locale && users.has(source.locale) ? 1 : 0);
      keep = (sourceTerms?.has(term) ?? false) || byOthers >= agreed;
      kept.set(term, keep);
    }
    return keep;
  };
  for (const { page, terms } of perPage) {
    for (const [term, origins] of terms) {
      if (!keeps(term)) continue;
      let entry = vocabulary.terms.get(term);
      if (!entry) {
        entry = { term, origins: [], pages: [] };
        vocabulary.terms.set(term, entry);
      }
      for (const o of origins) if (!entry.origins.includes(o)) entry.origins.push(o);
      entry.pages.push(page.file);
      if (origins.has('link-target')) vocabulary.pageNames.add(term.toLowerCase());
    }
  }
  return vocabulary;
}

/** The term is protected: used as written, or a page name in any case. */
export function isProtected(vocabulary: Vocabulary, word: string): boolean {
  return vocabulary.terms.has(word) || vocabulary.pageNames.has(word.toLowerCase());
}

/** Join the vocabularies of a doc set's groups (the glossary). Terms sorted, pages in order met. */
export function mergeVocabularies(parts: Iterable<Vocabulary>): Vocabulary {
  const merged: Vocabulary = { terms: new Map(), pageNames: new Set() };
  for (const part of parts) {
    for (const [term, entry] of part.terms) {
      const mine = merged.terms.get(term);
      if (!mine) {
        merged.terms.set(term, { term, origins: [...entry.origins], pages: [...entry.pages] });
        continue;
      }
      for (const o of entry.origins) if (!mine.origins.includes(o)) mine.origins.push(o);
      for (const p of entry.pages) mine.pages.push(p);
    }
    for (const name of part.pageNames) merged.pageNames.add(name);
  }
  merged.terms = new Map([...merged.terms].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return merged;
}
