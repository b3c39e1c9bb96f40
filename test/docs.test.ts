/**
 * What a careful reader sees on each bundled page: every sample's kind, role,
 * lines, section, tab and pair. Expectations were written by reading the pages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPages, type LoadResult } from '../src/index.js';
import type { Page } from '../src/page/page.js';
import { docsDir, repoRoot } from './helpers/paths.js';

let result: LoadResult;
beforeAll(async () => {
  result = await loadPages(['docs'], { cwd: repoRoot });
});

const page = (file: string): Page => {
  const found = result.pages.find((p) => p.file === file);
  if (!found) throw new Error(`no page ${file}`);
  return found;
};
const rows = (p: Page) => p.samples.map((s) => [s.id, s.kind, s.role, s.line, s.endLine, s.pairedWith]);

describe('bundled docs/', () => {
  it('finds the 11 pages in 4 groups, with the zh-CN TAPI gap', () => {
    expect(docsDir).toContain('docs');
    expect(result.diagnostics).toEqual([]);
    expect(result.pages).toHaveLength(11);
    expect(result.groups.map((g) => [g.pageId, g.locales])).toEqual([
      ['exchange/web-service-reference/disconnect-operation-um-web-service', ['pt-BR', 'ru-RU', 'zh-CN']],
      ['graph/api-reference/beta/api/application-post-calls', ['pt-BR', 'ru-RU', 'zh-CN']],
      ['graph/api-reference/beta/api/call-delete', ['pt-BR', 'ru-RU', 'zh-CN']],
      ['tapi/drop-ovr', ['pt-BR', 'ru-RU']],
    ]);
    for (const p of result.pages) expect(p.localeSource).toBe('front-matter');
  });

  describe.each(['pt-BR', 'ru-RU', 'zh-CN'])('Disconnect operation (%s)', (locale) => {
    it('has the SOAP request and its response, paired', () => {
      const p = page(`docs/${locale}/exchange/web-service-reference/disconnect-operation-um-web-service.md`);
      expect(p.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(rows(p)).toEqual([
        [
          'disconnect-request-example/code#1',
          'xml',
          'request',
          33,
          42,
          'successful-disconnect-response-example/code#1',
        ],
        [
          'successful-disconnect-response-example/code#1',
          'xml',
          'response',
          52,
          59,
          'disconnect-request-example/code#1',
        ],
      ]);
      const [request, response] = p.samples;
      expect(request!.section).toEqual(['disconnect-request-example', 'code']);
      expect(request!.lang).toBe('XML');
      if (request!.kind !== 'xml' || response!.kind !== 'xml') throw new Error('expected XML');
      expect(request!.xml.soap?.operation).toEqual({
        local: 'Disconnect',
        ns: 'https://schemas.microsoft.com/exchange/services/2006/messages',
      });
      expect(response!.xml.soap?.operation?.local).toBe('DisconnectResponse');
      expect(p.assetId).toBe('a987000b-d6e6-49d7-944c-e9c278d0236f');
      expect(p.headings.map((h) => h.anchor)).toEqual([
        'disconnect-operation-um-web-service',
        'disconnect-request-example',
        'description',
        'code',
        'successful-disconnect-response-example',
        'description',
        'code',
        'see-also',
      ]);
      expect(p.headings.every((h) => h.anchorSource === 'a-name')).toBe(true);
    });
  });

  it('keeps both texts of the zh-CN bilingual spans', () => {
    const p = page('docs/zh-CN/exchange/web-service-reference/disconnect-operation-um-web-service.md');
    expect(p.headings[0]).toMatchObject({
      text: '断开连接操作（UM web 服务）',
      sourceText: 'Disconnect operation (UM web service)',
    });
    expect(p.bilingual).toHaveLength(14);
    expect(p.bilingual[1]).toMatchObject({
      id: 'b7642-104',
      line: 23,
      source:
        'The Disconnect operation terminates the call that is identified by the specified ' +
        '[CallId (UM web service)](callid-um-web-service.md).',
    });
    // The link appears in the translation and in the English source; the source copy is marked.
    const callId = p.links.filter((l) => l.url === 'callid-um-web-service.md' && l.line === 23);
    expect(callId.map((l) => l.inSource)).toEqual([false, true]);
  });

  it('records the revision each translation was made from', () => {
    expect(page('docs/pt-BR/exchange/web-service-reference/disconnect-operation-um-web-service.md').revision).toEqual({
      sourceHash: '42e069233fbfc255d43983571c0bb28475a1fe90',
      sourceCommit: '54f6cd5a704b36b76d110ee53a6d6c1c3e15f5a9',
      lastHandoff: '09/24/2021',
    });
    expect(
      page('docs/ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md').revision.sourceHash,
    ).toBe('a1268f9ea3d879f472e019bf1847fc13d65d1819');
  });

  describe.each(['pt-BR', 'ru-RU', 'zh-CN'])('Delete call (%s)', (locale) => {
    it('has the ignored URL block, the DELETE request, its 204 and two notifications', () => {
      const p = page(`docs/${locale}/graph/api-reference/beta/api/call-delete.md`);
      expect(p.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(rows(p)).toEqual([
        ['http-request#1', 'http-request-lines', 'ignored', 35, 38, null],
        ['delete-call-1/request', 'http-request', 'request', 63, 65, 'example/response#1'],
        ['example/response#1', 'http-response', 'response', 101, 103, 'delete-call-1/request'],
        ['example/notification---terminating#1', 'http-request', 'notification', 107, 132, 'delete-call-1/request'],
        ['example/notification---terminated#1', 'http-request', 'notification', 136, 166, 'delete-call-1/request'],
      ]);
      const [lines, request, response, terminating] = p.samples;
      expect(lines!.annotation).toEqual({ blockType: 'ignored' });
      if (lines!.kind !== 'http-request-lines') throw new Error('expected request lines');
      expect(lines!.http.alternatives.map((a) => `${a.method} ${a.target}`)).toEqual([
        'DELETE /app/calls/{id}',
        'DELETE /communications/calls/{id}',
      ]);
      expect(request!.tab).toBe('http');
      expect(request!.section).toEqual(['example', 'request']);
      if (
        request!.kind !== 'http-request' ||
        response!.kind !== 'http-response' ||
        terminating!.kind !== 'http-request'
      )
        throw new Error('kinds');
      expect(request!.http?.target).toBe(
        'https://graph.microsoft.com/beta/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896',
      );
      expect(response!.http.status).toBe(204);
      expect(response!.annotation).toEqual({ blockType: 'response', truncated: true });
      // The notification is the http head block and the json body block below it, as one message.
      expect(terminating!.http?.method).toBe('POST');
      expect(terminating!.http?.target).toBe('https://bot.contoso.com/api/calls');
      expect(terminating!.bodyLine).toBe(117);
      expect(terminating!.annotation).toEqual({
        blockType: 'example',
        '@odata.type': 'microsoft.graph.commsNotifications',
      });
      expect(p.includes[0]).toMatchObject({
        name: 'beta-disclaimer',
        path: '../../includes/beta-disclaimer.md',
        line: 19,
      });
      expect(p.headings.filter((h) => h.tab).map((h) => h.tab)).toEqual([
        'http',
        'csharp',
        'javascript',
        'objc',
        'java',
        'go',
        'powershell',
      ]);
      expect(p.callouts.length).toBeGreaterThanOrEqual(3);
      // The page annotation at the end is kept, but attached to no fence.
      expect(p.annotations.find((a) => a.value['type'] === '#page.annotation')?.codeLine).toBeNull();
    });
  });

  describe.each(['pt-BR', 'ru-RU', 'zh-CN'])('Create call (%s)', (locale) => {
    it('has 12 request/response pairs, 9 notifications, the media-session blob and the URL block', () => {
      const p = page(`docs/${locale}/graph/api-reference/beta/api/application-post-calls.md`);
      expect(p.fences).toHaveLength(44);
      const count = (role: string) => p.samples.filter((s) => s.role === role).length;
      expect([count('request'), count('response'), count('notification'), count('example'), count('ignored')]).toEqual([
        12, 12, 9, 1, 1,
      ]);
      for (const s of p.samples.filter((x) => x.role === 'request' || x.role === 'response')) {
        expect(s.pairedWith, s.id).not.toBeNull();
        expect(s.pairedWith!.split('/')[0]).toBe(s.id.split('/')[0]);
      }
      expect(rows(p).slice(0, 4)).toEqual([
        ['http-request#1', 'http-request-lines', 'ignored', 41, 44, null],
        [
          'create-call-service-hosted-media-1/request',
          'http-request',
          'request',
          82,
          113,
          'create-call-service-hosted-media-1/response',
        ],
        [
          'create-call-service-hosted-media-1/response',
          'http-response',
          'response',
          152,
          230,
          'create-call-service-hosted-media-1/request',
        ],
        [
          'examples/example-1-create-peer-to-peer-voip-call-with-service-hosted-media/notification---establishing#1',
          'http-request',
          'notification',
          234,
          261,
          'create-call-service-hosted-media-1/request',
        ],
      ]);
      // The documented callback registration that the conformance flow relies on.
      const create = p.samples[1]!;
      if (create.kind !== 'http-request' || create.http?.body?.type !== 'json')
        throw new Error('expected a JSON request');
      expect(create.http.body.json.errors).toEqual([]);
      // Real source defects, present in every locale: 18 trailing commas and an escaped blob (line 475).
      const malformed = p.diagnostics.filter((d) => d.ruleId === 'json-malformed');
      expect(malformed).toHaveLength(19);
      expect(malformed.filter((d) => /trailing comma/.test(d.message))).toHaveLength(18);
      expect(malformed[0]).toMatchObject({ line: 211, column: 6, message: 'JSON body: trailing comma before `}`' });
      expect(malformed.find((d) => d.line === 475)?.message).toBe('expected a quoted key but found `\\`');
    });
  });

  describe.each(['pt-BR', 'ru-RU'])('TAPI Drop (%s)', (locale) => {
    it('is prose only: no samples, its links and anchors kept', () => {
      const p = page(`docs/${locale}/tapi/drop-ovr.md`);
      expect(p.samples).toEqual([]);
      expect(p.headings.map((h) => h.anchor)).toEqual(['drop']);
      expect(p.links.map((l) => l.url)).toEqual([
        'terminate-a-session-ovr.md',
        '/windows/win32/api/tapi/nf-tapi-linedrop',
        '/windows/desktop/api/tapi3if/nf-tapi3if-itbasiccallcontrol-disconnect',
      ]);
      expect(p.assetId).toBe('dc348bb2-d564-40f8-afe3-5473c5769fa4');
    });
  });
});
