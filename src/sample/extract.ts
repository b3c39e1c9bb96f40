import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Fence } from '../markdown/markdown.js';
import { looksLikeHttp, parseHttpSample, type HttpBody, type HttpRequestMessage } from '../formats/http.js';
import { parseJsonSample } from '../formats/json.js';
import type { Sample, SampleBase, SampleRole } from './sample.js';
import { parseXmlSample } from '../formats/xml.js';
import { linesOf, positionAt } from '../util/text.js';
import { oncePerRecentText } from '../util/memo.js';

const HTTP_LANGS = new Set(['http', 'https', 'msgraph-interactive', 'rest']);
const JSON_LANGS = new Set(['json', 'jsonc', 'json5']);
const XML_LANGS = new Set(['xml', 'soap', 'wsdl', 'xsd']);

/**
 * The locales of a page group show the same samples byte for byte, mostly (code is not translated), and a group's
 * pages are read one after another: each text is parsed once while it is recent, and the pages share what it gave
 * (parsed samples are never changed once made).
 */
const xmlOf = oncePerRecentText(parseXmlSample);
const jsonOf = oncePerRecentText(parseJsonSample);
const httpOf = oncePerRecentText(parseHttpSample);

interface Ctx {
  file: string;
  diagnostics: Diagnostic[];
  /** The page's line by number, to place positions inside samples exactly. */
  lineAt: ((line: number) => string | undefined) | null;
}

/**
 * Turn a page's fences into typed samples: parse each by its language, join a
 * notification's head and body blocks, assign roles, stable ids and pairs.
 */
export function extractSamples(
  fences: readonly Fence[],
  file: string,
  pageText?: string,
): { samples: Sample[]; diagnostics: Diagnostic[] } {
  const ctx: Ctx = { file, diagnostics: [], lineAt: pageText === undefined ? null : linesOf(pageText) };
  const samples: Sample[] = [];
  const joinedMessages = new WeakSet<Sample>();
  for (let i = 0; i < fences.length; i++) {
    const fence = fences[i]!;
    const next = fences[i + 1];
    const sample = sampleFromFence(fence, ctx);
    // A body-less HTTP request head followed directly by a JSON block is one message (seed 004's notifications).
    if (
      sample.kind === 'http-request' &&
      sample.http &&
      sample.http.body === null &&
      next &&
      next.adjacentToPrevious &&
      JSON_LANGS.has(next.lang.toLowerCase())
    ) {
      const joined = joinHeadAndBody(sample, fence, next, ctx);
      joinedMessages.add(joined);
      samples.push(joined);
      i++;
      continue;
    }
    samples.push(sample);
  }
  assignRoles(samples, joinedMessages);
  assignIds(samples);
  pair(samples);
  return { samples, diagnostics: ctx.diagnostics };
}

function base(fence: Fence): Omit<SampleBase, 'kind'> {
  const annotation = fence.annotation?.value ?? null;
  return {
    id: '',
    ordinal: 0,
    role: 'example',
    lang: fence.lang,
    line: fence.line,
    column: fence.column,
    endLine: fence.endLine,
    endColumn: fence.endColumn,
    section: fence.section,
    tab: fence.tab,
    annotation,
    pairedWith: null,
    text: fence.value,
    contentLine: fence.contentLine,
    contentColumnOffset: fence.contentColumnOffset,
    disabledRules: fence.directives,
    malformed: false,
  };
}

function report(
  ctx: Ctx,
  fence: Fence,
  ruleId: string,
  severity: Diagnostic['severity'],
  line: number,
  column: number,
  message: string,
): void {
  const pageLine = fence.contentLine + line - 1;
  // A content line is its page line less the indentation remark removed; when that does not hold
  // (irregular indentation), fall back to the fence's offset. Either way the position stays inside the line.
  const text = ctx.lineAt?.(pageLine)?.replace(/\r$/, '');
  const sampleLine = fence.value.split('\n')[line - 1];
  const offset =
    text !== undefined && sampleLine !== undefined && text.endsWith(sampleLine)
      ? text.length - sampleLine.length
      : fence.contentColumnOffset;
  const max = text === undefined ? Infinity : text.length + 1;
  ctx.diagnostics.push({
    ruleId,
    severity,
    file: ctx.file,
    line: pageLine,
    column: Math.max(1, Math.min(column + offset, max)),
    message,
  });
}

function sampleFromFence(fence: Fence, ctx: Ctx): Sample {
  const lang = fence.lang.toLowerCase();
  const b = base(fence);
  // An unclosed fence swallows the rest of the page: its content is not a sample, and
  // parsing it would bury the one real error (fence-unterminated) under consequences.
  if (!fence.terminated) return { ...b, kind: 'text', malformed: true };
  if (HTTP_LANGS.has(lang) || (XML_LANGS.has(lang) && looksLikeHttp(fence.value))) return httpSample(fence, b, ctx);
  if (XML_LANGS.has(lang)) {
    const xml = xmlOf(fence.value);
    let malformed = false;
    for (const issue of xml.issues) {
      if (issue.severity === 'error') malformed = true;
      report(
        ctx,
        fence,
        issue.severity === 'error' ? 'xml-malformed' : 'xml-doctype',
        'warning',
        issue.line,
        issue.column,
        issue.message,
      );
    }
    return { ...b, kind: 'xml', xml, malformed };
  }
  if (JSON_LANGS.has(lang)) {
    const json = jsonOf(fence.value);
    for (const e of json.errors) {
      const at = positionAt(fence.value, e.offset);
      report(ctx, fence, 'json-malformed', 'warning', at.line, at.column, e.message);
    }
    return { ...b, kind: 'json', json, malformed: json.errors.length > 0 };
  }
  return { ...b, kind: 'text' };
}

function httpSample(fence: Fence, b: Omit<SampleBase, 'kind'>, ctx: Ctx): Sample {
  const parsed = httpOf(fence.value);
  for (const issue of parsed.issues)
    report(
      ctx,
      fence,
      issue.part === 'head' ? 'http-malformed' : `${issue.part}-malformed`,
      'warning',
      issue.line,
      issue.column,
      issue.message,
    );
  const malformed = parsed.issues.length > 0;
  const m = parsed.message;
  if (m?.type === 'response') return { ...b, kind: 'http-response', http: m, malformed };
  if (m?.type === 'request-lines') return { ...b, kind: 'http-request-lines', http: m, malformed };
  const bodyLine = m?.body ? fence.contentLine + m.body.line - 1 : null;
  return { ...b, kind: 'http-request', http: m, bodyLine, malformed: malformed || m === null };
}

function joinHeadAndBody(head: Sample, headFence: Fence, bodyFence: Fence, ctx: Ctx): Sample {
  if (head.kind !== 'http-request' || !head.http) return head;
  const json = jsonOf(bodyFence.value);
  for (const e of json.errors) {
    const at = positionAt(bodyFence.value, e.offset);
    report(ctx, bodyFence, 'json-malformed', 'warning', at.line, at.column, e.message);
  }
  const body: HttpBody = { type: 'json', text: bodyFence.value, line: 0, json };
  const http: HttpRequestMessage = { ...head.http, body };
  return {
    ...head,
    http,
    annotation: bodyFence.annotation?.value ?? head.annotation,
    endLine: bodyFence.endLine,
    endColumn: bodyFence.endColumn,
    text: `${headFence.value}\n\n${bodyFence.value}`,
    bodyLine: bodyFence.contentLine,
    disabledRules: [...headFence.directives, ...bodyFence.directives],
    malformed: head.malformed || json.errors.length > 0,
  };
}

const BLOCK_TYPE_ROLES: Record<string, SampleRole> = {
  request: 'request',
  response: 'response',
  ignored: 'ignored',
  example: 'example',
};

/** `…-response-…` / `…-request-…` in the deepest section anchor that names either. */
function roleFromSection(section: readonly string[]): SampleRole | null {
  for (let i = section.length - 1; i >= 0; i--) {
    const words = section[i]!.split(/[-_]/);
    if (words.some((w) => w === 'response' || w === 'responses')) return 'response';
    if (words.some((w) => w === 'request' || w === 'requests')) return 'request';
  }
  return null;
}

function isNotification(sample: Sample): boolean {
  const type = sample.annotation?.['@odata.type'];
  return (
    sample.section.some((s) => /notification/i.test(s)) || (typeof type === 'string' && /notification/i.test(type))
  );
}

function assignRoles(samples: Sample[], joinedMessages: WeakSet<Sample>): void {
  for (const s of samples) {
    const blockType =
      typeof s.annotation?.['blockType'] === 'string' ? (s.annotation['blockType'] as string).toLowerCase() : null;
    let role: SampleRole | null = blockType ? (BLOCK_TYPE_ROLES[blockType] ?? 'example') : null;
    // The annotation of a joined notification describes its JSON body (`blockType: example`), not the message.
    if (
      s.kind === 'http-request' &&
      isNotification(s) &&
      (role === null || role === 'example' || joinedMessages.has(s))
    )
      role = 'notification';
    if (role === null) {
      switch (s.kind) {
        case 'http-request':
          role = 'request';
          break;
        case 'http-response':
          role = 'response';
          break;
        case 'xml':
          role = s.xml.soap
            ? s.xml.soap.isResponse
              ? 'response'
              : 'request'
            : (roleFromSection(s.section) ?? 'example');
          break;
        default:
          role = 'example';
      }
    }
    s.role = role;
  }
}

function assignIds(samples: Sample[]): void {
  const seen = new Map<string, number>();
  samples.forEach((s, index) => {
    s.ordinal = index + 1;
    const name = typeof s.annotation?.['name'] === 'string' ? (s.annotation['name'] as string) : null;
    const key = name ? `${name}/${s.role}` : s.section.length > 0 ? s.section.join('/') : '(page)';
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    s.id = name ? (n > 1 ? `${key}#${n}` : key) : `${key}#${n}`;
  });
}

function family(s: Sample): 'xml' | 'http' | 'other' {
  if (s.kind === 'xml') return 'xml';
  if (s.kind === 'http-request' || s.kind === 'http-response') return 'http';
  return 'other';
}

/**
 * ApiDoctor's pairing: a response answers the request with its `name`, else the nearest request
 * before it. A request points at its first response.
 */
function pair(samples: Sample[]): void {
  const nameOf = (s: Sample) => (typeof s.annotation?.['name'] === 'string' ? (s.annotation['name'] as string) : null);
  for (const [index, s] of samples.entries()) {
    if (s.role === 'response') {
      const name = nameOf(s);
      let request: Sample | undefined;
      if (name) request = samples.find((r) => r.role === 'request' && nameOf(r) === name && r.pairedWith === null);
      if (!request) {
        // Pages show several answers to one request (success, then error): each pairs with it.
        for (let k = index - 1; k >= 0; k--) {
          const r = samples[k]!;
          if (r.role === 'request' && family(r) === family(s)) {
            request = r;
            break;
          }
        }
      }
      if (request) {
        request.pairedWith ??= s.id;
        s.pairedWith = request.id;
      }
    } else if (s.role === 'notification') {
      for (let k = index - 1; k >= 0; k--) {
        if (samples[k]!.role === 'request') {
          s.pairedWith = samples[k]!.id;
          break;
        }
      }
    }
  }
}
