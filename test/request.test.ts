import { describe, expect, it } from 'vitest';
import { buildRequest, TemplateError } from '../src/conformance/request.js';
import { valueMatcher } from '../src/conformance/volatile.js';
import { buildPage } from '../src/page/page.js';

const page = (body: string) =>
  buildPage(
    { absPath: '/v/docs/pt-BR/p.md', displayPath: 'docs/pt-BR/p.md', root: '/v/docs' },
    `# T\n\n${body}`,
    [],
    0,
  );

describe('building requests from samples', () => {
  it('rebases absolute URLs onto the target, keeping path and query, with a base path', () => {
    const rebase = (documented: string, target: string) =>
      buildRequest(page(`\`\`\`http\nGET ${documented}\n\`\`\`\n`).samples[0]!, { target }).url;
    expect(rebase('https://graph.microsoft.com/beta/me/events?$top=2', 'http://127.0.0.1:8080/api/')).toBe(
      'http://127.0.0.1:8080/api/beta/me/events?$top=2',
    );
    expect(rebase('/communications/calls', 'http://localhost:3000')).toBe('http://localhost:3000/communications/calls');
  });

  it('fills {placeholders} from variables, names a missing one, and never sends documented credentials', () => {
    const [s] = page(
      '```http\nGET https://graph.microsoft.com/v1.0/users/{id}/messages\nAuthorization: Bearer {token}\n' +
        'Prefer: outlook.body-content-type="text"\n```\n',
    ).samples;
    const r = buildRequest(s!, {
      target: 'http://127.0.0.1:1',
      vars: { id: 'a b' },
      headers: [['Authorization', 'Bearer real']],
    });
    expect(r.url).toBe('http://127.0.0.1:1/v1.0/users/a%20b/messages');
    expect(r.headers).toEqual([
      ['Prefer', 'outlook.body-content-type="text"'],
      ['Authorization', 'Bearer real'],
    ]);
    expect(() => buildRequest(s!, { target: 'http://127.0.0.1:1' })).toThrow(TemplateError);
    expect(() => buildRequest(s!, { target: 'http://127.0.0.1:1' })).toThrow(/placeholder \{id\}/);
  });

  it(`says a documented target that is no URL cannot be sent, \
and still takes its origin from the other samples`, async () => {
    const { documentedOrigins, planRequest } = await import('../src/conformance/request.js');
    const { samples } = page(
      '```http\nGET https://example.com:99999/x\n```\n\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n',
    );
    expect(planRequest(samples[0]!, { target: 'http://127.0.0.1:1' })).toEqual({
      problem: 'request target https://example.com:99999/x is not a valid URL',
    });
    expect(planRequest(samples[1]!, { target: 'http://127.0.0.1:1/base/' }).request?.url).toBe(
      'http://127.0.0.1:1/base/v1.0/me',
    );
    expect(documentedOrigins(samples)).toEqual(['https://graph.microsoft.com']);
    expect(() => buildRequest(samples[0]!, { target: 'http://127.0.0.1:1' })).toThrow(TemplateError);
  });

  it(`fills {{templates}} and scenario substitutions into target, headers and body, \
leaving the documented sample as it was`, async () => {
    const { planRequest } = await import('../src/conformance/request.js');
    const [s] = page(
      '```http\nPOST https://graph.microsoft.com/v1.0/users/{id}/items\nIf-Match: {{etag}}\n' +
        'Content-Type: application/json\n\n{"name": "{{name}}", "owner": "doc-owner"}\n```\n',
    ).samples;
    const options = {
      target: 'http://127.0.0.1:1',
      vars: { id: 'u1', etag: 'W/"1"', name: 'n1', who: 'me' },
      substitute: { 'doc-owner': '{{who}}' },
    };
    expect(planRequest(s!, options).request).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:1/v1.0/users/u1/items',
      headers: [
        ['If-Match', 'W/"1"'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"name": "n1", "owner": "me"}',
    });
    // The same sample again without the scenario: its own text, and a missing {{etag}} named.
    expect(planRequest(s!, { target: 'http://127.0.0.1:1', vars: { id: 'u1', name: 'n1' } })).toEqual({
      problem: 'header If-Match: no value for {{etag}} (give it with --var etag=… or a scenario capture)',
    });
    expect(planRequest(s!, { ...options, substitute: undefined }).request?.body).toBe(
      '{"name": "n1", "owner": "doc-owner"}',
    );
  });

  it(`takes values only from the variables given (never Object.prototype), \
and hands each request headers of its own`, () => {
    const target = 'http://127.0.0.1:1';
    const [s] = page(
      '```http\nGET https://graph.microsoft.com/v1.0/users/{constructor}\nX-Trace: {{toString}}\n```\n',
    ).samples;
    expect(() => buildRequest(s!, { target })).toThrow(/no value for placeholder \{constructor\}/);
    expect(() => buildRequest(s!, { target, vars: { constructor: 'c' } })).toThrow(/no value for \{\{toString\}\}/);
    expect(buildRequest(s!, { target, vars: { constructor: 'c', toString: 't' } })).toMatchObject({
      url: `${target}/v1.0/users/c`,
      headers: [['X-Trace', 't']],
    });
    const [plain] = page('```http\nGET https://graph.microsoft.com/v1.0/me\nPrefer: return=minimal\n```\n').samples;
    const first = buildRequest(plain!, { target });
    first.headers[0]![1] = 'changed by a caller';
    expect(buildRequest(plain!, { target }).headers).toEqual([['Prefer', 'return=minimal']]);
  });

  it('posts SOAP 1.1 envelopes with SOAPAction, and 1.2 with the action in the content type', () => {
    const [s11] = page(
      '```xml\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        '<GetItem xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"/></soap:Body>' +
        '</soap:Envelope>\n```\n',
    ).samples;
    const r11 = buildRequest(s11!, { target: 'http://127.0.0.1:1' });
    expect(r11).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:1/EWS/Exchange.asmx' });
    expect(r11.headers).toEqual([
      ['Content-Type', 'text/xml; charset=utf-8'],
      ['SOAPAction', '"http://schemas.microsoft.com/exchange/services/2006/messages/GetItem"'],
    ]);
    const [s12] = page(
      '```xml\n<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><m:Op xmlns:m="urn:m"/>' +
        '</e:Body></e:Envelope>\n```\n',
    ).samples;
    expect(buildRequest(s12!, { target: 'http://127.0.0.1:1', soapPaths: { 'urn:m': '/svc' } })).toMatchObject({
      url: 'http://127.0.0.1:1/svc',
      headers: [['Content-Type', 'application/soap+xml; charset=utf-8; action="urn:m/Op"']],
    });
  });
});

describe('volatile values match by shape', () => {
  it('GUIDs, timestamps, tokens and documented origins', () => {
    expect(
      valueMatcher('/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896').test(
        '/communications/calls/0b9a3c2e-1111-4a2b-8c3d-123456789abc',
      ),
    ).toBe(true);
    expect(valueMatcher('2015-10-25T14:57:30Z').test('2026-11-22T19:28:43.123Z')).toBe(true);
    expect(valueMatcher('MDlkZjllZGMtNGUyMy00NzA5LWJkYWYtN2JlMjBjYjBhZTU2=').test('Zm9vYmFyYmF6cXV4MTIz')).toBe(true);
    expect(
      valueMatcher('https://graph.microsoft.com/beta/$metadata#calls', ['https://graph.microsoft.com']).test(
        'http://127.0.0.1:4000/beta/$metadata#calls',
      ),
    ).toBe(true);
  });

  it('enum-like and type strings match exactly', () => {
    expect(valueMatcher('establishing').test('established')).toBe(false);
    expect(valueMatcher('#microsoft.graph.call').test('#microsoft.graph.participant')).toBe(false);
    expect(valueMatcher('/calls/57dab8b1-894c-409a-b240-bd8beae78896').test('/calls/not-a-guid')).toBe(false);
  });
});

describe('pinned values and mistyped GUIDs', () => {
  const live = '0b9a3c2e-1111-4a2b-8c3d-123456789abc';
  it('a GUID the docs mistyped or wrote as a placeholder still means a GUID, and only a real one matches it', () => {
    for (const documented of [
      '86dc81db-c112-4228-9222-63f3esaa1edb',
      'd17646-3110-40b1-bae6-e9ac6c3f74',
      'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    ]) {
      expect(valueMatcher(documented).test(live), documented).toBe(true);
      expect(valueMatcher(documented).test('not-a-guid'), documented).toBe(false);
    }
    expect(valueMatcher('abc-def').test('xyz-uvw')).toBe(false);
  });

  it('a pinned token must be the pinned value; bind tells what each volatile token stood for', () => {
    const documented = '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896';
    const pins = {
      exact: new Map(),
      within: new Map([['57dab8b1-894c-409a-b240-bd8beae78896', { value: live, why: 'x' }]]),
    };
    expect(valueMatcher(documented, [], pins).test(`/communications/calls/${live}`)).toBe(true);
    expect(valueMatcher(documented, [], pins).test('/communications/calls/ffffffff-1111-4a2b-8c3d-123456789abc')).toBe(
      false,
    );
    expect(valueMatcher(documented, [], pins).pinned).toEqual({ value: `/communications/calls/${live}`, why: 'x' });
    expect(valueMatcher(documented).bind(`/communications/calls/${live}`)).toEqual([
      ['57dab8b1-894c-409a-b240-bd8beae78896', live],
    ]);
    const exact = {
      exact: new Map([['https://bot.contoso.com/callback', { value: 'http://127.0.0.1:9/callback', why: 'y' }]]),
      within: new Map(),
    };
    expect(
      valueMatcher('https://bot.contoso.com/callback', ['https://bot.contoso.com'], exact).test(
        'http://127.0.0.1:9/callback',
      ),
    ).toBe(true);
    expect(
      valueMatcher('https://bot.contoso.com/callback', ['https://bot.contoso.com'], exact).test(
        'http://127.0.0.1:8/callback',
      ),
    ).toBe(false);
  });
});

describe('review findings: pins and path maps', () => {
  it('a pinned GUID matches in either letter case; a path map of / stands for a base path', () => {
    const guid = '0b9a3c2e-1111-4a2b-8c3d-123456789abc';
    const pins = { exact: new Map(), within: new Map([[guid, { value: guid, why: 'x' }]]) };
    expect(valueMatcher(guid, [], pins).test(guid.toUpperCase())).toBe(true);
    expect(valueMatcher(guid, [], pins).test('0b9a3c2e-1111-4a2b-8c3d-123456789abd')).toBe(false);
    const documented = 'https://graph.microsoft.com/beta/$metadata#calls';
    expect(
      valueMatcher(documented, ['https://graph.microsoft.com'], undefined, { '/': '/v1' }).test(
        'http://127.0.0.1:9/v1/beta/$metadata#calls',
      ),
    ).toBe(true);
    expect(
      valueMatcher(documented, ['https://graph.microsoft.com'], undefined, { '/beta': '/' }).test(
        'http://127.0.0.1:9/$metadata#calls',
      ),
    ).toBe(true);
    expect(
      valueMatcher(documented, ['https://graph.microsoft.com'], undefined, { '/beta': '/' }).test(
        'http://127.0.0.1:9/beta/$metadata#calls',
      ),
    ).toBe(false);
  });

  it(`a value shaped like a credential under a header name not known to be plain is a secret; \
ordinary values are not`, async () => {
    const { secretsOf } = await import('../src/util/secrets.js');
    expect(
      secretsOf({
        headers: [
          ['X-Access-Code', 'a1b2c3d4e5'],
          ['X-Client-Tag', 'audio'],
          ['Accept', 'application/json'],
          ['Prefer', 'odata.maxpagesize=1000'],
        ],
      }),
    ).toEqual(['a1b2c3d4e5']);
  });
});
