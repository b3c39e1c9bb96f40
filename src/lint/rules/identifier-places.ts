/**
 * Identifier damage outside link texts and headings: table cells, bold and italic text, and the
 * front matter's `title` and `description`. Shared by identifier-translated and type-name-translated.
 *
 * The authority for what an identifier is, in this order: the source locale's page when there is
 * one; else the spelling the group's vocabulary holds (samples, code, page names, name columns);
 * else a strict majority of the other locales. A case variant is reported only when the source or
 * the vocabulary decides it, never by a vote.
 */
import type { Page } from '../../page/page.js';
import type { Emphasis, TableCell } from '../../markdown/markdown.js';
import { identifierCell, isProtected, nameColumn, pageTexts, type Vocabulary } from '../../vocabulary/vocabulary.js';
import { LOCAL_LETTER, SAMPLE_ORIGINS, standsAsWord } from '../../vocabulary/tokens.js';
import { localesOf, related, type Finding, type GroupContext } from '../rule.js';
import { oncePer } from '../../util/memo.js';

/** OData / EDM primitive type names as reference pages write them in type columns. */
const PRIMITIVE_TYPES = new Set([
  'String',
  'Boolean',
  'Int16',
  'Int32',
  'Int64',
  'Double',
  'Single',
  'Decimal',
  'Byte',
  'SByte',
  'Guid',
  'Binary',
  'Date',
  'DateTime',
  'DateTimeOffset',
  'TimeOfDay',
  'Duration',
  'Stream',
  'Object',
]);
export const isPrimitiveType = (name: string): boolean => PRIMITIVE_TYPES.has(name);

/** `CamelCase` with two humps, `lowerCamel`, or names joined by `.` / `::` (domain names aside). */
const STRONG = /^(?:[A-Za-z_]\w*(?:(?:::|\.)[A-Za-z_]\w*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z]+[A-Z][A-Za-z0-9]*)$/;
const DOMAIN = /\.(?:com|org|net|io|microsoft|windows)$/i;
export const hasIdentifierShape = (word: string): boolean => STRONG.test(word) && !DOMAIN.test(word);

const PLURAL_OR_POSSESSIVE = ['s', 'es', "'s", '’s'];
/**
 * The identifier stands in the text as a whole word, or in its plural or possessive
 * (`DriveItems`, `user's`), or the text holds its singular (`macOSCompliancePolicy`).
 */
export function keepsIdentifier(text: string, id: string): boolean {
  if (text === id) return true;
  const stem = id.endsWith('ies') ? id.slice(0, -3) : id.endsWith('s') ? id.slice(0, -1) : id;
  if (!text.includes(stem) && !/[*`]/.test(text)) return false;
  // Markup aside; `_` belongs to names (`NO_FLAGS`).
  const bare = text.replace(/[*`]/g, '');
  if (!bare.includes(stem)) return false;
  const singular = id.endsWith('ies') ? `${id.slice(0, -3)}y` : id.endsWith('s') ? id.slice(0, -1) : null;
  return (
    standsAsWord(bare, id, PLURAL_OR_POSSESSIVE) ||
    (singular !== null && standsAsWord(bare, singular, PLURAL_OR_POSSESSIVE))
  );
}

/**
 * How the text damages the identifier, for the message: re-cased when the name stands in it whole
 * in other capitals (`AndroidOmaCpConfiguration` for `androidOmaCpConfiguration`: lighter, and told
 * apart so it can be triaged apart), else translated or transliterated.
 */
export function damageOf(text: string, id: string): string {
  const lower = id.toLowerCase();
  const bare = text.replace(/[*`]/g, '');
  const at = bare.toLowerCase().indexOf(lower);
  const word = at === -1 ? '' : bare.slice(at, at + id.length);
  return word !== '' && word !== id && standsAsWord(bare, word)
    ? `is re-cased as \`${word}\``
    : 'is translated or transliterated';
}

export interface PlaceFindings {
  identifiers: Finding[];
  typeNames: Finding[];
}

const memo = new WeakMap<GroupContext, PlaceFindings>();
/** The source page writes the word, or the vocabulary (led by the source) holds it. */
const sourceWrites = (ctx: GroupContext, word: string): boolean =>
  ctx.source !== null && (ctx.vocabulary.terms.has(word) || wordsOf(ctx.source).has(word));
/** Column headers under which a plain word (`True`, `Streaming`) is a name: values, members, properties. */
const NAME_HEADER = new RegExp(
  [
    ...['value', 'attribute', 'property', 'element', 'enum', 'member'],
    ...['valor', 'propriedade', 'atributo', 'elemento', 'membro'],
    ...['значение', 'свойство', 'атрибут', 'элемент', 'член', 'перечислени'],
    ...['值', '属性', '元素', '成员', '枚举'],
  ].join('|'),
  'i',
);
/** Both rules' findings, computed once per group. */
export function placeFindings(ctx: GroupContext): PlaceFindings {
  let found = memo.get(ctx);
  if (!found) {
    found = computePlaceFindings(ctx);
    memo.set(ctx, found);
  }
  return found;
}

interface Authority {
  id: string;
  pages: Page[];
  lines: number[];
}

/**
 * What the other pages say the identifier is, from their texts at the same place: the source's
 * text, else the vocabulary's spelling, else a strict majority. Null when none is an identifier
 * or the authority is split.
 */
function authorityOf(
  ctx: GroupContext,
  others: { page: Page; text: string; line: number }[],
  isName: (id: string) => boolean,
): Authority | null {
  // Most emphasized texts are prose, which no peer writes as one name: said before any list is made.
  let candidates: { page: Page; text: string; line: number; id: string }[] | null = null;
  for (const o of others) {
    const id = cellIdentifier(o.text);
    if (id !== null) (candidates ??= []).push({ ...o, id });
  }
  if (candidates === null) return null;
  const fromSource = ctx.source ? candidates.find((c) => c.page === ctx.source) : undefined;
  const agreeing = (id: string) => candidates.filter((c) => c.id === id);
  let id: string | null = null;
  if (ctx.source && others.some((o) => o.page === ctx.source)) id = fromSource?.id ?? null;
  else {
    let spellings = [...new Set(candidates.map((c) => c.id))];
    // A source at another revision still knows how its names are spelled: a peer's spelling it never
    // writes is that peer's damage, not the authority.
    if (ctx.source) spellings = spellings.filter((s) => sourceWrites(ctx, s));
    const known = spellings.filter((s) => ctx.vocabulary.terms.has(s));
    if (known.length === 1) id = known[0]!;
    else if (known.length === 0) id = spellings.find((s) => agreeing(s).length * 2 > others.length) ?? null;
  }
  if (id === null || !isName(id)) return null;
  const holders = agreeing(id);
  return { id, pages: holders.map((h) => h.page), lines: holders.map((h) => h.line) };
}

/**
 * Judged again each time it is asked (each page against its peers): cheaper than a memo of the texts, whose lookup
 * hashes each text, and copies and hashes again each new one. Exchange's 223,414 asks (29,423 texts), timed as slices
 * of one string: 26-30 ms judged each time, 35-43 ms through a memo (scratch timing, 4 rounds).
 */
function cellIdentifier(text: string): string | null {
  // Prose (a description cell) is never one name.
  return text.length > 120 ? null : identifierCell(text);
}

const headerNames = new WeakMap<Vocabulary, Set<string>>();
/** The vocabulary's HTTP header names, lower-cased. */
function httpHeaderNames(vocabulary: Vocabulary): Set<string> {
  let names = headerNames.get(vocabulary);
  if (!names) {
    names = new Set();
    for (const term of vocabulary.terms.values())
      if (term.origins.includes('http-header')) names.add(term.term.toLowerCase());
    headerNames.set(vocabulary, names);
  }
  return names;
}

const FROM_SAMPLES: ReadonlySet<string> = new Set(SAMPLE_ORIGINS);
const writtenBySamples = (vocabulary: Vocabulary, term: string): boolean =>
  vocabulary.terms.get(term)?.origins.some((o) => FROM_SAMPLES.has(o)) ?? false;

/** Differs from the authority only in case: damage only where the source or the vocabulary says so. */
function caseOnly(ctx: GroupContext, text: string, id: string, others: { page: Page }[]): boolean {
  const bare = cellIdentifier(text);
  if (bare === null || bare.toLowerCase() !== id.toLowerCase()) return false;
  // `ID` for `Id`: prose writes abbreviations in capitals.
  if (bare.length <= 3 && bare === bare.toUpperCase()) return true;
  // The samples spell it as this page does (`customData`, a JSON key), whatever other tables say (`Customdata`).
  if (writtenBySamples(ctx.vocabulary, bare) && !writtenBySamples(ctx.vocabulary, id)) return true;
  // HTTP header names are case-insensitive: `Content-type` is `Content-Type`.
  if (httpHeaderNames(ctx.vocabulary).has(id.toLowerCase())) return true;
  const decided = (ctx.source !== null && others.some((o) => o.page === ctx.source)) || ctx.vocabulary.terms.has(id);
  return !decided;
}

function computePlaceFindings(ctx: GroupContext): PlaceFindings {
  const out: PlaceFindings = { identifiers: [], typeNames: [] };
  // One finding per identifier and damaged text on a line: a bold cell is a cell, and table rows
  // that repeat a damaged name (`чанжекэй` five times) say it once.
  const said = new Set<string>();
  const push = (list: Finding[], finding: Finding, id: string, text: string) => {
    const key = `${finding.page.file}:${finding.line}:${id}:${text}`;
    if (said.has(key)) return;
    said.add(key);
    list.push(finding);
  };
  const pages = ctx.group.pages;
  const typeNames = ctx.enabled('type-name-translated');
  const comparable = (page: Page) => pages.filter((p) => p !== page && p.locale !== page.locale);
  /**
   * Where tables and emphasis are compared: the locales of the page's own revision when it shares it
   * with another (a newer source moves rows and spans, which is drift); else every other locale.
   */
  const peersOf = (page: Page) => {
    const cluster = ctx.clusterOf(page);
    const same = comparable(page).filter((p) => cluster?.pages.includes(p));
    return same.length > 0 ? same : comparable(page);
  };
  /** The word stands in another locale's page (texts of links, headings, emphasis, cells, title, code). */
  const usedElsewhere = (page: Page, word: string) => comparable(page).some((p) => wordsOf(p).has(word));

  const shared: PlaceContext = { ctx, out, push, usedElsewhere, typeNames };
  for (const page of pages) {
    if (page === ctx.source) continue;
    const others = comparable(page);
    if (others.length === 0) continue;
    const samePlace = peersOf(page);
    tableFindings(shared, page, samePlace);
    emphasisFindings(shared, page, samePlace);
    frontMatterFindings(shared, page, samePlace);
  }
  return out;
}

/**
 * What the parts of computePlaceFindings share. The parts are functions of their own, not closures of one function:
 * V8 compiles a function again, whole, when one of its paths meets a case its optimized code had no feedback for.
 */
interface PlaceContext {
  ctx: GroupContext;
  out: PlaceFindings;
  push: (list: Finding[], finding: Finding, id: string, text: string) => void;
  usedElsewhere: (page: Page, word: string) => boolean;
  typeNames: boolean;
}

/** The damaged span of `text` (at `line`:`column`) replaced by the authority's identifier. */
function repair(
  a: Authority,
  place: { line: number; column: number; text: string },
  atPlace: { page: Page; text: string }[],
  prose = false,
): Finding['fix'] {
  return {
    authority: localesOf(a.pages),
    edits: [
      {
        kind: 'identifier',
        line: place.line,
        column: place.column,
        text: place.text.replace(/[*`]/g, ''),
        id: a.id,
        examples: atPlace.filter((x) => a.pages.includes(x.page)).map((x) => x.text.replace(/[*`]/g, '')),
        ...(prose ? { prose } : {}),
      },
    ],
  };
}
const evidence = (a: Authority) => `${localesOf(a.pages)} ${a.pages.length === 1 ? 'has' : 'have'} it`;
const relatedOf = (a: Authority) => a.pages.map((p, i) => related(p, a.lines[i]!));

/** Table cells, by table, row and column, in tables of the same shape. */
function tableFindings(shared: PlaceContext, page: Page, samePlace: Page[]): void {
  const { ctx, out, push, typeNames } = shared;
  page.tables.forEach((table, t) => {
    const peers = samePlace.flatMap((p) => {
      const theirs = p.tables[t];
      const sameShape =
        theirs !== undefined &&
        theirs.rows.length === table.rows.length &&
        theirs.header.length === table.header.length;
      return sameShape ? [{ page: p, table: theirs }] : [];
    });
    if (peers.length === 0) return;
    let hasNameColumn: boolean | undefined;
    const nameColumnOf = () => (hasNameColumn ??= peers.some((x) => nameColumn(x.table).length > 0));
    const judge = (cell: TableCell, r: number, c: number) => {
      const atPlace = peers.flatMap((x) => {
        const theirs = x.table.rows[r]?.[c];
        return theirs ? [{ page: x.page, text: theirs.text, line: theirs.line }] : [];
      });
      // A plain word counts as a name only under a header that says so, in any locale (`Subscription
      // type: Streaming` is a label); page names do not make one (the `True` page's own True/False rows).
      const namedColumn = () =>
        [table, ...peers.map((x) => x.table)].some((t) => NAME_HEADER.test(t.header[c]?.text ?? ''));
      const isName = (id: string) =>
        isPrimitiveType(id) ||
        hasIdentifierShape(id) ||
        ((ctx.vocabulary.terms.has(id) || (c === 0 && nameColumnOf())) &&
          (/[A-Z].*[A-Z]|[._:-]/.test(id) || namedColumn()));
      const authority = authorityOf(ctx, atPlace, isName);
      if (!authority || keepsIdentifier(cell.text, authority.id) || caseOnly(ctx, cell.text, authority.id, atPlace))
        return;
      // A link in the cell is checked as a link text.
      if (page.links.some((l) => l.line === cell.line && l.column >= cell.column && l.text.trim() === cell.text))
        return;
      const header = table.header[c]?.text ?? '';
      const where = `table cell (column \`${short(header)}\`, row ${r + 1})`;
      const finding: Finding = {
        page,
        line: cell.line,
        column: cell.column,
        related: relatedOf(authority),
        fix: repair(authority, cell, atPlace),
        message: isPrimitiveType(authority.id)
          ? `type name \`${authority.id}\` is translated in this ${where} ` +
            `(\`${short(cell.text)}\`); ${evidence(authority)}`
          : `identifier \`${authority.id}\` ${damageOf(cell.text, authority.id)} in this ${where} ` +
            `(\`${short(cell.text)}\`); ${evidence(authority)}`,
      };
      push(isPrimitiveType(authority.id) ? out.typeNames : out.identifiers, finding, authority.id, cell.text);
    };
    // Most cells are the same everywhere, or no peer has a name there: nothing to judge, found
    // without allocating (Graph's property tables are most of a run's cells).
    for (let r = 0; r < table.rows.length; r++) {
      const row = table.rows[r]!;
      for (let c = 0; c < row.length; c++) {
        const cell = row[c]!;
        let differs = false;
        for (const x of peers) {
          const theirs = x.table.rows[r]?.[c];
          if (theirs !== undefined && theirs.text !== cell.text) differs = true;
        }
        if (!differs) continue;
        let named = false;
        for (const x of peers) {
          const theirs = x.table.rows[r]?.[c];
          const id = theirs === undefined ? null : cellIdentifier(theirs.text);
          // Type names only matter to type-name-translated: passed over when it is off (the default).
          if (id !== null && (typeNames || !isPrimitiveType(id))) named = true;
        }
        if (named) judge(cell, r, c);
      }
    }
  });
}

/** Bold and italic text, by rank on the page, when the pages emphasize as many spans. */
function emphasisFindings(shared: PlaceContext, page: Page, samePlace: Page[]): void {
  const { ctx, out, push, usedElsewhere } = shared;
  const peers = samePlace.filter((p) => p.emphasis.length === page.emphasis.length);
  page.emphasis.forEach((span, k) => {
    const differs = peers.some((p) => p.emphasis[k]!.text !== span.text);
    const atPlace = differs
      ? peers.map((p) => ({ page: p, text: p.emphasis[k]!.text, line: p.emphasis[k]!.line }))
      : [];
    const authority = differs
      ? authorityOf(
          ctx,
          atPlace,
          (id) => !isPrimitiveType(id) && (hasIdentifierShape(id) || isProtected(ctx.vocabulary, id)),
        )
      : null;
    // Spans are paired by rank: when the identifier stands in another span of this page, or this
    // span's text in another span of theirs, translation reordered them and the pairing is off.
    const reordered = (id: string) =>
      (mayKeepInEmphasis(page, id) && page.emphasis.some((e) => e !== span && keepsIdentifier(e.text, id))) ||
      peers.some((p) => emphasisTexts(p).has(span.text)) ||
      standsBeside(page, span, id);
    if (
      authority &&
      !keepsIdentifier(span.text, authority.id) &&
      !caseOnly(ctx, span.text, authority.id, atPlace) &&
      !reordered(authority.id)
    ) {
      push(
        out.identifiers,
        {
          page,
          line: span.line,
          column: span.column,
          related: relatedOf(authority),
          // Outside a table's body rows, a span is paired by rank in running prose.
          fix: repair(
            authority,
            span,
            atPlace,
            !page.tables.some((t) => t.rows.some((r) => r.some((c) => c.line === span.line))),
          ),
          message:
            `identifier \`${authority.id}\` ${damageOf(span.text, authority.id)} ` +
            `in this ${span.strong ? 'bold' : 'italic'} text (\`${short(span.text)}\`); ${evidence(authority)}`,
        },
        authority.id,
        span.text,
      );
      return;
    }
    // A span written alike in the locales of its place is their source's spelling, not this locale's damage.
    const damaged =
      peers.length > 0 && !differs ? null : damagedWord(span.text, ctx.vocabulary, (w) => usedElsewhere(page, w));
    if (damaged) {
      push(
        out.identifiers,
        {
          page,
          line: span.line,
          column: span.column,
          message:
            `identifier \`${damaged.id}\` is translated or transliterated ` +
            `in this ${span.strong ? 'bold' : 'italic'} text (\`${short(span.text)}\`): ` +
            `\`${damaged.word}\` ${damaged.why}`,
          fix: {
            authority: "the group's vocabulary",
            edits: [{ kind: 'replace', line: span.line, column: span.column, old: damaged.word, text: damaged.id }],
          },
        },
        damaged.id,
        span.text,
      );
    }
  });
}

/** Front matter title and description, against the other locales' and inside themselves. */
function frontMatterFindings(shared: PlaceContext, page: Page, samePlace: Page[]): void {
  const { ctx, out, usedElsewhere } = shared;
  for (const key of ['title', 'description'] as const) {
    const mine = frontMatterText(page, key);
    if (mine === null) continue;
    const line = page.frontMatter?.keys.find((k) => k.key === key)?.line ?? 1;
    const theirs: { page: Page; text: string }[] = [];
    for (const p of samePlace) {
      const text = frontMatterText(p, key);
      if (text !== null) theirs.push({ page: p, text });
    }
    const ids = new Map<string, Page[]>();
    for (const o of theirs)
      for (const id of identifiersIn(o.text, ctx.vocabulary)) ids.set(id, [...(ids.get(id) ?? []), o.page]);
    const fromSource = ctx.source !== null && theirs.some((o) => o.page === ctx.source);
    let reported = false;
    for (const [id, holders] of ids) {
      const decided = fromSource ? holders.includes(ctx.source!) : holders.length * 2 > theirs.length;
      if (!decided || keepsIdentifier(mine, id)) continue;
      reported = true;
      out.identifiers.push({
        page,
        line,
        column: 1,
        related: holders.map((p) => related(p, p.frontMatter?.keys.find((k) => k.key === key)?.line ?? 1)),
        fix: {
          authority: localesOf(holders),
          edits: [
            {
              kind: 'identifier',
              line,
              column: key.length + 2,
              text: mine.replace(/[*`]/g, ''),
              id,
              examples: theirs.filter((o) => holders.includes(o.page)).map((o) => o.text.replace(/[*`]/g, '')),
            },
          ],
        },
        message:
          `identifier \`${id}\` ${damageOf(mine, id)} in the front matter ${key} (\`${short(mine)}\`); ` +
          `${localesOf(holders)} ${holders.length === 1 ? 'has' : 'have'} it`,
      });
    }
    const damaged = reported ? null : damagedWord(mine, ctx.vocabulary, (w) => usedElsewhere(page, w));
    if (damaged) {
      out.identifiers.push({
        page,
        line,
        column: 1,
        message:
          `identifier \`${damaged.id}\` is translated or transliterated in the front matter ${key} ` +
          `(\`${short(mine)}\`): \`${damaged.word}\` ${damaged.why}`,
        fix: {
          authority: "the group's vocabulary",
          edits: [{ kind: 'replace', line, column: key.length + 2, old: damaged.word, text: damaged.id }],
        },
      });
    }
  }
}

/**
 * The identifier still stands beside the span, unbolded: in its table cell, or, outside tables, as a
 * link text or code on its line. Translation moved the emphasis to a neighbouring word
 * (`Value 元素的属性 **数组**`), nothing is lost. In a table only the span's own cell counts: the name
 * column's link (`[Or](or.md)`) says nothing of `**Ou**` in the description beside it.
 */
function standsBeside(page: Page, span: Emphasis, id: string): boolean {
  const { line, column } = span;
  const cell = cellsOnLine(page, line)
    .filter((c) => c.column <= column)
    .at(-1);
  if (cell !== undefined) return keepsIdentifier(cell.text, id);
  return (
    page.links.some((l) => l.line === line && keepsIdentifier(l.text, id)) ||
    page.inlineCode.some((c) => c.line === line && c.value === id)
  );
}

/** A page's table cells (headers and rows) by line, in the order of its tables, rows and cells. */
const cellsByLine = oncePer((page: Page): Map<number, TableCell[]> => {
  const byLine = new Map<number, TableCell[]>();
  for (const table of page.tables)
    for (const row of [table.header, ...table.rows])
      for (const cell of row) {
        const cells = byLine.get(cell.line);
        if (cells) cells.push(cell);
        else byLine.set(cell.line, [cell]);
      }
  return byLine;
});
const cellsOnLine = (page: Page, line: number): readonly TableCell[] => cellsByLine(page).get(line) ?? [];

/** A page's bold and italic texts without markup (as keepsIdentifier reads them), one per line. */
const bareEmphasis = oncePer((page: Page) => page.emphasis.map((e) => e.text.replace(/[*`]/g, '')).join('\n'));

/**
 * Whether some bold or italic text of the page may keep the identifier: each that does holds its stem once markup
 * is left out (keepsIdentifier), so a page whose spans do not hold it at all is told by one search, not a look at
 * each span (spans are many on a reference page, and asked for each span with an authority).
 */
function mayKeepInEmphasis(page: Page, id: string): boolean {
  const stem = id.endsWith('ies') ? id.slice(0, -3) : id.endsWith('s') ? id.slice(0, -1) : id;
  return /[*`\n]/.test(id) || bareEmphasis(page).includes(stem);
}

/** A page's bold and italic texts: asked for each span of each of its peers. */
const emphasisTexts = oncePer((page: Page) => new Set(page.emphasis.map((e) => e.text)));

/** Characters that make up a word of wordsOf: letters and digits of any script, and `_.:@$`. */
const NOT_WORD = /[^\p{L}\p{N}_.:@$]+/u;
/** The words of a page's texts (links, headings, emphasis, cells, code, title and description). */
const wordsOf = oncePer((page: Page): Set<string> => {
  const set = new Set<string>();
  const texts = [...pageTexts(page), frontMatterText(page, 'description') ?? ''];
  // The runs of word characters: one split per text makes no match object per word.
  for (const text of texts) for (const word of text.split(NOT_WORD)) if (word !== '') set.add(word);
  return set;
});

function frontMatterText(page: Page, key: string): string | null {
  const value = page.frontMatter?.data[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * The identifiers of a title or description, by text, per group vocabulary: each page's texts are read once for
 * every other page of its group.
 */
const identifiersOf = new WeakMap<Vocabulary, Map<string, Set<string>>>();
function identifiersIn(text: string, vocabulary: Vocabulary): Set<string> {
  let known = identifiersOf.get(vocabulary);
  if (!known) identifiersOf.set(vocabulary, (known = new Map()));
  let ids = known.get(text);
  if (!ids) known.set(text, (ids = readIdentifiers(text, vocabulary)));
  return ids;
}

/** Identifiers in a short text: identifier-shaped words and words the vocabulary protects (two letters or more). */
function readIdentifiers(text: string, vocabulary: Vocabulary): Set<string> {
  const ids = new Set<string>();
  for (const m of text.replace(/[*`]/g, '').matchAll(/[A-Za-z_@$][\w.:@$]*[\w]/g)) {
    const word = m[0];
    if (hasIdentifierShape(word) || (vocabulary.terms.has(word) && /[A-Z]/.test(word.slice(1)))) ids.add(word);
  }
  return ids;
}

const LATIN = /[A-Za-z]/;
/** What separates the words damagedWord reads: white space, brackets and punctuation, Latin and CJK. */
const WORD_SEPARATORS = /[\s()[\]{},;:!?'"«»“”（），。：、]+/u;

/**
 * A word that is an identifier damaged in place: a protected name with part of it in the locale's
 * script (`CalendarPermi创建SetType`, `печатиTaskTrigger`), or with its first word translated
 * (`tarefaDefinition` where only `taskDefinition` ends in `Definition`). Only a single candidate counts.
 */
export function damagedWord(
  text: string,
  vocabulary: Vocabulary,
  elsewhere: (word: string) => boolean,
): { word: string; id: string; why: string } | null {
  // The runs between separators, by one split (a match object per word was most of this function's time).
  for (const word of text.replace(/[*`]/g, '').split(WORD_SEPARATORS)) {
    if (!LATIN.test(word)) continue;
    if (LOCAL_LETTER.test(word)) {
      const prefix = /^[A-Za-z]*/.exec(word)![0];
      const suffix = /[A-Za-z]*$/.exec(word)![0];
      if (prefix.length + suffix.length < 6 || (prefix.length < 2 && !/^[A-Z]/.test(suffix))) continue;
      // The one term it can be, if one (the search stops at a second: none counts then).
      let only: string | null = null;
      let count = 0;
      for (const t of vocabulary.terms.keys()) {
        if (t.length <= prefix.length + suffix.length || !t.startsWith(prefix) || !t.endsWith(suffix)) continue;
        if (!hasIdentifierShape(t)) continue;
        only = t;
        if (++count > 1) break;
      }
      // Written so in another locale too: the source's own spelling, not this locale's damage.
      if (count === 1 && !elsewhere(word))
        return { word, id: only!, why: "mixes it with words of the locale's script" };
      continue;
    }
    const camel = /^([a-z]+)((?:[A-Z][a-z0-9]+)+)$/.exec(word);
    if (!camel || vocabulary.terms.has(word) || isProtected(vocabulary, word)) continue;
    const [, head, tail] = camel;
    if (tail!.length < 5) continue;
    // The terms that are a lower-case first word and this tail, with another first word than this one.
    const matches = (termsByTail(vocabulary).get(tail!) ?? []).filter((t) => t !== `${head}${tail}`);
    if (matches.length === 1 && !elsewhere(word))
      return { word, id: matches[0]!, why: 'has its first word translated' };
  }
  return null;
}

/**
 * A vocabulary's terms that start with a run of lower-case letters, by what follows that run (`taskDefinition` under
 * `Definition`), in the vocabulary's order: asked for each camel-case word of each title, description and emphasized
 * span, instead of a list of every term made per word.
 */
const termsByTail = oncePer((vocabulary: Vocabulary): Map<string, string[]> => {
  const byTail = new Map<string, string[]>();
  for (const term of vocabulary.terms.keys()) {
    let head = 0;
    while (head < term.length && term.charCodeAt(head) >= 0x61 && term.charCodeAt(head) <= 0x7a) head++;
    if (head === 0 || head === term.length) continue;
    const tail = term.slice(head);
    const terms = byTail.get(tail);
    if (terms) terms.push(term);
    else byTail.set(tail, [term]);
  }
  return byTail;
});

function short(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 50 ? `${t.slice(0, 49)}…` : t;
}
