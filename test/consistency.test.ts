/**
 * Documented examples that contradict themselves (src/compare/consistency.ts): on the bundled
 * create-call page, on excerpts of real pages with true and false positives found on the Graph
 * corpus (fixtures/consistency), and on the normalizations one at a time.
 */
import { describe, expect, it } from 'vitest';
import {
  contradictions,
  exampleInconsistencies,
  guidDefect,
  malformedGuids,
  type Inconsistency,
} from '../src/compare/consistency.js';
import { loadPages, type LoadResult } from '../src/index.js';
import { exampleInconsistent } from '../src/lint/rules/example-inconsistent.js';
import { buildPage, type Page } from '../src/page/page.js';
import type { Sample } from '../src/sample/sample.js';
import { repoRoot } from './helpers/paths.js';
import { lintVirtual } from './helpers/virtual.js';

const row = (f: Inconsistency) => [f.kind, f.path, f.line, f.column, f.value];

/** Every documented pair of a page: its request and each response paired with it. */
function pairs(page: Page): [Sample, Sample][] {
  return page.samples
    .filter((s) => s.role === 'response' && s.pairedWith !== null)
    .map((s) => [page.samples.find((r) => r.id === s.pairedWith)!, s]);
}
const findingsOf = (page: Page) => pairs(page).flatMap(([req, res]) => exampleInconsistencies(req, res));

/** A request and its response on a small page; bodies are JSON texts. */
function pair(requestBody: string, responseBody: string, { method = 'POST', target = '/things', status = 201 } = {}) {
  const text = [
    '# Page',
    '',
    '```http',
    `${method} https://graph.microsoft.com/v1.0${target}`,
    'Content-Type: application/json',
    '',
    requestBody,
    '```',
    '',
    '```http',
    `HTTP/1.1 ${status} OK`,
    'Content-Type: application/json',
    '',
    responseBody,
    '```',
    '',
  ].join('\n');
  const file = { absPath: '/virtual/docs/en-US/page.md', displayPath: 'docs/en-US/page.md', root: '/virtual/docs' };
  const [request, response] = buildPage(file, text, [], text.length).samples;
  expect(response!.pairedWith).toBe(request!.id);
  return [request!, response!] as const;
}
const json = (v: object) => JSON.stringify(v, null, 2);
const contradicted = (request: object, response: object, options?: Parameters<typeof pair>[2]) =>
  contradictions(...pair(json(request), json(response), options)).map((f) => f.path);

const CALL_TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const MISTYPED_TENANT = '86dc81db-c112-4228-9222-63f3esaa1edb';
const MEETING_THREAD = '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2';

describe('guidDefect', () => {
  it('names what is wrong with a GUID-shaped value', () => {
    expect(guidDefect('d17646-3110-40b1-bae6-e9ac6c3f74')).toBe(
      'a group of 6 hex digits where 8 belong, and one of 10 where 12 belong',
    );
    expect(guidDefect(MISTYPED_TENANT)).toBe("the non-hex character 's' in its 5th group");
    expect(guidDefect('dk9cddce2-dce2-f9dd-e2dc-cdf9e2dccdf9')).toBe(
      "a group of 9 hex digits where 8 belong, and the non-hex character 'k' in its 1st group",
    );
    expect(guidDefect('{2d497bb-57bd-47a6-8749-5ccd0869f2bd}')).toBe('a group of 7 hex digits where 8 belong');
  });

  it('accepts GUIDs, placeholders and what does not look like a GUID', () => {
    for (const ok of [
      'd8217646-3110-40b1-bae6-e9ac6c3a9f74',
      '{D8217646-3110-40B1-BAE6-E9AC6C3A9F74}',
      '00000000-0000-0000-0000-000000000000',
      'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX',
      '12345678-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      '{guid}',
      '<guid>',
      '2019-03-15-abcd-ef',
      'call-back-test-run-ab',
      'my-team-site-home-page',
      'd8217646-3110-40b1-bae6',
      '5810cede-f3cc-42eb-e9bd5d53ec96',
      'd8217646-3110-40b1-bae6-e9ac6c3a9f74-12',
      '{d8217646-3110-40b1-bae6-e9ac6c3a9f74',
      'SHFT_577b75d2-a927-48c0-a5d1-dc984894e7b8',
    ])
      expect(guidDefect(ok), ok).toBeNull();
  });
});

describe('on docs/: the create-call page', async () => {
  const result = await loadPages(['docs'], { cwd: repoRoot });
  const page = (locale: string) =>
    result.pages.find((p) => p.file === `docs/${locale}/graph/api-reference/beta/api/application-post-calls.md`)!;

  it.each(['pt-BR', 'ru-RU', 'zh-CN'])('finds the contradictions and malformed GUIDs (%s)', (locale) => {
    expect(findingsOf(page(locale)).map(row)).toEqual([
      ['contradicts-request', '$.mediaConfig.preFetchMedia', 202, 22, '[2 items]'],
      ['malformed-guid', '$.callChainId', 646, 19, 'd17646-3110-40b1-bae6-e9ac6c3f74'],
      ['malformed-guid', '$.tenantId', 906, 16, MISTYPED_TENANT],
      ['contradicts-request', '$.meetingInfo.organizer.user.tenantId', 997, 22, CALL_TENANT],
      ['contradicts-request', '$.tenantId', 1005, 16, CALL_TENANT],
      ['malformed-guid', '$.tenantId', 1255, 16, MISTYPED_TENANT],
      ['malformed-guid', '$.tenantId', 1322, 16, MISTYPED_TENANT],
      ['malformed-guid', '$.tenantId', 1375, 16, MISTYPED_TENANT],
      ['malformed-guid', '$.tenantId', 1443, 16, MISTYPED_TENANT],
      ['contradicts-request', '$.chatInfo.threadId', 1696, 18, MEETING_THREAD],
      ['contradicts-request', '$.chatInfo.threadId', 1854, 18, MEETING_THREAD],
      ['contradicts-request', '$.mediaConfig.preFetchMedia', 2085, 22, '[2 items]'],
    ]);
  });

  it('says where and why, with both values and the request line', () => {
    const messages = findingsOf(page('pt-BR')).map((f) => f.message);
    expect(messages).toContain(
      '"d17646-3110-40b1-bae6-e9ac6c3f74" at $.callChainId looks like a GUID but is not one ' +
        '(a group of 6 hex digits where 8 belong, and one of 10 where 12 belong); a service cannot return it',
    );
    expect(messages).toContain(
      `documented response contradicts its request at $.tenantId: "${CALL_TENANT}" here, ` +
        `"${MISTYPED_TENANT}" in the request (line 906); a service that echoes the request cannot match it`,
    );
    expect(messages).toContain(
      'documented response contradicts its request at $.mediaConfig.preFetchMedia: 2 items ' +
        'here, none in the request, which sends that object with only its type (line 109); a service that echoes the ' +
        'request cannot match it',
    );
    expect(messages).toContain(
      `"${MISTYPED_TENANT}" at $.tenantId looks like a GUID but is not one ` +
        "(the non-hex character 's' in its 5th group); a service that validates it must reject the request",
    );
    // Long values that share a beginning are shown from where they part.
    expect(messages.find((m) => m.includes('$.chatInfo.threadId'))).toContain(
      '"19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm… here, ' +
        '"19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype" in the request (line 1624)',
    );
  });

  it('does not take @odata.type, which the service states, for data the request set', () => {
    // Example 3's request types a target `#microsoft.graph.participantInfo`, its response `invitationParticipantInfo`.
    const example3 = findingsOf(page('pt-BR')).filter((f) => f.line >= 600 && f.line <= 700);
    expect(example3.map((f) => f.path)).toEqual(['$.callChainId']);
  });

  it('finds nothing in the call-delete and Disconnect pages', () => {
    const others = result.pages.filter((p) => !p.file.includes('application-post-calls'));
    expect(others.flatMap(findingsOf)).toEqual([]);
    expect(others.flatMap((p) => p.samples.flatMap(malformedGuids))).toEqual([]);
  });
});

describe('on excerpts of real pages (fixtures/consistency)', async () => {
  const result: LoadResult = await loadPages(['fixtures/consistency'], { cwd: repoRoot });
  const found = (name: string) => findingsOf(result.pages.find((p) => p.file.endsWith(`/${name}.md`))!).map(row);

  it('finds a response that shows another UTC time than was set (mailbox settings), not a status re-cased', () => {
    const replies = '$.automaticRepliesSetting';
    expect(found('user-update-mailboxsettings')).toEqual([
      ['contradicts-request', `${replies}.scheduledStartDateTime.dateTime`, 67, 26, '2016-03-20T02:00:00.0000000'],
      ['contradicts-request', `${replies}.scheduledEndDateTime.dateTime`, 71, 26, '2016-03-28T02:00:00.0000000'],
    ]);
  });

  it('finds a mangled URL and a malformed GUID sent and echoed (linked resource)', () => {
    expect(found('todotask-post-linkedresources')).toEqual([
      ['malformed-guid', '$.externalId', 36, 18, 'dk9cddce2-dce2-f9dd-e2dc-cdf9e2dccdf9'],
      ['contradicts-request', '$.webUrl', 57, 14, 'http:://microsoft.com'],
      ['malformed-guid', '$.externalId', 60, 18, 'dk9cddce2-dce2-f9dd-e2dc-cdf9e2dccdf9'],
    ]);
  });

  it('finds swapped ids, but not the id a POST lets the service assign (meeting registrant)', () => {
    expect(found('externalmeetingregistrant-post')).toEqual([
      ['contradicts-request', '$.userId', 104, 14, '909c6581-5130-43e9-88f3-fcb3582cde37'],
      ['contradicts-request', '$.tenantId', 105, 16, 'cc515404-b55c-466e-b896-992c918ecc01'],
    ]);
  });

  it('finds GUIDs a digit too long or short in XML text, at their line and column (EWS)', () => {
    const path = '/Envelope/Body/GetSearchableMailboxesResponse/SearchableMailboxes/SearchableMailbox/Guid';
    expect(found('getsearchablemailboxes-operation')).toEqual([
      ['malformed-guid', path, 52, 17, 'e2d42cdf-a227-1ec3-486b-6fa0ebaadb9f5'],
      ['malformed-guid', path, 61, 17, '45d0fff1-6541-459a-a343-52453b30e12ca'],
      ['malformed-guid', path, 70, 17, '3c620d04-8b33-435a-95be-5b939375576'],
    ]);
  });

  // False positives of earlier versions on the Graph corpus: a correct service produces these responses.
  it.each([
    ['rbacapplication-post-roleassignmentschedulerequests', 'a past start moved to when the request completed'],
    ['outlooktaskfolder-post-tasks', 'times converted to UTC, a text body rendered as HTML'],
    ['onlinemeeting-createorget', 'createOrGet returning the meeting that already exists'],
    ['call-updaterecordingstatus', 'a request listing the choices (`notRecording | recording | failed`)'],
  ])('stays silent on %s: %s', (name) => {
    expect(found(name)).toEqual([]);
  });
});

describe('what a service may return for what it was sent', () => {
  it('reports a different scalar at the same path', () => {
    expect(
      contradicted({ displayName: 'Day shift', theme: 'blue' }, { displayName: 'Dayshift', theme: 'blue' }),
    ).toEqual(['$.displayName']);
    expect(contradicted({ n: 1, flag: true }, { n: 2, flag: false })).toEqual(['$.n', '$.flag']);
    expect(contradicted({ a: { 'b-c': ['x', 'y'] } }, { a: { 'b-c': ['x', 'z'] } })).toEqual(['$.a["b-c"][1]']);
  });

  it('accepts case, spacing in lists, decoration, precision and another writing of one instant', () => {
    expect(
      contradicted(
        { type: 'NoExpiration', sources: 'mailbox, site', name: 'jobGroup', query: '/users/1', n: 1 },
        {
          type: 'noExpiration',
          sources: 'mailbox,site',
          name: 'extension_25_jobGroup',
          query: '/v1.0/users/1',
          n: 1.0,
        },
      ),
    ).toEqual([]);
    expect(
      contradicted(
        { at: '2016-07-30T11:00:00.000Z', local: '2017-04-15T12:00:00', date: '2020-09-08T12:02:30.667Z' },
        { at: '2016-07-30T11:00:00Z', local: '2017-04-15T12:00:00.0000000', date: '2020-09-08' },
      ),
    ).toEqual([]);
    expect(contradicted({ end: '2019-07-12T15:00:34-07:00' }, { end: '2019-07-12T22:00:34Z' })).toEqual([]);
    expect(contradicted({ end: '2019-07-12T15:00:34-07:00' }, { end: '2019-07-11T02:47:17Z' })).toEqual(['$.end']);
  });

  it('skips what the service sets, converts or renders', () => {
    expect(
      contradicted(
        { '@odata.type': 'microsoft.graph.room', createdDateTime: '2019-01-01T00:00:00Z', orderHint: ' !' },
        { '@odata.type': '#microsoft.graph.room', createdDateTime: '2020-01-01T00:00:00Z', orderHint: '8585' },
      ),
    ).toEqual([]);
    expect(
      contradicted(
        { expirationDateTime: '2019-10-30T23:59:00Z', body: { contentType: 'Text', content: 'Hi' } },
        { expirationDateTime: '2019-10-28T22:05:36Z', body: { contentType: 'text', content: '<p>Hello</p>' } },
      ),
    ).toEqual([]);
    const at = (dateTime: string, timeZone: string) => ({ start: { dateTime, timeZone } });
    const [noon, seven] = ['2017-04-15T12:00:00', '2017-04-15T19:00:00'];
    expect(contradicted(at(noon, 'Pacific Standard Time'), at(seven, 'UTC'))).toEqual([]);
    expect(contradicted(at(noon, 'UTC'), at(seven, 'UTC'))).toEqual(['$.start.dateTime']);
  });

  it('skips values that say nothing: null, blank, masked, elided, variables, choices, another JSON type', () => {
    expect(
      contradicted(
        { password: 'MyPassword', contentData: 'UmVj', note: 'x', parent: '{new-parent-id}', blob: '<Media Config>' },
        { password: '******', contentData: '', note: null, parent: '1231203102!1011', blob: 'abc' },
      ),
    ).toEqual([]);
    expect(
      contradicted(
        { status: 'a | b', ttl: '60', on: 'true', data: 'UmVjZWl2ZWQ...' },
        { status: 'completed', ttl: 59, on: true, data: 'UmVjZWl2ZWQ6' },
      ),
    ).toEqual([]);
  });

  it('compares list items by position only when both lists are as long', () => {
    expect(contradicted({ days: ['Monday', 'Tuesday'] }, { days: ['tuesday', 'monday'] })).toEqual([
      '$.days[0]',
      '$.days[1]',
    ]);
    expect(contradicted({ days: ['Monday'] }, { days: ['tuesday', 'monday'] })).toEqual([]);
  });

  it('finds a list shown in an object a POST or PUT sends with nothing but its type', () => {
    const typed = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
    const sent = { mediaConfig: typed };
    const shown = { mediaConfig: { ...typed, preFetchMedia: [{ uri: 'https://cdn.contoso.com/beep.wav' }] } };
    expect(contradicted(sent, shown)).toEqual(['$.mediaConfig.preFetchMedia']);
    expect(contradicted(sent, shown, { method: 'PUT', status: 200 })).toEqual(['$.mediaConfig.preFetchMedia']);
    // A PATCH leaves what was there; other members of the object, empty lists and other values may be defaults.
    expect(contradicted(sent, shown, { method: 'PATCH', status: 200 })).toEqual([]);
    const blob = { blob: 'x' };
    expect(
      contradicted({ mediaConfig: { ...typed, ...blob } }, { mediaConfig: { ...shown.mediaConfig, ...blob } }),
    ).toEqual([]);
    expect(contradicted(sent, { mediaConfig: { ...typed, preFetchMedia: [], mute: false } })).toEqual([]);
    // The resource itself gains what the service computes (`activeModalities`).
    expect(contradicted(typed, { ...typed, activeModalities: ['audio'] })).toEqual([]);
  });

  it('lets a POST assign the new resource its id, but not a PATCH', () => {
    const assigned = { id: '713980c7-80c7-7139-c780-3971c7803971' };
    expect(contradicted({ id: 'contosohr' }, assigned)).toEqual([]);
    expect(contradicted({ id: 'Sms' }, assigned, { method: 'PATCH', status: 200 })).toEqual(['$.id']);
  });

  it('compares only success responses, and not what an upsert returns', () => {
    expect(contradicted({ a: 'x' }, { a: 'y' }, { status: 400 })).toEqual([]);
    const upsert = { target: '/me/onlineMeetings/createOrGet', status: 200 };
    expect(contradicted({ a: 'x' }, { a: 'y' }, upsert)).toEqual([]);
  });

  it('reads a body whose only defect is a trailing comma, and no other broken body', () => {
    expect(contradictions(...pair('{ "a": "x" }', '{ "a": "y", }')).map((f) => f.path)).toEqual(['$.a']);
    expect(contradictions(...pair('{ "a": "x" }', '{ "a": "y" "b": 1 }'))).toEqual([]);
  });

  it('exampleInconsistencies joins both kinds from both samples, in page order', () => {
    const [request, response] = pair(`{ "tenantId": "${MISTYPED_TENANT}" }`, `{ "tenantId": "${CALL_TENANT}" }`);
    expect(exampleInconsistencies(request, response).map((f) => [f.kind, f.line])).toEqual([
      ['malformed-guid', 7],
      ['contradicts-request', 14],
    ]);
  });
});

describe('rule example-inconsistent: once per page group, on the source when it is known', () => {
  const HASH = '42e069233fbfc255d43983571c0bb28475a1fe90';
  const page =
    (tenant: string, hash = HASH, handoff = '09/24/2021', after = '') =>
    (locale: string) => `---
ms.contentlocale: ${locale}
ms.openlocfilehash: ${hash}
ms.lasthandoff: ${handoff}
---
# <a name="create"></a>Create

\`\`\`http
POST https://graph.microsoft.com/v1.0/things
Content-Type: application/json

{ "tenantId": "${CALL_TENANT}" }
\`\`\`

\`\`\`http
HTTP/1.1 201 Created
Content-Type: application/json

{ "tenantId": "${tenant}"${after} }
\`\`\`
`;
  const bad = page('86dc81db-c112-4228-9222-63f3ecaa1edb');
  const good = page(CALL_TENANT);
  const lint = (pages: Record<string, (locale: string) => string>, source: string | null = null) => {
    const files = Object.fromEntries(Object.entries(pages).map(([l, p]) => [`${l}/page.md`, p(l)]));
    return lintVirtual(files, [exampleInconsistent], source).map((d) => [
      d.locale,
      d.line,
      d.column,
      d.severity,
      d.related?.map((r) => r.locale),
    ]);
  };

  it('reports a defect every locale has once, with the other locales related', () => {
    expect(lint({ 'pt-BR': bad, 'ru-RU': bad, 'zh-CN': bad })).toEqual([
      ['pt-BR', 19, 16, 'warning', ['ru-RU', 'zh-CN']],
    ]);
    expect(lint({ 'pt-BR': bad, 'ru-RU': bad, 'zh-CN': bad }, 'ru-RU')).toEqual([
      ['ru-RU', 19, 16, 'warning', ['pt-BR', 'zh-CN']],
    ]);
  });

  it('leaves a defect only some locales of a revision have to sample-mismatch', () => {
    expect(lint({ 'pt-BR': bad, 'ru-RU': good, 'zh-CN': bad })).toEqual([]);
    // The source decides: fixed there, the others are behind.
    expect(lint({ 'pt-BR': bad, 'ru-RU': good, 'zh-CN': bad }, 'ru-RU')).toEqual([]);
  });

  it('leaves a defect only an older revision has to stale-translation, and reports one the newest has', () => {
    const older = ['a1268f9b1ee0e55db0b23f5aac3cd5e7b1ba62b2', '06/03/2020'] as const;
    const staleBad = page('86dc81db-c112-4228-9222-63f3ecaa1edb', ...older);
    const staleGood = page(CALL_TENANT, ...older);
    expect(lint({ 'pt-BR': good, 'ru-RU': staleBad, 'zh-CN': staleBad })).toEqual([]);
    expect(lint({ 'pt-BR': bad, 'ru-RU': staleGood, 'zh-CN': staleGood })).toEqual([['pt-BR', 19, 16, 'warning', []]]);
  });

  it('does not count a locale where the response does not parse against the others', () => {
    const broken = page(CALL_TENANT, HASH, '09/24/2021', ' "x": 1');
    expect(lint({ 'pt-BR': bad, 'ru-RU': broken, 'zh-CN': bad })).toEqual([['pt-BR', 19, 16, 'warning', ['zh-CN']]]);
  });
});
