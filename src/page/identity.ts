import path from 'node:path';
import type { DiscoveredFile } from '../discover/discover.js';
import { localeFromPath, normalizeLocale, type LocaleSource } from '../discover/locale.js';
import { relativePath } from '../util/paths.js';

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

/** Locale and cross-locale identity of a page from its front matter, path and config. */
export function pageIdentity(
  file: DiscoveredFile,
  declaredLocale: string | null,
  defaultLocale?: string,
): { locale: string | null; localeSource: LocaleSource | null; pageId: string } {
  const relative = relativePath(file.root, file.absPath);
  const underRoot = relative.split(path.sep);
  // Look for the locale folder below the root first, then above it (`lockstep extract docs/pt-BR`).
  const fromPath = localeFromPath(underRoot, declaredLocale ?? undefined);
  const all = fromPath ? [] : file.absPath.split(path.sep);
  const fromFullPath = fromPath ? null : localeFromPath(all, declaredLocale ?? undefined);
  const stripExt = (p: string) => p.replace(/\.[^./]+$/, '');
  let pageId: string;
  if (fromPath) pageId = stripExt(underRoot.slice(fromPath.segment + 1).join('/'));
  else if (fromFullPath) pageId = stripExt(all.slice(fromFullPath.segment + 1).join('/'));
  else pageId = stripExt(underRoot.join('/'));
  const pathLocale = fromPath ?? fromFullPath;
  if (declaredLocale) return { locale: declaredLocale, localeSource: 'front-matter', pageId };
  if (pathLocale) return { locale: pathLocale.locale, localeSource: pathLocale.source, pageId };
  if (defaultLocale) return { locale: normalizeLocale(defaultLocale) ?? defaultLocale, localeSource: 'config', pageId };
  return { locale: null, localeSource: null, pageId };
}
