import { alignSamples } from '../align/align.js';
import { exampleInconsistencies } from '../compare/consistency.js';
import { compareSamples } from '../compare/sample.js';
import type { PageGroup } from '../group/group.js';
import type { Page } from '../page/page.js';
import type { Sample } from '../sample/sample.js';
import { oncePer } from '../util/memo.js';
import { expectationOf, type Expectation } from './match.js';
import { documentedOrigins } from './request.js';

/** One documented exchange to replay: a request and its documented response, or a notification it triggers. */
export interface ConformanceCase {
  caseId: string;
  pageId: string;
  sampleId: string;
  kind: 'exchange' | 'notification';
  page: Page;
  request: Sample;
  /** The documented response (exchange cases) or the documented notification (notification cases). */
  expected: Sample;
  /** Notifications the request triggers, in documented order (exchange cases). */
  notifications: Sample[];
  /** Set when locales disagree about this sample: which one was used and why. */
  note: string | null;
  /**
   * What the documented response promises (exchange cases; null when it cannot be compared), worked out once with the
   * plan.
   */
  expectation: Expectation | null;
  /** Origins the page documents (`https://graph.microsoft.com`): the implementation's own may stand for them. */
  origins: readonly string[];
}

export interface CaseOptions {
  /** Only this locale's pages. */
  locale?: string;
  /** The authority when locales disagree. */
  sourceLocale?: string | null;
}

/** Requests lockstep can send: parsed HTTP (a JSON body with a recoverable defect is repaired) or a SOAP envelope. */
const sendable = (s: Sample) =>
  (s.kind === 'http-request' &&
    s.http !== null &&
    (!s.malformed || (s.http.body?.type === 'json' && s.http.body.json.value !== null))) ||
  (s.kind === 'xml' && s.xml.soap !== null && !s.malformed);
const repairNote = (s: Sample) =>
  s.malformed && s.kind === 'http-request'
    ? 'the documented request body has a defect ' +
      `(${s.http?.body?.type === 'json' ? s.http.body.json.errors[0]?.message : 'malformed'}); sent repaired`
    : null;

/**
 * The cases of a page group, in document order. By default a case is taken from the
 * locales that agree on the request and its response; the source locale, else the
 * majority, settles a disagreement, and the case's note says so.
 */
export function casesOf(group: PageGroup, options: CaseOptions = {}): readonly ConformanceCase[] {
  // A loaded group never changes: its plan is kept, so that replaying the same pages again
  // (watch runs, the vitest integration, `demo` serving and replaying) does not align them again.
  const key = `${options.locale ?? ''}\u0000${options.sourceLocale ?? ''}`;
  const plans = plansOf(group);
  let cases = plans.get(key);
  if (!cases) plans.set(key, (cases = planCases(group, options)));
  return cases;
}

/** A group's plans, by the options they were made for. */
const plansOf = oncePer((_group: PageGroup) => new Map<string, readonly ConformanceCase[]>());

function planCases(group: PageGroup, options: CaseOptions): ConformanceCase[] {
  const pages = options.locale ? group.pages.filter((p) => p.locale === options.locale) : group.pages;
  if (pages.length === 0) return [];
  const source = options.sourceLocale ? (pages.find((p) => p.locale === options.sourceLocale) ?? null) : null;
  const aligned = alignSamples(pages, source ?? pages[0]!);
  const cases: ConformanceCase[] = [];
  for (const a of aligned) {
    const candidates = [...a.byPage.entries()].filter(
      ([page, s]) => s.role === 'request' && sendable(s) && responseOf(page, s) !== null,
    );
    if (candidates.length === 0) continue;
    // Equivalence classes of (request, response) across locales.
    const classes: [Page, Sample][][] = [];
    for (const entry of candidates) {
      const [page, s] = entry;
      const cls = classes.find((c) => {
        const [p0, s0] = c[0]!;
        return compareSamples(s0, s) === null && compareSamples(responseOf(p0, s0)!, responseOf(page, s)!) === null;
      });
      if (cls) cls.push(entry);
      else classes.push([entry]);
    }
    classes.sort((x, y) => y.length - x.length || (x[0]![0].locale ?? '').localeCompare(y[0]![0].locale ?? ''));
    const chosen = (source && classes.find((c) => c.some(([p]) => p === source))) || classes[0]!;
    const picked: [Page, Sample] = chosen.find(([p]) => p === source) ?? chosen[0]!;
    const [page, request] = picked;
    let note: string | null = null;
    if (classes.length > 1) {
      const others = classes.filter((c) => c !== chosen).flatMap((c) => c.map(([p]) => p.locale));
      note =
        `locales disagree on this sample: using ${chosen.map(([p]) => p.locale).join(', ')} ` +
        `(${source && chosen.some(([p]) => p === source) ? 'source locale' : 'majority'}); ${others.join(', ')} differ`;
    }
    const expected = responseOf(page, request)!;
    for (const extra of [repairNote(request), contradictionNote(request, expected)])
      if (extra) note = note ? `${note}; ${extra}` : extra;
    const notifications = page.samples.filter((s) => s.role === 'notification' && s.pairedWith === request.id);
    const origins = originsOf(page);
    cases.push({
      caseId: `${group.pageId}#${request.id}`,
      pageId: group.pageId,
      sampleId: request.id,
      kind: 'exchange',
      page,
      request,
      expected,
      notifications,
      note,
      expectation: expectationOf(expected),
      origins,
    });
    for (const n of notifications) {
      cases.push({
        caseId: `${group.pageId}#${n.id}`,
        pageId: group.pageId,
        sampleId: n.id,
        kind: 'notification',
        page,
        request,
        expected: n,
        notifications: [],
        note,
        expectation: null,
        origins,
      });
    }
  }
  return cases;
}

/**
 * Where the documented response contradicts its own request, no correct service can match it:
 * the case says so (lint's example-inconsistent reports the same places), so a failure there is read
 * as the docs' defect. A mistyped GUID needs no note: it is matched as any GUID.
 */
function contradictionNote(request: Sample, response: Sample): string | null {
  const found = exampleInconsistencies(request, response).filter((i) => i.kind === 'contradicts-request');
  if (found.length === 0) return null;
  return (
    'the documented example contradicts itself (example-inconsistent) ' +
    `at ${found.map((i) => `${i.path} (line ${i.line})`).join(', ')}: ` +
    'a service that answers what was asked cannot match it there'
  );
}

/** The origins a page's samples name, once per page. */
const originsOf = oncePer((page: Page) => documentedOrigins(page.samples));

function responseOf(page: Page, request: Sample): Sample | null {
  const response = page.samples.find((s) => s.id === request.pairedWith && s.role === 'response');
  if (!response) return null;
  // A documented body with a recoverable defect (a trailing comma) still says what to expect.
  if (response.kind === 'http-response')
    return response.http.body?.type !== 'json' || response.http.body.json.value !== null ? response : null;
  return response.kind === 'xml' && response.xml.soap && !response.malformed ? response : null;
}
