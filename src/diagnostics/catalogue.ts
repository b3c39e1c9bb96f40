import { RULES } from '../lint/rules/index.js';
import type { RuleFamily } from '../lint/rule.js';
import type { Severity } from './diagnostic.js';

/** What a rule id means, for reporters that describe rules (SARIF rule metadata, the HTML legend). */
export interface RuleDescription {
  id: string;
  severity: Severity;
  family: RuleFamily;
  description: string;
}

/**
 * Problems found while reading and parsing pages, before any cross-locale check: they have no rule
 * module (no examples to run) but reporters still need to describe them. Kept in step with the
 * README's Diagnostics table by test/reports.test.ts.
 */
const INPUT_PROBLEMS: readonly RuleDescription[] = [
  ['file-unreadable', 'error', 'A path does not exist or cannot be read.'],
  ['no-pages', 'error', 'A folder holds no pages, or a glob matches nothing.'],
  ['outside-root', 'error', 'A file links outside the folder the user named; it is not read.'],
  ['file-too-large', 'error', 'A file over the size limit (`--max-file-size`); it is not read.'],
  ['file-binary', 'error', 'A NUL byte: not a text page; it is not parsed.'],
  ['file-encoding', 'error', 'Invalid UTF-8 (error, at the first bad byte) or UTF-16 with a byte-order mark (warning).'],
  ['file-bom', 'info', 'A UTF-8 byte-order mark (ignored).'],
  ['frontmatter-invalid', 'error', 'YAML front matter that does not parse, repeats a key, is not a mapping, or is not closed.'],
  ['page-unparsable', 'error', 'The markdown parser failed on a page (e.g. its call stack exhausted by thousands of nested containers); the page is not checked.'],
  ['page-timeout', 'error', 'Parsing or checking a page took longer than `--page-timeout`; it was stopped and the page is not checked.'],
  ['rule-failed', 'error', 'A rule threw on a page group (a lockstep bug); its findings there are missing, the run goes on.'],
  ['fence-unterminated', 'error', 'A code fence that is never closed.'],
  ['line-too-long', 'warning', 'A line over 32,768 characters, left out of the markdown parse.'],
  ['include-outside-root', 'info', 'An `[!INCLUDE]` whose target climbs out of the folder the user named (recorded, never read).'],
  ['annotation-invalid', 'warning', 'An ApiDoctor annotation that is not valid JSON.'],
  ['xml-malformed', 'warning', 'An XML sample that does not parse.'],
  ['json-malformed', 'warning', 'A JSON sample that does not parse.'],
  ['http-malformed', 'warning', 'An HTTP sample that does not parse.'],
  ['xml-doctype', 'warning', 'A DOCTYPE in an XML sample (ignored; entities are never expanded).'],
].map(([id, severity, description]) => ({ id: id!, severity: severity as Severity, family: 'input' as const, description: description! }));

const CATALOGUE = new Map<string, RuleDescription>([
  ...INPUT_PROBLEMS.map((d) => [d.id, d] as const),
  ...RULES.map((r) => [r.meta.id, { id: r.meta.id, severity: r.meta.severity, family: r.meta.family, description: r.meta.docs.description }] as const),
]);

/** Every rule id lockstep can report, with its meaning. */
export const ALL_RULES: readonly RuleDescription[] = [...CATALOGUE.values()];

/** The description of a rule id; an id nobody catalogued still gets one (reporters never fail on it). */
export function describeRule(id: string): RuleDescription {
  return CATALOGUE.get(id) ?? { id, severity: 'warning', family: 'input', description: id };
}
