import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { close, startDocsServer } from './helpers/servers.js';
import { repoRoot } from './helpers/paths.js';

let docs: { server: Server; url: string };
beforeAll(async () => {
  docs = await startDocsServer();
});
afterAll(async () => {
  await close(docs.server);
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: repoRoot,
    color: false,
  });
  return { code, stdout, stderr };
}

describe('lockstep conformance', () => {
  it('prints one line per case and a summary, exit 0 when all pass', async () => {
    const { code, stdout } = await cli(['conformance', 'docs', '--target', docs.url]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        [
          String.raw`^✔ passed  exchange\/web-service-reference\/disconnect-operation-um-web-service`,
          String.raw`#disconnect-request-example\/code#1 {2}\d+ ms$`,
        ].join(''),
        'm',
      ),
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      `25 cases: 25 passed, 0 failed, 0 skipped, 0 errors (target ${docs.url})`,
    );
  });

  it('prints the documented JSON shape', async () => {
    const report = JSON.parse((await cli(['conformance', 'docs', '-t', docs.url, '-f', 'json'])).stdout);
    expect(Object.keys(report)).toEqual(['version', 'target', 'results', 'summary', 'diagnostics']);
    expect(report.summary).toEqual({ passed: 25, failed: 0, skipped: 0, errors: 0 });
    expect(Object.keys(report.results[0])).toEqual([
      'caseId',
      'pageId',
      'sampleId',
      'file',
      'line',
      'locale',
      'status',
      'message',
      'durationMs',
      'note',
      'checks',
    ]);
    expect(report.results[0]).toMatchObject({
      caseId: 'exchange/web-service-reference/disconnect-operation-um-web-service#disconnect-request-example/code#1',
      file: 'docs/pt-BR/exchange/web-service-reference/disconnect-operation-um-web-service.md',
      line: 33,
      status: 'passed',
    });
  });

  it('writes well-formed JUnit XML with one testcase per case', async () => {
    const { stdout } = await cli(['conformance', 'docs', '-t', docs.url, '-f', 'junit']);
    expect(XMLValidator.validate(stdout)).toBe(true);
    const junit = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(stdout);
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

  it(`runs without scenarios: documented literal ids are sent as written, \
notification cases are skipped with a reason`, async () => {
    const none = await mkdtemp(path.join(os.tmpdir(), 'lockstep-no-scenarios-'));
    const { stdout } = await cli(['conformance', 'docs', '-t', docs.url, '-f', 'json', '--scenarios', none]).finally(
      () => rm(none, { recursive: true, force: true }),
    );
    const report = JSON.parse(stdout);
    // Without the scenario, the delete case sends the documented literal id and still conforms; its notifications need
    // a scenario.
    const del = report.results.find((r: { sampleId: string }) => r.sampleId === 'delete-call-1/request');
    expect(del.status).toBe('passed');
    const note = report.results.find(
      (r: { sampleId: string }) => r.sampleId === 'example/notification---terminating#1',
    );
    expect(note).toMatchObject({
      status: 'skipped',
      message: 'skipped: no scenario registers a callback URL ({{callbackUrl}}) for this page',
    });
  });
});

describe('no silent green: misuse is a usage error before any request, and a run that tests nothing fails', () => {
  const cliIn = async (cwd: string, args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await run(args, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      cwd,
      color: false,
      env: {},
    });
    return { code, stdout, stderr };
  };

  it.each([
    [
      ['conformance', 'no-such-docs', '--target', 'http://127.0.0.1:9'],
      'lockstep: no-such-docs: no such file or folder',
    ],
    [
      ['conformance', 'docs', '--target', 'localhost:8080'],
      'lockstep: --target localhost:8080 is not an http(s) URL (did you mean http://localhost:8080?)',
    ],
    [['conformance', 'docs'], 'lockstep: --target URL (or LOCKSTEP_TARGET) is required'],
    [
      ['conformance', 'docs', '--target', 'http://127.0.0.1:9', '--scenarios', 'no-such-folder'],
      'lockstep: --scenarios ' + `${repoRoot}/no-such-folder: no such folder`,
    ],
    [
      ['conformance', 'docs', '--target', 'http://127.0.0.1:9', '--vars-file', 'none.json'],
      'lockstep: --vars-file none.json: no such file',
    ],
    [
      ['conformance', 'docs', '--target', 'http://127.0.0.1:9', '--path-map', 'beta=/'],
      'lockstep: --path-map beta=/: both paths start with /, e.g. /beta=/',
    ],
    [
      ['conformance', 'docs', '--target', 'http://127.0.0.1:9', '--callback-listen', 'nowhere'],
      'lockstep: --callback-listen nowhere: expected HOST:PORT, e.g. 127.0.0.1:9000 or 0.0.0.0:9000',
    ],
    [
      ['conformance', 'docs', '--target', 'http://127.0.0.1:9', '--callback-url', 'ftp://x'],
      'lockstep: --callback-url ftp://x is not an http(s) URL',
    ],
    [
      ['conformance', 'docs', '--target', 'http://127.0.0.1:9', '-o', 'no-such-folder/report.txt'],
      'lockstep: --output no-such-folder/report.txt: no such folder no-such-folder',
    ],
    [['serve', 'no-such-docs'], 'lockstep: no-such-docs: no such file or folder'],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await cliIn(repoRoot, args);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it(`a run over an empty folder, or with every case left out, exits 1 and says it tested nothing; \
--allow-empty accepts it`, async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'lockstep-empty-'));
    try {
      const none = await cliIn(repoRoot, ['conformance', empty, '--target', docs.url]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('lockstep: tested nothing: no documented request with a response in');
      expect((await cliIn(repoRoot, ['conformance', empty, '--target', docs.url, '--allow-empty'])).code).toBe(0);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const skipped = await cliIn(repoRoot, ['conformance', 'docs', '--target', docs.url, '--skip', '*']);
    expect(skipped).toMatchObject({ code: 1, stderr: expect.stringContaining('tested nothing') });
  });

  it(`finds the docs' scenarios from the docs, not the working directory: \
the same 25 cases pass from anywhere`, async () => {
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'lockstep-cwd-'));
    try {
      const { code, stdout } = await cliIn(elsewhere, [
        'conformance',
        path.join(repoRoot, 'docs'),
        '--target',
        docs.url,
      ]);
      expect(code).toBe(0);
      expect(stdout.trimEnd().split('\n').at(-1)).toBe(
        `25 cases: 25 passed, 0 failed, 0 skipped, 0 errors (target ${docs.url})`,
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it(`selects cases by id or glob, a page id standing for its cases; \
notifications come with their request`, async () => {
    const { code, stdout } = await cliIn(repoRoot, [
      'conformance',
      'docs',
      '--target',
      docs.url,
      '--case',
      'graph/api-reference/beta/api/call-delete',
      '-f',
      'json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results.map((r: { sampleId: string }) => r.sampleId)).toEqual([
      'delete-call-1/request',
      'example/notification---terminating#1',
      'example/notification---terminated#1',
    ]);
    const globbed = JSON.parse(
      (
        await cliIn(repoRoot, [
          'conformance',
          'docs',
          '--target',
          docs.url,
          '--case',
          '*#create-call-*',
          '--skip',
          '*-app-hosted-*',
          '-f',
          'json',
        ])
      ).stdout,
    );
    expect(globbed.results.map((r: { sampleId: string }) => r.sampleId)).toEqual(
      [
        'create-call-service-hosted-media-1/request',
        'notification---establishing#1',
        'notification---established#1',
        'notification---content-sharing-started#1',
        'notification---content-sharing-updated#1',
        'notification---content-sharing-ended#1',
        'create-call-service-hosted-media-2/request',
        'create-call-service-hosted-media-3/request',
      ].map((id) =>
        id.startsWith('notification')
          ? `examples/example-1-create-peer-to-peer-voip-call-with-service-hosted-media/${id}`
          : id,
      ),
    );
  });

  it(`--path-map rebases the documented /beta onto a service served at its root, \
in requests and in the URLs its answers hold`, async () => {
    const { startGraphCalls } = await import('./implementations/graph-calls.js');
    const service = await startGraphCalls({ prefix: '' });
    try {
      const args = [
        'conformance',
        'docs',
        '--target',
        service.url,
        '--case',
        '*#create-call-app-hosted-media/*',
        '--notification-timeout',
        '2000',
        '-f',
        'json',
      ];
      const without = JSON.parse((await cliIn(repoRoot, args)).stdout);
      expect(without.results[0].message).toMatch(/^status: documented 201, got 404/);
      const mapped = await cliIn(repoRoot, [...args, '--path-map', '/beta=/']);
      expect(JSON.parse(mapped.stdout).results.map((r: { status: string }) => r.status)).toEqual(['passed']);
      expect(mapped.code).toBe(0);
    } finally {
      await service.close();
    }
  });

  it(`--callback-listen and --callback-url: the receiver listens where told, \
and services are told the public URL`, async () => {
    const { startGraphCalls } = await import('./implementations/graph-calls.js');
    const service = await startGraphCalls();
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    try {
      const args = [
        'conformance',
        'docs',
        '--target',
        service.url,
        '--case',
        'graph/api-reference/beta/api/call-delete',
        '--notification-timeout',
        '2000',
      ];
      const listening = await cliIn(repoRoot, [
        ...args,
        '--callback-listen',
        `127.0.0.1:${port}`,
        '--callback-url',
        `http://127.0.0.1:${port}/hook`,
      ]);
      expect(listening.stdout.trimEnd().split('\n').at(-1)).toMatch(/^3 cases: 3 passed/);
      // Told a URL that does not reach the receiver, the service calls back there, and nothing arrives.
      const astray = await cliIn(repoRoot, [...args, '--callback-url', `http://127.0.0.1:${port}/hook`]);
      expect(astray.stdout).toMatch(/no notification arrived within 2000 ms/);
      // The port is taken by now: a usage error, before any request.
      const taken = createServer().listen(port, '127.0.0.1');
      await new Promise((resolve) => taken.once('listening', resolve));
      try {
        expect(await cliIn(repoRoot, [...args, '--callback-listen', `127.0.0.1:${port}`])).toMatchObject({
          code: 2,
          stderr: `lockstep: --callback-listen 127.0.0.1:${port}: address already in use\n`,
        });
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    } finally {
      await service.close();
    }
  });

  it('a notification left out by --skip is reported skipped, and its neighbours keep their own results', async () => {
    const { code, stdout } = await cliIn(repoRoot, [
      'conformance',
      'docs',
      '--target',
      docs.url,
      '--case',
      'graph/api-reference/beta/api/call-delete',
      '--skip',
      '*notification---terminating*',
      '-f',
      'json',
    ]);
    expect(code).toBe(0);
    expect(
      JSON.parse(stdout).results.map((r: { sampleId: string; status: string; message: string }) => [
        r.sampleId,
        r.status,
        r.message,
      ]),
    ).toEqual([
      ['delete-call-1/request', 'passed', 'conforms'],
      ['example/notification---terminating#1', 'skipped', 'skipped: left out by --skip'],
      ['example/notification---terminated#1', 'passed', 'notification arrived in documented order and shape'],
    ]);
  });

  it('--callback-listen on every interface needs --callback-url: a service cannot call 0.0.0.0 back', async () => {
    expect(
      await cliIn(repoRoot, ['conformance', 'docs', '--target', docs.url, '--callback-listen', '0.0.0.0:9000']),
    ).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'lockstep: --callback-listen 0.0.0.0:9000: listening on every interface needs --callback-url, ' +
        'the URL the service can reach (e.g. http://<this host>:9000/callback)\n',
    });
  });
});
