import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { JSONPath } from 'jsonpath-plus';
import xpath from 'xpath';
import { parse as parseYaml } from 'yaml';
import { parseLiveJson } from '../formats/json.js';
import { parseJsonWithComments } from '../util/jsonc.js';
import type { ActualResponse } from './match.js';
import { ScenarioError } from './errors.js';
import { casePattern } from './select.js';

/** A reference to a documented request sample, on this page or another. */
export interface SampleRef {
  page?: string;
  sample: string;
}

export type Capture = { json: string } | { xpath: string; namespaces?: Record<string, string> } | { header: string };

export interface ScenarioStep {
  name?: string;
  request: SampleRef;
  /** JSON members to set in the request body, e.g. `{ "callbackUri": "{{callbackUrl}}" }`. */
  patch?: Record<string, unknown>;
  expectStatus?: number;
  capture?: Record<string, Capture>;
}

/**
 * Setup, captures and teardown around a page's cases (files under the docs' `.lockstep/scenarios/`,
 * or the folder the config or `--scenarios` names; JSON with comments, or YAML).
 * Keys under `skip` / `expectFailure` are sample ids of the page.
 */
export interface Scenario {
  file: string;
  page: string;
  description?: string;
  vars?: Record<string, string>;
  setup?: ScenarioStep[];
  teardown?: ScenarioStep[];
  /** Literal text in the docs → a template (`"57dab8b1-…": "{{callId}}"`), applied to every request. */
  substitute?: Record<string, string>;
  /** Per-case body patches, by sample id (e.g. to register the callback URL). */
  patch?: Record<string, Record<string, unknown>>;
  skip?: Record<string, string>;
  expectFailure?: Record<string, string>;
  notificationTimeoutMs?: number;
}

function check(value: unknown, file: string): Scenario {
  const fail = (m: string): never => {
    throw new ScenarioError(`${file}: ${m}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('expected an object');
  const s = value as Record<string, unknown>;
  if (typeof s['page'] !== 'string') fail('`page` (the page id the scenario is for) is required');
  for (const key of Object.keys(s)) {
    if (
      ![
        'page',
        'description',
        'vars',
        'setup',
        'teardown',
        'substitute',
        'patch',
        'skip',
        'expectFailure',
        'notificationTimeoutMs',
        '$schema',
      ].includes(key)
    )
      fail(`unknown key \`${key}\``);
  }
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const key of ['vars', 'substitute', 'skip', 'expectFailure'] as const) {
    const v = s[key];
    if (v !== undefined && (!isRecord(v) || Object.values(v).some((x) => typeof x !== 'string')))
      fail(`\`${key}\` must map names to strings`);
  }
  if (s['patch'] !== undefined && (!isRecord(s['patch']) || Object.values(s['patch']).some((x) => !isRecord(x))))
    fail('`patch` must map sample ids to objects of members');
  const timeout = s['notificationTimeoutMs'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0))
    fail('`notificationTimeoutMs` must be a whole number of milliseconds');
  for (const list of ['setup', 'teardown'] as const) {
    const steps = s[list];
    if (steps === undefined) continue;
    if (!Array.isArray(steps)) fail(`\`${list}\` must be a list of steps`);
    (steps as unknown[]).forEach((step, i) => {
      const st = step as ScenarioStep;
      if (!st || typeof st !== 'object' || !st.request || typeof st.request.sample !== 'string')
        fail(`${list}[${i}]: \`request.sample\` (a sample id) is required`);
    });
  }
  return { ...(s as unknown as Scenario), file };
}

/** Where a doc set keeps its scenarios, beside its pages (a dot folder: never read as pages). */
export const SCENARIO_FOLDER = path.join('.lockstep', 'scenarios');

const isDirectory = async (dir: string) => (await stat(dir).catch(() => null))?.isDirectory() ?? false;

/**
 * The scenario folders of the docs named by `inputs`: from each input (a glob from its static
 * part) up to the first folder that holds `.lockstep/scenarios`. They are found from the docs,
 * never from the working directory, so a run from anywhere gets the same scenarios.
 */
export async function findScenarioFolders(inputs: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const input of inputs) {
    const fixed = input.split(/[*?[{]/)[0]!;
    let dir = path.resolve(cwd, fixed === input ? input : path.dirname(`${fixed}x`));
    if (!(await isDirectory(dir))) dir = path.dirname(dir);
    for (;;) {
      const candidate = path.join(dir, SCENARIO_FOLDER);
      if (await isDirectory(candidate)) {
        found.add(candidate);
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return [...found];
}

/**
 * The scenarios of a run: the ones given, those of the folder named (relative to `cwd`), or those
 * found beside the docs.
 */
export async function scenariosFor(
  inputs: readonly string[],
  given: string | Scenario[] | undefined,
  cwd: string,
): Promise<Scenario[]> {
  if (Array.isArray(given)) return given;
  if (given !== undefined) return loadScenarios(path.resolve(cwd, given));
  return (await Promise.all((await findScenarioFolders(inputs, cwd)).map(loadScenarios))).flat();
}

/** Load every scenario file of a folder; a folder that is not there is a ScenarioError (a usage error). */
export async function loadScenarios(dir: string): Promise<Scenario[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.(json|ya?ml)$/i.test(n)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError(
      `scenario folder ${dir}: ` +
        `${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (error as Error).message}`,
    );
  }
  const out: Scenario[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const text = await readFile(file, 'utf8');
    out.push(check(name.endsWith('.json') ? parseJsonFile(text, file) : parseYamlFile(text, file), file));
  }
  return out;
}

/** JSON with comments (a scenario `lockstep init` wrote explains itself); a syntax error names its line and column. */
function parseJsonFile(text: string, file: string): unknown {
  const parsed = parseJsonWithComments(text);
  if (parsed.error !== undefined) throw new ScenarioError(`${file}:${parsed.error}`);
  return parsed.value;
}

function parseYamlFile(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new ScenarioError(`${file}: ${(error as Error).message}`);
  }
}

/** Why a scenario skips a sample: its id as a key, or a glob key (`"join-*": "not yet"`) that matches it. */
export function scenarioSkip(scenario: Scenario, sampleId: string): string | undefined {
  const skip = scenario.skip;
  if (!skip) return undefined;
  if (Object.hasOwn(skip, sampleId)) return skip[sampleId];
  const key = Object.keys(skip).find((k) => /[*?]/.test(k) && casePattern(k).test(sampleId));
  return key === undefined ? undefined : skip[key];
}

/** Evaluate a capture against a live response; null when it finds nothing. */
export function capture(spec: Capture, response: ActualResponse): string | null {
  if ('header' in spec) return response.headers[spec.header.toLowerCase()] ?? null;
  if ('json' in spec) {
    const parsed = parseLiveJson(response.body);
    if (!parsed.ok) return null;
    const json = parsed.value;
    const found = JSONPath({ path: spec.json, json: json as object, wrap: true }) as unknown[];
    const first = found[0];
    return first === undefined || first === null
      ? null
      : typeof first === 'object'
        ? JSON.stringify(first)
        : String(first);
  }
  // XPath over the live body; DOCTYPEs are refused outright so no entity is ever expanded.
  if (/<!DOCTYPE/i.test(response.body)) return null;
  const doc = new DOMParser({ onError: () => {} }).parseFromString(response.body, 'text/xml');
  const select = xpath.useNamespaces(spec.namespaces ?? {});
  const nodes = select(spec.xpath, doc as unknown as Node);
  const first = Array.isArray(nodes) ? nodes[0] : nodes;
  if (first === undefined || first === null) return null;
  if (typeof first === 'object' && 'textContent' in first) return (first as { textContent: string | null }).textContent;
  return String(first);
}
