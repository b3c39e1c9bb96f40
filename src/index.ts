/**
 * lockstep's library API. Data flows one way:
 * files → Page (front matter, structure, annotations) → Sample (typed XML/HTTP/JSON)
 * → groups across locales → diagnostics → reporters. The CLI is a thin layer over this.
 */
import { compareDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { lintGroups, type LintOptions } from './lint/lint.js';
import { discoverFiles, type DiscoverOptions } from './discover/discover.js';
import { groupPages, type PageGroup } from './group/group.js';
import { loadPage, type Page, type PageOptions } from './page/page.js';

export interface LoadOptions extends PageOptions, Partial<DiscoverOptions> {}

export interface LoadResult {
  pages: Page[];
  groups: PageGroup[];
  /** Problems with the inputs themselves (missing paths, empty folders) that belong to no page. */
  diagnostics: Diagnostic[];
}

/** Discover, read and parse pages, and group them across locales. */
export async function loadPages(inputs: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const { files, diagnostics } = await discoverFiles(inputs, { ...options, cwd });
  const pages: Page[] = [];
  for (const file of files) pages.push(await loadPage(file, options));
  for (const page of pages) page.diagnostics.sort(compareDiagnostics);
  const groups = groupPages(pages);
  return { pages, groups, diagnostics: diagnostics.sort(compareDiagnostics) };
}

export { lint, shardOf, changedFiles, GitError, type LintResult, type LintRunOptions, type LintProgress } from './scale/lint-run.js';
export { groupPages, loadPage, discoverFiles, lintGroups };
export { RULES } from './lint/rules/index.js';
export type { LintOptions };
export { buildPage } from './page/page.js';
export { parseXmlSample } from './sample/xml.js';
export { parseHttpSample } from './sample/http.js';
export { parseJsonSample } from './sample/json.js';
export { extractSamples } from './sample/extract.js';
export type { Page, PageGroup, PageOptions };
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export type { Sample, SampleKind, SampleRole } from './sample/sample.js';
