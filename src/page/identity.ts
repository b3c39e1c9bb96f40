import path from 'node:path';
import type { DiscoveredFile } from '../discover/discover.js';
import { localeFromPath, normalizeLocale, type LocaleSource } from '../discover/locale.js';
import { directlyIn, relativePath } from '../util/paths.js';

/*
 * A page's identity across locales (page id, locale, asset id) from its path and the front
 * matter's data. Kept apart from the parsers: planning a run (and a warm run, which parses
 * nothing) needs only this.
 */

/** A front-matter value as a string (first item of a list), or undefined. */
export function frontMatterString(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** What a page's front matter says about its identity: the declared locale and the asset id. */
export interface ContentIdentity {
  declaredLocale: string | null;
  assetId: string | null;
}

export function contentIdentityOf(data: Record<string, unknown>): ContentIdentity {
  const declared = frontMatterString(data, 'ms.contentlocale');
  return {
    declaredLocale: declared ? (normalizeLocale(declared) ?? declared) : null,
    assetId: frontMatterString(data, 'ms.assetid')?.toLowerCase() ?? null,
  };
}

/** What a folder's path says of its pages' identity: the locale it names, and the page id's part before the name. */
interface FolderIdentity {
  pathLocale: PathLocale | null;
  idPrefix: string;
}
type PathLocale = NonNullable<ReturnType<typeof localeFromPath>>;

/** A folder's identities by declared locale, with the folder's path. */
interface FolderEntry {
  root: string;
  folder: string;
  byDeclared: Map<string, FolderIdentity>;
}
/** By root, then folder: a run asks once per page, and a doc set's pages share few folders. */
const folderEntries = new Map<string, Map<string, FolderEntry>>();
let folderCount = 0;
/** The folder asked about last: a run asks about a folder's pages one after another (Graph: 98,130 in 88 folders). */
let recent: FolderEntry | null = null;

/** The entry of the folder of a page (a path below `root`). */
function folderEntry(root: string, absPath: string): FolderEntry {
  if (recent !== null && recent.root === root && directlyIn(absPath, recent.folder)) return recent;
  const folder = path.dirname(absPath);
  let byFolder = folderEntries.get(root);
  if (!byFolder) folderEntries.set(root, (byFolder = new Map()));
  let entry = byFolder.get(folder);
  if (!entry) {
    if (folderCount >= 10_000) {
      folderEntries.clear();
      folderEntries.set(root, byFolder);
      byFolder.clear();
      folderCount = 0;
    }
    byFolder.set(folder, (entry = { root, folder, byDeclared: new Map() }));
    folderCount++;
  }
  recent = entry;
  return entry;
}

function folderIdentity(entry: FolderEntry, declaredLocale: string | null): FolderIdentity {
  let facts = entry.byDeclared.get(declaredLocale ?? '');
  if (!facts) {
    const relative = relativePath(entry.root, entry.folder);
    // A page's segments are its folder's and its name, which localeFromPath does not read: `''` stands for it.
    const underRoot = relative === '' ? [''] : [...relative.split(path.sep), ''];
    facts = identityFromSegments(underRoot, [...entry.folder.split(path.sep), ''], declaredLocale);
    entry.byDeclared.set(declaredLocale ?? '', facts);
  }
  return facts;
}

/** The locale a page's path names, below its root or else in the whole path, and the page id's segments after it. */
function identityFromSegments(underRoot: string[], all: string[], declaredLocale: string | null): FolderIdentity {
  // Look for the locale folder below the root first, then above it (`lockstep extract docs/pt-BR`).
  const fromPath = localeFromPath(underRoot, declaredLocale ?? undefined);
  const fromFullPath = fromPath ? null : localeFromPath(all, declaredLocale ?? undefined);
  const segments = fromPath
    ? underRoot.slice(fromPath.segment + 1)
    : fromFullPath
      ? all.slice(fromFullPath.segment + 1)
      : underRoot;
  return { pathLocale: fromPath ?? fromFullPath, idPrefix: segments.join('/') };
}

/** Locale and cross-locale identity of a page from its front matter, path and config. */
export function pageIdentity(
  file: DiscoveredFile,
  declaredLocale: string | null,
  defaultLocale?: string,
): { locale: string | null; localeSource: LocaleSource | null; pageId: string } {
  // A root that is the page itself (a page named alone, as repairTexts names them) leaves no path below the root.
  const alone = file.root === file.absPath;
  const entry = alone ? null : folderEntry(file.root, file.absPath);
  const { pathLocale, idPrefix } = entry
    ? folderIdentity(entry, declaredLocale)
    : identityFromSegments([''], file.absPath.split(path.sep), declaredLocale);
  let pageId: string;
  if (entry) {
    // The folder's segments end in `''`, joined as the `/` before the name; the name's extension is left out.
    const name = file.absPath.slice(entry.folder.length + (entry.folder.endsWith(path.sep) ? 0 : 1));
    const dot = name.lastIndexOf('.');
    pageId = idPrefix + (dot !== -1 && dot < name.length - 1 ? name.slice(0, dot) : name);
  } else pageId = idPrefix.replace(/\.[^./]+$/, '');
  if (declaredLocale) return { locale: declaredLocale, localeSource: 'front-matter', pageId };
  if (pathLocale) return { locale: pathLocale.locale, localeSource: pathLocale.source, pageId };
  if (defaultLocale) return { locale: normalizeLocale(defaultLocale) ?? defaultLocale, localeSource: 'config', pageId };
  return { locale: null, localeSource: null, pageId };
}

/**
 * Whether a declared locale gives a page another page id or locale than its path alone does: `pageIdentity`
 * compared with and without it, from the folder's cached facts, without building either identity (a run that plans
 * from paths asks it of every page that declares a locale: 98,130 on Graph).
 */
export function declaredLocaleMoves(file: DiscoveredFile, declaredLocale: string, defaultLocale?: string): boolean {
  if (file.root === file.absPath) {
    const declared = pageIdentity(file, declaredLocale, defaultLocale);
    const byPath = pageIdentity(file, null, defaultLocale);
    return declared.pageId !== byPath.pageId || declared.locale !== byPath.locale;
  }
  const entry = folderEntry(file.root, file.absPath);
  const byPath = folderIdentity(entry, null);
  if (folderIdentity(entry, declaredLocale).idPrefix !== byPath.idPrefix) return true;
  const pathLocale = byPath.pathLocale
    ? byPath.pathLocale.locale
    : defaultLocale
      ? (normalizeLocale(defaultLocale) ?? defaultLocale)
      : null;
  return declaredLocale !== pathLocale;
}
