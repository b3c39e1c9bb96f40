/**
 * What each documented case needs before it can run against a real service, worked out from the
 * docs alone (pure: no I/O): values for its placeholders, a resource to exist (a setup step that
 * creates it, from a documented request of the inputs), a callback URL that reaches lockstep's
 * receiver. `lockstep init` turns it into scenario skeletons.
 */
import type { PageGroup } from '../group/group.js';
import { toPlain } from '../formats/json.js';
import type { Sample } from '../sample/sample.js';
import { casesOf, type ConformanceCase } from './cases.js';
import { PLACEHOLDER, TEMPLATE } from './request.js';
import type { Scenario, ScenarioStep } from './scenario.js';

/** A value a case's request cannot be sent without. */
export interface VariableNeed {
  name: string;
  /** `{name}` in the request target (`--var`), or a `{{name}}` template anywhere in the request. */
  syntax: 'placeholder' | 'template';
  /** Where it stands: `request target`, `request header X-Tenant`, `setup step "create a call" target`. */
  where: string;
}

/** A documented request, as the comments of a skeleton name it. */
export interface DocumentedRequest {
  pageId: string;
  sampleId: string;
  file: string;
  line: number;
  /** `POST https://graph.microsoft.com/beta/communications/calls`. */
  request: string;
  /** The documented status of its response. */
  status: number;
}

/** A literal resource id the request acts on: that resource must exist on the service under test. */
export interface SetupNeed {
  /** The id as the docs write it (`57dab8b1-894c-409a-b240-bd8beae78896`). */
  literal: string;
  /** The collection it is an item of (`/beta/communications/calls`). */
  collection: string;
  /** The kind of resource, the collection's last segment made singular (`call`). */
  resource: string;
  /** The variable the created resource's id is captured into (`callId`); `substitute` puts it for the literal. */
  capture: string;
  /** A documented request of the inputs that creates such a resource (a POST to the collection); null: none. */
  creator: DocumentedRequest | null;
  /** Values the creating request itself needs (its `{name}` placeholders, `{{name}}` templates). */
  variables: VariableNeed[];
  /** The suggested setup step (null when no creator was found). */
  step: ScenarioStep | null;
}

/** The case documents notifications: the service must be told to send them to lockstep's receiver. */
export interface CallbackNeed {
  /** The documented notifications (sample ids), in documented order. */
  notifications: string[];
  /**
   * Where the receiver is registered: in this case's own request body (a `patch` of the case), in
   * the body of the setup step that creates the resource the request acts on, or nowhere found.
   */
  via: 'request' | 'setup' | null;
  /** JSON paths of the members that hold the callback URL (`$.callbackUri`), and their documented values. */
  members: { path: string; documented: string }[];
  /** The body patch that points them at `{{callbackUrl}}`. */
  patch: Record<string, unknown> | null;
}

export interface CaseNeeds {
  caseId: string;
  sampleId: string;
  kind: 'exchange' | 'notification';
  /** For a notification case: the sample id of the request that triggers it. */
  trigger: string | null;
  file: string;
  line: number;
  /** The request, in a line (`DELETE https://…`, `SOAP Disconnect`). */
  request: string;
  variables: VariableNeed[];
  setup: SetupNeed[];
  callbacks: CallbackNeed | null;
  /** The case could not be prepared from the docs: why (the skeleton skips it, saying so). */
  unprepared: string | null;
  /** Runs as documented: no variable, no setup, no callback. */
  nothing: boolean;
}

/** A scenario as `lockstep init` suggests it: what loadScenarios reads, without the file it came from. */
export type SuggestedScenario = Omit<Scenario, 'file'>;

export interface PageNeeds {
  pageId: string;
  /** The page the cases come from (the locale casesOf picked) and its file name without extension. */
  file: string;
  name: string;
  cases: CaseNeeds[];
  /** The scenario that prepares the cases; null when every case runs as documented. */
  scenario: SuggestedScenario | null;
}

export interface NeedsOptions {
  locale?: string;
  sourceLocale?: string | null;
}

/** Values a run provides itself: the receiver's URL (when a scenario's page documents notifications). */
const PROVIDED = new Set(['callbackUrl']);

/**
 * Path segments that name one resource: GUIDs, numbers, and the long opaque tokens services hand
 * out (`AAMkAGI2…=`, with a digit and a letter, so that a long word such as an action name is not one).
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isLiteralId = (segment: string) =>
  GUID.test(segment) ||
  /^\d+$/.test(segment) ||
  (/^[A-Za-z0-9+=_-]{16,}$/.test(segment) && /\d/.test(segment) && /[A-Za-z]/.test(segment));
const isPlaceholder = (segment: string) => /^\{[^}]*\}$/.test(segment);

/** A JSON member name that registers a receiver (`callbackUri`, `notificationUrl`, `webhookUrl`). */
const CALLBACK_KEY = /callback|notifications?ur[il]|webhook|hookur[il]/i;

/** The cases of the pages in `groups` that have any, each with what it needs to run against a real service. */
export function caseNeeds(groups: readonly PageGroup[], options: NeedsOptions = {}): PageNeeds[] {
  const caseOptions = { locale: options.locale, sourceLocale: options.sourceLocale ?? null };
  const plans = groups
    .map((group) => ({ group, cases: casesOf(group, caseOptions) }))
    .filter((p) => p.cases.length > 0);
  const creators = plans.flatMap((p) => p.cases.filter(isCreator));
  return plans.map(({ group, cases }) => pageNeeds(group.pageId, cases, creators));
}

/** A literal id of a page, its suggested setup, and the documented request that setup sends. */
interface Setup {
  need: SetupNeed;
  creator: ConformanceCase | undefined;
}

function pageNeeds(pageId: string, cases: readonly ConformanceCase[], creators: readonly ConformanceCase[]): PageNeeds {
  const exchanges = cases.filter((c) => c.kind === 'exchange');
  const idsOf = new Map(exchanges.map((c) => [c, literalIds(c)]));
  // One setup per literal id of the page, shared by the cases that name it. Its creator is picked
  // once all of them are known: one whose body can register the receiver, if a case needs that.
  const literals = new Map<string, { literal: string; collection: string; callbacks: boolean }>();
  for (const c of exchanges) {
    const ids = idsOf.get(c)!;
    const viaSetup = c.notifications.length > 0 && callbackMembers(c.request, notificationTargets(c)).length === 0;
    ids.forEach((id, i) => {
      const known = literals.get(id.literal) ?? { ...id, callbacks: false };
      literals.set(id.literal, { ...known, callbacks: known.callbacks || (viaSetup && i === ids.length - 1) });
    });
  }
  const captures = new Set<string>();
  const setups = new Map<string, Setup>();
  for (const { literal, collection, callbacks } of literals.values()) {
    const resource = resourceName(collection);
    const capture = unique(`${camel(resource)}Id`, captures);
    const need: SetupNeed = { literal, collection, resource, capture, creator: null, variables: [], step: null };
    const creator = creatorsOf(collection, creators, callbacks)[0];
    if (creator) suggestStep(need, creator);
    setups.set(literal, { need, creator });
  }
  const out: CaseNeeds[] = [];
  const byRequest = new Map<string, CaseNeeds>();
  for (const c of cases) {
    if (c.kind === 'notification') {
      const of = byRequest.get(c.request.id)!;
      out.push({
        caseId: c.caseId,
        sampleId: c.sampleId,
        kind: 'notification',
        trigger: c.request.id,
        file: c.page.file,
        line: c.expected.line,
        request: of.request,
        variables: [],
        setup: [],
        callbacks: of.callbacks,
        nothing: false,
        unprepared: of.unprepared ?? (of.callbacks?.via === null ? callbackProblem(c.request) : null),
      });
      continue;
    }
    const setup = idsOf.get(c)!.map((id) => setups.get(id.literal)!);
    const callbacks = c.notifications.length > 0 ? callbackNeed(c, setup.at(-1)) : null;
    const variables = variablesOf(c.request, 'request', captures);
    const missing = setup.filter((s) => s.need.creator === null).map((s) => s.need);
    const unprepared =
      missing.length === 0
        ? null
        : `needs the ${missing.map((n) => `${n.resource} ${n.literal}`).join(' and ')} to exist, and no documented ` +
          `request among the inputs creates one (a POST to ${missing.map((n) => n.collection).join(', ')} ` +
          'whose response gives its id)';
    const needs: CaseNeeds = {
      caseId: c.caseId,
      sampleId: c.sampleId,
      kind: 'exchange',
      trigger: null,
      file: c.page.file,
      line: c.request.line,
      request: describeRequest(c.request),
      variables,
      setup: setup.map((s) => s.need),
      callbacks,
      unprepared,
      nothing: variables.length === 0 && setup.length === 0 && callbacks === null,
    };
    byRequest.set(c.request.id, needs);
    out.push(needs);
  }
  const file = cases[0]!.page.file;
  const scenario = scenarioOf(
    pageId,
    out,
    [...setups.values()].map((s) => s.need),
  );
  return { pageId, file, name: fileName(file), cases: out, scenario };
}

/** Why a case's notifications cannot be awaited: nothing in its request registers a receiver. */
function callbackProblem(request: Sample): string {
  return request.kind === 'http-request'
    ? 'its request names no callback URL lockstep can point at its receiver ({{callbackUrl}}): ' +
        'patch the member that registers one'
    : "its request is not JSON, so no patch can point it at lockstep's receiver ({{callbackUrl}})";
}

/** The page's scenario: null when nothing is needed. */
function scenarioOf(
  pageId: string,
  cases: readonly CaseNeeds[],
  setups: readonly SetupNeed[],
): SuggestedScenario | null {
  if (cases.every((c) => c.nothing)) return null;
  const exchanges = cases.filter((c) => c.kind === 'exchange');
  const vars: Record<string, string> = {};
  for (const v of [...cases.flatMap((c) => c.variables), ...setups.flatMap((s) => s.variables)]) vars[v.name] = '';
  const steps = setups.flatMap((s) => (s.step ? [s.step] : []));
  const substitute = Object.fromEntries(setups.filter((s) => s.step).map((s) => [s.literal, `{{${s.capture}}}`]));
  const registering = exchanges.filter((c) => c.callbacks?.via === 'request');
  const patch = Object.fromEntries(registering.map((c) => [c.sampleId, c.callbacks!.patch!]));
  // A case whose request is skipped ends its notifications as skipped: only the others are listed.
  const skipped = new Set(exchanges.filter((c) => c.unprepared).map((c) => c.sampleId));
  const unprepared = cases.filter((c) => c.unprepared && !(c.trigger && skipped.has(c.trigger)));
  const skip = Object.fromEntries(unprepared.map((c) => [c.sampleId, c.unprepared!]));
  const scenario: SuggestedScenario = { page: pageId, description: describeScenario(cases, setups) };
  if (Object.keys(vars).length > 0) scenario.vars = vars;
  if (steps.length > 0) scenario.setup = steps;
  if (Object.keys(substitute).length > 0) scenario.substitute = substitute;
  if (Object.keys(patch).length > 0) scenario.patch = patch;
  if (Object.keys(skip).length > 0) scenario.skip = skip;
  return scenario;
}

function describeScenario(cases: readonly CaseNeeds[], setups: readonly SetupNeed[]): string {
  const parts: string[] = [];
  const created = setups.filter((s) => s.creator);
  if (created.length > 0) {
    const many = created.length > 1;
    parts.push(
      `${created.map((s) => `a ${s.resource}`).join(' and ')} must exist before the page's requests act on ` +
        `${many ? 'them' : 'it'}: the setup creates ${many ? 'them' : 'one'} ` +
        'as the docs document it, and the created ' +
        `id${many ? 's replace the ones' : ' replaces the one'} the docs wrote`,
    );
  }
  const registering = cases.filter((c) => c.kind === 'exchange' && c.callbacks?.via);
  if (registering.length > 0) {
    const who = registering.some((c) => c.callbacks!.via === 'setup')
      ? 'the setup registers'
      : registering.length === 1
        ? 'the request that documents notifications registers'
        : 'the requests that document notifications register';
    parts.push(
      `${who} lockstep's callback receiver instead of the documented one, so the notifications ` + 'can be observed',
    );
  }
  if (cases.some((c) => c.variables.length > 0)) parts.push('the requests need values for their variables (vars)');
  if (cases.some((c) => c.unprepared)) parts.push('cases lockstep could not prepare are skipped, with the reason');
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

// --- Variables -------------------------------------------------------------------------------

/** The variables a documented request needs, but those the scenario itself provides (`provided`: its captures). */
function variablesOf(sample: Sample, owner: string, provided: ReadonlySet<string>): VariableNeed[] {
  const found: VariableNeed[] = [];
  const add = (name: string, syntax: VariableNeed['syntax'], where: string) => {
    if (PROVIDED.has(name) || provided.has(name) || found.some((v) => v.name === name)) return;
    found.push({ name, syntax, where });
  };
  if (sample.kind === 'http-request' && sample.http) {
    const { target, headers, body } = sample.http;
    for (const m of target.matchAll(TEMPLATE)) add(m[1]!, 'template', `${owner} target`);
    for (const m of target.replace(TEMPLATE, '').matchAll(PLACEHOLDER)) add(m[1]!, 'placeholder', `${owner} target`);
    for (const h of headers) {
      for (const m of h.value.matchAll(TEMPLATE)) add(m[1]!, 'template', `${owner} header ${h.name}`);
    }
    for (const m of (body?.text ?? '').matchAll(TEMPLATE)) add(m[1]!, 'template', `${owner} body`);
  } else if (sample.kind === 'xml') {
    for (const m of sample.text.matchAll(TEMPLATE)) add(m[1]!, 'template', 'SOAP envelope');
  }
  return found;
}

// --- Setup: literal ids and the documented requests that create such resources ----------------

/** A documented target's path, as decoded segments. */
function segmentsOf(target: string): string[] {
  let raw: string;
  try {
    raw = new URL(target, 'http://docs.invalid').pathname;
  } catch {
    raw = target.split('?')[0]!;
  }
  return raw
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** The literal ids of a case's request target, each with the collection it is an item of. */
function literalIds(c: ConformanceCase): { literal: string; collection: string }[] {
  if (c.request.kind !== 'http-request' || !c.request.http || c.expected.kind !== 'http-response') return [];
  // A documented error (a 404 for an unknown id) needs no resource: it documents its absence.
  if (c.expected.http.status >= 400) return [];
  const segments = segmentsOf(c.request.http.target);
  return segments.flatMap((s, i) =>
    i > 0 && isLiteralId(s) ? [{ literal: s, collection: `/${segments.slice(0, i).join('/')}` }] : [],
  );
}

/** Segments of a collection as a template: ids and placeholders stand for any segment. */
const templateOf = (segments: readonly string[]) =>
  segments.map((s) => (isLiteralId(s) || isPlaceholder(s) ? null : s.toLowerCase()));

const sameTemplate = (a: readonly (string | null)[], b: readonly (string | null)[]) =>
  a.length === b.length && a.every((s, i) => s === null || b[i] === null || s === b[i]);

/** A documented POST whose documented success response gives the created resource's `id`. */
function isCreator(c: ConformanceCase): boolean {
  return (
    c.kind === 'exchange' &&
    c.request.kind === 'http-request' &&
    c.request.http?.method === 'POST' &&
    c.expected.kind === 'http-response' &&
    c.expected.http.status >= 200 &&
    c.expected.http.status < 300 &&
    createdId(c) !== null
  );
}

function createdId(c: ConformanceCase): string | null {
  if (c.expected.kind !== 'http-response' || c.expected.http.body?.type !== 'json') return null;
  const body = toPlain(c.expected.http.body.json.value) as Record<string, unknown> | undefined;
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  return isObject && typeof body['id'] === 'string' ? body['id'] : null;
}

/**
 * The creators of a collection's items, best first: one whose body can register a receiver when
 * the case needs callbacks, then 201 Created, one that needs no variable and was documented well
 * formed, then document order.
 */
function creatorsOf(collection: string, creators: readonly ConformanceCase[], callbacks: boolean): ConformanceCase[] {
  const wanted = templateOf(segmentsOf(collection));
  const candidates = creators.filter(
    (c) => c.request.kind === 'http-request' && sameTemplate(templateOf(segmentsOf(c.request.http!.target)), wanted),
  );
  const score = (c: ConformanceCase) =>
    (callbacks && callbackMembers(c.request, []).length > 0 ? 8 : 0) +
    (c.expected.kind === 'http-response' && c.expected.http.status === 201 ? 4 : 0) +
    (variablesOf(c.request, 'request', new Set()).length === 0 ? 2 : 0) +
    (c.request.malformed ? 0 : 1);
  return candidates
    .map((c, i) => ({ c, i, s: score(c) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.c);
}

/** The setup step that creates the resource as `creator` documents it, and captures the id it is given. */
function suggestStep(need: SetupNeed, creator: ConformanceCase): void {
  need.creator = {
    pageId: creator.pageId,
    sampleId: creator.sampleId,
    file: creator.page.file,
    line: creator.request.line,
    request: describeRequest(creator.request),
    status: creator.expected.kind === 'http-response' ? creator.expected.http.status : 200,
  };
  need.variables = variablesOf(creator.request, `setup step "create a ${need.resource}"`, new Set());
  need.step = {
    name: `create a ${need.resource}`,
    request: { page: creator.pageId, sample: creator.sampleId },
    expectStatus: need.creator.status,
    capture: { [need.capture]: { json: '$.id' } },
  };
}

// --- Callbacks -------------------------------------------------------------------------------

/**
 * How the case's notifications can reach lockstep: its own body names a callback URL (patched), or
 * the request acts on a resource whose creation registered one (the setup step's body is patched).
 */
function callbackNeed(c: ConformanceCase, item: Setup | undefined): CallbackNeed {
  const notifications = c.notifications.map((n) => n.id);
  const targets = notificationTargets(c);
  const own = callbackMembers(c.request, targets);
  if (own.length > 0) {
    return { notifications, via: 'request', members: own.map(memberOf), patch: patchOf(c.request, own) };
  }
  const registered = item?.creator ? callbackMembers(item.creator.request, targets) : [];
  if (item?.creator && item.need.step && registered.length > 0) {
    const patch = patchOf(item.creator.request, registered);
    // Rebuilt so the patch reads before the status and captures, as in a hand-written step.
    const { name, request, expectStatus, capture } = item.need.step;
    item.need.step = { name, request, patch: { ...item.need.step.patch, ...patch }, expectStatus, capture };
    return { notifications, via: 'setup', members: registered.map(memberOf), patch };
  }
  return { notifications, via: null, members: [], patch: null };
}

/** Where the documented notifications of a case's request are POSTed (`https://bot.contoso.com/api/calls`). */
const notificationTargets = (c: ConformanceCase) =>
  c.notifications.flatMap((n) => (n.kind === 'http-request' && n.http ? [n.http.target] : []));

type JsonPathStep = string | number;
interface FoundMember {
  path: JsonPathStep[];
  value: string;
}

const memberOf = (m: FoundMember) => ({ path: jsonPath(m.path), documented: m.value });

const bodyOf = (request: Sample): unknown =>
  request.kind === 'http-request' && request.http?.body?.type === 'json'
    ? toPlain(request.http.body.json.value)
    : undefined;

/**
 * The members of a request body that hold a callback URL: an http(s) URL under a name that says
 * so, or on the origin the documented notifications are POSTed to (`https://bot.contoso.com`).
 */
function callbackMembers(request: Sample, notificationTargets: readonly string[]): FoundMember[] {
  const origins = new Set(notificationTargets.flatMap((t) => (URL.canParse(t) ? [new URL(t).origin] : [])));
  const found: FoundMember[] = [];
  const walk = (value: unknown, path: JsonPathStep[]) => {
    if (typeof value === 'string') {
      const key = path.at(-1);
      const url = /^https?:\/\//i.test(value) && URL.canParse(value) ? new URL(value) : null;
      const named = typeof key === 'string' && CALLBACK_KEY.test(key);
      if (url && (named || origins.has(url.origin))) found.push({ path, value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(bodyOf(request), []);
  return found;
}

/**
 * A scenario patch sets top-level members: a nested callback URL is set by patching its top-level
 * member with the documented value, the URL replaced.
 */
function patchOf(request: Sample, members: readonly FoundMember[]): Record<string, unknown> {
  const body = structuredClone(bodyOf(request)) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const m of members) {
    const top = m.path[0] as string;
    if (m.path.length === 1) {
      patch[top] = '{{callbackUrl}}';
      continue;
    }
    let holder = body as Record<string | number, unknown>;
    for (const step of m.path.slice(0, -1)) holder = holder[step] as Record<string | number, unknown>;
    holder[m.path.at(-1)!] = '{{callbackUrl}}';
    patch[top] = body[top];
  }
  return patch;
}

function jsonPath(path: readonly JsonPathStep[]): string {
  const step = (p: JsonPathStep) =>
    typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `['${p.replace(/'/g, "\\'")}']`;
  return `$${path.map(step).join('')}`;
}

// --- Names -----------------------------------------------------------------------------------

export function describeRequest(sample: Sample): string {
  if (sample.kind === 'http-request' && sample.http) return `${sample.http.method} ${sample.http.target}`;
  if (sample.kind === 'xml' && sample.xml.soap) return `SOAP ${sample.xml.soap.operation?.local ?? 'request'}`;
  return sample.kind;
}

/** `calls` → `call`, `categories` → `category`, `addresses` → `address`; an unusable name → `resource`. */
function resourceName(collection: string): string {
  const word = (segmentsOf(collection).at(-1) ?? '').replace(/^.*[.:]/, '');
  if (!/^[A-Za-z][\w-]*$/.test(word)) return 'resource';
  if (/ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** A variable name from a resource name: `call` → `call`, `chat-message` → `chatMessage`. */
function camel(word: string): string {
  const parts = word.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (parts.length === 0) return 'resource';
  const first = (p: string, i: number) => (i === 0 ? p.charAt(0).toLowerCase() : p.charAt(0).toUpperCase());
  return parts.map((p, i) => `${first(p, i)}${p.slice(1)}`).join('');
}

function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate) || PROVIDED.has(candidate); n++) candidate = `${name}${n}`;
  taken.add(candidate);
  return candidate;
}

/** `docs/pt-BR/graph/…/call-delete.md` → `call-delete`. */
function fileName(file: string): string {
  const base = file.split(/[\\/]/).at(-1) ?? file;
  return base.replace(/\.[^.]+$/, '') || base;
}
