/** The README must stay true: its commands run as shown, and its sample output is the real output. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { emittedRuleIds } from './helpers/rule-ids.js';
import { close, startDocsServer } from './helpers/servers.js';
import { repoRoot, sharedAvailable } from './helpers/paths.js';

const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');

function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => {},
    cwd: repoRoot,
    color: false,
  });
  return { code, stdout };
}

describe('README', () => {
  // `serve` and `lint --watch` run until stopped: test/serve.test.ts and test/watch.test.ts run them as child
  // processes.
  // The implementer's walkthrough runs in a project that installed the package: test/consumer.test.ts runs it.
  const commands = [...readme.matchAll(/^npx lockstep (.*?)(?:\s+#.*)?$/gm)]
    .map((m) => m[1]!)
    .filter((c) => !c.startsWith('serve') && !c.includes('node_modules/lockstep/') && !c.includes('--watch'));

  it('shows commands', () => expect(commands.length).toBeGreaterThanOrEqual(5));

  // Files the commands write (and the baseline a later command reads) go to one temporary folder.
  let outDir = '';
  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-readme-'));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  function redirectWrites(args: string[]): string[] {
    const out = [...args];
    for (const flag of ['-o', '--output-dir', '--baseline']) {
      const i = out.indexOf(flag);
      if (i !== -1) out[i + 1] = path.join(outDir, out[i + 1]!);
    }
    // The reports `merge` joins are files earlier commands wrote.
    if (out[0] === 'merge')
      for (let i = 1; i < out.length && !out[i]!.startsWith('-'); i++) out[i] = path.join(outDir, out[i]!);
    const wb = out.indexOf('--write-baseline');
    if (wb !== -1) {
      const named = out[wb + 1] && !out[wb + 1]!.startsWith('-');
      if (named) out[wb + 1] = path.join(outDir, out[wb + 1]!);
      else out.splice(wb + 1, 0, path.join(outDir, 'lockstep-baseline.json'));
    }
    return out;
  }

  it.each(commands)('`npx lockstep %s` runs without a usage error', async (command) => {
    const args = shellWords(command);
    if (args.includes('../shared/seeds') && !sharedAvailable('a README command on ../shared/seeds')) return;
    const { code } = await cli(redirectWrites(args));
    expect([0, 1]).toContain(code);
  });

  it('shows a GitHub Actions workflow whose lockstep steps run', async () => {
    const { parse } = await import('yaml');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Reports')))![1]!;
    const workflow = parse(block) as {
      jobs: Record<string, { steps: { run?: string; with?: { sarif_file?: string } }[] }>;
    };
    const runs = Object.values(workflow.jobs)
      .flatMap((j) => j.steps.map((s) => s.run))
      .filter((r): r is string => Boolean(r?.startsWith('npx lockstep ')));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const docs = await startDocsServer();
    try {
      for (const line of runs.filter((r) => !r.startsWith('npx lockstep serve'))) {
        const args = redirectWrites(
          shellWords(line.replace(/^npx lockstep /, '')).map((a) => a.replace('http://127.0.0.1:8080', docs.url)),
        );
        if (args.includes('--baseline'))
          await cli(['lint', 'docs', '--write-baseline', args[args.indexOf('--baseline') + 1]!]);
        expect([0, 1], line).toContain((await cli(args)).code);
      }
    } finally {
      await close(docs.server);
    }
    // The SARIF file the upload step names is the one the lint step writes.
    const sarif = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.with?.sarif_file)!.with!.sarif_file!;
    expect(JSON.parse(await readFile(path.join(outDir, sarif), 'utf8')).version).toBe('2.1.0');
  });

  it("shows a sharded workflow whose matrix jobs and merge give the whole run's SARIF", async () => {
    const { parse } = await import('yaml');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## In CI and on commit')))![1]!;
    type Job = {
      needs?: string;
      strategy?: { matrix: Record<string, unknown[]> };
      steps: { run?: string; with?: { sarif_file?: string } }[];
    };
    const workflow = parse(block) as { jobs: Record<string, Job> };
    const lintJob = workflow.jobs['lint']!;
    const shards = lintJob.strategy!.matrix['shard']!;
    expect(shards).toHaveLength(3);
    const lockstepRuns = (job: Job) =>
      job.steps.map((s) => s.run).filter((r): r is string => Boolean(r?.startsWith('npx lockstep ')));
    for (const shard of shards) {
      for (const line of lockstepRuns(lintJob)) {
        const args = redirectWrites(
          shellWords(line.replace(/^npx lockstep /, '').replace(/\$\{\{ matrix\.shard \}\}/g, String(shard))),
        );
        expect([0, 1], line).toContain((await cli(args)).code);
      }
    }
    const merge = Object.values(workflow.jobs).find((j) => j.needs === 'lint')!;
    const mergeRuns = lockstepRuns(merge);
    expect(mergeRuns).toHaveLength(1);
    expect([0, 1]).toContain((await cli(redirectWrites(shellWords(mergeRuns[0]!.replace(/^npx lockstep /, ''))))).code);
    // The one SARIF file uploaded is the whole run's.
    const sarif = merge.steps.find((s) => s.with?.sarif_file)!.with!.sarif_file!;
    const whole = await cli(['lint', 'docs', '-f', 'sarif']);
    expect(await readFile(path.join(outDir, sarif), 'utf8')).toBe(whole.stdout);
  });

  it('shows the real summary line and page listing of `extract`', async () => {
    const { code, stdout } = await cli(['extract', 'docs']);
    expect(code).toBe(0);
    const summary = stdout.trimEnd().split('\n').at(-1)!;
    expect(readme).toContain(summary);
    const shown = readme.split('\n').filter((l) => /^ {2}\d+-\d+ /.test(l));
    expect(shown.length).toBeGreaterThan(3);
    for (const line of shown) expect(stdout).toContain(line);
  });

  it('shows real `lint docs` output', async () => {
    const { stdout } = await cli(['lint', 'docs']);
    const shown = readme.split('\n').filter((l) => /^ {2}\d+:\d+ /.test(l) || l.startsWith('✖ '));
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const line of shown) expect(stdout).toContain(line);
  });

  it('shows the real repair line of `npm start` and the count of the --fix-dry-run example', async () => {
    const { code, stdout } = await cli(['demo', 'docs']);
    expect(code).toBe(0);
    const repair = stdout.split('\n').find((l) => l.startsWith('Repair: '))!;
    expect(readme.split('\n')).toContain(repair);
    const count = /would repair (\d+) of the (\d+) findings in (\d+) files/.exec(repair)!;
    expect(readme).toContain(
      `(\`npx lockstep lint docs --fix-dry-run\`, ${count[1]} of the ${count[2]} findings, in ${count[3]} files)`,
    );
  });

  it('shows a config that lockstep accepts, naming every rule in its table', async () => {
    const { validateConfig } = await import('../src/lint/config.js');
    const { RULE_IDS } = await import('../src/lint/rules/index.js');
    const block = /```json\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### Config')))![1]!;
    expect(() => validateConfig(JSON.parse(block), 'README', RULE_IDS)).not.toThrow();
    // Each rule's id in the table links to its doc.
    for (const id of RULE_IDS)
      expect(readme, id).toMatch(new RegExp(`[|/] \\[\`${id}\`\\]\\(rules/${id}\\.md\\) [|/]`));
  });

  it('documents every rule id the code can emit', async () => {
    const ids = await emittedRuleIds();
    expect(ids.size).toBeGreaterThanOrEqual(12);
    for (const id of ids) expect(readme, id).toContain(`\`${id}\``);
  });
});
