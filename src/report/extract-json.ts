import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadResult } from '../group/load.js';
import type { Page } from '../page/page.js';
import type { Sample } from '../sample/sample.js';
import type { XmlElement } from '../formats/xml.js';

/** The `extract --format json` document (version 1). Its shape is documented in the README; keep it stable. */
export function extractJson(result: LoadResult): object {
  const counts: Record<string, number> = {};
  for (const page of result.pages) for (const s of page.samples) counts[s.kind] = (counts[s.kind] ?? 0) + 1;
  const all = [...result.diagnostics, ...result.pages.flatMap((p) => p.diagnostics)];
  return {
    version: 1,
    pages: result.pages.map(pageJson),
    groups: result.groups.map((g) => ({ pageId: g.pageId, locales: g.locales, files: g.pages.map((p) => p.file) })),
    diagnostics: result.diagnostics.map((d) => ({ file: d.file, ...diagnosticJson(d) })),
    summary: {
      pages: result.pages.length,
      pageGroups: result.groups.length,
      locales: [...new Set(result.pages.map((p) => p.locale).filter((l): l is string => l !== null))].sort(),
      samples: result.pages.reduce((n, p) => n + p.samples.length, 0),
      samplesByKind: counts,
      errors: all.filter((d) => d.severity === 'error').length,
      warnings: all.filter((d) => d.severity === 'warning').length,
      infos: all.filter((d) => d.severity === 'info').length,
    },
  };
}

function pageJson(page: Page): object {
  return {
    path: page.file,
    locale: page.locale,
    pageId: page.pageId,
    title: page.title,
    samples: page.samples.map(sampleJson),
    diagnostics: page.diagnostics.map(diagnosticJson),
  };
}

function diagnosticJson(d: Diagnostic): object {
  return { ruleId: d.ruleId, severity: d.severity, line: d.line, column: d.column, message: d.message };
}

export function sampleJson(s: Sample): object {
  return {
    id: s.id,
    kind: s.kind,
    role: s.role,
    lang: s.lang,
    line: s.line,
    endLine: s.endLine,
    section: s.section,
    tab: s.tab,
    annotation: s.annotation,
    pairedWith: s.pairedWith,
    malformed: s.malformed,
    details: sampleDetails(s),
  };
}

const qualified = (e: XmlElement) => (e.ns ? `{${e.ns}}${e.local}` : e.local);

/** A compact, kind-specific description of the parsed model. */
export function sampleDetails(s: Sample): Record<string, unknown> {
  switch (s.kind) {
    case 'xml':
      return {
        roots: s.xml.roots.map(qualified),
        soap: s.xml.soap
          ? {
              version: s.xml.soap.version,
              operation: s.xml.soap.operation?.local ?? null,
              namespace: s.xml.soap.operation?.ns ?? null,
            }
          : null,
        unresolvedPrefixes: s.xml.unresolvedPrefixes,
        ellipses: s.xml.ellipses,
      };
    case 'http-request':
      return s.http
        ? {
            method: s.http.method,
            target: s.http.target,
            headers: s.http.headers.map((h) => [h.name, h.value]),
            body: s.http.body?.type ?? null,
            bodyLine: s.bodyLine,
          }
        : {};
    case 'http-response':
      return {
        status: s.http.status,
        reason: s.http.reason,
        headers: s.http.headers.map((h) => [h.name, h.value]),
        body: s.http.body?.type ?? null,
      };
    case 'http-request-lines':
      return { alternatives: s.http.alternatives.map((a) => ({ method: a.method, target: a.target })) };
    case 'json':
      return { type: s.json.value?.type ?? null, ellipses: s.json.ellipses, comments: s.json.comments };
    default:
      return {};
  }
}
