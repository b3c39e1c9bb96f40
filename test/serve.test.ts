/** `lockstep serve`: documented answers, clear errors for the rest, and `npm start`'s whole job. */
import { execFile, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPages } from '../src/index.js';
import { createDocsServer, isLoopback } from '../src/serve/server.js';
import { runConformance } from '../src/conformance/run.js';
import { close, listen } from './helpers/servers.js';
import { repoRoot } from './helpers/paths.js';

let server: Server;
let url: string;
const logged: string[] = [];
beforeAll(async () => {
  const { groups } = await loadPages(['docs'], { cwd: repoRoot });
  server = createDocsServer(groups, { log: (l) => logged.push(l) });
  url = await listen(server);
});
afterAll(async () => {
  await close(server);
});

const soap = (operation: string, ns = 'https://schemas.microsoft.com/exchange/services/2006/messages') =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">` +
  `<soap:Body><${operation} xmlns="${ns}"/></soap:Body></soap:Envelope>`;

describe('the docs server', () => {
  it('answers a documented SOAP operation with its documented response', async () => {
    const r = await fetch(`${url}/EWS/Exchange.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: soap('Disconnect'),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(await r.text()).toContain(
      '<DisconnectResponse xmlns="https://schemas.microsoft.com/exchange/services/2006/messages" />',
    );
  });

  it('answers an unknown SOAP operation with a Fault naming the nearest documented one', async () => {
    const r = await fetch(`${url}/EWS/Exchange.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: soap('Disconect'),
    });
    expect(r.status).toBe(500);
    const body = await r.text();
    expect(body).toContain('<soap:Fault>');
    expect(body).toContain(
      'no documented operation Disconect in https://schemas.microsoft.com/exchange/services/2006/messages; ' +
        'nearest documented operation: Disconnect',
    );
  });

  it('answers a SOAP request that carries a DTD with a Fault, expanding nothing', async () => {
    const dtd = '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x "Disconnect">]>';
    const r = await fetch(`${url}/EWS/Exchange.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `${dtd}${soap('Disconnect').replace(/^<\?xml[^>]*>/, '')}`,
    });
    expect(r.status).toBe(500);
    expect(await r.text()).toContain(
      '<faultstring>a SOAP message must not contain a Document Type Declaration</faultstring>',
    );
  });

  it(`lives on after malformed percent-encoding, \
and answers huge paths and operation names in bounded time`, async () => {
    const bad = await fetch(`${url}/beta/communications/calls/%`, { method: 'DELETE' });
    expect(bad.status).toBeLessThan(500);
    await bad.text();
    let started = performance.now();
    const long = await fetch(`${url}/${'a/'.repeat(7_500)}`);
    expect(long.status).toBe(404);
    expect(await long.text()).toContain('nearest: ');
    // The hint compared every route with the whole 15 KB path inside a sort: about 280 ms a request.
    expect(performance.now() - started).toBeLessThan(60);
    started = performance.now();
    const op = await fetch(`${url}/EWS/Exchange.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: soap(`X${'y'.repeat(100_000)}`),
    });
    expect(op.status).toBe(500);
    await op.text();
    expect(performance.now() - started).toBeLessThan(1_000);
    // Random requests (bounded: 300 of them): every one gets an answer, and the server still serves.
    let state = 42;
    const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pieces = [
      '%',
      '%zz',
      '%E0%A4%A',
      '..',
      'beta',
      'communications',
      'calls',
      '57dab8b1-894c-409a-b240-bd8beae78896',
      '{id}',
      '?',
      '#',
      ';',
      '\u00e9',
    ];
    const methods = ['GET', 'POST', 'DELETE', 'PATCH', 'PUT', 'OPTIONS'];
    for (let i = 0; i < 300; i++) {
      const path = Array.from(
        { length: 1 + Math.floor(random() * 5) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('/');
      const method = methods[Math.floor(random() * methods.length)]!;
      const body =
        method === 'GET' || method === 'OPTIONS'
          ? undefined
          : random() < 0.5
            ? '{"callbackUri": "http://127.0.0.1:9/x"'
            : soap('Disconnect');
      const r = await fetch(`${url}/${path}`, {
        method,
        body,
        headers: { 'content-type': random() < 0.5 ? 'application/json' : 'text/xml' },
      });
      expect(r.status, `${method} /${path}`).toBeGreaterThanOrEqual(200);
      await r.arrayBuffer();
    }
    expect(
      (
        await fetch(`${url}/EWS/Exchange.asmx`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml' },
          body: soap('Disconnect'),
        })
      ).status,
    ).toBe(200);
  });

  it('answers a malformed SOAP envelope with a Fault, never a crash', async () => {
    const r = await fetch(`${url}/EWS/Exchange.asmx`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Disconnect></soap:Body>',
    });
    expect(r.status).toBe(500);
    expect(await r.text()).toMatch(/<faultstring>malformed SOAP envelope: /);
  });

  it('matches literal ids and {placeholders} in paths', async () => {
    const r = await fetch(`${url}/beta/communications/calls/0b9a3c2e-1111-4a2b-8c3d-123456789abc`, {
      method: 'DELETE',
    });
    expect(r.status).toBe(204);
    expect(await r.text()).toBe('');
  });

  it('answers an unknown request with 404 naming the nearest documented one', async () => {
    const r = await fetch(`${url}/beta/communications/cals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(404);
    expect((await r.json()).error.message).toBe(
      'no documented request matches POST /beta/communications/cals; nearest: POST /beta/communications/calls',
    );
  });

  it('answers a malformed JSON body with 400', async () => {
    const r = await fetch(`${url}/beta/communications/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ "callbackUri": ',
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/^request body is not valid JSON: /);
  });

  it('logs one line per request', () => {
    expect(logged.some((l) => /^POST \/EWS\/Exchange\.asmx 200 \d+ms$/.test(l))).toBe(true);
    expect(
      logged.some((l) =>
        /^DELETE \/beta\/communications\/calls\/0b9a3c2e-1111-4a2b-8c3d-123456789abc 204 \d+ms$/.test(l),
      ),
    ).toBe(true);
  });

  it('sends notifications to loopback callbacks only', () => {
    expect(isLoopback('http://127.0.0.1:9/cb')).toBe(true);
    expect(isLoopback('http://[::1]:9/cb')).toBe(true);
    expect(isLoopback('https://bot.contoso.com/callback')).toBe(false);
    expect(isLoopback('http://10.0.0.1/cb')).toBe(false);
  });
});

describe('the docs server on a page with several examples of one request', () => {
  // A real Graph page: two GET /me/events/{id} examples, one with `Prefer: outlook.timezone` (answered
  // with `Preference-Applied`) and `$select`, the other another id and `$select`.
  it('answers each with its own documented response, so the page replays clean', async () => {
    const loaded = await loadPages(['fixtures/serve/event-get'], { cwd: repoRoot });
    const pageServer = createDocsServer(loaded.groups);
    const target = await listen(pageServer);
    try {
      const report = await runConformance([], {
        cwd: repoRoot,
        target,
        loaded,
        scenarios: [],
        limits: { timeoutMs: 5000 },
      });
      expect(report.results.map((r) => `${r.status} ${r.message}`)).toEqual(['passed conforms', 'passed conforms']);
      // The second example's own request: its id and query, no Prefer.
      const second = await fetch(
        `${target}/v1.0/me/events/AAMkADAGAADDdm4NAAA=?$select=subject,body,bodyPreview,organizer,attendees,start,end,location,locations`,
      );
      expect(second.headers.get('preference-applied')).toBeNull();
      expect(await second.text()).toContain('"locations"');
    } finally {
      await close(pageServer);
    }
  });
});

describe('lockstep serve', () => {
  it('listens, logs and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/lockstep.js', 'serve', 'docs', '--port', '0'], { cwd: repoRoot });
    let out = '';
    const started = new Promise<string>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      }),
    );
    const base = await started;
    expect(out).toMatch(/^lockstep serve: 14 documented exchanges on http:\/\/127\.0\.0\.1:\d+/);
    expect(
      (
        await fetch(`${base}/EWS/Exchange.asmx`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml' },
          body: soap('Disconnect'),
        })
      ).status,
    ).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/POST \/EWS\/Exchange\.asmx 200 \d+ms/);
  });
});

describe('npm start', () => {
  it('lints docs/, serves them, replays them, one report, exit 0', async () => {
    const { stdout } = await promisify(execFile)('npm', ['start', '--silent'], { cwd: repoRoot });
    expect(stdout).toContain('1. Lint: do the locales agree?');
    expect(stdout).toContain(
      '✖ 37 problems (6 errors, 31 warnings, 0 info): 11 pages in 4 page groups (pt-BR, ru-RU, zh-CN), 126 samples',
    );
    expect(stdout).toMatch(
      new RegExp(
        [
          String.raw`2\. Conformance: the documented requests replayed against the docs served on `,
          String.raw`http:\/\/127\.0\.0\.1:\d+ \(14 documented exchanges\)`,
        ].join(''),
      ),
    );
    expect(stdout).toContain(
      'Summary: lint 6 errors, 31 warnings, 0 info; conformance 25/25 passed, 0 failed, 0 skipped, 0 errors.',
    );
  });
});
