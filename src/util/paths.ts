import path from 'node:path';
import { countOf } from './text.js';

/**
 * Path arithmetic for the per-file steps of whole-doc-set runs. `path.relative` resolves both of
 * its arguments and `path.join` normalizes its result: on 98,000 files each costs a few hundred
 * milliseconds, most of a warm run's budget. Here the common case (a normalized absolute path
 * below a normalized absolute folder) is string slicing; anything else goes to `node:path`.
 */

// Made once: built in the functions below, these strings were 56 MB of garbage a cold run on Graph's 98,130 pages.
const PARENT = `..${path.sep}`;
const DOUBLED = path.sep + path.sep;
const DOT_SEGMENT = `${path.sep}.${path.sep}`;
const DOT_DOT_SEGMENT = `${path.sep}..${path.sep}`;
const DOT_END = `${path.sep}.`;
const DOT_DOT_END = `${path.sep}..`;

/**
 * Whether a path relative to a folder (`path.relative`'s answer) leaves that folder: `..` or what starts with
 * `../`, or another root. A name that starts with two dots (`..notes.md`) stays in it.
 */
export function leavesFolder(rel: string): boolean {
  return rel === '..' || rel.startsWith(PARENT) || path.isAbsolute(rel);
}

/**
 * `path.relative(parent, child)`, by slicing when `child` is `parent` or below it. Both must be absolute and normalized
 * for the fast case.
 */
export function relativePath(parent: string, child: string): string {
  if (child === parent) return '';
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  if (child.startsWith(prefix) && isNormalized(child) && isNormalized(parent)) return child.slice(prefix.length);
  return path.relative(parent, child);
}

/**
 * `path.join(folder, name)` for one path segment `name`, by concatenation when the folder is absolute and normalized.
 */
export function childPath(folder: string, name: string): string {
  if (
    name === '' ||
    name === '.' ||
    name === '..' ||
    name.includes('/') ||
    name.includes(path.sep) ||
    !isNormalized(folder)
  )
    return path.join(folder, name);
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

/**
 * Whether an absolute path is already what `path.resolve` would make of it (no `.`/`..` segments, no doubled or
 * trailing separators, native separators).
 */
export function isNormalized(p: string): boolean {
  if (!path.isAbsolute(p)) return false;
  if (path.sep === '\\' && p.includes('/')) return false;
  if (p.length > 1 && p.endsWith(path.sep) && path.parse(p).root !== p) return false;
  // Doubled separators (which also sends UNC paths the slow way), `.` and `..` segments.
  return (
    !p.includes(DOUBLED) &&
    !p.includes(DOT_SEGMENT) &&
    !p.includes(DOT_DOT_SEGMENT) &&
    !p.endsWith(DOT_END) &&
    !p.endsWith(DOT_DOT_END)
  );
}

/**
 * Whether `path.dirname(absPath)` is `folder`, for a normalized path whose folder is not a root, without making it: a
 * walk asks this of every page about the folder of the page before.
 */
export function directlyIn(absPath: string, folder: string): boolean {
  const cut = absPath.lastIndexOf(path.sep);
  return cut === folder.length && cut < absPath.length - 1 && absPath.startsWith(folder);
}

/**
 * How many segments `folder` is below `root` (0 for the root itself), for normalized absolute paths; -1 when it is not
 * below it or either path is not normalized.
 */
export function depthBelow(root: string, folder: string): number {
  if (!isNormalized(root) || !isNormalized(folder)) return -1;
  if (folder === root) return 0;
  const rootEndsInSeparator = root.endsWith(path.sep);
  if (!folder.startsWith(root) || (!rootEndsInSeparator && folder[root.length] !== path.sep)) return -1;
  return 1 + countOf(folder, path.sep, rootEndsInSeparator ? root.length : root.length + 1);
}

/**
 * Whether `relPath`, taken from a folder `depth` segments below a root, never climbs above that root on its way:
 * then `path.resolve(folder, relPath)` is the root or below it. `false` says only that this quick test cannot tell
 * (a path that climbs out and back in, an absolute one, a drive letter or a backslash on Windows). Each page's
 * includes are asked; no string is made.
 */
export function staysBelow(relPath: string, depth: number): boolean {
  if (depth < 0 || path.isAbsolute(relPath)) return false;
  // On Windows a backslash separates too, and `c:x` is relative to drive C's own current folder.
  if (path.sep !== '/' && (relPath.includes(path.sep) || relPath.includes(':'))) return false;
  for (let start = 0; start <= relPath.length;) {
    const slash = relPath.indexOf('/', start);
    const end = slash === -1 ? relPath.length : slash;
    const length = end - start;
    const dots =
      length === 0 ||
      (length <= 2 && relPath.charCodeAt(start) === 0x2e && (length === 1 || relPath.charCodeAt(start + 1) === 0x2e));
    if (!dots)
      depth++; // a name
    else if (length === 2 && --depth < 0) return false; // `..`; `.` and empty segments stay
    start = end + 1;
  }
  return true;
}

/** `path.resolve(p)` without the work when `p` is already normalized and absolute. */
export function resolvedPath(p: string): string {
  return isNormalized(p) ? p : path.resolve(p);
}
