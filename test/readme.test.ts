/** The README must stay true: its commands run as shown, and its sample output is the real output. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { repoRoot, sharedAvailable } from './helpers/paths.js';

const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');

function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await run(args, { stdout: (t) => { stdout += t; }, stderr: () => {}, cwd: repoRoot, color: false });
  return { code, stdout };
}

describe('README', () => {
  // `serve` runs until stopped: test/serve.test.ts runs it as a child process.
  const commands = [...readme.matchAll(/^npx lockstep (.*?)(?:\s+#.*)?$/gm)].map((m) => m[1]!).filter((c) => !c.startsWith('serve'));

  it('shows commands', () => expect(commands.length).toBeGreaterThanOrEqual(5));

  it.each(commands)('`npx lockstep %s` runs without a usage error', async (command) => {
    const args = shellWords(command);
    if (args.includes('../shared/seeds') && !sharedAvailable('a README command on ../shared/seeds')) return;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-readme-'));
    try {
      const out = args.indexOf('-o');
      if (out !== -1) args[out + 1] = path.join(dir, args[out + 1]!);
      const { code } = await cli(args);
      expect([0, 1]).toContain(code);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

  it('shows a config that lockstep accepts, naming every rule in its table', async () => {
    const { validateConfig } = await import('../src/lint/config.js');
    const { RULE_IDS } = await import('../src/lint/rules/index.js');
    const block = /```json\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### Config')))![1]!;
    expect(() => validateConfig(JSON.parse(block), 'README')).not.toThrow();
    for (const id of RULE_IDS) expect(readme, id).toMatch(new RegExp(`\\| \`${id}\`|/ \`${id}\` \\|`));
  });

  it('documents every rule id the code can emit', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(path.join(repoRoot, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
    const ids = new Set<string>();
    for (const f of files) {
      const src = await readFile(path.join(repoRoot, 'src', f), 'utf8');
      for (const m of src.matchAll(/ruleId: '([a-z-]+)'|(?:report\(ctx, \w+|fileDiagnostic\([^,]+), '([a-z-]+)'|'([a-z]+-malformed)'|'(xml-doctype)'/g)) ids.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
    }
    expect(ids.size).toBeGreaterThanOrEqual(12);
    for (const id of ids) expect(readme, id).toContain(`\`${id}\``);
  });
});
