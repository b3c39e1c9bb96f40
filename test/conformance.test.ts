/**
 * Conformance over real HTTP on loopback: the documented behaviour passes every case; each
 * fault fails exactly the cases it touches, with a message that names it.
 */
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type CaseResult, type ConformanceReport } from '../src/conformance/run.js';
import type { Scenario } from '../src/conformance/scenario.js';
import { run } from '../src/cli/main.js';
import { close, listen, startDocsServer, startFaultServer, type Upstream } from './helpers/servers.js';
import { repoRoot } from './helpers/paths.js';

const DISCONNECT =
  'exchange/web-service-reference/disconnect-operation-um-web-service#disconnect-request-example/code#1';
const CREATE_1 = 'graph/api-reference/beta/api/application-post-calls#create-call-service-hosted-media-1/request';
const DELETE = 'graph/api-reference/beta/api/call-delete#delete-call-1/request';
const SECRET = 'Bearer s3cr3t-T0KEN-never-printed';

let docs: { server: Server; url: string };
const servers: Server[] = [];
beforeAll(async () => {
  docs = await startDocsServer();
});
afterAll(async () => {
  for (const s of [docs.server, ...servers]) await close(s);
});

const conform = (target: string, extra: Partial<Parameters<typeof runConformance>[1]> = {}) =>
  runConformance(['docs'], {
    cwd: repoRoot,
    target,
    notificationTimeoutMs: 2000,
    limits: { timeoutMs: 2000 },
    ...extra,
  });

const statusOf = (report: ConformanceReport) => Object.fromEntries(report.results.map((r) => [r.caseId, r.status]));
const result = (report: ConformanceReport, caseId: string): CaseResult =>
  report.results.find((r) => r.caseId === caseId)!;

/** Everything but the named cases passed. */
function onlyThese(report: ConformanceReport, affected: string[]): void {
  for (const r of report.results)
    if (!affected.includes(r.caseId)) expect(r.status, `${r.caseId}: ${r.message}`).toBe('passed');
}

type Fault = (
  req: import('node:http').IncomingMessage,
  body: string,
  res: import('node:http').ServerResponse,
  answer: () => Promise<Upstream>,
) => Promise<boolean>;
async function faulty(fault: Fault) {
  const f = await startFaultServer(docs.url, fault);
  servers.push(f.server);
  return f;
}
const isDisconnect = (body: string) => body.includes('<Disconnect ');
const isCreate1 = (body: string) => body.includes('isContentSharingNotificationEnabled');
const rewrite =
  (
    pick: (req: import('node:http').IncomingMessage, body: string) => boolean,
    change: (a: Upstream) => Upstream,
  ): Fault =>
  async (req, body, res, answer) => {
    if (!pick(req, body)) return false;
    const a = change(await answer());
    res.writeHead(a.status, a.headers).end(a.body);
    return true;
  };

describe('conformance against the documented behaviour', () => {
  it('passes every case, notifications included', async () => {
    const report = await conform(docs.url);
    expect(report.summary).toEqual({ passed: 25, failed: 0, skipped: 0, errors: 0 });
    expect(result(report, 'graph/api-reference/beta/api/call-delete#example/notification---terminated#1').message).toBe(
      'notification arrived in documented order and shape',
    );
    // The create-call request bodies with a trailing comma are sent repaired, and say so.
    expect(
      result(report, 'graph/api-reference/beta/api/application-post-calls#join-meeting-app-hosted-media/request').note,
    ).toMatch(/trailing comma/);
  });

  it(`sends through its own connection pool, not the global dispatcher \
(Node's fetch may have put its older undici there)`, async () => {
    const previous = getGlobalDispatcher();
    const used: string[] = [];
    // Watches the global dispatcher; the docs server's own notification POSTs still go through it.
    class Watching extends Dispatcher {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        used.push(String(options.origin));
        return previous.dispatch(options, handler);
      }
    }
    setGlobalDispatcher(new Watching());
    try {
      expect((await conform(docs.url)).summary).toEqual({ passed: 25, failed: 0, skipped: 0, errors: 0 });
    } finally {
      setGlobalDispatcher(previous);
    }
    expect(used.length).toBeGreaterThan(0); // the notifications
    expect(used.filter((origin) => origin === docs.url)).toEqual([]);
  });

  it('decodes a gzip or brotli encoded answer before comparing it', async () => {
    const { gzipSync, brotliCompressSync } = await import('node:zlib');
    const f = await faulty(async (req, body, res, answer) => {
      const encode = isDisconnect(body)
        ? gzipSync
        : req.method === 'POST' && isCreate1(body)
          ? brotliCompressSync
          : null;
      if (!encode) return false;
      const a = await answer();
      res
        .writeHead(a.status, { ...a.headers, 'content-encoding': encode === gzipSync ? 'gzip' : 'br' })
        .end(encode(Buffer.from(a.body)));
      return true;
    });
    const report = await conform(f.url);
    expect(result(report, DISCONNECT).status).toBe('passed');
    expect(result(report, CREATE_1).status).toBe('passed');
    onlyThese(report, []);
    // The same bodies undecoded would fail: the encoding is what the case passed through.
    const plain = await faulty(async (req, body, res, answer) => {
      if (!isDisconnect(body)) return false;
      const a = await answer();
      res.writeHead(a.status, a.headers).end(gzipSync(Buffer.from(a.body)));
      return true;
    });
    expect(result(await conform(plain.url), DISCONNECT).status).not.toBe('passed');
  });

  it('--locale restricts the cases to one locale', async () => {
    const report = await conform(docs.url, { locale: 'zh-CN' });
    expect(report.results.every((r) => r.locale === 'zh-CN')).toBe(true);
    expect(report.summary.failed + report.summary.errors).toBe(0);
  });
});

describe('each fault fails exactly the affected cases, naming the fault', () => {
  it('wrong status code', async () => {
    const f = await faulty(
      rewrite(
        (req) => req.method === 'DELETE',
        (a) => ({ ...a, status: 200 }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, DELETE)).toMatchObject({ status: 'failed' });
    expect(result(report, DELETE).message).toMatch(
      new RegExp(
        [
          String.raw`^status: documented 204, got 200 `,
          String.raw`\(documented at docs\/pt-BR\/graph\/api-reference\/beta\/api\/call-delete\.md:101\)`,
        ].join(''),
      ),
    );
    onlyThese(report, [DELETE]);
  });

  it('missing element', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isDisconnect(b),
        (a) => ({ ...a, body: a.body.replace(/<DisconnectResponse[^>]*\/>/, '') }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, DISCONNECT).message).toMatch(
      /^element \/soap:Envelope\/soap:Body\/DisconnectResponse: documented, missing from the response \(documented at/,
    );
    onlyThese(report, [DISCONNECT]);
  });

  it('element in the wrong namespace', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isDisconnect(b),
        (a) => ({
          ...a,
          body: a.body.replace(
            'xmlns="https://schemas.microsoft.com/exchange/services/2006/messages"',
            'xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"',
          ),
        }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, DISCONNECT).message).toContain(
      'element /soap:Envelope/soap:Body/DisconnectResponse: ' +
        'documented DisconnectResponse in https://schemas.microsoft.com/exchange/services/2006/messages, ' +
        'got DisconnectResponse in http://schemas.microsoft.com/exchange/services/2006/messages',
    );
    onlyThese(report, [DISCONNECT]);
  });

  it('extra element', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isDisconnect(b),
        (a) => ({
          ...a,
          body: a.body.replace(
            /<DisconnectResponse ([^>]*?)\s*\/>/,
            '<DisconnectResponse $1><ResponseCode>NoError</ResponseCode></DisconnectResponse>',
          ),
        }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, DISCONNECT).message).toContain(
      'element /soap:Envelope/soap:Body/DisconnectResponse/ResponseCode: not documented, in the response: ' +
        '<ResponseCode>',
    );
    onlyThese(report, [DISCONNECT]);
  });

  it('different text value', async () => {
    const f = await faulty(
      rewrite(
        (req, b) => req.method === 'POST' && isCreate1(b),
        (a) => ({ ...a, body: a.body.replace('"state": "establishing"', '"state": "established"') }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, CREATE_1).message).toMatch(
      /^member state: documented "establishing", got "established" \(documented at/,
    );
    onlyThese(report, [CREATE_1]);
  });

  it('wrong @odata.type', async () => {
    const f = await faulty(
      rewrite(
        (req, b) => req.method === 'POST' && isCreate1(b),
        (a) => ({
          ...a,
          body: a.body.replace(
            '"@odata.type": "#microsoft.graph.call"',
            '"@odata.type": "#microsoft.graph.participant"',
          ),
        }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, CREATE_1).message).toContain(
      'member @odata.type: documented "#microsoft.graph.call", got "#microsoft.graph.participant"',
    );
    onlyThese(report, [CREATE_1]);
  });

  it('a body on 204 No Content', async () => {
    const raw = createServer();
    raw.on('connection', () => {});
    const f = await faulty(async (req, _b, res, answer) => {
      if (req.method !== 'DELETE') return false;
      await answer(); // the call is deleted, its notifications flow
      res.socket?.end('HTTP/1.1 204 No Content\r\nContent-Length: 17\r\n\r\n{"deleted": true}');
      return true;
    });
    const report = await conform(f.url);
    expect(result(report, DELETE).message).toMatch(
      /^body: documented empty, got a 17-byte body \(Content-Length: 17\)/,
    );
    onlyThese(report, [DELETE]);
  });

  it('invalid XML', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isDisconnect(b),
        (a) => ({ ...a, body: a.body.replace('</soap:Body>', '') }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, DISCONNECT).message).toMatch(/^body: documented well-formed XML, got invalid XML at \d+:\d+/);
    onlyThese(report, [DISCONNECT]);
  });

  it('500 Internal Server Error', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isDisconnect(b),
        () => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'boom' }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, DISCONNECT).message).toMatch(/^status: documented 200, got 500/);
    onlyThese(report, [DISCONNECT]);
  });

  it('connection refused', async () => {
    const gone = createServer();
    const url = await listen(gone);
    await close(gone);
    const report = await conform(url);
    expect(report.summary.passed).toBe(0);
    expect(result(report, DISCONNECT)).toMatchObject({ status: 'error' });
    expect(result(report, DISCONNECT).message).toMatch(/^connection refused by 127\.0\.0\.1:\d+/);
    expect(result(report, DELETE).message).toMatch(/scenario setup failed: step create a call: connection refused/);
  });

  it('connection reset', async () => {
    const f = await faulty(async (_req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.socket?.destroy();
      return true;
    });
    const report = await conform(f.url);
    expect(result(report, DISCONNECT)).toMatchObject({ status: 'error' });
    expect(result(report, DISCONNECT).message).toMatch(/^(connection reset by the server|other side closed)/);
    onlyThese(report, [DISCONNECT]);
  });

  it('slow beyond the timeout', async () => {
    const f = await faulty(async (_req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<soap:Envelope');
      setTimeout(() => res.end('/>'), 1500);
      return true;
    });
    const started = Date.now();
    const report = await conform(f.url, { limits: { timeoutMs: 300 } });
    expect(result(report, DISCONNECT).message).toMatch(/^no complete response within 300 ms \(timeout\)/);
    expect(Date.now() - started).toBeLessThan(10_000);
    onlyThese(report, [DISCONNECT]);
  });

  it('oversized body', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isDisconnect(b),
        (a) => ({
          ...a,
          body: a.body.replace('</soap:Envelope>', `<!-- ${'x'.repeat(2 * 1024 * 1024)} --></soap:Envelope>`),
        }),
      ),
    );
    const report = await conform(f.url, { limits: { maxResponseBytes: 1024 * 1024 } });
    expect(result(report, DISCONNECT).message).toMatch(/^response body larger than 1048576 bytes/);
    onlyThese(report, [DISCONNECT]);
  });

  it('redirect to another origin: not followed, and the credential is not sent there', async () => {
    const elsewhere = createServer((req, res) => {
      elsewhereSeen.push(req.headers.authorization ?? '(none)');
      res.end('ok');
    });
    const elsewhereSeen: string[] = [];
    servers.push(elsewhere);
    const other = await listen(elsewhere, '127.0.0.2');
    const f = await faulty(async (req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(307, { location: `${other}/EWS/Exchange.asmx` }).end();
      return true;
    });
    const report = await conform(f.url, { headers: [['Authorization', SECRET]] });
    expect(result(report, DISCONNECT).message).toMatch(
      /^redirect to another origin \(http:\/\/127\.0\.0\.2:\d+\) not followed: credentials are never sent outside/,
    );
    expect(elsewhereSeen).toEqual([]);
    // Same-origin requests did carry it.
    expect(f.seen.some((s) => s.authorization === SECRET)).toBe(true);
    onlyThese(report, [DISCONNECT]);
  });
});

describe('matching rules that follow the protocol', () => {
  const json =
    (change: (body: Record<string, unknown>) => void) =>
    (a: Upstream): Upstream => {
      const body = JSON.parse(a.body) as Record<string, unknown>;
      change(body);
      const text = JSON.stringify(body);
      return { ...a, headers: { ...a.headers, 'content-length': String(Buffer.byteLength(text)) }, body: text };
    };

  it('tolerates members the docs do not show, and fails them under strict, naming each', async () => {
    const JOIN = 'graph/api-reference/beta/api/application-post-calls#join-meeting-app-hosted-media/request';
    const isJoin = (b: string) => b.includes('appHostedMediaConfig') && b.includes('allowConversationWithoutHost');
    const f = await faulty(
      rewrite(
        (_r, b) => isJoin(b),
        json((body) => {
          body['incomingContext'] = null;
          body['callOptions'] = { hideBotAfterEscalation: false };
        }),
      ),
    );
    onlyThese(await conform(f.url), []);
    const strict = await conform(f.url, { strict: true });
    expect(result(strict, JOIN).message).toMatch(
      new RegExp(
        [
          String.raw`^member incomingContext: not documented, in the response \(--strict\): null; `,
          String.raw`member callOptions: not documented, in the response \(--strict\): \{1 members\} \(documented at`,
        ].join(''),
      ),
    );
    // A truncated example (`"truncated": true`) documents a subset: strict does not make its other members fail.
    onlyThese(strict, [JOIN]);
  });

  it('lists every difference of a case, not only the first', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isCreate1(b),
        json((body) => {
          body['state'] = 'established';
          delete body['mediaConfig'];
          (body['requestedModalities'] as string[]).push('video');
        }),
      ),
    );
    const report = await conform(f.url);
    const r = result(report, CREATE_1);
    expect(r.message).toMatch(
      new RegExp(
        [
          '^member state: documented "establishing", got "established"; ',
          String.raw`member mediaConfig: documented, missing from the response \(documented at`,
        ].join(''),
      ),
    );
    // truncated: an extra item passes
    expect(r.checks.map((c) => c.path)).toEqual(['body $.state', 'body $.mediaConfig']);
    expect(r.checks.map((c) => c.docLine)).toEqual([159, 200]);
    onlyThese(report, [CREATE_1]);
  });

  it('a documented value the request sent must come back as sent, not just in its shape', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isCreate1(b),
        json((body) => {
          const user = (
            (body['targets'] as Record<string, unknown>[])[0]!['identity'] as Record<string, Record<string, string>>
          )['user']!;
          user['id'] = '00000000-1111-4222-8333-444444444444';
        }),
      ),
    );
    const report = await conform(f.url);
    expect(result(report, CREATE_1).message).toMatch(
      new RegExp(
        [
          String.raw`^member targets\[0\]\.identity\.user\.id: documented "112f7296-5fa4-42ca-bae8-6a692b15d4b8" `,
          String.raw`\(echoes the request: must be "112f7296-5fa4-42ca-bae8-6a692b15d4b8"\), `,
          'got "00000000-1111-4222-8333-444444444444"',
        ].join(''),
      ),
    );
    onlyThese(report, [CREATE_1]);
  });
});

describe('review findings', () => {
  it('a JSON answer with a byte-order mark is read as JSON, as a client would', async () => {
    const f = await faulty(
      rewrite(
        (_r, b) => isCreate1(b),
        (a) => ({
          ...a,
          headers: { ...a.headers, 'content-length': String(Buffer.byteLength(a.body) + 3) },
          body: `\uFEFF${a.body}`,
        }),
      ),
    );
    onlyThese(await conform(f.url), []);
  });

  it('a scenario that names {{callbackUrl}} gets the receiver even when no notification case is selected', async () => {
    const { startGraphCalls } = await import('./implementations/graph-calls.js');
    const service = await startGraphCalls();
    try {
      const CASE = 'graph/api-reference/beta/api/application-post-calls#create-call-app-hosted-media/request';
      const scenarios: Scenario[] = [
        {
          file: 'inline',
          page: 'graph/api-reference/beta/api/application-post-calls',
          patch: { 'create-call-app-hosted-media/request': { callbackUri: '{{callbackUrl}}' } },
        },
      ];
      const report = await conform(service.url, { scenarios, cases: [CASE] });
      expect(report.results.map((r) => [r.caseId, r.status, r.message])).toEqual([[CASE, 'passed', 'conforms']]);
    } finally {
      await service.close();
    }
  });

  it("a scenario's skip keys may be globs: a subset of a page without listing every id", async () => {
    const scenarios: Scenario[] = [
      {
        file: 'inline',
        page: 'graph/api-reference/beta/api/application-post-calls',
        skip: { 'join-*': 'no meetings yet' },
      },
    ];
    const report = await conform(docs.url, {
      scenarios,
      cases: ['graph/api-reference/beta/api/application-post-calls'],
    });
    const joins = report.results.filter((r) => r.sampleId.startsWith('join-'));
    expect(joins.length).toBe(6);
    expect(joins.every((r) => r.status === 'skipped' && r.message === 'skipped: no meetings yet')).toBe(true);
    expect(report.results.filter((r) => r.sampleId.startsWith('create-')).every((r) => r.status === 'passed')).toBe(
      true,
    );
  });

  it('a scenario whose notificationTimeoutMs is no number is a usage error, not a hang', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-scenario-'));
    try {
      await writeFile(path.join(dir, 'bad.json'), '{ "page": "x", "notificationTimeoutMs": "300" }');
      await expect(conform(docs.url, { scenarios: dir })).rejects.toThrow(
        'bad.json: `notificationTimeoutMs` must be a whole number of milliseconds',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('credentials never appear in any output', () => {
  it('text, JSON and JUnit stay clean even when a hostile server echoes the token', async () => {
    const f = await faulty(async (req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(200, { 'content-type': 'text/xml' }).end(`${req.headers.authorization}`);
      return true;
    });
    for (const format of ['text', 'json', 'junit']) {
      let stdout = '';
      let stderr = '';
      const code = await run(
        [
          'conformance',
          'docs',
          '--target',
          f.url,
          '--format',
          format,
          '--timeout',
          '2000',
          '--header',
          `Authorization: ${SECRET}`,
        ],
        {
          stdout: (t) => {
            stdout += t;
          },
          stderr: (t) => {
            stderr += t;
          },
          cwd: repoRoot,
          color: false,
        },
      );
      expect(code).toBe(1);
      expect(stdout + stderr).not.toContain('s3cr3t');
      expect(stdout).toContain('disconnect-request-example/code#1');
      // The request dump shows what was sent, with the credential redacted.
      if (format === 'json')
        expect(JSON.parse(stdout).results[0].request.headers).toContainEqual(['Authorization', '[REDACTED]']);
      if (format === 'text') expect(stdout).toContain('Authorization: [REDACTED]');
    }
  });

  it('results streamed to onResult are the final ones: redacted, with the request dump, each case once', async () => {
    const f = await faulty(async (req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`echo: ${req.headers.authorization}`);
      return true;
    });
    const streamed: CaseResult[] = [];
    const report = await conform(f.url, {
      headers: [['Authorization', SECRET]],
      onResult: (r) => streamed.push(structuredClone(r)),
    });
    expect(streamed.map((r) => r.caseId).sort()).toEqual(report.results.map((r) => r.caseId).sort());
    expect(streamed).toEqual(expect.arrayContaining(report.results));
    const failed = streamed.find((r) => r.caseId === DISCONNECT)!;
    expect(failed.status).toBe('failed');
    expect(failed.request?.headers).toContainEqual(['Authorization', '[REDACTED]']);
    expect(JSON.stringify(streamed)).not.toContain('s3cr3t');
  });

  it('a credential under any header name is redacted in the request dump and the checks', async () => {
    const token = 'custom-credential-4711';
    const f = await faulty(async (req, body, res) => {
      if (!isDisconnect(body)) return false;
      res
        .writeHead(500, { 'content-type': 'text/plain', 'x-echo': String(req.headers['x-custom-token']) })
        .end(`echo: ${req.headers['x-custom-token']}`);
      return true;
    });
    const report = await conform(f.url, { headers: [['X-Custom-Token', token]] });
    expect(result(report, DISCONNECT).status).toBe('failed');
    expect(result(report, DISCONNECT).request?.headers).toContainEqual(['X-Custom-Token', '[REDACTED]']);
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it('compares first and redacts the report: a credential cut short in a quoted body is still cut out', async () => {
    const bare = SECRET.split(' ')[1]!;
    const f = await faulty(async (_req, body, res) => {
      if (!isCreate1(body)) return false;
      // Not JSON: the message quotes the first 40 characters, which end inside the token.
      res.writeHead(201, { 'content-type': 'application/json' }).end(`${'x'.repeat(30)}${bare} trailing`);
      return true;
    });
    const report = await conform(f.url, { headers: [['Authorization', SECRET]] });
    expect(result(report, CREATE_1).message).toMatch(/; body: documented JSON, got not JSON \(.*\): x+\[REDACTED/);
    expect(JSON.stringify(report)).not.toContain(bare.slice(0, 6));
  });

  it('an ordinary --header changes no verdict: only credential headers are redacted', async () => {
    const report = await conform(docs.url, {
      headers: [
        ['Accept', 'application/json'],
        ['X-Client-Tag', 'audio'],
        ['X-Api-Key', 'k3y-value-4711'],
      ],
    });
    expect(report.summary).toEqual({ passed: 25, failed: 0, skipped: 0, errors: 0 });
    const { secretsOf } = await import('../src/util/secrets.js');
    expect(
      secretsOf({
        headers: [
          ['Accept', 'application/json'],
          ['X-Client-Tag', 'audio'],
          ['Ocp-Apim-Subscription-Key', 'k3y-4711'],
          ['Cookie', 'a=b; c=d'],
        ],
      }),
    ).toEqual(['k3y-4711', 'a=b; c=d']);
  });

  it('redacts a header value and its bare token, longest first', async () => {
    const { redact, secretsOf } = await import('../src/util/secrets.js');
    const secrets = secretsOf({
      headers: [
        ['Authorization', SECRET],
        ['X-Api-Key', 'abc'],
      ],
    });
    expect(secrets).toEqual([SECRET, 's3cr3t-T0KEN-never-printed']);
    expect(redact(`got ${SECRET} and s3cr3t-T0KEN-never-printed`, secrets)).toBe('got [REDACTED] and [REDACTED]');
  });
});

describe('scenario baselines', () => {
  it('skip, expectFailure and teardown', async () => {
    const seenTeardown: string[] = [];
    const f = await faulty(async (req, body, res, answer) => {
      if (req.method === 'DELETE') seenTeardown.push(req.url ?? '');
      if (!isDisconnect(body)) return false;
      const a = await answer();
      res.writeHead(500, a.headers).end(a.body);
      return true;
    });
    const scenarios: Scenario[] = [
      {
        file: 'inline',
        page: 'exchange/web-service-reference/disconnect-operation-um-web-service',
        expectFailure: { 'disconnect-request-example/code#1': 'the test server answers 500' },
      },
      {
        file: 'inline',
        page: 'graph/api-reference/beta/api/application-post-calls',
        notificationTimeoutMs: 200,
        skip: {
          'create-call-app-hosted-media/request': 'not implemented yet',
          'join-channel-meeting-as-guest-service-hosted-media/request': 'no guests yet',
        },
        expectFailure: { 'create-group-call-service-hosted-media/request': 'documented as failing, but it passes' },
        teardown: [
          {
            name: 'hang up',
            request: { page: 'graph/api-reference/beta/api/call-delete', sample: 'delete-call-1/request' },
          },
        ],
      },
    ];
    const report = await conform(f.url, { scenarios });
    expect(result(report, DISCONNECT)).toMatchObject({ status: 'skipped' });
    expect(result(report, DISCONNECT).message).toMatch(
      /^expected failure \(the test server answers 500\): status: documented 200, got 500/,
    );
    expect(
      result(report, 'graph/api-reference/beta/api/application-post-calls#create-call-app-hosted-media/request'),
    ).toMatchObject({ status: 'skipped', message: 'skipped: not implemented yet' });
    expect(
      result(
        report,
        'graph/api-reference/beta/api/application-post-calls#create-group-call-service-hosted-media/request',
      ),
    ).toMatchObject({
      status: 'failed',
      message:
        'expected to fail (documented as failing, but it passes) but passed: ' +
        "remove it from the scenario's expectFailure",
    });
    // A skipped request takes the notification it triggers with it; every case has a result.
    expect(
      result(
        report,
        'graph/api-reference/beta/api/application-post-calls#examples/example-10-join-channel-meeting-as-a-guest-with-service-hosted-media/notification---roster#1',
      ),
    ).toMatchObject({ status: 'skipped', message: 'skipped: its request is skipped' });
    expect(report.results).toHaveLength(25);
    // One DELETE is the call-delete page's own case, the other the teardown of the create-call page.
    expect(seenTeardown).toEqual([
      '/beta/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896',
      '/beta/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896',
    ]);
  });
});

describe('hostile servers: each ends as a failed or errored case within the limits, and the run goes on', () => {
  it('an endless body', async () => {
    const f = await faulty(async (_req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (res.write(chunk)) {
          /* until the socket pushes back */
        }
      };
      res.on('drain', pump);
      res.on('close', () => res.off('drain', pump));
      pump();
      return true;
    });
    const report = await conform(f.url, { limits: { maxResponseBytes: 512 * 1024, timeoutMs: 5000 } });
    expect(result(report, DISCONNECT).message).toMatch(/^response body larger than 524288 bytes/);
    onlyThese(report, [DISCONNECT]);
  });

  it('a gzip bomb', async () => {
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0)); // 64 MiB of zeros in about 64 KiB
    const f = await faulty(async (_req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end(bomb);
      return true;
    });
    const before = process.memoryUsage().rss;
    const report = await conform(f.url, { limits: { maxResponseBytes: 1024 * 1024 } });
    expect(result(report, DISCONNECT).message).toMatch(/^response body larger than 1048576 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    onlyThese(report, [DISCONNECT]);
  });

  it('a reset in the middle of the body', async () => {
    const f = await faulty(async (_req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '1000' });
      res.write('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Bo');
      setTimeout(() => res.socket?.destroy(), 50);
      return true;
    });
    const report = await conform(f.url);
    expect(result(report, DISCONNECT)).toMatchObject({ status: 'error' });
    expect(result(report, DISCONNECT).message).toMatch(/connection reset|terminated|other side closed/);
    onlyThese(report, [DISCONNECT]);
  });

  it('an invalid status line', async () => {
    const f = await faulty(async (_req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.socket?.end('HTTP/1.1 abc Not A Status\r\nContent-Length: 0\r\n\r\n');
      return true;
    });
    const report = await conform(f.url);
    expect(result(report, DISCONNECT)).toMatchObject({ status: 'error' });
    expect(result(report, DISCONNECT).message).toMatch(/^invalid HTTP response/);
    onlyThese(report, [DISCONNECT]);
  });

  it('a redirect loop', async () => {
    const f = await faulty(async (req, body, res) => {
      if (!isDisconnect(body) && !req.url?.startsWith('/loop')) return false;
      res.writeHead(307, { location: `/loop/${Number(req.url?.split('/')[2] ?? 0) + 1}` }).end();
      return true;
    });
    const report = await conform(f.url);
    expect(result(report, DISCONNECT).message).toMatch(/^redirect loop: more than 5 redirects/);
    onlyThese(report, [DISCONNECT]);
  });

  it('a redirect to a Location that is no URL', async () => {
    const f = await faulty(async (_req, body, res) => {
      if (!isDisconnect(body)) return false;
      res.writeHead(302, { location: 'http://[bad' }).end();
      return true;
    });
    const report = await conform(f.url);
    expect(result(report, DISCONNECT)).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^redirect to an invalid Location \("http:\/\/\[bad"\) not followed/),
    });
    onlyThese(report, [DISCONNECT]);
  });

  it('an entity bomb in the response', async () => {
    const lol =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
      `${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>` +
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol9;</soap:Body>` +
      `</soap:Envelope>`;
    const f = await faulty(
      rewrite(
        (_r, b) => isDisconnect(b),
        (a) => ({ ...a, body: lol }),
      ),
    );
    const started = performance.now();
    const report = await conform(f.url);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result(report, DISCONNECT).message).toMatch(
      /^body: documented XML without a DOCTYPE, got a DOCTYPE \(entities are never expanded/,
    );
    onlyThese(report, [DISCONNECT]);
  });
});
