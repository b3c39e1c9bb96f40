/**
 * The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), run the way
 * their runners run them, on a temporary copy of the bundled docs:
 * - the action: its inputs' defaults overridden by `with`, `${{ … }}` expressions evaluated,
 *   each `run:` step written to a file and run as GitHub runs `shell: bash`
 *   (`bash --noprofile --norc -eo pipefail FILE`) with GITHUB_OUTPUT, GITHUB_ACTIONS and CI set,
 *   and the action's outputs read back from the steps' GITHUB_OUTPUT files;
 * - the hook: the staged files that match its `files` pattern passed to its entry, found on PATH
 *   as npm links a package's bin (what pre-commit's `language: node` installs), in the repository.
 * Uses the built CLI (dist/), as an installed action or hook does.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docsDir, repoRoot } from './helpers/paths.js';
import { close, startDocsServer } from './helpers/servers.js';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lockstep-ci-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function exec(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface ActionStep {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
}
interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(await readFile(path.join(repoRoot, 'action.yml'), 'utf8')) as Action;

/** Run the composite action in `workspace` with these `with:` inputs, as a GitHub runner would. */
async function runAction(workspace: string, inputs: Record<string, string>) {
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`unexpected input ${name}`);
  const values = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  const steps: Record<string, Record<string, string>> = {};
  const evaluate = (text: string) =>
    text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([\w-]+)$/.exec(expression))) return values[m[1]!] ?? '';
      if (expression === 'github.action_path') return repoRoot;
      if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression))) return steps[m[1]!]?.[m[2]!] ?? '';
      throw new Error(`expression the test runner does not know: ${expression}`);
    });
  let stdout = '';
  let failed: { step: string; code: number } | null = null;
  for (const [i, step] of action.runs.steps.entries()) {
    if (!step.run) throw new Error(`step ${step.name}: only run steps are expected in this action`);
    const script = path.join(tmp, `step-${i}.sh`);
    const output = path.join(tmp, `output-${i}.txt`);
    await writeFile(script, step.run);
    await writeFile(output, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: output,
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: repoRoot,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v))])),
    };
    const r = await exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env });
    stdout += r.stdout + r.stderr;
    if (step.id) {
      steps[step.id] = Object.fromEntries(
        (await readFile(output, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
    if (r.code !== 0) {
      failed = { step: step.name ?? String(i), code: r.code };
      break;
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, evaluate(v.value)]));
  return { outputs, failed, log: stdout };
}

async function workspaceWithDocs(name: string): Promise<string> {
  const workspace = path.join(tmp, name);
  await mkdir(workspace);
  await cp(docsDir, path.join(workspace, 'docs'), { recursive: true });
  return workspace;
}

describe('action.yml', () => {
  it('is a composite action of bash steps whose scripts take inputs from the environment only', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) {
      expect(step.shell).toBe('bash');
      // `${{ inputs.x }}` inside a script would be pasted into it before bash reads it: an injection.
      expect(step.run).not.toContain('${{');
    }
    for (const name of ['command', 'paths', 'formats', 'baseline', 'source-locale'])
      expect(action.inputs).toHaveProperty(name);
    for (const name of ['sarif', 'json', 'junit', 'html', 'report-dir', 'exit-code'])
      expect(action.outputs).toHaveProperty(name);
  });

  it(`lints with the defaults and the formats asked for, and fails the step on errors; \
its outputs name the reports`, async () => {
    const workspace = await workspaceWithDocs('lint');
    const r = await runAction(workspace, { formats: 'sarif html,json', 'source-locale': 'pt-BR' });
    expect(r.failed).toEqual({ step: 'Run lockstep', code: 1 });
    expect(r.outputs).toMatchObject({
      'exit-code': '1',
      'report-dir': 'lockstep-reports',
      sarif: 'lockstep-reports/lockstep-lint.sarif',
      html: 'lockstep-reports/lockstep-lint.html',
      json: 'lockstep-reports/lockstep-lint.json',
      junit: '',
    });
    expect(JSON.parse(await readFile(path.join(workspace, r.outputs['sarif']!), 'utf8')).version).toBe('2.1.0');
    expect((await readFile(path.join(workspace, r.outputs['html']!), 'utf8')).startsWith('<!doctype html>')).toBe(true);
    const json = JSON.parse(await readFile(path.join(workspace, r.outputs['json']!), 'utf8')) as {
      summary: { errors: number };
    };
    expect(json.summary.errors).toBeGreaterThan(0);
    // Under Actions, the findings are also annotations on the pull request.
    expect(r.log).toMatch(/^::error file=docs\/ru-RU\/tapi\/drop-ovr\.md,line=26/m);
    // A docs repository has no node_modules: the cache ignores itself.
    expect(await readFile(path.join(workspace, '.lockstep-cache', '.gitignore'), 'utf8')).toContain('*');
  }, 60_000);

  it('leaves the verdict to a later step with fail-on-findings: false, and passes with a baseline', async () => {
    const workspace = await workspaceWithDocs('baseline');
    const lenient = await runAction(workspace, { 'fail-on-findings': 'false' });
    expect(lenient.failed).toBeNull();
    expect(lenient.outputs['exit-code']).toBe('1');
    execFileSync(
      process.execPath,
      [path.join(repoRoot, 'bin/lockstep.js'), 'lint', 'docs', '--write-baseline', 'known.json'],
      { cwd: workspace, stdio: 'ignore' },
    );
    const known = await runAction(workspace, { baseline: 'known.json', formats: 'junit' });
    expect(known.failed).toBeNull();
    expect(known.outputs['exit-code']).toBe('0');
    expect(await readFile(path.join(workspace, known.outputs['junit']!), 'utf8')).toContain('<testsuites');
  }, 60_000);

  it('replays conformance against a target', async () => {
    const workspace = await workspaceWithDocs('conformance');
    const docs: { server: Server; url: string } = await startDocsServer();
    try {
      const r = await runAction(workspace, { command: 'conformance', target: docs.url, formats: 'junit json' });
      expect(r.failed).toBeNull();
      const report = JSON.parse(await readFile(path.join(workspace, r.outputs['json']!), 'utf8')) as {
        summary: { passed: number; failed: number };
      };
      expect(report.summary.failed).toBe(0);
      expect(report.summary.passed).toBeGreaterThan(0);
    } finally {
      await close(docs.server);
    }
  }, 60_000);

  it('passes hostile inputs to lockstep as text, never to the shell; refuses an unknown command', async () => {
    const workspace = await workspaceWithDocs('hostile');
    const r = await runAction(workspace, {
      paths: 'docs/pt-BR $(touch pwned) `touch pwned2` docs/*/tapi/*.md',
      'fail-on-findings': 'false',
      formats: 'json',
    });
    await expect(stat(path.join(workspace, 'pwned'))).rejects.toThrow();
    await expect(stat(path.join(workspace, 'pwned2'))).rejects.toThrow();
    // The words reached lockstep as paths (which do not exist), and the glob was lockstep's to expand.
    const report = JSON.parse(await readFile(path.join(workspace, r.outputs['json']!), 'utf8')) as {
      diagnostics: { file: string; ruleId: string }[];
    };
    // (`$(touch` reads as an extglob: a pattern matching nothing, `no-pages`; the others as missing files.)
    const named = report.diagnostics
      .filter((d) => d.ruleId === 'file-unreadable' || d.ruleId === 'no-pages')
      .map((d) => path.basename(d.file));
    expect(named).toEqual(expect.arrayContaining(['$(touch', 'pwned)', '`touch', 'pwned2`']));
    expect(report.diagnostics.some((d) => d.file === 'docs/ru-RU/tapi/drop-ovr.md')).toBe(true);
    const bad = await runAction(workspace, { command: 'serve' });
    expect(bad.failed).toEqual({ step: 'Run lockstep', code: 2 });
    expect(bad.log).toContain("::error title=lockstep::command must be lint or conformance, not 'serve'");
  }, 60_000);
});

describe('.pre-commit-hooks.yaml', () => {
  interface Hook {
    id: string;
    entry: string;
    language: string;
    files: string;
    types?: string[];
    require_serial?: boolean;
  }
  let hook: Hook;
  let repo = '';
  let shims = '';
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    hook = (parse(await readFile(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[])[0]!;
    repo = await workspaceWithDocs('repo');
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'docs');
    // What `language: node` installs: the package, with its bin linked on PATH.
    shims = path.join(tmp, 'bin');
    await mkdir(shims);
    await symlink(path.join(repoRoot, 'bin/lockstep.js'), path.join(shims, 'lockstep'));
  });

  /** Stage the changes, pick the files pre-commit would pass, and run the hook's entry on them. */
  async function commitHook() {
    git('add', '-A');
    const staged = git('diff', '--cached', '--name-only', '--diff-filter=ACMR').split('\n').filter(Boolean);
    const files = staged.filter((f) => new RegExp(hook.files).test(f));
    const [command, ...args] = hook.entry.split(/\s+/);
    const r = await exec(command!, [...args, ...files], {
      cwd: repo,
      env: { PATH: `${shims}${path.delimiter}${process.env['PATH']}`, HOME: process.env['HOME'] },
    });
    return { ...r, files };
  }

  it('is a node hook on markdown pages, run once for all files', () => {
    expect(hook).toMatchObject({ id: 'lockstep-lint', entry: 'lockstep lint', language: 'node', require_serial: true });
    expect(new RegExp(hook.files).test('docs/ru-RU/a.md')).toBe(true);
    expect(new RegExp(hook.files).test('docs/ru-RU/a.yml')).toBe(false);
  });

  it('checks a staged page with its other locales (whole page group), and fails on an error there', async () => {
    const file = path.join(repo, 'docs/pt-BR/tapi/drop-ovr.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\nUma linha nova.\n`);
    await writeFile(path.join(repo, 'notes.txt'), 'not a page');
    const r = await commitHook();
    expect(r.files).toEqual(['docs/pt-BR/tapi/drop-ovr.md']);
    expect(r.code).toBe(1);
    // The ru-RU page was not staged, yet its group's errors are found: it was read from the docs root.
    expect(r.stdout).toContain('docs/ru-RU/tapi/drop-ovr.md');
    expect(r.stdout).toContain('2 pages in 1 page group');
    expect(r.stdout).not.toContain('exchange/');
    // The cache stays out of the next commit.
    git('add', '-A');
    expect(git('diff', '--cached', '--name-only')).not.toContain('.lockstep-cache');
  });

  it('passes a change whose page group has no errors', async () => {
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'wip');
    const file = path.join(repo, 'docs/zh-CN/graph/api-reference/beta/api/call-delete.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\n`);
    const r = await commitHook();
    expect(r.files).toEqual(['docs/zh-CN/graph/api-reference/beta/api/call-delete.md']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('3 pages in 1 page group');
  });
});
