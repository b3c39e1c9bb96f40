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
    declaredLocale: declared ? normalizeLocale(declared) ?? declared : null,
    assetId: frontMatterString(data, 'ms.assetid')?.toLowerCase() ?? null,
  };
}

/** Locale and cross-locale identity of a page from its front matter, path and config. */
export function pageIdentity(file: DiscoveredFile, declaredLocale: string | null, defaultLocale?: string): { locale: string | null; localeSource: LocaleSource | null; pageId: string } {
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

/*
 * Planning a cold run parses every file's front matter for two keys, and checking it parses the
 * same YAML again: about 16 s of CPU over the Graph corpus. Most front matter is a flat list of
 * `key: value` lines, for which the two values can be read without a YAML parser.
 * identityFromSimpleFrontMatter reads only such front matter, and says `null` (parse it) as soon
 * as a line is anything else: a continuation, a nested map, a block scalar, an anchor, a tab, an
 * escape, a repeated key, a value YAML would read as a number, a boolean or null. What it does
 * read, it reads as the `yaml` package does: `scripts/verify-identity-scan.mjs` holds the two
 * equal on every page of the corpora, and test/scale-identity.test.ts on tricky cases.
 */

const SIMPLE_KEY = /^([A-Za-z_][\w.-]{0,200}):(?: +(.*))?$/;
const LIST_ITEM = /^( *)- +(.*)$/;
/** Characters YAML refuses or treats specially anywhere: controls, tabs, CR, BOM, non-characters. */
const UNSAFE_CHARACTER = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uFEFF\uFFFE\uFFFF]/;
/** A plain scalar that starts with an indicator, holds `: ` or ` #`, or ends with `:`, is not simple. */
const SIMPLE_PLAIN = /^(?![-?:,[\]{}#&*!|>'"%@`])(?!.*(?:: | #|:$)).+$/;
/** YAML 1.2 core schema: plain scalars that resolve to null, booleans and numbers, not strings. */
const CORE_NON_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** A simple value's string, `undefined` for none (null), or `null` when it is not simple. */
function simpleValue(written: string | undefined): string | undefined | null {
  const value = written?.trimEnd() ?? '';
  if (value === '') return undefined;
  if (value.startsWith('"')) return /^"[^"\\]*"$/.test(value) ? value.slice(1, -1) : null;
  if (value.startsWith("'")) return /^'[^']*'$/.test(value) ? value.slice(1, -1) : null;
  return SIMPLE_PLAIN.test(value) ? value : null;
}

/**
 * The identity keys of a page whose front matter is a flat list of simple `key: value` lines
 * (and simple lists), or `null` when it is anything more: then the YAML parser decides.
 */
export function identityFromSimpleFrontMatter(text: string): ContentIdentity | null {
  if (!text.startsWith('---\n')) return null;
  const close = text.indexOf('\n---', 3);
  if (close === -1 || (close + 4 < text.length && text[close + 4] !== '\n')) return null;
  const block = text.slice(4, close);
  if (UNSAFE_CHARACTER.test(block)) return null;
  const seen = new Set<string>();
  const wanted: Record<string, string | undefined> = {};
  let listIndent: number | null = null; // indentation of the list under the last key, once it has an item
  let listAllowed = false; // the last key had no value: list items may follow
  for (const line of block === '' ? [] : block.split('\n')) {
    if (/^ *$/.test(line) || /^#/.test(line)) continue;
    const key = SIMPLE_KEY.exec(line);
    if (key) {
      const name = key[1]!;
      // A repeated key is a YAML error; so is `true:` after `True:` (both the boolean true).
      if (seen.has(name) || CORE_NON_STRING.test(name)) return null;
      seen.add(name);
      const value = simpleValue(key[2]);
      if (value === null) return null;
      if (name === 'ms.contentlocale' || name === 'ms.assetid') {
        if (value === undefined || (!/^["']/.test(key[2]!) && CORE_NON_STRING.test(value))) return null;
        wanted[name] = value;
      }
      listAllowed = value === undefined && name !== 'ms.contentlocale' && name !== 'ms.assetid';
      listIndent = null;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (!item || !listAllowed || (listIndent !== null && item[1]!.length !== listIndent) || !simpleValue(item[2])) return null;
    listIndent = item[1]!.length;
  }
  return contentIdentityOf(wanted);
}
