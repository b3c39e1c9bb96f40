/**
 * The house rule, checked: data flows one way, files → Page → Sample → aligned groups → findings and
 * conformance results → reports, and each stage (a folder of src/) imports only from the stages below
 * it. No module imports itself back through others (no cycle), and src/index.ts only re-exports.
 * Imports are read with TypeScript's own pre-processor (static, type-only, re-exports and `import()`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

/** The stages, lowest first. A stage may import from itself and from any stage before it. */
const STAGES = [
  'util', // text, paths, atomic writes, errors: no knowledge of pages
  'diagnostics', // the finding model every stage reports in
  'discover', // files and their locales
  'formats', // the sample languages: XML, JSON, HTTP messages
  'markdown', // a page's markdown structure: headings, fences, annotations, links, tables
  'sample', // typed samples extracted from fences
  'page', // a page: front matter, structure, samples, identity
  'group', // pages of one identity across locales
  'align', // samples aligned across a group, revisions
  'compare', // sample comparison
  'vocabulary', // the identifiers a group agrees on
  'lint', // rules and their findings
  'fix', // repairs of findings
  'run', // a lint run at scale: workers, cache, shards, baseline
  'glossary', // the derived do-not-translate list
  'conformance', // the documented requests replayed
  'serve', // the documented responses served
  'report', // reporters over one result model
  'cli', // the command line
];
/** Entry points over everything: the package's API and its vitest integration. */
const ENTRIES = ['index.ts', 'vitest.ts'];

const srcDir = path.join(repoRoot, 'src');
const modules = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(ts|mts)$/.test(f))
  .map((f) => f.split(path.sep).join('/'));

const stageOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file);

/** The src modules a module imports (relative specifiers, `.js` written for `.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(srcDir, file), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
}

const graph = new Map(modules.map((m) => [m, importsOf(m)]));

/** Imports from a module to one of a higher stage (or to an entry point). */
function climbingImports(imports: ReadonlyMap<string, readonly string[]>): string[] {
  const climbing: string[] = [];
  for (const [from, targets] of imports) {
    if (ENTRIES.includes(from)) continue;
    for (const to of targets) {
      if (ENTRIES.includes(to)) climbing.push(`${from} → ${to} (an entry point)`);
      else if (STAGES.indexOf(stageOf(to)) > STAGES.indexOf(stageOf(from))) climbing.push(`${from} → ${to}`);
    }
  }
  return climbing;
}

/** The cycles a depth-first search closes: a module met again while it is still on the path. */
function cyclesOf(imports: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (m: string, trail: string[]) => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(m)), m].join(' → '));
      return;
    }
    state.set(m, 'open');
    for (const next of imports.get(m) ?? []) if (imports.has(next)) visit(next, [...trail, m]);
    state.set(m, 'done');
  };
  for (const m of imports.keys()) visit(m, []);
  return cycles;
}

describe('the import graph of src/', () => {
  it('has every module in a known stage', () => {
    const unknown = modules.filter((m) => !ENTRIES.includes(m) && !STAGES.includes(stageOf(m)));
    expect(unknown).toEqual([]);
  });

  it('has no import that climbs from a lower stage to a higher one', () => {
    expect(climbingImports(graph)).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('has an index.ts that only re-exports', () => {
    const text = readFileSync(path.join(srcDir, 'index.ts'), 'utf8');
    const source = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest);
    const other = source.statements
      .filter((s) => !ts.isExportDeclaration(s) && !ts.isImportDeclaration(s))
      .map((s) => s.getText(source).split('\n')[0]);
    expect(other).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find a climbing import and a cycle where there are', () => {
    const bad = new Map([
      ['util/text.ts', ['cli/main.ts']],
      ['lint/a.ts', ['lint/b.ts']],
      ['lint/b.ts', ['page/page.ts', 'lint/a.ts']],
      ['page/page.ts', ['index.ts']],
    ]);
    expect(climbingImports(bad)).toEqual(['util/text.ts → cli/main.ts', 'page/page.ts → index.ts (an entry point)']);
    expect(cyclesOf(bad)).toEqual(['lint/a.ts → lint/b.ts → lint/a.ts']);
  });
});
