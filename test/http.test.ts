import { describe, expect, it } from 'vitest';
import { parseHttpSample } from '../src/formats/http.js';

describe('HTTP samples', () => {
  it('parses a request with headers and a JSON body', () => {
    const r = parseHttpSample(
      'POST https://graph.microsoft.com/beta/communications/calls\nContent-Type: application/json\n\n{\n  "a": 1\n}\n',
    );
    expect(r.issues).toEqual([]);
    expect(r.message).toMatchObject({
      type: 'request',
      method: 'POST',
      target: 'https://graph.microsoft.com/beta/communications/calls',
      version: null,
    });
    const m = r.message!;
    if (m.type !== 'request') throw new Error('expected a request');
    expect(m.headers).toEqual([{ name: 'Content-Type', value: 'application/json', line: 2 }]);
    expect(m.body?.type).toBe('json');
    expect(m.body?.line).toBe(4);
  });

  it('parses a status line without a body', () => {
    const r = parseHttpSample('HTTP/1.1 204 No Content\n');
    expect(r.message).toEqual({
      type: 'response',
      version: '1.1',
      status: 204,
      reason: 'No Content',
      headers: [],
      body: null,
    });
  });

  it('reads a block of bare request lines as alternatives', () => {
    const r = parseHttpSample('DELETE /app/calls/{id}\nDELETE /communications/calls/{id}\n');
    expect(r.message).toEqual({
      type: 'request-lines',
      alternatives: [
        { method: 'DELETE', target: '/app/calls/{id}', line: 1 },
        { method: 'DELETE', target: '/communications/calls/{id}', line: 2 },
      ],
    });
  });

  it('accepts a body written without the blank line, and a SOAP body in XML', () => {
    const r = parseHttpSample(
      'POST /EWS/Exchange.asmx HTTP/1.1\nContent-Type: text/xml; charset=utf-8\n' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
    );
    expect(r.issues).toEqual([]);
    const m = r.message!;
    expect(m.type === 'request' && m.body?.type).toBe('xml');
  });

  it('reports a first line that is neither a request nor a status line', () => {
    const r = parseHttpSample('Send this to the server\n');
    expect(r.message).toBeNull();
    expect(r.issues[0]).toMatchObject({ line: 1, part: 'head' });
  });

  it('reports a header line without a colon at its line', () => {
    const r = parseHttpSample('GET /me HTTP/1.1\nHost graph.microsoft.com\n');
    expect(r.issues[0]).toMatchObject({ line: 2, part: 'head' });
  });

  it('reports JSON body errors at the body line', () => {
    const r = parseHttpSample('HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  "a": 1,\n}');
    expect(r.issues).toEqual([{ line: 5, column: 9, message: 'JSON body: trailing comma before `}`', part: 'json' }]);
  });
});

describe('captured HTTP in samples', () => {
  it('joins folded header lines to the header above', () => {
    const r = parseHttpSample(
      'HTTP/1.1 200 OK\nSet-Cookie: a=b; path=/;\n    HttpOnly\nContent-Type: text/xml\n\n<a/>',
    );
    expect(r.issues).toEqual([]);
    const m = r.message!;
    if (m.type !== 'response') throw new Error('expected a response');
    expect(m.headers.map((h) => [h.name, h.value])).toEqual([
      ['Set-Cookie', 'a=b; path=/; HttpOnly'],
      ['Content-Type', 'text/xml'],
    ]);
  });
});

describe('request lines with alternatives in placeholders', () => {
  it('reads `{user-id | user-principal-name}` as part of the target', () => {
    const r = parseHttpSample(
      'GET /chats/{chat-id}/messages/{message-id}\n' +
        'GET /users/{user-id | user-principal-name}/chats/{chat-id}/messages/{message-id}\n',
    );
    expect(r.issues).toEqual([]);
    expect(r.message?.type).toBe('request-lines');
  });
});
