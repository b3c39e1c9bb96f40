import type { Annotation } from '../markdown/markdown.js';
import type { HttpRequestLines, HttpRequestMessage, HttpResponseMessage } from '../formats/http.js';
import type { JsonDocument } from '../formats/json.js';
import type { XmlDocument } from '../formats/xml.js';

export type SampleKind = 'xml' | 'http-request' | 'http-response' | 'http-request-lines' | 'json' | 'text';
export type SampleRole = 'request' | 'response' | 'notification' | 'example' | 'ignored';

export interface SampleBase {
  /** Stable across locales: the annotation name and role, else the section path and ordinal. */
  id: string;
  /** 1-based position among the page's samples. */
  ordinal: number;
  kind: SampleKind;
  role: SampleRole;
  /** The fence's language tag as written (`XML`, `http`); empty when absent. */
  lang: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Heading anchors from the page's top section down (the page title excluded). */
  section: string[];
  tab: string | null;
  annotation: Record<string, unknown> | null;
  /** Request ↔ response; a notification points at the request that triggers it. */
  pairedWith: string | null;
  /** The code text (for notifications: the head block, a blank line, then the body block). */
  text: string;
  /** Page line of the first line of `text`, and the column offset of its content. */
  contentLine: number;
  contentColumnOffset: number;
  /** Rules silenced for this sample by `<!-- lockstep-disable rule-id -->`. */
  disabledRules: string[];
  /** True when the sample failed to parse as its kind (the page's diagnostics say why). */
  malformed: boolean;
}

export interface XmlSample extends SampleBase {
  kind: 'xml';
  xml: XmlDocument;
}
export interface HttpRequestSample extends SampleBase {
  kind: 'http-request';
  http: HttpRequestMessage | null;
  bodyLine: number | null;
}
export interface HttpResponseSample extends SampleBase {
  kind: 'http-response';
  http: HttpResponseMessage;
}
export interface HttpRequestLinesSample extends SampleBase {
  kind: 'http-request-lines';
  http: HttpRequestLines;
}
export interface JsonSample extends SampleBase {
  kind: 'json';
  json: JsonDocument;
}
export interface TextSample extends SampleBase {
  kind: 'text';
}

export type Sample =
  XmlSample | HttpRequestSample | HttpResponseSample | HttpRequestLinesSample | JsonSample | TextSample;

export type { Annotation };
