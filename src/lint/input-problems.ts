import type { Severity } from '../diagnostics/diagnostic.js';

/**
 * Problems found while reading and parsing pages, before any cross-locale check: they have no rule
 * module (no examples to run) but reporters still need to describe them. Kept in step with the
 * README's Diagnostics table by test/reports.test.ts. `lint` reports those marked `as is` as they
 * are; sample parse problems become `sample-malformed` instead.
 */
const AS_IS = true;
export const INPUT_PROBLEM_TABLE: readonly [string, Severity, string, boolean?][] = [
  ['file-unreadable', 'error', 'A path does not exist or cannot be read.', AS_IS],
  ['no-pages', 'error', 'A folder holds no pages, or a glob matches nothing.', AS_IS],
  ['outside-root', 'error', 'A file links outside the folder the user named; it is not read.', AS_IS],
  ['file-too-large', 'error', 'A file over the size limit (`--max-file-size`); it is not read.', AS_IS],
  ['file-binary', 'error', 'A NUL byte: not a text page; it is not parsed.', AS_IS],
  [
    'file-encoding',
    'error',
    'Invalid UTF-8 (error, at the first bad byte) or UTF-16 with a byte-order mark (warning).',
    AS_IS,
  ],
  ['file-bom', 'info', 'A UTF-8 byte-order mark (ignored).', AS_IS],
  [
    'frontmatter-invalid',
    'error',
    'YAML front matter that does not parse, repeats a key, is not a mapping, or is not closed.',
  ],
  [
    'page-unparsable',
    'error',
    'The markdown parser failed on a page (e.g. its call stack exhausted by thousands of nested containers); ' +
      'the page is not checked.',
    AS_IS,
  ],
  [
    'page-timeout',
    'error',
    'Parsing or checking a page took longer than `--page-timeout`; it was stopped and the page is not checked.',
    AS_IS,
  ],
  [
    'rule-failed',
    'error',
    'A rule threw on a page group (a lockstep bug); its findings there are missing, the run goes on.',
  ],
  ['fence-unterminated', 'error', 'A code fence that is never closed.', AS_IS],
  ['line-too-long', 'warning', 'A line over 32,768 characters, left out of the markdown parse.', AS_IS],
  [
    'include-outside-root',
    'info',
    'An `[!INCLUDE]` whose target climbs out of the folder the user named (recorded, never read).',
    AS_IS,
  ],
  ['annotation-invalid', 'warning', 'An ApiDoctor annotation that is not valid JSON.', AS_IS],
  ['xml-malformed', 'warning', 'An XML sample that does not parse.'],
  ['json-malformed', 'warning', 'A JSON sample that does not parse.'],
  ['http-malformed', 'warning', 'An HTTP sample that does not parse.'],
  ['xml-doctype', 'warning', 'A DOCTYPE in an XML sample (ignored; entities are never expanded).', AS_IS],
];
/** The reading problems `lint` passes through as they are. */
export const PASSED_THROUGH: ReadonlySet<string> = new Set(INPUT_PROBLEM_TABLE.filter((p) => p[3]).map((p) => p[0]));
