/**
 * The glossary's formats: CSV (RFC 4180) for spreadsheets and MT glossary imports, JSON for
 * programs, TBX for terminology tools. Every format lists the same terms in the same order; the
 * pages of a term are capped at `maxPages` (with the full count beside them), because a term such
 * as `id` is used on tens of thousands of Graph pages and a glossary is read per term, not per page.
 */
import type { Glossary, GlossaryTerm } from '../glossary/glossary.js';

export const GLOSSARY_FORMATS = ['csv', 'json', 'tbx'] as const;
export type GlossaryFormat = (typeof GLOSSARY_FORMATS)[number];

/** Pages listed per term unless told otherwise (`--max-pages`). */
export const DEFAULT_MAX_PAGES = 10;

/**
 * The language of the terms when no source locale is named: the identifiers are the API's own
 * names, written in English whatever locale the pages around them are in.
 */
export const DEFAULT_TERM_LANGUAGE = 'en';

/** Version of the JSON document's shape: raised when a field changes meaning or goes away. */
export const GLOSSARY_JSON_VERSION = 1;

export interface GlossaryRenderOptions {
  tool: { name: string; version: string };
  /** Pages listed per term; 0 lists them all. Default {@link DEFAULT_MAX_PAGES}. */
  maxPages?: number;
  /** What the glossary was made from (the command's paths), for the TBX title. */
  inputs?: readonly string[];
}

export function renderGlossary(format: GlossaryFormat, glossary: Glossary, options: GlossaryRenderOptions): string {
  if (format === 'csv') return glossaryCsv(glossary, options);
  if (format === 'json') return `${JSON.stringify(glossaryJson(glossary, options), null, 2)}\n`;
  return glossaryTbx(glossary, options);
}

const listed = (term: GlossaryTerm, maxPages: number) => (maxPages > 0 ? term.pages.slice(0, maxPages) : term.pages);

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * One row per term: `term,kind,origins,page_count,pages`, with a header row and CRLF line ends (RFC
 * 4180). `origins` is space-separated (their names hold no space); `pages` is `;`-separated, the
 * first `maxPages` of `page_count`.
 */
export function glossaryCsv(glossary: Glossary, options: GlossaryRenderOptions): string {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const rows = [['term', 'kind', 'origins', 'page_count', 'pages']];
  for (const t of glossary.terms)
    rows.push([t.term, t.kind, t.origins.join(' '), String(t.pages.length), listed(t, maxPages).join(';')]);
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

export interface GlossaryJson {
  version: number;
  tool: { name: string; version: string };
  sourceLocale: string | null;
  locales: string[];
  summary: Glossary['summary'];
  /** Pages listed per term at most; null: all of them. */
  maxPages: number | null;
  terms: { term: string; kind: string; origins: string[]; pageCount: number; pages: string[] }[];
}

export function glossaryJson(glossary: Glossary, options: GlossaryRenderOptions): GlossaryJson {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  return {
    version: GLOSSARY_JSON_VERSION,
    tool: options.tool,
    sourceLocale: glossary.sourceLocale,
    locales: glossary.locales,
    summary: glossary.summary,
    maxPages: maxPages > 0 ? maxPages : null,
    terms: glossary.terms.map((t) => ({
      term: t.term,
      kind: t.kind,
      origins: t.origins,
      pageCount: t.pages.length,
      pages: listed(t, maxPages),
    })),
  };
}

/** Text and attribute values escaped; characters XML 1.0 cannot hold at all are left out. */
function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const TBX_NAMESPACE = 'urn:iso:std:iso:30042:ed-2';
const DIALECT = 'https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA';
const PREFERRED = '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>';
const ADMITTED = '<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>';
const DO_NOT_TRANSLATE = 'Do not translate: an API identifier, to be kept exactly as written in every language.';
const NAME_WHERE_IT_STANDS =
  'Do not translate where it stands as a name (in code, samples and tables): kept exactly as written there. ' +
  'As a plain word in prose it is translated as usual.';

/**
 * TBX-Basic (ISO 30042:2019 TBX, DCA style), valid against the dialect's integrated RELAX NG
 * schema and its Schematron rules. TBX-Basic has no do-not-translate data category, so it is said
 * the ways the dialect allows: each concept has a language section per locale holding the same
 * term, marked `preferredTerm-admn-sts` (the term to use in that language is the term itself), and
 * a note that says so in words. Origins are a note, pages are `source` admins of the concept.
 * A glossary without terms has no valid TBX (a body holds one concept at least): that throws.
 */
export function glossaryTbx(glossary: Glossary, options: GlossaryRenderOptions): string {
  if (glossary.terms.length === 0)
    throw new Error('an empty glossary has no valid TBX: a TBX body holds one concept at least');
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const termLanguage = glossary.sourceLocale ?? DEFAULT_TERM_LANGUAGE;
  const languages = [termLanguage, ...glossary.locales.filter((l) => l !== termLanguage)];
  const { pages, pageGroups } = glossary.summary;
  const made = `${pages} pages in ${pageGroups} page groups (${glossary.locales.join(', ') || 'no locale'})`;
  const model = (file: string, schemaNamespace: string) =>
    `<?xml-model href="${DIALECT}/${file}" type="application/xml" schematypens="${schemaNamespace}"?>`;
  const title = `Do-not-translate terms of ${options.inputs?.join(' ') || 'the doc set'}`;
  const description =
    `Derived by ${options.tool.name} ${options.tool.version} from ${made}: the identifiers of samples (element, ` +
    'attribute and header names, JSON keys, enum-like values, path segments), link targets, code spans, api_name ' +
    'and the name columns of tables.';
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    model('TBXcoreStructV03_TBX-Basic_integrated.rng', 'http://relaxng.org/ns/structure/1.0'),
    model('TBX-Basic_DCA.sch', 'http://purl.oclc.org/dsdl/schematron'),
    `<tbx xmlns="${TBX_NAMESPACE}" type="TBX-Basic" style="dca" xml:lang="${xmlText(termLanguage)}">`,
    '  <tbxHeader>',
    '    <fileDesc>',
    `      <titleStmt><title>${xmlText(title)}</title></titleStmt>`,
    `      <sourceDesc><p>${xmlText(description)}</p></sourceDesc>`,
    '    </fileDesc>',
    '  </tbxHeader>',
    '  <text>',
    '    <body>',
  ];
  glossary.terms.forEach((t, i) => {
    const term = xmlText(t.term);
    out.push(`      <conceptEntry id="c${i + 1}">`);
    out.push(`        <note>origins: ${t.origins.join(', ')}</note>`);
    for (const page of listed(t, maxPages)) out.push(`        <admin type="source">${xmlText(page)}</admin>`);
    if (listed(t, maxPages).length < t.pages.length)
      out.push(`        <note>used on ${t.pages.length} pages; the first ${maxPages} are listed</note>`);
    for (const language of languages) {
      out.push(
        `        <langSec xml:lang="${xmlText(language)}">`,
        t.kind === 'word'
          ? `          <termSec><term>${term}</term>${ADMITTED}<note>${NAME_WHERE_IT_STANDS}</note></termSec>`
          : `          <termSec><term>${term}</term>${PREFERRED}<note>${DO_NOT_TRANSLATE}</note></termSec>`,
        '        </langSec>',
      );
    }
    out.push('      </conceptEntry>');
  });
  out.push('    </body>', '  </text>', '</tbx>', '');
  return out.join('\n');
}
