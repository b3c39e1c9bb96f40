/**
 * HTTP messages as API documentation writes them.
 *
 * Hand-written on purpose: documentation HTTP is not wire format. It uses LF line
 * ends, omits the HTTP version on request lines, uses `{placeholders}` in targets
 * and bodies, elides bodies with `...`, and sometimes lists several bare request
 * lines as alternatives. A wire parser (llhttp) rejects most real samples, so
 * this one is lenient about form and strict about what it records: every part
 * keeps its line within the sample so errors point at the page.
 */
import { parseJsonSample, type JsonDocument } from './json.js';
import { parseXmlSample, type XmlDocument } from './xml.js';
import { positionAt } from '../util/text.js';

export interface HttpHeader {
  name: string;
  value: string;
  /** 1-based line within the sample. */
  line: number;
}

export type HttpBody =
  | { type: 'json'; text: string; line: number; json: JsonDocument }
  | { type: 'xml'; text: string; line: number; xml: XmlDocument }
  | { type: 'text'; text: string; line: number };

export interface HttpRequestMessage {
  type: 'request';
  method: string;
  target: string;
  version: string | null;
  headers: HttpHeader[];
  body: HttpBody | null;
}

export interface HttpResponseMessage {
  type: 'response';
  version: string;
  status: number;
  reason: string;
  headers: HttpHeader[];
  body: HttpBody | null;
}

export interface HttpRequestLines {
  type: 'request-lines';
  alternatives: { method: string; target: string; line: number }[];
}

export interface HttpIssue {
  line: number;
  column: number;
  message: string;
  /** Which part failed: the message head, or a body in its own format. */
  part: 'head' | 'json' | 'xml';
}

export interface HttpParseResult {
  message: HttpRequestMessage | HttpResponseMessage | HttpRequestLines | null;
  issues: HttpIssue[];
}

// Targets may hold `{user-id | user-principal-name}` alternatives, spaces included.
const REQUEST_LINE = /^([A-Z][A-Z-]*)\s+((?:[^\s{]|\{[^}\n]*\})+)(?:\s+(HTTP\/\d(?:\.\d)?))?\s*$/;
const STATUS_LINE = /^HTTP\/(\d(?:\.\d)?)\s+(\d{3})(?:\s+(.*?))?\s*$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s?(.*?)\s*$/;
const KNOWN_METHODS = new Set([
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'MERGE',
  'PROPFIND',
  'SEARCH',
  'REPORT',
]);

export function headerValue(headers: readonly HttpHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** Media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

export function isJsonMediaType(type: string | undefined): boolean {
  return type !== undefined && (type === 'application/json' || type.endsWith('+json') || type === 'text/json');
}

export function isXmlMediaType(type: string | undefined): boolean {
  return type !== undefined && (type.endsWith('/xml') || type.endsWith('+xml'));
}

/** Does this text start like an HTTP message (request line or status line)? */
export function looksLikeHttp(text: string): boolean {
  const first = text.trimStart().split('\n', 1)[0]?.trimEnd() ?? '';
  const request = REQUEST_LINE.exec(first);
  return STATUS_LINE.test(first) || (request !== null && KNOWN_METHODS.has(request[1]!));
}

export function parseHttpSample(text: string): HttpParseResult {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const issues: HttpIssue[] = [];
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (i >= lines.length)
    return { message: null, issues: [{ line: 1, column: 1, message: 'empty HTTP sample', part: 'head' }] };

  const first = lines[i]!.trim();
  const status = STATUS_LINE.exec(first);
  const request = status ? null : REQUEST_LINE.exec(first);
  if (!status && !request) {
    return {
      message: null,
      issues: [
        {
          line: i + 1,
          column: 1,
          message:
            'first line is neither a request line (`METHOD target [HTTP/x.y]`) ' +
            `nor a status line (\`HTTP/x.y NNN reason\`): \`${truncate(first)}\``,
          part: 'head',
        },
      ],
    };
  }

  // A block of bare request lines with nothing else is a list of alternatives (a URL syntax section).
  const nonBlank = lines.map((l, n) => ({ l: l.trim(), n })).filter((x) => x.l !== '');
  if (
    request &&
    nonBlank.length > 1 &&
    nonBlank.every((x) => {
      const m = REQUEST_LINE.exec(x.l);
      return m !== null && !m[3];
    })
  ) {
    return {
      message: {
        type: 'request-lines',
        alternatives: nonBlank.map((x) => {
          const m = REQUEST_LINE.exec(x.l)!;
          return { method: m[1]!, target: m[2]!, line: x.n + 1 };
        }),
      },
      issues,
    };
  }
  if (request && !KNOWN_METHODS.has(request[1]!)) {
    issues.push({ line: i + 1, column: 1, message: `unknown HTTP method \`${request[1]}\``, part: 'head' });
  }

  const headers: HttpHeader[] = [];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const line = lines[j]!;
    if (line.trim() === '') {
      j++;
      break;
    }
    const header = HEADER_LINE.exec(line);
    if (header) {
      headers.push({ name: header[1]!, value: header[2]!, line: j + 1 });
      continue;
    }
    // An indented line continues the previous header (obsolete line folding, common in captured traffic).
    const previous = headers[headers.length - 1];
    if (previous && /^[ \t]+\S/.test(line) && !/^\s*[{[<]/.test(line)) {
      previous.value = `${previous.value} ${line.trim()}`;
      continue;
    }
    if (/^\s*[{[<]/.test(line)) break; // a body written without the blank line before it
    issues.push({
      line: j + 1,
      column: 1,
      message:
        'expected a header (`Name: value`) or a blank line before the body, ' + `found \`${truncate(line.trim())}\``,
      part: 'head',
    });
  }
  while (j < lines.length && lines[j]!.trim() === '') j++;
  const bodyText = lines.slice(j).join('\n').replace(/\s+$/, '');
  const body =
    bodyText === '' ? null : parseBody(bodyText, j + 1, mediaType(headerValue(headers, 'content-type')), issues);

  if (status) {
    return {
      message: {
        type: 'response',
        version: status[1]!,
        status: Number(status[2]),
        reason: status[3] ?? '',
        headers,
        body,
      },
      issues,
    };
  }
  return {
    message: {
      type: 'request',
      method: request![1]!,
      target: request![2]!,
      version: request![3] ?? null,
      headers,
      body,
    },
    issues,
  };
}

function parseBody(text: string, line: number, type: string | undefined, issues: HttpIssue[]): HttpBody {
  const trimmed = text.trimStart();
  const asJson = isJsonMediaType(type) || (type === undefined && /^[{[]/.test(trimmed));
  const asXml = isXmlMediaType(type) || (type === undefined && trimmed.startsWith('<'));
  if (asJson) {
    const json = parseJsonSample(text);
    for (const e of json.errors) {
      const at = positionAt(text, e.offset);
      issues.push({ line: line + at.line - 1, column: at.column, message: `JSON body: ${e.message}`, part: 'json' });
    }
    return { type: 'json', text, line, json };
  }
  if (asXml) {
    const xml = parseXmlSample(text);
    for (const e of xml.issues)
      if (e.severity === 'error')
        issues.push({ line: line + e.line - 1, column: e.column, message: `XML body: ${e.message}`, part: 'xml' });
    return { type: 'xml', text, line, xml };
  }
  return { type: 'text', text, line };
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
