/**
 * The declarations lockstep ships type-check in a program that installed it: every package a declaration reachable
 * from `exports` imports must come with its types to that program. A package whose types are a development
 * dependency here (@types/markdown-it) passes this repository's own type check and the consumer test wherever a
 * node_modules above the test's temporary project holds them, and fails a program with `skipLibCheck` off anywhere
 * else (TS7016), as 085276a did: this test reads the declarations and package.json instead, so nothing around it
 * can hide that.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

interface PackageJson {
  types?: string;
  typings?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
}
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
const manifest = readJson(path.join(repoRoot, 'package.json'));
const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));

/** The `types` of each entry of `exports` (and the top-level `types`), as absolute paths. */
function exportedDeclarations(): string[] {
  const entries = Object.values(manifest.exports as Record<string, { types?: string } | string>);
  const types = entries.flatMap((entry) => (typeof entry === 'object' && entry.types ? [entry.types] : []));
  if (manifest.types) types.push(manifest.types);
  return [...new Set(types)].map((file) => path.join(repoRoot, file));
}

// Declaration files as tsc writes them: `import … from '…'`, `export … from '…'`, `import('…')` in a type and
// triple-slash references are the only ways they name another module.
const SPECIFIER = /(?:\bfrom\s+|\bimport\(\s*|<reference\s+types=)["']([^"']+)["']/g;

/** Every declaration reachable from `entries` through relative imports, and the other modules each imports. */
function reachable(entries: string[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (found.has(file)) continue;
    const others = new Set<string>();
    found.set(file, others);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (!specifier!.startsWith('.')) others.add(specifier!);
      else pending.push(path.resolve(path.dirname(file), specifier!).replace(/\.js$/, '') + '.d.ts');
    }
  }
  return found;
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const typesPackageOf = (name: string) => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;

/** Whether a package ships declarations of its own (it names them, or has an index.d.ts). */
function shipsTypes(name: string): boolean {
  const folder = path.join(repoRoot, 'node_modules', name);
  if (!existsSync(path.join(folder, 'package.json'))) return false;
  const own = readJson(path.join(folder, 'package.json'));
  return Boolean(
    own.types ||
    own.typings ||
    JSON.stringify(own.exports ?? {}).includes('"types"') ||
    existsSync(`${folder}/index.d.ts`),
  );
}

/** Why a program that installed lockstep gets no types for `specifier`, or null when it gets them. */
function missingTypes(specifier: string): string | null {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return null; // from @types/node
  const name = packageOf(specifier);
  if (dependencies.has(typesPackageOf(name))) return null;
  if (dependencies.has(name) && shipsTypes(name)) return null;
  if (dependencies.has(name)) return `${name} is a dependency without types, and ${typesPackageOf(name)} is not one`;
  return `neither ${name} nor ${typesPackageOf(name)} is a dependency`;
}

function problems(entries: string[]): string[] {
  const found: string[] = [];
  for (const [file, specifiers] of reachable(entries))
    for (const specifier of specifiers) {
      const why = missingTypes(specifier);
      if (why) found.push(`${path.relative(repoRoot, file)} imports '${specifier}': ${why}`);
    }
  return found;
}

describe('shipped declarations', () => {
  const built = existsSync(path.join(repoRoot, 'dist', 'index.d.ts'));

  it('are built (`npm test` builds dist/ first)', () => expect(built).toBe(true));

  it('import only packages whose types a program that installs lockstep gets with it', () => {
    const declarations = reachable(exportedDeclarations());
    // The walk reaches the markdown structure, whose declarations name mdast's types.
    expect(declarations.size).toBeGreaterThan(30);
    expect([...declarations.keys()]).toContain(path.join(repoRoot, 'dist', 'markdown', 'markdown.d.ts'));
    expect(problems(exportedDeclarations())).toEqual([]);
  });

  it("say so of a declaration that names markdown-it's types, which are a development dependency", () => {
    // markdown/block-state names them, and no exported declaration imports it.
    const blockState = path.join(repoRoot, 'dist', 'markdown', 'block-state.d.ts');
    expect(reachable(exportedDeclarations()).has(blockState)).toBe(false);
    expect(problems([blockState])).toEqual([
      "dist/markdown/block-state.d.ts imports 'markdown-it': markdown-it is a dependency without types, " +
        'and @types/markdown-it is not one',
    ]);
  });
});
