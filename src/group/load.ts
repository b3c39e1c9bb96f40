/**
 * Loading: discover the files, read and parse each into a Page, group the pages across locales.
 * The first three stages composed, for every command and the library.
 */
import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverFiles, type DiscoverOptions } from '../discover/discover.js';
import { loadPage, type Page, type PageOptions } from '../page/page.js';
import { groupPages, type PageGroup } from './group.js';

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
