/**
 * The declarations lockstep ships type-check in a program that installed it: every package a declaration reachable
 * from `exports` names must give that program its types. A development dependency's types (@types/markdown-it) pass
 * this repository's own type check, and the consumer test wherever a node_modules above its temporary project holds
 * them, and fail a program with `skipLibCheck` off anywhere else (TS7016), as 085276a did. So this test reads the
 * declarations with TypeScript's scanner, resolves what they name with its resolver, and asks that the package the
 * types come from be one of lockstep's dependencies, whatever else is installed around it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

interface PackageJson {
  types?: string;
  exports: Record<string, { types?: string } | string>;
  dependencies?: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));

/** The `types` of each entry of `exports` but package.json's (and the top-level `types`), as absolute paths. */
function exportedDeclarations(): string[] {
  const entries = Object.entries(manifest.exports).filter(([subpath]) => subpath !== './package.json');
  const types = entries.map(([subpath, entry]) => {
    if (typeof entry !== 'object' || !entry.types) throw new Error(`exports["${subpath}"] names no types`);
    return entry.types;
  });
  if (manifest.types) types.push(manifest.types);
  return [...new Set(types)].map((file) => path.join(repoRoot, file));
}

/**
 * Every declaration reachable from `entries` through relative imports and `/// <reference path>`, and the other
 * modules each names (imports of any form, `/// <reference types>`, `declare module` augmentations), as TypeScript's
 * own scanner reads them (comments left out).
 */
function reachable(entries: string[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (found.has(file)) continue;
    const others = new Set<string>();
    found.set(file, others);
    const scanned = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of scanned.referencedFiles) pending.push(path.resolve(path.dirname(file), fileName));
    const named = [...scanned.importedFiles, ...scanned.typeReferenceDirectives].map(({ fileName }) => fileName);
    for (const specifier of [...named, ...(scanned.ambientExternalModules ?? [])]) {
      if (!specifier.startsWith('.')) others.add(specifier);
      else pending.push(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '') + '.d.ts');
    }
  }
  return found;
}

// lockstep is an ES module package: its declarations are resolved as a program importing them resolves them.
const RESOLUTION = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
const ESM = ts.ModuleKind.ESNext;

/**
 * Why a program that installed lockstep gets no types for `specifier` imported by `file`, or null when it gets them:
 * they must come from a package lockstep depends on (a package that transitive dependencies bring may not be where
 * the program's node_modules has it, and a development dependency is not installed at all).
 */
function missingTypes(specifier: string, file: string): string | null {
  const bare = specifier.replace(/^node:/, '');
  if (bare === 'node' || builtinModules.includes(bare)) return null; // @types/node, which a Node program has
  const { resolvedModule } = ts.resolveModuleName(specifier, file, RESOLUTION, ts.sys, undefined, undefined, ESM);
  if (!resolvedModule) return 'no declarations resolve for it';
  const from = resolvedModule.packageId?.name;
  if (!/\.d\.[cm]?ts$/.test(resolvedModule.resolvedFileName) || !from) {
    const resolved = path.relative(repoRoot, resolvedModule.resolvedFileName);
    return `it resolves to ${resolved}, not to a package's declarations`;
  }
  return dependencies.has(from) ? null : `its types come from ${from}, which is not one of lockstep's dependencies`;
}

function problems(entries: string[]): string[] {
  const found: string[] = [];
  for (const [file, specifiers] of reachable(entries))
    for (const specifier of specifiers) {
      const why = missingTypes(specifier, file);
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

  it("report a declaration that names markdown-it's types, a development dependency", () => {
    // markdown/block-state names them, and no exported declaration imports it.
    const blockState = path.join(repoRoot, 'dist', 'markdown', 'block-state.d.ts');
    expect(reachable(exportedDeclarations()).has(blockState)).toBe(false);
    expect(problems([blockState])).toEqual([
      "dist/markdown/block-state.d.ts imports 'markdown-it': its types come from @types/markdown-it, " +
        "which is not one of lockstep's dependencies",
    ]);
  });
});
