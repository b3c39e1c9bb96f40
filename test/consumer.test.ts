/**
 * lockstep as an implementer gets it: `npm pack`ed, installed from the tarball into a project of
 * its own, and used only the ways the README shows: the `lockstep` bin, `import … from 'lockstep'`,
 * `lockstep/vitest`, and the bundled pages at node_modules/lockstep/docs. Needs dist/ built (`npm
 * test` builds it first) and the npm registry, or an npm cache that holds vitest, for the install.
 * All traffic stays on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;
const pkgVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
const docs = 'node_modules/lockstep/docs';

/**
 * The environment of the consumer's commands: this run's, without what npm and vitest set for the repository's own
 * scripts.
 */
const childEnv: Record<string, string> = { NO_COLOR: '1' };
for (const [k, v] of Object.entries(process.env)) {
  if (
    v === undefined ||
    new RegExp(
      [
        '^(npm_package_|npm_lifecycle_|VITEST)',
        '|^(npm_config_local_prefix|npm_command|INIT_CWD|FORCE_COLOR|NODE_ENV|TEST)$',
      ].join(''),
    ).test(k)
  )
    continue;
  childEnv[k] = v;
}

/** Every process group this file starts, so none outlives it. */
const started = new Set<ChildProcess>();

function start(command: string, args: string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  // Own process group: `npx` starts the real process as its child, and a group kill ends both.
  const child = spawn(command, args, {
    cwd,
    env: { ...childEnv, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

interface Ran {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run a command to its end (killed after `timeoutMs`); never throws, the caller judges the exit code. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; env?: Record<string, string> },
): Promise<Ran> {
  const t0 = performance.now();
  const child = start(command, args, options.cwd, options.env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop(child);
  }, options.timeoutMs);
  return new Promise((resolve) => {
    const done = (code: number | null, error = '') => {
      clearTimeout(timer);
      resolve({
        command: [command, ...args].join(' '),
        code,
        stdout,
        stderr: `${stderr}${error}${timedOut ? `\n[killed after ${options.timeoutMs} ms]` : ''}`,
        ms: performance.now() - t0,
      });
    };
    child.once('error', (e) => done(null, `\n${e.message}`));
    child.once('close', (code) => done(code));
  });
}

const tail = (text: string, lines = 30) => text.trimEnd().split('\n').slice(-lines).join('\n');
const shown = (r: Ran) =>
  `\`${r.command}\` exited ${r.code} after ${Math.round(r.ms)} ms\n` +
  `--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`;

function ok(r: Ran): Ran {
  if (r.code !== 0) throw new Error(shown(r));
  return r;
}

/** Newest modification time of the files under `dir` (recursively) whose names end with `suffix`. */
function newest(dir: string, suffix: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix))
      max = Math.max(max, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return max;
}

let dir = '';
let project = '';
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] };
let serve: ChildProcess | undefined;
let serveUrl = '';
let refusing: Server | undefined;
let refusingUrl = '';

/** `npx lockstep serve …` from the consumer project: resolves with its URL, read from its first line. */
function startServe(): Promise<string> {
  const child = start('npx', ['lockstep', 'serve', docs, '--port', '0'], project);
  serve = child;
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`lockstep serve printed no URL within 30 s\n--- stdout\n${out}\n--- stderr\n${err}`)),
      30_000,
    );
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /^lockstep serve: \d+ documented exchanges on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`lockstep serve exited ${code} before printing its URL\n--- stdout\n${out}\n--- stderr\n${err}`),
      );
    });
  });
}

beforeAll(async () => {
  // The tarball is packed from dist/ as it is (no `prepare` rebuild while other test files read dist/).
  if (!existsSync(path.join(repoRoot, 'dist', 'index.js')))
    throw new Error('dist/ is not built: run `npm run build` (`npm test` does) before this test');
  if (newest(path.join(repoRoot, 'src'), '.ts') > statSync(path.join(repoRoot, 'dist', 'index.js')).mtimeMs) {
    throw new Error(
      'src/ changed after dist/ was built: run `npm run build` (`npm test` does) ' +
        'so the tarball holds the code under test',
    );
  }
  dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-consumer-'));
  project = path.join(dir, 'project');
  const pack = ok(
    await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: repoRoot,
      timeoutMs: 60_000,
    }),
  );
  [packed] = JSON.parse(pack.stdout) as [typeof packed];

  await mkdir(project);
  await writeFile(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'lockstep-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  // What an implementer installs: lockstep, the vitest it plugs into (this repository's version) and, for TypeScript,
  // Node's types.
  const install = await run(
    'npm',
    [
      'install',
      path.join(dir, packed.filename),
      `vitest@${versionOf('vitest')}`,
      `@types/node@${versionOf('@types/node')}`,
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
    ],
    { cwd: project, timeoutMs: 150_000 },
  );
  if (install.code !== 0) {
    throw new Error(
      `npm install in the consumer project failed: the npm registry (or an npm cache holding vitest) ` +
        `must be reachable for this test.\n${shown(install)}`,
    );
  }
  [serveUrl, refusingUrl] = await Promise.all([
    startServe(),
    (async () => {
      // An implementation that answers every request with a 500.
      refusing = createServer((req, res) => {
        req.resume();
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      });
      await new Promise<void>((resolve) => refusing!.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    })(),
  ]);
  console.log(
    `[consumer] ${packed.filename}: ${packed.files.length} files, ${Math.round(packed.size / 1024)} kB packed; ` +
      `pack ${Math.round(pack.ms)} ms, install ${Math.round(install.ms)} ms`,
  );
}, 240_000);

afterAll(async () => {
  if (refusing) {
    refusing.closeAllConnections();
    await new Promise<void>((resolve) => refusing!.close(() => resolve()));
  }
  await Promise.all([...started].map(stop));
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

const inProject = (command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) =>
  run(command, args, { cwd: project, env, timeoutMs });

describe('lockstep installed from its tarball', () => {
  it(`ships the bin, dist/ with its types and maps, the src/ the maps point at, and docs/ with its scenarios; \
no tests or fixtures`, async () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/lockstep.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/index.js.map',
        'dist/vitest.js',
        'dist/vitest.d.ts',
        // The workers' bundle, with the licenses of the packages it holds code of (scripts/bundle-worker.mjs).
        'dist/run/worker.bundle.js',
        'dist/run/worker.bundle.js.LICENSE.txt',
        'src/index.ts',
        'src/vitest.ts',
        'docs/.lockstep/scenarios/call-delete.json',
        'docs/.lockstep/scenarios/application-post-calls.json',
        'docs/pt-BR/graph/api-reference/beta/api/call-delete.md',
        'rules/sample-mismatch.md',
      ]),
    );
    expect(
      files.filter((f) => /^(test|fixtures|scripts|test-results|node_modules)\//.test(f) || /\.test\.ts$/.test(f)),
    ).toEqual([]);
    const allowed = new Set(['README.md', 'LICENSE', 'package.json', 'bin', 'dist', 'src', 'docs', 'rules']);
    expect(files.filter((f) => !allowed.has(f.split('/')[0]!))).toEqual([]);

    // Every source map of the installed package names files that are there.
    const installed = path.join(project, 'node_modules', 'lockstep');
    const maps = files.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(await readFile(path.join(installed, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = path.resolve(path.dirname(path.join(installed, map)), source);
        if (!target.startsWith(path.join(installed, 'src') + path.sep) || !existsSync(target))
          missing.push(`${map} → ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('npx lockstep --version and --help', async () => {
    const version = ok(await inProject('npx', ['lockstep', '--version']));
    expect(version.stdout.trim()).toBe(pkgVersion);
    const help = ok(await inProject('npx', ['lockstep', '--help']));
    for (const command of ['extract', 'lint', 'conformance', 'serve', 'demo'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it("the documented library runs from 'lockstep' in an ES module", async () => {
    await writeFile(
      path.join(project, 'library.mjs'),
      `import { createRequire } from 'node:module';
import { runConformance, lint, loadPages, render, collectExcerpts, FORMATS } from 'lockstep';
import { lint as lintAlone } from 'lockstep/lint';
const pkg = createRequire(import.meta.url)('lockstep/package.json');
const docs = [${JSON.stringify(docs)}];
const loaded = await loadPages(docs);
const linted = await lint(docs);
const sameAlone = JSON.stringify(await lintAlone(docs)) === JSON.stringify(linted);
const conformance = await runConformance(docs, { target: process.argv[2] });
const report = { tool: { name: 'lockstep', version: pkg.version }, cwd: process.cwd(), lint: linted, conformance };
report.excerpts = await collectExcerpts(report);
const junit = render('junit', report, { color: false });
console.log(JSON.stringify({ version: pkg.version, pages: loaded.pages.length, groups: loaded.groups.length, \
findings: linted.diagnostics.length, summary: conformance.summary, formats: FORMATS, \
excerpts: Object.keys(report.excerpts).length, junit: /<testsuites?[ >]/.test(junit), sameAlone }));
`,
    );
    const r = ok(await inProject('node', ['library.mjs', serveUrl]));
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out).toMatchObject({
      version: pkgVersion,
      pages: 11,
      groups: 4,
      summary: { passed: 25, failed: 0, skipped: 0, errors: 0 },
      formats: expect.arrayContaining(['text', 'json', 'sarif', 'junit', 'github', 'html']),
      junit: true,
      sameAlone: true,
    });
    expect(out['findings']).toBeGreaterThan(0);
    expect(out['excerpts']).toBeGreaterThan(0);
  });

  it('the same import type-checks against the shipped .d.ts (nodenext, skipLibCheck off)', async () => {
    await writeFile(
      path.join(project, 'consumer.ts'),
      `import { runConformance, lint, loadPages, render, collectExcerpts, FORMATS, type ConformanceOptions, \
type ConformanceReport, type CaseResult, type CaseStatus, type Mismatch, type Format, type RunReport } from 'lockstep';
import { conformanceSuite, type SuiteOptions } from 'lockstep/vitest';
import { lint as lintAlone, type LintResult } from 'lockstep/lint';

const docs = [${JSON.stringify(docs)}];
const alone: LintResult = await lintAlone(docs, { cache: false });
const options: ConformanceOptions = { target: 'http://127.0.0.1:8080', strict: true };
const report: ConformanceReport = await runConformance(docs, options);
const first: CaseResult | undefined = report.results[0];
const status: CaseStatus | undefined = first?.status;
const checks: Mismatch[] = first?.checks ?? [];
const format: Format = FORMATS[0];
const run: RunReport = { tool: { name: 'lockstep', version: '0' }, cwd: '.', conformance: report, \
lint: await lint(docs) };
run.excerpts = await collectExcerpts(run);
const text: string = render(format, run, { color: false });
const pages: number = (await loadPages(docs)).pages.length;
const suite: SuiteOptions = { paths: docs };
export { conformanceSuite, status, checks, text, pages, suite, alone };
// @ts-expect-error: the exports are typed, not any
render('pdf', run, { color: false });
`,
    );
    await writeFile(
      path.join(project, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
          },
          files: ['consumer.ts'],
        },
        null,
        2,
      )}\n`,
    );
    ok(
      await inProject('node', [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']),
    );
  });

  it(`\`npx lockstep conformance node_modules/lockstep/docs\` passes every case \
against \`npx lockstep serve\` of the same docs`, async () => {
    const r = ok(await inProject('npx', ['lockstep', 'conformance', docs, '--target', serveUrl]));
    // The notification cases pass only when the bundled scenarios (docs/.lockstep/scenarios) were found.
    expect(r.stdout).toContain(`25 cases: 25 passed, 0 failed, 0 skipped, 0 errors (target ${serveUrl})`);
    expect(r.stdout).toMatch(
      /✔ passed {2}graph\/api-reference\/beta\/api\/call-delete#example\/notification---terminated#1/,
    );
  });

  it("the README's vitest example passes every case", async () => {
    await writeFile(
      path.join(project, 'conformance.test.mjs'),
      `import { conformanceSuite } from 'lockstep/vitest';\n` +
        `await conformanceSuite({ paths: [${JSON.stringify(docs)}] });\n`,
    );
    const r = ok(await inProject('npx', ['vitest', 'run'], { LOCKSTEP_TARGET: serveUrl }));
    expect(r.stdout).toMatch(/Tests\s+25 passed \(25\)/);
  });

  it('a failing implementation fails the vitest example, with frames in shipped sources', async () => {
    const r = await inProject('npx', ['vitest', 'run'], { LOCKSTEP_TARGET: refusingUrl });
    expect(r.code, shown(r)).toBe(1);
    expect(r.stdout).toMatch(/Tests\s+\d+ failed( \| \d+ skipped)? \(25\)/);
    // vitest prints the failures on stderr.
    const output = `${r.stdout}\n${r.stderr}`;
    expect(output).toMatch(/status: documented 20\d, got 500/);
    const frames = [...output.matchAll(/(node_modules\/lockstep\/[^\s:()]+):(\d+):(\d+)/g)].filter(
      (m) => !m[1]!.startsWith('node_modules/lockstep/docs/'),
    );
    expect(frames.length, shown(r)).toBeGreaterThan(0);
    for (const [, file, line] of frames) {
      expect(file).toMatch(/^node_modules\/lockstep\/src\/.+\.ts$/);
      const source = path.join(project, file!);
      expect(existsSync(source), source).toBe(true);
      // The frame is the line that fails the test: the source map and the shipped source agree.
      expect(readFileSync(source, 'utf8').split('\n')[Number(line) - 1]).toContain('throw new Error');
    }
  });

  it(`the README's implementer walkthrough runs as written: \
init, a first run, a subset, --path-map, vitest`, async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const block = /<!-- walkthrough -->\n```sh\n([\s\S]*?)```\n<!-- \/walkthrough -->/.exec(readme);
    expect(block, 'the README has the walkthrough block').not.toBeNull();
    const lines = block![1]!
      .trim()
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim());
    // The install is the one this project did from the tarball (beforeAll).
    expect(lines[0]).toBe('npm install --save-dev lockstep vitest');
    // A service at the root, as --path-map /beta=/ is for: the Graph calls API on Fastify, without /beta.
    const { startGraphCalls } = await import('./implementations/graph-calls.js');
    const atRoot = await startGraphCalls({ prefix: '' });
    const targets: Record<string, string> = { 'http://127.0.0.1:8080': serveUrl, 'http://127.0.0.1:8081': atRoot.url };
    const retarget = (word: string) => targets[word] ?? word;
    try {
      for (const line of lines.slice(1)) {
        const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
        const env: Record<string, string> = {};
        while (/^[A-Z_]+=/.test(words[0]!)) {
          const [name, value] = words.shift()!.split(/=(.*)/s) as [string, string];
          env[name] = retarget(value);
        }
        if (words[1] === 'vitest') {
          await writeFile(
            path.join(project, 'conformance.test.mjs'),
            /```js\n\/\/ conformance\.test\.mjs\n([\s\S]*?)```/.exec(readme)![1]!,
          );
        }
        const r = ok(await inProject(words[0]!, words.slice(1).map(retarget), env));
        if (words[2] === 'init') expect(r.stdout).toMatch(/^wrote {4}lockstep\.config\.json$/m);
        if (words[2] === 'conformance')
          expect(r.stdout.trimEnd().split('\n').at(-1), line).toMatch(
            /^(\d+) cases: \1 passed, 0 failed, 0 skipped, 0 errors/,
          );
        if (words[1] === 'vitest') expect(r.stdout).toMatch(/Tests\s+25 passed \(25\)/);
      }
    } finally {
      await atRoot.close();
    }
    // init's config and scenarios were what those runs used.
    expect(existsSync(path.join(project, 'lockstep', 'scenarios', 'call-delete.json'))).toBe(true);
  }, 120_000);
});
