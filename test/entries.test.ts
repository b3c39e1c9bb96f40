/** What importing each of the package's entry points loads: `lockstep/lint` no markdown or YAML parser. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

/** Packages that parse markdown or YAML: what a warm lint never needs in the calling thread. */
const PARSERS = /\/node_modules\/(markdown-it|micromark|unified|remark-[a-z]+|mdast-util-[a-z-]+|yaml|gray-matter)\//;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-entries-'));
  // A resolve hook (node:module's register) that writes down every module an import resolves, from the hooks' thread.
  await writeFile(
    path.join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, resolved.url + '\\n');
  return resolved;
}
`,
  );
  await writeFile(
    path.join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The module URLs that importing `specifier` (from the repository, as the package names itself) resolves. */
async function loadedBy(specifier: string): Promise<string[]> {
  const log = path.join(dir, `${specifier.replace(/\W/g, '_')}.log`);
  await writeFile(log, '');
  const args = [
    '--import',
    path.join(dir, 'register.mjs'),
    '--input-type=module',
    '-e',
    `await import('${specifier}')`,
  ];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, LOADED_LOG: log } });
    child.on('close', resolve);
  });
  expect(code).toBe(0);
  return (await readFile(log, 'utf8')).split('\n').filter(Boolean);
}

describe('entry points', () => {
  it('lockstep/lint, for a program that only lints, loads no markdown or YAML parser; lockstep all', async () => {
    const all = await loadedBy('lockstep');
    expect(all.filter((url) => PARSERS.test(url)).length).toBeGreaterThan(10);
    const lintOnly = await loadedBy('lockstep/lint');
    expect(lintOnly.some((url) => url.endsWith('/dist/run/lint-run.js'))).toBe(true);
    expect(lintOnly.filter((url) => PARSERS.test(url))).toEqual([]);
  });
});

describe('the command line', () => {
  it('lints on workers with no markdown or YAML parser in its own thread (the repair stage: --fix only)', async () => {
    const log = path.join(dir, 'cli.log');
    await writeFile(log, '');
    const args = ['--import', path.join(dir, 'register.mjs'), path.join(repoRoot, 'bin/lockstep.js')];
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...args, 'lint', 'docs', '--workers', '2', '--no-cache', '-f', 'json'], {
        cwd: repoRoot,
        env: { ...process.env, LOADED_LOG: log },
      });
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.on('close', resolve);
    });
    expect(code).toBe(1); // the bundled pages have errors
    expect((JSON.parse(out) as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
    const loaded = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    expect(loaded.filter((url) => url.endsWith('/dist/run/worker.bundle.js'))).toHaveLength(2);
    expect(loaded.filter((url) => PARSERS.test(url))).toEqual([]);
  });
});

describe('the built worker pool', () => {
  it('loads one bundled file per worker, and finds what checking in the main thread finds', async () => {
    const log = path.join(dir, 'workers.log');
    await writeFile(log, '');
    // A script file, not -e: workers take node's flags, and --input-type is refused without -e.
    const script = path.join(dir, 'pooled.mjs');
    await writeFile(
      script,
      `import { lint } from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/run/lint-run.js')).href)};
const cwd = ${JSON.stringify(repoRoot)};
const [pooled, inThread] = [await lint(['docs'], { cwd, workers: 2 }), await lint(['docs'], { cwd, workers: 0 })];
process.stdout.write(JSON.stringify({ pooled, inThread }));`,
    );
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      const args = ['--import', path.join(dir, 'register.mjs'), script];
      const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, LOADED_LOG: log } });
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.on('close', resolve);
    });
    expect(code).toBe(0);
    const { pooled, inThread } = JSON.parse(out) as { pooled: unknown; inThread: unknown };
    expect(pooled).toStrictEqual(inThread);
    const loaded = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    expect(loaded.filter((url) => url.endsWith('/dist/run/worker.bundle.js'))).toHaveLength(2);
    // Nothing else of lockstep's checking code or its parsers is resolved before the main thread checks (workers: 0).
    const beforeInThread = loaded.slice(
      0,
      loaded.findIndex((url) => url.endsWith('/dist/run/check.js')),
    );
    expect(beforeInThread.filter((url) => PARSERS.test(url))).toEqual([]);
  });
});
