import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { close, startDocsServer } from './helpers/servers.js';
import { repoRoot } from './helpers/paths.js';

let docs: { server: Server; url: string };
beforeAll(async () => { docs = await startDocsServer(); });
afterAll(async () => { await close(docs.server); });

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: repoRoot, color: false });
  return { code, stdout, stderr };
}

describe('lockstep conformance', () => {
  it('prints one line per case and a summary, exit 0 when all pass', async () => {
    const { code, stdout } = await cli(['conformance', 'docs', '--target', docs.url]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✔ passed  exchange\/web-service-reference\/disconnect-operation-um-web-service#disconnect-request-example\/code#1 {2}\d+ ms$/m);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`25 cases: 25 passed, 0 failed, 0 skipped, 0 errors (target ${docs.url})`);
  });

  it('prints the documented JSON shape', async () => {
    const report = JSON.parse((await cli(['conformance', 'docs', '-t', docs.url, '-f', 'json'])).stdout);
    expect(Object.keys(report)).toEqual(['version', 'target', 'results', 'summary']);
    expect(report.summary).toEqual({ passed: 25, failed: 0, skipped: 0, errors: 0 });
    expect(Object.keys(report.results[0])).toEqual(['caseId', 'pageId', 'sampleId', 'file', 'line', 'locale', 'status', 'message', 'durationMs', 'note', 'checks']);
    expect(report.results[0]).toMatchObject({ caseId: 'exchange/web-service-reference/disconnect-operation-um-web-service#disconnect-request-example/code#1', file: 'docs/pt-BR/exchange/web-service-reference/disconnect-operation-um-web-service.md', line: 33, status: 'passed' });
  });

  it('writes well-formed JUnit XML with one testcase per case', async () => {
    const { stdout } = await cli(['conformance', 'docs', '-t', docs.url, '-f', 'junit']);
    expect(XMLValidator.validate(stdout)).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(stdout);
    expect(junit.testsuites['@_tests']).toBe('25');
    expect(junit.testsuites.testsuite.flatMap((s: { testcase: unknown[] }) => s.testcase)).toHaveLength(25);
  });

  it('exits 1 when a case fails or errors, 2 on usage errors', async () => {
    expect((await cli(['conformance', 'docs', '-t', 'http://127.0.0.1:9', '--timeout', '1000'])).code).toBe(1);
    const missing = await cli(['conformance', 'docs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--target URL (or LOCKSTEP_TARGET) is required');
    expect((await cli(['conformance', 'docs', '-t', 'not a url'])).code).toBe(2);
    expect((await cli(['conformance', 'docs', '-t', docs.url, '--var', 'novalue'])).code).toBe(2);
  });

  it('runs without scenarios: documented literal ids are sent as written, notification cases are skipped with a reason', async () => {
    const { stdout } = await cli(['conformance', 'docs', '-t', docs.url, '-f', 'json', '--scenarios', 'nowhere']);
    const report = JSON.parse(stdout);
    // Without the scenario, the delete case sends the documented literal id and still conforms; its notifications need a scenario.
    const del = report.results.find((r: { sampleId: string }) => r.sampleId === 'delete-call-1/request');
    expect(del.status).toBe('passed');
    const note = report.results.find((r: { sampleId: string }) => r.sampleId === 'example/notification---terminating#1');
    expect(note).toMatchObject({ status: 'skipped', message: 'skipped: no scenario registers a callback URL ({{callbackUrl}}) for this page' });
  });
});
