/**
 * The machine formats (SARIF, JUnit, GitHub annotations), lint baselines and --output-dir, on the
 * bundled docs and on real conformance runs over loopback. Validity is checked against the
 * published schemas (fixtures/schemas), not against our own idea of the format.
 */
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { run } from '../src/cli/main.js';
import { runConformance } from '../src/conformance/run.js';
import { ALL_RULES } from '../src/lint/catalogue.js';
import { RULE_IDS } from '../src/lint/rules/index.js';
import { diagnosticFingerprints } from '../src/diagnostics/fingerprint.js';
import { lint, type LintResult } from '../src/index.js';
import { renderGithub } from '../src/report/github.js';
import { renderJunit } from '../src/report/junit.js';
import type { RunReport } from '../src/report/model.js';
import { renderSarif } from '../src/report/sarif.js';
import { close, startDocsServer, startFaultServer } from './helpers/servers.js';
import { repoRoot } from './helpers/paths.js';
import { emittedRuleIds } from './helpers/rule-ids.js';

const tool = { name: 'lockstep', version: '0.0.0-test' } as const;
const sarifSchema = JSON.parse(await readFile(path.join(repoRoot, 'fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const junitXsd = await readFile(path.join(repoRoot, 'fixtures/schemas/junit-jenkins.xsd'), 'utf8');
// The published schema (draft-04) writes one pattern that only compiles without the `u` flag.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(sarifSchema);

async function validJunit(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: junitXsd }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

async function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: options.cwd ?? repoRoot,
    color: false,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

let linted: LintResult;
let docs: { server: Server; url: string };
/** A server that breaks two documented exchanges: one with a wrong status, one reset. */
let faulty: Awaited<ReturnType<typeof startFaultServer>>;
let conformance: Awaited<ReturnType<typeof runConformance>>;

beforeAll(async () => {
  linted = await lint(['docs'], { cwd: repoRoot });
  docs = await startDocsServer();
  faulty = await startFaultServer(docs.url, async (req, _body, res, answer) => {
    if (req.method === 'DELETE') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      return true;
    }
    if ((req.headers['soapaction'] ?? '').includes('Disconnect')) {
      res.destroy();
      return true;
    }
    void answer;
    return false;
  });
  conformance = await runConformance(['docs'], {
    cwd: repoRoot,
    target: faulty.url,
    limits: { timeoutMs: 3000 },
    notificationTimeoutMs: 1500,
  });
}, 60_000);
afterAll(async () => {
  await close(faulty.server);
  await close(docs.server);
});

describe('SARIF 2.1.0', () => {
  it('is valid against the SARIF 2.1.0 schema for lint, conformance and both', () => {
    for (const report of [
      { tool, cwd: repoRoot, lint: linted },
      { tool, cwd: repoRoot, conformance },
      { tool, cwd: repoRoot, lint: linted, conformance },
    ] satisfies RunReport[]) {
      const sarif = renderSarif(report);
      expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    }
  });

  it('has one run per tool part and one result per lint finding, with rules, levels and related locales', () => {
    const sarif = renderSarif({ tool, cwd: repoRoot, lint: linted, conformance }) as any;
    expect(sarif.runs.map((r: any) => r.tool.driver.name)).toEqual(['lockstep lint', 'lockstep conformance']);
    const [lintRun] = sarif.runs;
    expect(lintRun.columnKind).toBe('utf16CodeUnits');
    expect(lintRun.results).toHaveLength(linted.diagnostics.length);
    const rules = lintRun.tool.driver.rules;
    for (const [i, result] of lintRun.results.entries()) {
      const d = linted.diagnostics[i]!;
      expect(rules[result.ruleIndex].id).toBe(d.ruleId);
      expect(result.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[d.severity]);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(d.file);
      expect(result.relatedLocations?.length ?? 0).toBe(d.related?.length ?? 0);
    }
    expect(rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(ALL_RULES.map((r) => r.id)));
    expect(rules.find((r: any) => r.id === 'identifier-translated').defaultConfiguration.level).toBe('error');
    const stale = lintRun.results.find((r: any) => r.ruleId === 'stale-translation');
    expect(stale.relatedLocations.map((r: any) => r.message.text)).toContainEqual(expect.stringMatching(/^pt-BR/));
  });

  it('points each identifier finding at the damaged text in the page (UTF-16 columns)', async () => {
    const [lintRun] = (renderSarif({ tool, cwd: repoRoot, lint: linted }) as any).runs;
    const identifiers = lintRun.results.filter((r: any) => r.ruleId === 'identifier-translated');
    expect(identifiers.length).toBeGreaterThanOrEqual(4);
    for (const result of identifiers) {
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      const line = (await readFile(path.join(repoRoot, decodeURIComponent(artifactLocation.uri)), 'utf8')).split('\n')[
        region.startLine - 1
      ]!;
      // The message quotes the text as the page has it: `… (`Отключение (…`)`.
      const quoted = /\(`([^`]+?)(?:…)?`\)/.exec(result.message.text)?.[1];
      expect(quoted, result.message.text).toBeDefined();
      // The column is the start of the node holding it: only markup (a link's `[`, `**`, a zh-CN span tag) lies
      // between.
      const at = line.indexOf(quoted!.slice(0, 8), region.startColumn - 1);
      expect(at, `${line} @${region.startColumn}`).toBeGreaterThanOrEqual(region.startColumn - 1);
      expect(line.slice(region.startColumn - 1, at), line).toMatch(/^(\[|\*\*|<span[^>]*>)*$/);
    }
  });

  it('keeps fingerprints when lines move, and tells twins apart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-sarif-'));
    try {
      await cp(path.join(repoRoot, 'docs'), path.join(dir, 'docs'), { recursive: true });
      const page = path.join(dir, 'docs/ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md');
      const text = await readFile(page, 'utf8');
      const end = text.indexOf('\n---', 4) + 4;
      const added = '\n\nAdded paragraph.\n\nAnother one.\n';
      await writeFile(page, `${text.slice(0, end)}${added}${text.slice(end)}`);
      const moved = await lint(['docs'], { cwd: dir });
      const before = (renderSarif({ tool, cwd: repoRoot, lint: linted }) as any).runs[0].results;
      const after = (renderSarif({ tool, cwd: dir, lint: moved }) as any).runs[0].results;
      const key = (r: any) => r.partialFingerprints['lockstepFinding/v1'];
      expect(new Set(after.map(key))).toEqual(new Set(before.map(key)));
      // The lines did move: the fingerprints, not the positions, carry the identity.
      const lineOf = (results: any[]) =>
        results.find(
          (r) =>
            r.ruleId === 'identifier-translated' &&
            r.locations[0].physicalLocation.artifactLocation.uri.includes('ru-RU/exchange'),
        ).locations[0].physicalLocation.region.startLine;
      expect(lineOf(after)).toBe(lineOf(before) + added.split('\n').length - 1);
      expect(new Set(before.map(key)).size).toBe(before.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports the failed conformance cases at the documented sample, by kind of check', () => {
    const [run] = (renderSarif({ tool, cwd: repoRoot, conformance }) as any).runs;
    const failing = conformance.results.filter((r) => r.status === 'failed' || r.status === 'error');
    expect(failing.length).toBeGreaterThanOrEqual(2);
    expect(run.results).toHaveLength(failing.length);
    expect(run.results.map((r: any) => r.ruleId)).toEqual(
      expect.arrayContaining(['conformance/exchange', 'conformance/status']),
    );
    const status = run.results.find((r: any) => r.ruleId === 'conformance/status');
    expect(status.properties.checks[0]).toMatchObject({ check: 'status', actual: '500' });
    expect(status.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^docs\/(pt-BR|ru-RU|zh-CN)\//);
  });
});

describe('JUnit XML', () => {
  it('is valid against the Jenkins JUnit schema for lint, conformance and both', async () => {
    for (const report of [
      { tool, cwd: repoRoot, lint: linted },
      { tool, cwd: repoRoot, conformance },
      { tool, cwd: repoRoot, lint: linted, conformance },
    ] satisfies RunReport[]) {
      const result = await validJunit(renderJunit(report));
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it('the schema check can fail: an unknown attribute is refused', async () => {
    const broken = renderJunit({ tool, cwd: repoRoot, conformance }).replace('<testcase ', '<testcase file="x" ');
    expect((await validJunit(broken)).valid).toBe(false);
  });

  it('lint: one testcase per page group and rule family, failing exactly where errors are', () => {
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(
      renderJunit({ tool, cwd: repoRoot, lint: linted }),
    );
    const suites = xml.testsuites.testsuite;
    expect(suites.map((s: any) => s['@_name'])).toEqual(linted.pageGroups.map((g) => `lint ${g.pageId}`));
    const cases = suites.flatMap((s: any) => s.testcase);
    expect(cases).toHaveLength(linted.pageGroups.length * 5);
    const family = (id: string) => ALL_RULES.find((r) => r.id === id)!.family;
    const expectedFailures = new Set(
      linted.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.pageId}|${family(d.ruleId)}`),
    );
    const failures = new Set(cases.filter((c: any) => c.failure).map((c: any) => `${c['@_classname']}|${c['@_name']}`));
    expect(failures).toEqual(expectedFailures);
    expect(Number(xml.testsuites['@_failures'])).toBe(expectedFailures.size);
    const identifiers = cases.find((c: any) => c['@_classname'] === 'tapi/drop-ovr' && c['@_name'] === 'identifiers');
    expect(identifiers.failure['#text']).toContain('docs/ru-RU/tapi/drop-ovr.md:26:30');
  });

  it('conformance: one testcase per case, with the differing check and the docs location', () => {
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(
      renderJunit({ tool, cwd: repoRoot, conformance }),
    );
    const cases = xml.testsuites.testsuite.flatMap((s: any) => s.testcase);
    expect(cases).toHaveLength(conformance.results.length);
    expect(Number(xml.testsuites['@_failures'])).toBe(conformance.summary.failed);
    expect(Number(xml.testsuites['@_errors'])).toBe(conformance.summary.errors);
    const failed = conformance.results.find((r) => r.status === 'failed' && r.checks[0]?.check === 'status')!;
    const testcase = cases.find((c: any) => c['@_name'] === failed.sampleId && c['@_classname'] === failed.pageId);
    expect(testcase.failure['@_type']).toBe('status');
    expect(testcase.failure['#text']).toContain(`${failed.file}:${failed.line}`);
    expect(testcase.failure['#text']).toMatch(/status .*expected \d+, actual 500/);
  });
});

describe('rule catalogue', () => {
  it('describes every rule id the code can emit, so SARIF rules and the dashboard legend are complete', async () => {
    const described = new Set(ALL_RULES.map((r) => r.id));
    const emitted = new Set([...(await emittedRuleIds()), ...RULE_IDS]);
    expect(emitted.size).toBeGreaterThanOrEqual(28);
    for (const id of emitted) expect(described, id).toContain(id);
  });
});

describe('GitHub annotations', () => {
  it('prints one workflow command per finding, escaped', () => {
    const out = renderGithub({ tool, cwd: repoRoot, lint: linted, conformance }).trimEnd().split('\n');
    const failing = conformance.results.filter((r) => r.status === 'failed' || r.status === 'error');
    expect(out).toHaveLength(linted.diagnostics.length + failing.length);
    expect(out).toContain(
      '::error file=docs/ru-RU/tapi/drop-ovr.md,line=26,col=30,title=lockstep identifier-translated (ru-RU)::' +
        linted.diagnostics.find((d) => d.file === 'docs/ru-RU/tapi/drop-ovr.md' && d.line === 26)!.message,
    );
    for (const line of out) expect(line).toMatch(/^::(error|warning|notice) file=[^,:]+,line=\d+[^\n]*::[^\n]+$/);
    const tricky = renderGithub({
      tool,
      cwd: repoRoot,
      lint: {
        ...linted,
        diagnostics: [{ ...linted.diagnostics[0]!, file: 'docs/a,b:c.md', message: '100% broken\nsecond line' }],
      },
    });
    expect(tricky).toContain('file=docs/a%2Cb%3Ac.md');
    expect(tricky).toContain('::100%25 broken%0Asecond line');
  });

  it('are added to text output when GITHUB_ACTIONS=true, never into a machine format on stdout', async () => {
    const env = { GITHUB_ACTIONS: 'true' };
    const text = await cli(['lint', 'docs'], { env });
    expect(text.stdout).toMatch(/✖ 37 problems[^\n]*\n::warning file=docs\//);
    const json = await cli(['lint', 'docs', '-f', 'json'], { env });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    const plain = await cli(['lint', 'docs']);
    expect(plain.stdout).not.toContain('::error');
  });
});

describe('lint baselines', () => {
  it('a gate fails only on new findings, and known ones stay known when lines move', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-baseline-'));
    try {
      await cp(path.join(repoRoot, 'docs'), path.join(dir, 'docs'), { recursive: true });
      const written = await cli(['lint', 'docs', '--write-baseline'], { cwd: dir });
      expect(written.code).toBe(0);
      expect(written.stderr).toContain('wrote 37 findings to the baseline lockstep-baseline.json');
      const baseline = JSON.parse(await readFile(path.join(dir, 'lockstep-baseline.json'), 'utf8'));
      expect(baseline.findings.map((f: any) => f.fingerprint)).toEqual(diagnosticFingerprints(linted.diagnostics));

      const clean = await cli(['lint', 'docs', '--baseline', 'lockstep-baseline.json'], { cwd: dir });
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain(
        '✔ no problems: 11 pages in 4 page groups (pt-BR, ru-RU, zh-CN), 126 samples; ' +
          '37 known findings in the baseline not shown',
      );

      // A new defect (an anchor translated in zh-CN) and lines moved on another page.
      const zh = path.join(dir, 'docs/zh-CN/exchange/web-service-reference/disconnect-operation-um-web-service.md');
      await writeFile(
        zh,
        (await readFile(zh, 'utf8')).replace('name="disconnect-request-example"', 'name="断开请求示例"'),
      );
      const ru = path.join(dir, 'docs/ru-RU/tapi/drop-ovr.md');
      const ruText = await readFile(ru, 'utf8');
      const end = ruText.indexOf('\n---', 4) + 4;
      await writeFile(ru, `${ruText.slice(0, end)}\n\nNew paragraph.\n${ruText.slice(end)}`);
      const gate = await cli(['lint', 'docs', '--baseline', 'lockstep-baseline.json', '-f', 'json'], { cwd: dir });
      expect(gate.code).toBe(1);
      const report = JSON.parse(gate.stdout);
      // ru-RU and zh-CN share the older revision, two against each other: both are named.
      expect(report.diagnostics.map((d: any) => `${d.ruleId} ${d.locale}`)).toEqual([
        'anchor-mismatch ru-RU',
        'anchor-mismatch zh-CN',
      ]);
      expect(report.summary.baselined).toBe(37);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing or foreign baseline is a usage error (exit 2) with the reason', async () => {
    const missing = await cli(['lint', 'docs', '--baseline', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('lockstep: --baseline nope.json: no such file (write one with --write-baseline)\n');
    const foreign = await cli(['lint', 'docs', '--baseline', 'package.json']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/^lockstep: baseline package.json is not a lockstep baseline/);
  });
});

describe('several formats in one run', () => {
  it('--output-dir writes one file per --format, each complete and valid', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-out-'));
    try {
      const { code, stderr } = await cli([
        'lint',
        'docs',
        '-f',
        'sarif',
        '-f',
        'junit',
        '-f',
        'json',
        '-f',
        'github',
        '-f',
        'html',
        '-f',
        'text',
        '--output-dir',
        dir,
      ]);
      expect(code).toBe(1);
      expect((await readdir(dir)).sort()).toEqual([
        'lockstep-lint.github.txt',
        'lockstep-lint.html',
        'lockstep-lint.json',
        'lockstep-lint.sarif',
        'lockstep-lint.txt',
        'lockstep-lint.xml',
      ]);
      expect(stderr.split('\n').filter(Boolean)).toHaveLength(6);
      expect(validateSarif(JSON.parse(await readFile(path.join(dir, 'lockstep-lint.sarif'), 'utf8')))).toBe(true);
      expect((await validJunit(await readFile(path.join(dir, 'lockstep-lint.xml'), 'utf8'))).valid).toBe(true);
      expect(JSON.parse(await readFile(path.join(dir, 'lockstep-lint.json'), 'utf8')).diagnostics).toHaveLength(37);
      expect(await readFile(path.join(dir, 'lockstep-lint.txt'), 'utf8')).toContain(
        '✖ 37 problems (6 errors, 31 warnings, 0 info)',
      );
      expect(await readFile(path.join(dir, 'lockstep-lint.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('several formats without --output-dir, or -o with --output-dir, are usage errors', async () => {
    expect(await cli(['lint', 'docs', '-f', 'sarif', '-f', 'json'])).toMatchObject({
      code: 2,
      stderr: 'lockstep: 2 formats need --output-dir (one file each)\n',
    });
    expect(await cli(['lint', 'docs', '-o', 'x.json', '--output-dir', 'out'])).toMatchObject({
      code: 2,
      stderr: 'lockstep: --output and --output-dir exclude each other\n',
    });
    expect((await cli(['lint', 'docs', '-f', 'pdf'])).code).toBe(2);
  });

  it('conformance reports in every format hold no credential, even when the server echoes it', async () => {
    const token = 'sk-live-0123456789abcdef';
    const echo = await startFaultServer(docs.url, async (req, _body, res) => {
      if (String(req.headers['soapaction'] ?? '').includes('Disconnect')) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: `bad token "${req.headers.authorization}" <${token}>` }));
        return true;
      }
      return false;
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-secret-'));
    try {
      const { code } = await cli([
        'conformance',
        'docs',
        '-t',
        echo.url,
        '-H',
        `Authorization: Bearer ${token}`,
        '--output-dir',
        dir,
        ...['text', 'json', 'sarif', 'junit', 'github', 'html'].flatMap((f) => ['-f', f]),
      ]);
      expect(code).toBe(1);
      const files = await readdir(dir);
      expect(files).toHaveLength(6);
      for (const file of files) {
        const text = await readFile(path.join(dir, file), 'utf8');
        expect(text, file).not.toContain(token);
        expect(text, file).not.toContain('0123456789abcdef');
      }
      expect(echo.seen.some((s) => s.authorization === `Bearer ${token}`)).toBe(true);
    } finally {
      await close(echo.server);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
