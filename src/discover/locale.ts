import path from 'node:path';
/** Where a page's locale comes from, in order: front matter, a path segment, a repo-folder suffix, config. */
export type LocaleSource = 'front-matter' | 'path' | 'repo-suffix' | 'config';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const LOCALE_SHAPE = /^([a-z]{2,3})(?:-([a-z]{4}))?-([a-z]{2}|\d{3})$/i;

/**
 * Normalize a BCP-47 tag of the form language[-Script]-REGION (`pt-br` → `pt-BR`),
 * or return null when it is not one: both subtags must be known to ICU, so that
 * folder names such as `to-do` or `ms-dos` are not mistaken for locales.
 */
const normalized = new Map<string, string | null>();

export function normalizeLocale(tag: string): string | null {
  const known = normalized.get(tag);
  if (known !== undefined) return known;
  const result = normalizeUncached(tag);
  if (normalized.size < 10_000) normalized.set(tag, result);
  return result;
}

function normalizeUncached(tag: string): string | null {
  const m = LOCALE_SHAPE.exec(tag.trim());
  if (!m) return null;
  const language = m[1]!.toLowerCase();
  const region = m[3]!.toUpperCase();
  const script = m[2] ? m[2][0]!.toUpperCase() + m[2].slice(1).toLowerCase() : null;
  try {
    if (!languageNames.of(language) || !regionNames.of(region)) return null;
  } catch {
    return null;
  }
  return script ? `${language}-${script}-${region}` : `${language}-${region}`;
}

export interface PathLocale {
  locale: string;
  source: 'path' | 'repo-suffix';
  /** Index of the segment that names the locale: the page's identity is the path below it. */
  segment: number;
}

/** Find the locale named by a path segment (`docs/pt-BR/…`) or a repo-folder suffix (`win32-pr.ru-ru/…`). */
export function localeFromPath(segments: readonly string[], prefer?: string): PathLocale | null {
  let found: PathLocale | null = null;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    let candidate: PathLocale | null = null;
    const direct = normalizeLocale(segment);
    if (direct) candidate = { locale: direct, source: 'path', segment: i };
    else {
      const suffix = /\.([a-z]{2,3}(?:-[a-z]{4})?-(?:[a-z]{2}|\d{3}))$/i.exec(segment);
      const locale = suffix ? normalizeLocale(suffix[1]!) : null;
      if (locale) candidate = { locale, source: 'repo-suffix', segment: i };
    }
    if (!candidate) continue;
    // The front matter's locale wins when the path names several; else the segment nearest the file.
    if (prefer && candidate.locale === prefer) return candidate;
    found = candidate;
  }
  return found;
}

/**
 * The folder that holds every locale of a page: the one above its locale folder (`docs` for
 * `docs/pt-BR/x/a.md`; for `win32-pr.ru-ru/…`, the folder beside `win32-pr/…`). A path with no
 * locale folder: its own folder, where pages of other locales are joined by their ms.assetid.
 */
export function docsRootOf(absPath: string): string {
  const segments = absPath.split(path.sep);
  const locale = localeFromPath(segments);
  return locale && locale.segment > 0
    ? segments.slice(0, locale.segment).join(path.sep) || path.sep
    : path.dirname(absPath);
}
