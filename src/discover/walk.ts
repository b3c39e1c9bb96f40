import { fdir } from 'fdir';
import { glob } from 'tinyglobby';

/** Folders never walked, whatever the user ignores. */
export const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/** An extension a name test can take literally (else the walk goes through tinyglobby's globs). */
const PLAIN_EXTENSION = /^[\w-]+(?:\.[\w-]+)*$/;

/**
 * The files below `dir` whose extension is one of `extensions` (any case), as absolute paths with `/`, in no set
 * order: what tinyglobby's `glob('**\/*.{md,markdown}', { cwd: dir, absolute: true, onlyFiles: true,
 * followSymbolicLinks: false, caseSensitiveMatch: false, ignore })` lists, where `ignore` is ALWAYS_IGNORED and the
 * user's patterns. Links are left out, and so are names starting with a dot and what is below them (globs leave them
 * out without `dot`).
 *
 * With no patterns of the user's to ignore, fdir walks the folder and a test of our own matches each name: that fixed
 * glob needs no glob engine, where picomatch matched every path against the pattern and both ignored folders (Graph's
 * 98,130 pages walked in a fresh process: 111-143 ms so, 176-204 ms through tinyglobby).
 * test/discover-walk.test.ts holds both ways equal.
 */
export async function walkPages(
  dir: string,
  extensions: readonly string[],
  ignore: readonly string[] = [],
): Promise<string[]> {
  if (ignore.length > 0 || !extensions.every((e) => PLAIN_EXTENSION.test(e))) return globPages(dir, extensions, ignore);
  const escaped = extensions.map((e) => e.replace(/[.-]/g, '\\$&'));
  // Case-insensitive as picomatch's `nocase` (a RegExp `i` flag, no Unicode folding).
  const page = new RegExp(`^[^.][^/]*\\.(?:${escaped.join('|')})$`, 'i');
  return new fdir({
    filters: [(file) => page.test(file.slice(file.lastIndexOf('/') + 1))],
    exclude: (name) => name.startsWith('.') || /^node_modules$/i.test(name),
    pathSeparator: '/',
    resolvePaths: true,
    includeBasePath: true,
    resolveSymlinks: false,
    excludeSymlinks: true,
  })
    .crawl(dir)
    .withPromise();
}

/** walkPages through tinyglobby: any ignore patterns, any extensions. */
export function globPages(
  dir: string,
  extensions: readonly string[],
  ignore: readonly string[] = [],
): Promise<string[]> {
  const pattern = extensions.length === 1 ? `**/*.${extensions[0]}` : `**/*.{${extensions.join(',')}}`;
  return glob([pattern], {
    cwd: dir,
    absolute: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: [...ALWAYS_IGNORED, ...ignore],
    caseSensitiveMatch: false,
  });
}
