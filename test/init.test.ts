/**
 * `lockstep init` on the bundled docs: what each case needs, the config and scenario skeletons it
 * writes (loadable as written, never overwriting), and the skeletons replayed against the docs server.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/errors.js';
import { formatInit, InitError, runInit, type InitResult } from '../src/cli/init.js';
import { caseNeeds, type PageNeeds } from '../src/conformance/needs.js';
import { runConformance } from '../src/conformance/run.js';
import { loadScenarios } from '../src/conformance/scenario.js';
import { loadPages } from '../src/index.js';
import { validateConfig } from '../src/lint/config.js';
import { RULE_IDS } from '../src/lint/rules/index.js';
import { docsDir } from './helpers/paths.js';
import { close, startDocsServer } from './helpers/servers.js';

const CALLS = 'graph/api-reference/beta/api/application-post-calls';
const DELETE = 'graph/api-reference/beta/api/call-delete';
const DISCONNECT = 'exchange/web-service-reference/disconnect-operation-um-web-service';
const CALL_ID = '57dab8b1-894c-409a-b240-bd8beae78896';
const CREATE_1 = 'create-call-service-hosted-media-1/request';
/** The create-call examples that document notifications. */
const NOTIFYING = [
  CREATE_1,
  'join-meeting-service-hosted-media/request',
  'join-channel-meeting-as-guest-service-hosted-media/request',
];
const SKELETONS = ['lockstep/scenarios/application-post-calls.json', 'lockstep/scenarios/call-delete.json'];

const temps: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-init-'));
  temps.push(dir);
  return dir;
};
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

/** JSON with comments, as lockstep's loaders read it; a syntax error fails the test. */
function jsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  expect(errors).toEqual([]);
  return value;
}

/** Every file under `dir`, by path relative to it, with its content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(f.parentPath, f.name);
    if (f.isFile()) out[path.relative(dir, file)] = await readFile(file, 'utf8');
  }
  return out;
}

describe('caseNeeds on the bundled docs', () => {
  let needs: PageNeeds[];
  const page = (id: string) => needs.find((p) => p.pageId === id)!;
  beforeAll(async () => {
    needs = caseNeeds((await loadPages([docsDir])).groups);
  });

  it('lists the pages that have cases; the Disconnect page runs as documented', () => {
    expect(needs.map((p) => p.pageId)).toEqual([DISCONNECT, CALLS, DELETE]);
    expect(page(DISCONNECT).cases.map((c) => [c.sampleId, c.nothing])).toEqual([
      ['disconnect-request-example/code#1', true],
    ]);
    expect(page(DISCONNECT).scenario).toBeNull();
  });

  it('call-delete: a call must be created (a POST to the collection, $.id captured), registering the receiver', () => {
    const [del, ...notifications] = page(DELETE).cases;
    expect(del).toMatchObject({ sampleId: 'delete-call-1/request', kind: 'exchange', variables: [], nothing: false });
    expect(del!.setup).toHaveLength(1);
    expect(del!.setup[0]).toMatchObject({
      literal: CALL_ID,
      collection: '/beta/communications/calls',
      resource: 'call',
      capture: 'callId',
      creator: { pageId: CALLS, sampleId: CREATE_1, status: 201 },
    });
    expect(del!.callbacks).toEqual({
      notifications: ['example/notification---terminating#1', 'example/notification---terminated#1'],
      via: 'setup',
      members: [{ path: '$.callbackUri', documented: 'https://bot.contoso.com/callback' }],
      patch: { callbackUri: '{{callbackUrl}}' },
    });
    expect(notifications.map((n) => [n.kind, n.trigger, n.callbacks?.via])).toEqual([
      ['notification', 'delete-call-1/request', 'setup'],
      ['notification', 'delete-call-1/request', 'setup'],
    ]);
    // What the bundled docs/.lockstep/scenarios/call-delete.json says by hand.
    expect(page(DELETE).scenario).toMatchObject({
      page: DELETE,
      setup: [
        {
          name: 'create a call',
          request: { page: CALLS, sample: CREATE_1 },
          patch: { callbackUri: '{{callbackUrl}}' },
          expectStatus: 201,
          capture: { callId: { json: '$.id' } },
        },
      ],
      substitute: { [CALL_ID]: '{{callId}}' },
    });
    expect(page(DELETE).scenario).not.toHaveProperty('vars');
    expect(page(DELETE).scenario).not.toHaveProperty('skip');
  });

  it('application-post-calls: the examples that document notifications register the receiver in their body', () => {
    const calls = page(CALLS);
    const registering = calls.cases.filter((c) => c.kind === 'exchange' && c.callbacks);
    expect(registering.map((c) => [c.sampleId, c.callbacks!.via, c.callbacks!.notifications.length])).toEqual([
      [NOTIFYING[0], 'request', 5],
      [NOTIFYING[1], 'request', 3],
      [NOTIFYING[2], 'request', 1],
    ]);
    expect(calls.cases.filter((c) => c.nothing)).toHaveLength(9);
    expect(calls.cases.every((c) => c.setup.length === 0 && c.variables.length === 0)).toBe(true);
    const patch = { callbackUri: '{{callbackUrl}}' };
    expect(calls.scenario!.patch).toEqual(Object.fromEntries(NOTIFYING.map((id) => [id, patch])));
  });
});

describe('lockstep init on the bundled docs', () => {
  let cwd: string;
  let first: InitResult;
  let docs: { server: Server; url: string };
  beforeAll(async () => {
    cwd = await tempDir();
    first = await runInit([docsDir], { cwd });
    docs = await startDocsServer();
  });
  afterAll(async () => {
    await close(docs.server);
  });

  it('writes a config and a skeleton for each page that needs one, and says what to do next', () => {
    expect(first.written).toEqual(['lockstep.config.json', ...SKELETONS]);
    expect(first.kept).toEqual([]);
    expect(first.pages.map((p) => [p.pageId, p.scenario])).toEqual([
      [DISCONNECT, null],
      [CALLS, SKELETONS[0]],
      [DELETE, SKELETONS[1]],
    ]);
    const shipped = (name: string) => path.join(docsDir, '.lockstep', 'scenarios', `${name}.json`);
    expect(formatInit(first)).toBe(
      [
        'wrote    lockstep.config.json',
        'wrote    lockstep/scenarios/application-post-calls.json: 3 requests register the callback receiver for ' +
          `9 notifications; 9 as documented (used instead of the docs' own: ${shipped('application-post-calls')})`,
        `wrote    lockstep/scenarios/call-delete.json: setup creates a call (application-post-calls#${CREATE_1}), ` +
          `{{callId}} replaces ${CALL_ID}; the setup registers the callback receiver for 2 notifications ` +
          `(used instead of the docs' own: ${shipped('call-delete')})`,
        `as documented: ${DISCONNECT} (1 case)`,
        '',
        'Next:',
        '  review lockstep/scenarios/, start your implementation, then replay the docs against it:',
        `  npx lockstep conformance ${docsDir} --target http://127.0.0.1:8080`,
        '',
      ].join('\n'),
    );
  });

  it('writes a config that passes validateConfig, points at the scenarios and shows every other key', async () => {
    const text = await readFile(path.join(cwd, 'lockstep.config.json'), 'utf8');
    expect(validateConfig(jsonc(text), 'lockstep.config.json', RULE_IDS)).toEqual({ scenarios: 'lockstep/scenarios' });
    expect(text).toMatch(/--target URL, or the LOCKSTEP_TARGET environment variable/);
    expect(text).toContain('  // "pathMap": { "/beta": "/" },');
    for (const key of ['cases', 'skipCases', 'notificationTimeout', 'callbackListen', 'callbackUrl', 'strict']) {
      expect(text).toContain(`  // "${key}": `);
    }
    // Each example, uncommented as it is, is a valid value of its key.
    const all = validateConfig(jsonc(text.replace(/^ {2}\/\/ (".*)$/gm, '  $1')), 'lockstep.config.json', RULE_IDS);
    expect(Object.keys(all)).toEqual([
      'scenarios',
      'pathMap',
      'cases',
      'skipCases',
      'notificationTimeout',
      'callbackListen',
      'callbackUrl',
      'strict',
      'soapPaths',
      'locales',
    ]);
    expect(all.pathMap).toEqual({ '/beta': '/' });
    expect(text.split('\n').filter((l) => l.length >= 120 && !l.includes(docsDir))).toEqual([]);
  });

  it('writes skeletons that loadScenarios reads as written: the suggested scenarios, no vars to fill', async () => {
    const loaded = await loadScenarios(path.join(cwd, 'lockstep', 'scenarios'));
    const needs = first.needs.filter((p) => p.scenario);
    const fileOf = (p: PageNeeds) => path.join(cwd, 'lockstep', 'scenarios', `${p.name}.json`);
    expect(loaded).toEqual(needs.map((p) => ({ ...p.scenario, file: fileOf(p) })));
    expect(loaded.every((s) => s.vars === undefined && s.skip === undefined)).toBe(true);
    const text = await readFile(path.join(cwd, SKELETONS[1]!), 'utf8');
    // Each case of the page is listed with what it needs.
    expect(text).toContain(
      [
        `//   delete-call-1/request (line 63): DELETE https://graph.microsoft.com/beta/communications/calls/${CALL_ID}`,
        `//       setup: the call ${CALL_ID} must exist: the setup step creates one, and {{callId}} replaces the id`,
        "//       callbacks: 2 documented notifications; the setup step registers lockstep's receiver at $.callbackUri",
        "//     example/notification---terminating#1 (line 107): its notification, awaited on lockstep's receiver",
        "//     example/notification---terminated#1 (line 136): its notification, awaited on lockstep's receiver",
      ].join('\n'),
    );
  });

  it('keeps what it finds at its output paths, byte for byte, and says so', async () => {
    const before = await snapshot(cwd);
    const again = await runInit([docsDir], { cwd });
    expect(await snapshot(cwd)).toEqual(before);
    expect(again.written).toEqual([]);
    expect(again.kept).toEqual(['lockstep.config.json', ...SKELETONS]);
    const lines = formatInit(again).split('\n');
    expect(lines[0]).toBe('kept     lockstep.config.json (already there; --force replaces it)');
    expect(lines[2]).toMatch(
      /^kept {5}lockstep\/scenarios\/call-delete\.json: .* \(already there; --force replaces it;/,
    );
  });

  it('replaces them only with force', async () => {
    const dir = await tempDir();
    await runInit([docsDir], { cwd: dir });
    const file = path.join(dir, SKELETONS[1]!);
    const original = await readFile(file, 'utf8');
    await writeFile(file, '{ "page": "mine" }\n');
    await runInit([docsDir], { cwd: dir });
    expect(await readFile(file, 'utf8')).toBe('{ "page": "mine" }\n');
    const forced = await runInit([docsDir], { cwd: dir, force: true });
    expect(forced.files.map((f) => f.status)).toEqual(['replaced', 'replaced', 'replaced']);
    expect(await readFile(file, 'utf8')).toBe(original);
    // No temporary file is left beside them.
    expect((await readdir(path.dirname(file))).sort()).toEqual(['application-post-calls.json', 'call-delete.json']);
  });

  it('replays: the skeletons, run against the docs server, pass every case, notifications included', async () => {
    const report = await runConformance([docsDir], {
      cwd,
      target: docs.url,
      scenarios: path.join(cwd, 'lockstep', 'scenarios'),
      notificationTimeoutMs: 2000,
      limits: { timeoutMs: 2000 },
    });
    expect(report.summary).toEqual({ passed: 25, failed: 0, skipped: 0, errors: 0 });
    const result = (caseId: string) => report.results.find((r) => r.caseId === caseId);
    expect(result(`${DELETE}#delete-call-1/request`)).toMatchObject({ status: 'passed' });
    for (const n of ['terminating', 'terminated']) {
      expect(result(`${DELETE}#example/notification---${n}#1`)).toMatchObject({
        status: 'passed',
        message: 'notification arrived in documented order and shape',
      });
    }
    const notifications = report.results.filter((r) => r.pageId === CALLS && r.sampleId.includes('/notification---'));
    expect(notifications.map((r) => r.status)).toEqual(Array(9).fill('passed'));
  });
});

describe('lockstep init: inputs and configs it does not own', () => {
  it('stops on a path that is not there, before writing anything', async () => {
    const cwd = await tempDir();
    const run = runInit([docsDir, 'no-such-docs'], { cwd });
    await expect(run).rejects.toBeInstanceOf(InitError);
    // A usage error: the CLI prints its message on one line and exits 2.
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow('no-such-docs: no such file or directory');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('leaves an existing .locksteprc.json alone and names the scenario folder in the command instead', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, '.locksteprc.json'), '{ "rules": {} }\n');
    const result = await runInit([docsDir], { cwd });
    expect(result.files[0]).toMatchObject({ path: '.locksteprc.json', status: 'kept' });
    expect(await readdir(cwd)).toEqual(['.locksteprc.json', 'lockstep']);
    expect(result.next).toBe(
      `npx lockstep conformance ${docsDir} --target http://127.0.0.1:8080` + ' --scenarios lockstep/scenarios',
    );
  });
});

describe('lockstep init on docs it cannot fully prepare', () => {
  const fence = (lang: string, text: string) => `\`\`\`${lang}\n${text}\n\`\`\`\n`;
  const request = (name: string, text: string) =>
    `<!-- { "blockType": "request", "name": "${name}" } -->\n${fence('http', text)}\n`;
  const response = (text: string) => `<!-- { "blockType": "response" } -->\n${fence('http', text)}\n`;
  const json = 'Content-Type: application/json\n\n';
  const WIDGET = '8f14e45f-ea8b-4a5c-9d3b-1c2d3e4f5a6b';
  const GADGET = '0a1b2c3d-1111-2222-3333-444455556666';

  it('asks for variables, skips what it cannot prepare with the reason, patches a nested callback URL', async () => {
    const root = await tempDir();
    const dir = path.join(root, 'docs', 'en-US', 'api');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'widget-create.md'),
      '# Create widget\n\n' +
        request('create-widget', `POST https://api.example.com/v1/tenants/{tenant}/widgets\n${json}{ "name": "w" }`) +
        response(`HTTP/1.1 201 Created\n${json}{ "id": "${WIDGET}", "name": "w" }`),
    );
    await writeFile(
      path.join(dir, 'widget-get.md'),
      '# Get widget\n\n' +
        request(
          'get-widget',
          `GET https://api.example.com/v1/tenants/{tenant}/widgets/${WIDGET}\n` + 'Authorization: Bearer {token}',
        ) +
        response(`HTTP/1.1 200 OK\n${json}{ "id": "${WIDGET}" }`) +
        request(
          'subscribe',
          `POST https://api.example.com/v1/gadgets/${GADGET}/subscribe\n${json}` +
            '{ "delivery": { "notificationUrl": "https://hooks.contoso.com/in", "format": "json" } }',
        ) +
        response('HTTP/1.1 202 Accepted') +
        `### Notification\n\n${fence('http', `POST https://hooks.contoso.com/in\n${json}{ "event": "subscribed" }`)}`,
    );
    const cwd = path.join(root, 'impl');
    await mkdir(cwd);
    const result = await runInit(['../docs'], { cwd });
    const skeletons = ['lockstep/scenarios/widget-create.json', 'lockstep/scenarios/widget-get.json'];
    expect(result.written).toEqual(['lockstep.config.json', ...skeletons]);
    const [create, get] = await loadScenarios(path.join(cwd, 'lockstep', 'scenarios'));
    expect(create).toMatchObject({ page: 'api/widget-create', vars: { tenant: '' } });
    expect(get).toMatchObject({
      page: 'api/widget-get',
      // The setup's own request needs {tenant} too; the bearer token is a credential, never a variable.
      vars: { tenant: '' },
      setup: [
        {
          request: { page: 'api/widget-create', sample: 'create-widget/request' },
          capture: { widgetId: { json: '$.id' } },
        },
      ],
      substitute: { [WIDGET]: '{{widgetId}}' },
      // A scenario patch sets top-level members: the nested URL is set through its parent.
      patch: { 'subscribe/request': { delivery: { notificationUrl: '{{callbackUrl}}', format: 'json' } } },
      skip: { 'subscribe/request': expect.stringMatching(`^needs the gadget ${GADGET} to exist, and no documented`) },
    });
    const text = await readFile(path.join(cwd, 'lockstep', 'scenarios', 'widget-get.json'), 'utf8');
    expect(text).toContain(`  // and add to substitute:\n  // { "${GADGET}": "{{gadgetId}}" }\n}`);
    expect(formatInit(result)).toContain(`  fill in the empty vars of ${skeletons.join(', ')}\n`);
  });
});
