import type { Page } from '../../page/page.js';
import type { PageHeading } from '../../markdown/markdown.js';
import { localesOf, related, type Finding, type GroupContext, type Rule } from '../rule.js';
import { damageOf, placeFindings } from './identifier-places.js';
import { normalizeDestination } from './link-target-mismatch.js';
import { standsAsWord } from '../../vocabulary/tokens.js';
import { oncePerRecentText } from '../../util/memo.js';
import { documented } from './docs.js';

/**
 * Tokens that are API identifiers by their shape: `CamelCase` with two humps or more
 * (`DisconnectResponse`, `CallId`), `lowerCamel` (`lineDrop`), or joined by `::` / `.`
 * (`ITBasicCallControl::Disconnect`, `microsoft.graph.call`).
 */
const STRONG = new RegExp(
  [
    String.raw`(?<![\w:.])(?:[A-Za-z_]\w*(?:(?:::|\.)[A-Za-z_]\w*)+`,
    '|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+',
    String.raw`|[a-z]+[A-Z][A-Za-z0-9]*)(?![\w])`,
  ].join(''),
  'g',
);
/** Translation inserted a space after `::X`: `ITBasicCallControl::D isconnect`. */
const SPLIT = /([A-Za-z_]\w*)::([A-Z]) ([a-z]\w*)/;

const stripMarkup = (text: string) => text.replace(/<[^>]+>/g, '').replace(/[*_`]/g, '');

/**
 * Identifiers in a text, with split ones (`A::D isconnect`) read as their whole, each once. The list is the memo's
 * own: read it, never change it.
 */
const strongIdentifiers = oncePerRecentText((text: string): readonly string[] => {
  const bare = stripMarkup(text);
  const repaired = bare.includes('::') ? bare.replace(SPLIT_ALL, '$1::$2$3') : bare;
  const found = new Set<string>();
  for (const m of repaired.matchAll(STRONG)) found.add(m[0]);
  return found.size === 0 ? NO_IDENTIFIERS : [...found];
}, 1 << 17); // a group's texts are read once per page they are compared with: found once, a few groups' worth kept
/**
 * The list of a text without identifiers, of the element kind every other list has (a list of strings): lists of two
 * kinds met in one loop made V8 throw away `destinationFindings`' optimized code (66 ms of compiling each time) when
 * the kind it had not seen came.
 */
const NO_IDENTIFIERS: string[] = [''];
NO_IDENTIFIERS.pop();
const SPLIT_ALL = new RegExp(SPLIT.source, 'g');

/** Names the docs themselves declare: `api_name` values and the elements of the group's XML samples. */
function declaredNames(ctx: GroupContext): Set<string> {
  const names = new Set<string>();
  for (const page of ctx.group.pages) {
    const api = page.frontMatter?.data['api_name'];
    for (const n of Array.isArray(api) ? api : api ? [api] : []) names.add(String(n));
    for (const s of page.samples) if (s.kind === 'xml') for (const r of s.xml.roots) collect(r);
  }
  function collect(e: { local: string; children: unknown[] }): void {
    names.add(e.local);
    for (const c of e.children as { type: string; local: string; children: unknown[] }[])
      if (c.type === 'element') collect(c);
  }
  return names;
}

/** The identifier stands as a whole word in the text. */
const contains = (text: string, id: string): boolean => standsAsWord(stripMarkup(text), id);

/** `macOSCompliancePolicies` → `macOSCompliancePolicy`: a translation may name the type in the singular. */
function singular(id: string): string | null {
  if (/ies$/.test(id)) return `${id.slice(0, -3)}y`;
  if (/(ses|xes|zes|ches|shes)$/.test(id)) return id.slice(0, -2);
  if (/[^s]s$/.test(id)) return id.slice(0, -1);
  return null;
}

/** The identifier, or its singular, stands in the text. */
const keeps = (text: string, id: string) =>
  contains(text, id) || (singular(id) !== null && contains(text, singular(id)!));

interface Unit {
  page: Page;
  text: string;
  line: number;
  column: number;
  sourceText?: string;
  context?: string;
}

/**
 * The rule's findings as they are made: one per identifier on a line of a page. The rule's parts are functions of
 * their own over it, not closures of one `check`: V8 compiles a function again, whole, when one of its paths meets a
 * case its optimized code had no feedback for.
 */
class Reports {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  report(
    unit: Unit,
    id: string,
    where: string,
    evidence: string,
    refs: { page: Page; line: number; text?: string }[],
    fix: Finding['fix'],
  ): void {
    const key = `${unit.page.file}:${unit.line}:${id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({
      page: unit.page,
      line: unit.line,
      column: unit.column,
      message:
        `identifier \`${id}\` ${damageOf(stripMarkup(unit.text), id)} ` +
        `in this ${where} (\`${shortText(unit.text)}\`); ${evidence}`,
      related: refs.map((r) => related(r.page, r.line)),
      fix,
    });
  }
}

/** The damaged span of the text replaced by the identifier, the words around it kept. */
function repair(unit: Unit, id: string, authority: string, examples: string[]): Finding['fix'] {
  return {
    authority,
    edits: [
      {
        kind: 'identifier',
        line: unit.line,
        column: unit.column,
        text: stripMarkup(unit.text),
        id,
        examples: examples.map(stripMarkup),
      },
    ],
  };
}

/** The pages of other locales, per page, in group order: asked for every link and heading. */
function otherLocalesOf(ctx: GroupContext): Map<Page, Page[]> {
  const pages = ctx.group.pages;
  const others = new Map<Page, Page[]>();
  for (const page of pages) {
    const list: Page[] = [];
    for (const p of pages) if (p !== page && p.locale !== page.locale) list.push(p);
    others.set(page, list);
  }
  return others;
}

export const identifierTranslated: Rule = {
  meta: documented({ id: 'identifier-translated', severity: 'error', family: 'identifiers' }),
  check(ctx) {
    const reports = new Reports();
    const otherLocales = otherLocalesOf(ctx);
    linkTextFindings(ctx, otherLocales, reports);
    headingAndSpanFindings(ctx, otherLocales, reports);
    const findings = reports.findings;
    findings.push(...placeFindings(ctx).identifiers);
    return findings;
  },
};

/** Link texts, compared across locales by destination. */
function linkTextFindings(ctx: GroupContext, otherLocales: Map<Page, Page[]>, reports: Reports): void {
  const declared = declaredNames(ctx);
  const byDestination = new Map<string, Unit[]>();
  for (const page of ctx.group.pages) {
    for (const link of page.links) {
      if (link.inSource || link.kind !== 'inline' || !link.text.trim()) continue;
      const key = normalizeDestination(link.url);
      const list = byDestination.get(key) ?? [];
      list.push({
        page,
        text: link.text,
        line: link.line,
        column: link.column,
        sourceText: link.sourceText,
        context: link.context,
      });
      byDestination.set(key, list);
    }
  }
  const declaredLower: { name: string; lower: string }[] = [];
  for (const name of declared) declaredLower.push({ name, lower: name.toLowerCase() });
  for (const [destination, units] of byDestination)
    destinationFindings(ctx, destination, units, declaredLower, otherLocales, reports);
}

/** The link texts of the group that lead to one destination, each against its peers in the other locales. */
function destinationFindings(
  ctx: GroupContext,
  destination: string,
  units: readonly Unit[],
  declaredLower: readonly { name: string; lower: string }[],
  otherLocales: Map<Page, Page[]>,
  reports: Reports,
): void {
  const slug = destination.toLowerCase().replace(/[^a-z0-9]/g, '');
  // Loops, not `filter`/`map` chains: the arrays they would chain are empty in many groups and of another element
  // kind then, which makes V8 throw the optimized code away and compile it again.
  // A declared name counts in a link text when the destination names it too (`disconnect-um-web-service.md`).
  const namedByDestination: string[] = [];
  for (let k = 0; k < declaredLower.length; k++)
    if (slug.includes(declaredLower[k]!.lower)) namedByDestination.push(declaredLower[k]!.name);
  // Each page's links to this destination, in order, computed once (pages can hold hundreds).
  const perPage = new Map<Page, Unit[]>();
  for (const u of units) {
    const list = perPage.get(u.page);
    if (list) list.push(u);
    else perPage.set(u.page, [u]);
  }
  const rankOf = new Map<Unit, number>();
  for (const list of perPage.values()) list.forEach((u, i) => rankOf.set(u, i));
  // A link's identifiers are asked for by every link of another locale it is compared with: found once.
  const idsFound = new Map<Unit, readonly string[]>();
  const idsOf = (u: Unit): readonly string[] => {
    let ids = idsFound.get(u);
    if (ids === undefined) {
      // The English source of a zh-CN link is evidence of what the identifier is.
      // (Without one, the text itself: a string made per link was most of the lookup's cost.)
      const text = u.sourceText ? `${u.text} ${u.sourceText}` : u.text;
      ids = strongIdentifiers(text);
      for (const name of namedByDestination) if (!ids.includes(name) && contains(text, name)) ids = [...ids, name];
      idsFound.set(u, ids);
    }
    return ids;
  };
  for (const unit of units) {
    // A split identifier is damage wherever it stands, in the source locale too: no source writes one.
    const split = unit.text.includes('::') ? SPLIT.exec(unit.text) : null;
    if (split) {
      const id = `${split[1]}::${split[2]}${split[3]}`;
      reports.report(unit, id, 'link text', 'a space was inserted inside it', [], {
        authority: 'the identifier itself (the space removed)',
        edits: [{ kind: 'replace', line: unit.line, column: unit.column, old: split[0], text: id }],
      });
    }
    // Otherwise the source locale is the authority: its texts are evidence, never at fault.
    if (ctx.source && unit.page === ctx.source) continue;
    // Compare with the link of the same rank to this destination in each other locale (pages repeat links).
    const rank = rankOf.get(unit)!;
    const others: Unit[] = [];
    for (const p of otherLocales.get(unit.page)!) {
      const theirs = perPage.get(p);
      const match = theirs === undefined ? undefined : (theirs[rank] ?? theirs[theirs.length - 1]);
      if (match) others.push(match);
    }
    const candidates = new Map<string, Unit[]>();
    for (const other of others)
      for (const id of idsOf(other)) {
        const holders = candidates.get(id);
        if (holders) holders.push(other);
        else candidates.set(id, [other]);
      }
    for (const [id, holders] of candidates) {
      if (holders.length * 2 <= others.length) continue; // most other locales must show it
      // Still on the line, just moved out of the link text by translation: not translated.
      if (keeps(unit.text, id) || (unit.context !== undefined && keeps(unit.context, id))) continue;
      const who = localesOf(holders.map((h) => h.page));
      const texts = holders.map((h) => (keeps(h.text, id) || !h.sourceText ? h.text : h.sourceText));
      reports.report(
        unit,
        id,
        'link text',
        `${who} ${holders.length === 1 ? 'has' : 'have'} it`,
        holders.map((h) => ({ page: h.page, line: h.line })),
        repair(unit, id, who, texts),
      );
    }
    if (unit.sourceText) {
      const fromSource = { ...unit, text: unit.sourceText, sourceText: '' };
      for (const id of idsOf(fromSource)) {
        if (!keeps(unit.text, id))
          reports.report(
            unit,
            id,
            'link text',
            'its English source span has it',
            [],
            repair(unit, id, 'its English source span', [unit.sourceText]),
          );
      }
    }
  }
}

/** Headings, compared by anchor with the other locales and with the page's own English source; zh-CN spans. */
function headingAndSpanFindings(ctx: GroupContext, otherLocales: Map<Page, Page[]>, reports: Reports): void {
  for (const page of ctx.group.pages) {
    if (ctx.source && page === ctx.source) continue;
    for (const heading of page.headings) {
      if (heading.anchorSource !== 'a-name' || heading.tab !== null) continue;
      const unit: Unit = { page, text: heading.text, line: heading.line, column: heading.column };
      const others: { page: Page; h: PageHeading }[] = [];
      for (const p of otherLocales.get(page)!) {
        const h = headingAt(p, heading.depth, heading.anchor);
        if (h) others.push({ page: p, h });
      }
      const ids = new Map<string, { page: Page; line: number }[]>();
      for (const o of others)
        for (const id of strongIdentifiers(o.h.text)) {
          const holders = ids.get(id);
          if (holders) holders.push({ page: o.page, line: o.h.line });
          else ids.set(id, [{ page: o.page, line: o.h.line }]);
        }
      for (const [id, holders] of ids) {
        if (holders.length * 2 > others.length && !keeps(heading.text, id)) {
          const who = localesOf(holders.map((h) => h.page));
          const texts = others.filter((o) => holders.some((h) => h.page === o.page)).map((o) => o.h.text);
          reports.report(
            unit,
            id,
            'heading',
            `${who} ${holders.length === 1 ? 'has' : 'have'} it`,
            holders,
            repair(unit, id, who, texts),
          );
        }
      }
      if (heading.sourceText) {
        for (const id of strongIdentifiers(heading.sourceText))
          if (!keeps(heading.text, id))
            reports.report(
              unit,
              id,
              'heading',
              'its English source has it',
              [],
              repair(unit, id, 'its English source', [heading.sourceText]),
            );
      }
    }
    // zh-CN bilingual spans: the translation against its own English source.
    for (const span of page.bilingual) {
      if (page.headings.some((h) => h.line === span.line)) continue; // headings are checked above
      const unit: Unit = { page, text: span.translation, line: span.line, column: span.column };
      for (const id of strongIdentifiers(span.source.replace(/\]\([^)]*\)/g, ']'))) {
        if (!keeps(span.translation, id))
          reports.report(unit, id, 'sentence', 'its English source span has it', [], {
            authority: 'its English source span',
            edits: [],
            notFixed: 'a sentence is translated as a whole: which of its words render the identifier cannot be told',
          });
      }
    }
  }
}

const headingIndexes = new WeakMap<Page, Map<string, PageHeading[]>>();
/** The page's first heading of this depth and anchor (pages of hundreds of headings are compared one by one). */
function headingAt(page: Page, depth: number, anchor: string): PageHeading | undefined {
  let index = headingIndexes.get(page);
  if (!index) {
    index = new Map();
    for (const h of page.headings) {
      const same = index.get(h.anchor);
      if (same) same.push(h);
      else index.set(h.anchor, [h]);
    }
    headingIndexes.set(page, index);
  }
  return index.get(anchor)?.find((h) => h.depth === depth);
}

function shortText(text: string): string {
  const t = stripMarkup(text).replace(/\s+/g, ' ').trim();
  return t.length > 50 ? `${t.slice(0, 49)}…` : t;
}
