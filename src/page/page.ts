import path from 'node:path';
import type { Root } from 'mdast';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LocaleSource } from '../discover/locale.js';
import type { DiscoveredFile } from '../discover/discover.js';
import { extractSamples } from '../sample/extract.js';
import type { Sample } from '../sample/sample.js';
import { parseFrontMatter, type FrontMatter } from './frontmatter.js';
import { contentIdentityOf, frontMatterString, pageIdentity } from './identity.js';
import { MAX_LINE_LENGTH, pageStructure, parseMarkdown, type PageStructure } from '../markdown/markdown.js';
import { readSource, DEFAULT_MAX_FILE_BYTES } from './read.js';
import { detached, lineFeeds } from '../util/text.js';
import { depthBelow, leavesFolder, staysBelow } from '../util/paths.js';

/** The source revision a localized page was translated from. */
export interface Revision {
  /** `ms.openlocfilehash`: hash of the source file the translation was made from. */
  sourceHash: string | null;
  /** `ms.sourcegitcommit`. */
  sourceCommit: string | null;
  /** `ms.lasthandoff`: when the translation was handed back. */
  lastHandoff: string | null;
}

export interface Page extends Omit<PageStructure, 'diagnostics' | 'title'> {
  file: string;
  absPath: string;
  locale: string | null;
  localeSource: LocaleSource | null;
  /** Identity across locales: the path below the locale folder, without extension (groups may merge by asset id). */
  pageId: string;
  assetId: string | null;
  title: string | null;
  frontMatter: FrontMatter | null;
  revision: Revision;
  samples: Sample[];
  diagnostics: Diagnostic[];
  bytes: number;
  lines: number;
  /**
   * Whether the page's markdown was parsed. False when the file could not be read or decoded, or the
   * parser failed on it (a diagnostic says why): the page counts for its locale's presence in its
   * group, and no cross-locale check compares it.
   */
  parsed: boolean;
  /** The mdast, only when asked for (`keepTree`): most consumers need the extracted structure only. */
  tree: Root | null;
}

export interface PageOptions {
  maxFileBytes?: number;
  /** Locale for pages whose front matter and path name none. */
  defaultLocale?: string;
  keepTree?: boolean;
}

/** Build a page from its decoded text: front matter, markdown structure, samples. Pure apart from its input. */
export function buildPage(
  file: DiscoveredFile,
  text: string | null,
  readDiagnostics: Diagnostic[],
  bytes: number,
  options: PageOptions = {},
): Page {
  const empty = emptyPage(file, diagnosticsList(readDiagnostics), bytes, options);
  if (text === null) return empty;
  const { page: identified, bodyOffset, data } = identifiedPage(empty, file, text, options);
  let body: ReturnType<typeof readBody> | null = null;
  try {
    body = readBody(file, text, bodyOffset, options);
    identified.diagnostics.push(...body.diagnostics);
  } catch (error) {
    // The page, not the run: a parser that fails on one page (its call stack exhausted by thousands
    // of nested containers, or a bug) leaves that page unchecked, with the reason.
    identified.diagnostics.push(unparsableDiagnostic(file.displayPath, error));
  }
  stampDiagnostics(identified);
  if (!body) return identified;

  const { diagnostics: _structureDiagnostics, title, ...rest } = body.structure;
  return {
    ...identified,
    ...rest,
    title: frontMatterString(data, 'title') ?? title,
    samples: body.samples,
    parsed: true,
    tree: options.keepTree ? body.tree : null,
  };
}

/**
 * A page whose body is not parsed, with `reason` among its diagnostics: its identity, front matter
 * and revision only (a watchdog stopped its parse on an earlier try).
 */
export function unparsedPage(
  file: DiscoveredFile,
  text: string | null,
  readDiagnostics: Diagnostic[],
  bytes: number,
  reason: Diagnostic,
  options: PageOptions = {},
): Page {
  const empty = emptyPage(file, diagnosticsList(readDiagnostics, reason), bytes, options);
  if (text === null) return empty;
  const { page } = identifiedPage(empty, file, text, options);
  stampDiagnostics(page);
  return page;
}

/**
 * A page's own list of diagnostics, filled from a literal. V8 learns at the literal that its lists come to hold
 * objects and makes each later one so from the start; a spread of an empty list makes a list of another element
 * kind, and V8 compiles each function reading `page.diagnostics` again when it meets one.
 */
function diagnosticsList(from: readonly Diagnostic[], more?: Diagnostic): Diagnostic[] {
  const list: Diagnostic[] = [];
  for (const d of from) list.push(d);
  if (more) list.push(more);
  return list;
}

/** A page with nothing read but its path: its identity from the path alone, `diagnostics` as given. */
function emptyPage(file: DiscoveredFile, diagnostics: Diagnostic[], bytes: number, options: PageOptions): Page {
  const identity = pageIdentity(file, null, options.defaultLocale);
  return {
    file: file.displayPath,
    absPath: file.absPath,
    locale: identity.locale,
    localeSource: identity.localeSource,
    pageId: identity.pageId,
    assetId: null,
    title: null,
    frontMatter: null,
    revision: { sourceHash: null, sourceCommit: null, lastHandoff: null },
    headings: [],
    fences: [],
    annotations: [],
    includes: [],
    callouts: [],
    links: [],
    inlineCode: [],
    tables: [],
    emphasis: [],
    bilingual: [],
    suppressions: [],
    samples: [],
    diagnostics,
    bytes,
    lines: 0,
    parsed: false,
    tree: null,
  };
}

/** Every diagnostic of a read page names its locale and page id. */
function stampDiagnostics(page: Page): void {
  for (const d of page.diagnostics) {
    d.locale ??= page.locale ?? undefined;
    d.pageId ??= page.pageId;
  }
}

/** The page before its body is read: identity, front matter and revision (its diagnostics are added to `empty`'s). */
function identifiedPage(
  empty: Page,
  file: DiscoveredFile,
  text: string,
  options: PageOptions,
): { page: Page; bodyOffset: number; data: Record<string, unknown> } {
  const { diagnostics } = empty;
  const fm = parseFrontMatter(text, file.displayPath);
  diagnostics.push(...fm.diagnostics);
  const data = fm.frontMatter?.data ?? {};
  const content = contentIdentityOf(data);
  const { locale, localeSource, pageId } = pageIdentity(file, content.declaredLocale, options.defaultLocale);

  const revision: Revision = {
    sourceHash: frontMatterString(data, 'ms.openlocfilehash') ?? null,
    sourceCommit: frontMatterString(data, 'ms.sourcegitcommit') ?? null,
    lastHandoff: frontMatterString(data, 'ms.lasthandoff') ?? null,
  };
  const page: Page = {
    ...empty,
    locale,
    localeSource,
    pageId,
    assetId: content.assetId,
    title: frontMatterString(data, 'title') ?? null,
    frontMatter: fm.frontMatter,
    revision,
    lines: countLines(text),
  };
  return { page, bodyOffset: fm.bodyOffset, data };
}

/** A page's body: its markdown parse, structure and samples, with their diagnostics. */
function readBody(file: DiscoveredFile, text: string, bodyOffset: number, options: PageOptions) {
  const diagnostics: Diagnostic[] = [];
  // Without `keepTree` nobody sees the tree: its outline is enough for the structure.
  const { tree, longLines } = parseMarkdown(text, bodyOffset, { outline: !options.keepTree });
  for (const long of longLines) {
    diagnostics.push({
      ruleId: 'line-too-long',
      severity: 'warning',
      file: file.displayPath,
      line: long.line,
      column: 1,
      message:
        `line is ${long.length.toLocaleString('en-US')} characters long, ` +
        `over the ${MAX_LINE_LENGTH.toLocaleString('en-US')} limit: left out of the markdown parse`,
    });
  }
  const structure = pageStructure(tree, text, file.displayPath);
  diagnostics.push(...structure.diagnostics);
  // Includes are recorded, never read; one that climbs out of the folder the user named is said so.
  const climbsOut = structure.includes.length > 0 ? includesClimbingOut(file.root, path.dirname(file.absPath)) : null;
  for (const include of structure.includes) {
    if (/^[a-z][\w+.-]*:/i.test(include.path) || include.path.startsWith('/')) continue;
    if (climbsOut!(include.path)) {
      diagnostics.push({
        ruleId: 'include-outside-root',
        severity: 'info',
        file: file.displayPath,
        line: include.line,
        column: include.column,
        message: `[!INCLUDE] target ${include.path} is outside ${path.basename(file.root)}/: never read`,
      });
    }
  }
  const { samples, diagnostics: sampleDiagnostics } = extractSamples(structure.fences, file.displayPath, text);
  diagnostics.push(...sampleDiagnostics);
  return { tree, structure, samples, diagnostics };
}

/**
 * Whether an include's target (a path relative to `folder`) is outside the root the user named. Most never climb
 * above the root on their way (`staysBelow`: no string made); the others are resolved, once per folder and path (a
 * Graph page has ten includes; resolving each allocated 500 MB over the corpus).
 */
function includesClimbingOut(root: string, folder: string): (includePath: string) => boolean {
  const depth = depthBelow(root, folder);
  let answers: Map<string, boolean> | undefined;
  return (includePath) => {
    if (staysBelow(includePath, depth)) return false;
    if (!answers) {
      const key = `${root}\0${folder}`;
      answers = includesOutside.get(key);
      if (!answers) {
        if (includesOutside.size >= 1_000) includesOutside.clear();
        includesOutside.set(key, (answers = new Map()));
      }
    }
    let out = answers.get(includePath);
    if (out === undefined) {
      out = leavesFolder(path.relative(root, path.resolve(folder, includePath)));
      // A copy: the path is a slice of its page, which a key would keep alive (hundreds of MB over Graph).
      if (answers.size >= 1_000) answers.clear(); // a few groups' includes (util/memo.ts)
      answers.set(detached(includePath), out);
    }
    return out;
  };
}
const includesOutside = new Map<string, Map<string, boolean>>();

/** Why a page's body could not be parsed. */
function unparsableDiagnostic(file: string, error: unknown): Diagnostic {
  const reason =
    error instanceof RangeError && /call stack/i.test(error.message)
      ? 'its structure is nested too deeply for the parser (call stack exhausted)'
      : `the parser failed (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`;
  return {
    ruleId: 'page-unparsable',
    severity: 'error',
    file,
    line: 1,
    column: 1,
    message: `${reason}: the page is not checked`,
  };
}

/**
 * A page's locale, id and asset id from its path and front matter only, without parsing the
 * markdown: what grouping needs, so that groups can be formed before any page is parsed.
 */
export async function identifyPage(
  file: DiscoveredFile,
  options: PageOptions = {},
): Promise<{ pageId: string; locale: string | null; assetId: string | null; file: string; source: DiscoveredFile }> {
  const source = await readSource(file.absPath, file.displayPath, {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  });
  const data = source.text === null ? {} : (parseFrontMatter(source.text, file.displayPath).frontMatter?.data ?? {});
  const content = contentIdentityOf(data);
  const id = pageIdentity(file, content.declaredLocale, options.defaultLocale);
  return { pageId: id.pageId, locale: id.locale, assetId: content.assetId, file: file.displayPath, source: file };
}

/** Read, decode and build one page. Never throws for a user's file. */
export async function loadPage(file: DiscoveredFile, options: PageOptions = {}): Promise<Page> {
  const source = await readSource(file.absPath, file.displayPath, {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  });
  return buildPage(file, source.text, source.diagnostics, source.bytes, options);
}

function countLines(text: string): number {
  return (text.length > 0 && !text.endsWith('\n') ? 1 : 0) + lineFeeds(text);
}
