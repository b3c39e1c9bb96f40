/**
 * `lockstep init [docs…]`: a starting point for an implementer. Writes a commented config and, for
 * each page whose cases need something before they can run against a real service (variables, a
 * resource to exist, a callback receiver), a scenario skeleton that says what and suggests how.
 * Nothing found at an output path is ever replaced, unless `force` (and then atomically).
 */
import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { caseNeeds, type CaseNeeds, type PageNeeds, type SetupNeed } from '../conformance/needs.js';
import { findScenarioFolders, loadScenarios } from '../conformance/scenario.js';
import type { PageGroup } from '../group/group.js';
import { loadPages } from '../group/load.js';
import { parseJsonWithComments } from '../util/jsonc.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InitError } from './init-error.js';
import { leavesFolder } from '../util/paths.js';

export { InitError };

export interface InitOptions {
  cwd: string;
  /** Replace files already at the output paths (atomically). */
  force?: boolean;
  locale?: string;
  sourceLocale?: string | null;
}

export interface InitFile {
  /** Relative to `cwd`, with `/`. */
  path: string;
  kind: 'config' | 'scenario';
  /** `kept`: something was already there and is left as it was. */
  status: 'written' | 'replaced' | 'kept';
  /** The page a scenario is for. */
  pageId: string | null;
  /** Why a file was kept, or what to do with it. */
  note: string | null;
}

export interface InitPageSummary {
  pageId: string;
  file: string;
  exchanges: number;
  notifications: number;
  /** Variable names the page's requests (and its setup steps) need values for. */
  variables: string[];
  /** The resources that must exist, and the documented request (`pageId#sampleId`) that creates each, or null. */
  setup: { resource: string; literal: string; creator: string | null }[];
  /** Requests whose notifications reach lockstep's receiver once registered. */
  callbacks: number;
  /** Cases the skeleton skips, saying why. */
  unprepared: number;
  /** Cases that run as documented. */
  asDocumented: number;
  /** The scenario skeleton (relative to `cwd`), null when the page needs none. */
  scenario: string | null;
  /** A scenario the docs ship for the page (`docs/.lockstep/scenarios/…`), which a folder of one's own replaces. */
  shipped: string | null;
  /** One line: what the page needs. */
  summary: string;
}

export interface InitResult {
  cwd: string;
  inputs: string[];
  files: InitFile[];
  /** Paths written (or replaced with `force`), and kept, relative to `cwd`. */
  written: string[];
  kept: string[];
  pages: InitPageSummary[];
  /** The scenario folder, relative to `cwd`. */
  scenarios: string;
  /** The command to run next. */
  next: string;
  needs: PageNeeds[];
}

export const CONFIG_FILE = 'lockstep.config.json';
export const SCENARIO_DIR = 'lockstep/scenarios';
const EXAMPLE_TARGET = 'http://127.0.0.1:8080';
const KEPT = 'already there; --force replaces it';

export async function runInit(paths: string[], options: InitOptions): Promise<InitResult> {
  const { cwd } = options;
  const inputs = paths.length > 0 ? paths : ['docs'];
  const loaded = await loadPages(inputs, { cwd });
  // Input problems (a mistyped path, an empty folder) stop init before it writes anything:
  // a setup made from part of the docs would look complete.
  const problems = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) throw new InitError(problems.map((d) => `${d.file}: ${d.message}`).join('; '));
  const needs = caseNeeds(loaded.groups, { locale: options.locale, sourceLocale: options.sourceLocale });
  const shipped = await shippedScenarios(inputs, cwd);
  // Paths inside cwd as relative ones, with `/`; others as they are.
  const rel = (abs: string) => {
    const r = path.relative(cwd, abs);
    return leavesFolder(r) ? abs : r.split(path.sep).join('/');
  };
  const isOurFolder = (scenarios: string | undefined) =>
    scenarios !== undefined && path.relative(path.resolve(cwd, scenarios), path.resolve(cwd, SCENARIO_DIR)) === '';

  const files: InitFile[] = [];
  const config = await existingConfig(cwd);
  let pointsHere: boolean;
  if (config && config.file !== CONFIG_FILE) {
    // Another config lockstep reads first: a new lockstep.config.json would silently take its place.
    const note = `already configures lockstep: add "scenarios": "${SCENARIO_DIR}" to it`;
    files.push({ path: config.file, kind: 'config', status: 'kept', pageId: null, note });
    pointsHere = isOurFolder(config.scenarios);
  } else {
    const text = renderConfig(loaded.groups, needs, inputs);
    const status = await writeOutput(path.join(cwd, CONFIG_FILE), text, options.force);
    files.push({ path: CONFIG_FILE, kind: 'config', status, pageId: null, note: status === 'kept' ? KEPT : null });
    pointsHere = status !== 'kept' || isOurFolder(config?.scenarios);
  }

  const dir = path.join(cwd, SCENARIO_DIR);
  try {
    // Made even when no page needs a scenario: the config names it, and a missing folder is a usage error.
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InitError(`${SCENARIO_DIR}: cannot make the scenario folder (${why})`);
  }
  const names = fileNames(needs);
  const pages: InitPageSummary[] = [];
  for (const page of needs) {
    const name = names.get(page.pageId);
    let scenario: string | null = null;
    if (name && page.scenario) {
      const file = path.join(dir, `${name}.json`);
      scenario = rel(file);
      const status = await writeOutput(file, renderScenario(page, inputs), options.force);
      const note = status === 'kept' ? KEPT : null;
      files.push({ path: scenario, kind: 'scenario', status, pageId: page.pageId, note });
    }
    const ship = shipped.get(page.pageId);
    pages.push(summarize(page, scenario, ship ? rel(ship) : null));
  }
  const scenariosOption = pointsHere ? '' : ` --scenarios ${SCENARIO_DIR}`;
  return {
    cwd,
    inputs,
    files,
    written: files.filter((f) => f.status !== 'kept').map((f) => f.path),
    kept: files.filter((f) => f.status === 'kept').map((f) => f.path),
    pages,
    scenarios: SCENARIO_DIR,
    needs,
    next: `npx lockstep conformance ${inputs.map(shellQuote).join(' ')} --target ${EXAMPLE_TARGET}${scenariosOption}`,
  };
}

/** The lines the CLI prints: one per file written or kept, the pages that need nothing, then what to do next. */
export function formatInit(result: InitResult): string {
  const lines: string[] = [];
  const byPage = new Map(result.pages.map((p) => [p.pageId, p]));
  const verb = { written: 'wrote', replaced: 'replaced', kept: 'kept' } as const;
  for (const f of result.files) {
    const page = f.pageId ? byPage.get(f.pageId) : undefined;
    const notes = [f.note, page?.shipped ? `used instead of the docs' own: ${page.shipped}` : null].filter(Boolean);
    const what = page ? `: ${page.summary}` : '';
    lines.push(`${verb[f.status].padEnd(8)} ${f.path}${what}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
  }
  const plain = result.pages.filter((p) => p.scenario === null);
  if (plain.length > 0) {
    const list = plain.map((p) => `${p.pageId} (${cases(p.exchanges + p.notifications)})`);
    lines.push(`as documented: ${list.join(', ')}`);
  }
  if (result.pages.length === 0) {
    lines.push('no documented request with a documented response in these pages: nothing to replay yet');
  }
  const vars = result.pages.filter((p) => p.scenario && p.variables.length > 0);
  lines.push('', 'Next:');
  if (vars.length > 0) lines.push(`  fill in the empty vars of ${vars.map((p) => p.scenario).join(', ')}`);
  lines.push(`  review ${result.scenarios}/, start your implementation, then replay the docs against it:`);
  lines.push(`  ${result.next}`);
  return `${lines.join('\n')}\n`;
}

const cases = (n: number) => `${n} case${n === 1 ? '' : 's'}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summarize(page: PageNeeds, scenario: string | null, shipped: string | null): InitPageSummary {
  const exchanges = page.cases.filter((c) => c.kind === 'exchange');
  const setups = setupsOf(page);
  const variables = [
    ...new Set([...page.cases.flatMap((c) => c.variables), ...setups.flatMap((s) => s.variables)].map((v) => v.name)),
  ];
  const callbacks = exchanges.filter((c) => c.callbacks?.via).length;
  const unprepared = page.cases.filter((c) => c.unprepared).length;
  const asDocumented = page.cases.filter((c) => c.nothing).length;
  const parts: string[] = [];
  if (variables.length > 0) parts.push(`vars to fill: ${variables.join(', ')}`);
  for (const s of setups) {
    parts.push(
      s.creator
        ? `setup creates a ${s.resource} (${pageName(s.creator.pageId)}#${s.creator.sampleId}), ` +
            `{{${s.capture}}} replaces ${s.literal}`
        : `no documented request creates the ${s.resource} ${s.literal}`,
    );
  }
  const notified = exchanges.filter((c) => c.callbacks);
  if (notified.length > 0) {
    const n = plural(
      notified.reduce((sum, c) => sum + c.callbacks!.notifications.length, 0),
      'notification',
    );
    const who = notified.every((c) => c.callbacks!.via === 'setup')
      ? 'the setup registers'
      : callbacks === 1
        ? '1 request registers'
        : `${callbacks} requests register`;
    parts.push(callbacks > 0 ? `${who} the callback receiver for ${n}` : `nothing registers a receiver for ${n}`);
  }
  if (unprepared > 0) parts.push(`${cases(unprepared)} skipped until prepared`);
  if (asDocumented > 0 && scenario) parts.push(`${asDocumented} as documented`);
  return {
    pageId: page.pageId,
    file: page.file,
    exchanges: exchanges.length,
    notifications: page.cases.length - exchanges.length,
    variables,
    callbacks,
    unprepared,
    asDocumented,
    scenario,
    shipped,
    summary: parts.join('; ') || 'runs as documented',
    setup: setups.map((s) => ({
      resource: s.resource,
      literal: s.literal,
      creator: s.creator ? `${s.creator.pageId}#${s.creator.sampleId}` : null,
    })),
  };
}

const setupsOf = (page: PageNeeds): SetupNeed[] => [...new Set(page.cases.flatMap((c) => c.setup))];
const pageName = (pageId: string) => pageId.split('/').at(-1) ?? pageId;

/** A skeleton per page, named after the page's file; pages whose file names collide take their page id. */
function fileNames(needs: readonly PageNeeds[]): Map<string, string> {
  const wanted = needs.filter((p) => p.scenario);
  const count = new Map<string, number>();
  for (const p of wanted) count.set(p.name.toLowerCase(), (count.get(p.name.toLowerCase()) ?? 0) + 1);
  const nameOf = (p: PageNeeds) => (count.get(p.name.toLowerCase())! > 1 ? p.pageId.replace(/[\\/]+/g, '.') : p.name);
  return new Map(wanted.map((p) => [p.pageId, nameOf(p)]));
}

// --- Files -----------------------------------------------------------------------------------

/** Where a file system has no hard links, a new file is made by an exclusive copy instead. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Write `text` at `file` unless something is there (`kept`). A new file appears whole or not at all,
 * and never over one that appeared meanwhile (a hard link to a temporary file fails if the name is
 * taken, as rename would not). With `force`, an existing file is replaced atomically; a folder never.
 */
async function writeOutput(file: string, text: string, force = false): Promise<InitFile['status']> {
  try {
    return await writeOrKeep(file, text, force);
  } catch (error) {
    // A folder init cannot write to is the user's to fix, not an internal failure.
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InitError(`${file}: cannot write (${why})`);
  }
}

async function writeOrKeep(file: string, text: string, force: boolean): Promise<InitFile['status']> {
  const existing = await lstat(file).catch(() => null);
  if (existing && (!force || existing.isDirectory())) return 'kept';
  if (existing) {
    await writeFileAtomic(file, text);
    return 'replaced';
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, file);
    return 'written';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return 'kept';
    if (!NO_LINKS.has(code)) throw error;
    try {
      await copyFile(tmp, file, constants.COPYFILE_EXCL);
      return 'written';
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return 'kept';
      throw copyError;
    }
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** The config of this folder lockstep reads first (its search order), and the `scenarios` it names. */
async function existingConfig(cwd: string): Promise<{ file: string; scenarios: string | undefined } | null> {
  for (const file of [CONFIG_FILE, '.locksteprc.json', 'package.json']) {
    const text = await readFile(path.join(cwd, file), 'utf8').catch(() => null);
    if (text === null) continue;
    const parsed = parseJsonWithComments(text);
    const value = parsed.error === undefined ? (parsed.value as Record<string, unknown> | undefined) : undefined;
    const config = file === 'package.json' ? value?.['lockstep'] : value;
    if (file === 'package.json' && (config === undefined || config === null)) continue;
    const scenarios =
      config && typeof config === 'object' ? (config as Record<string, unknown>)['scenarios'] : undefined;
    return { file, scenarios: typeof scenarios === 'string' ? scenarios : undefined };
  }
  return null;
}

/** The scenarios the docs ship beside their pages, by page id (a broken one is for `conformance` to report). */
async function shippedScenarios(inputs: readonly string[], cwd: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const dir of await findScenarioFolders(inputs, cwd)) {
    const scenarios = await loadScenarios(dir).catch(() => []);
    for (const s of scenarios) if (!found.has(s.page)) found.set(s.page, s.file);
  }
  return found;
}

const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);

// --- JSON with comments ----------------------------------------------------------------------

/**
 * An object member as written: comments above it; `commented` writes it as an example to uncomment
 * (with no key: a value to paste into another member). `raw`: the value already written.
 */
interface Member {
  comments?: string[];
  key: string | null;
  value: unknown;
  commented?: boolean;
  raw?: string;
}

const WIDTH = 110;

/** JSON on one line, with spaces as people write it: `{ "a": 1, "b": [1, 2] }`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(inline).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A value at `indent`: on one line when it fits, else one member or item per line. */
function pretty(value: unknown, indent: string, used = 0): string {
  const one = inline(value);
  if (indent.length + used + one.length <= WIDTH || !value || typeof value !== 'object') return one;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${pretty(v, inner)}`).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner, k.length + 4)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/**
 * An object with comments. A member is followed by a comma when any member follows it, commented
 * ones included, and a commented member ends with one (both loaders accept a trailing comma): any
 * example can be uncommented as it is.
 */
function object(members: readonly Member[], indent: string): string {
  const inner = `${indent}  `;
  const lines: string[] = [];
  members.forEach((m, i) => {
    for (const c of m.comments ?? []) lines.push(`${inner}// ${c}`.trimEnd());
    const value = m.raw ?? pretty(m.value, inner, m.key === null ? 0 : m.key.length + 4);
    const text = m.key === null ? value : `${JSON.stringify(m.key)}: ${value}`;
    if (m.commented) {
      // A value to paste elsewhere ends with no comma.
      for (const line of `${text}${m.key === null ? '' : ','}`.split('\n')) {
        lines.push(`${inner}// ${line.startsWith(inner) ? line.slice(inner.length) : line}`);
      }
    } else {
      lines.push(`${inner}${text}${members.slice(i + 1).some((n) => n.key !== null) ? ',' : ''}`);
    }
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

const comment = (lines: readonly string[]) => lines.map((l) => `// ${l}`.trimEnd()).join('\n');

/** The config: `scenarios` set, the other conformance keys as commented examples, each explained. */
export function renderConfig(
  groups: readonly PageGroup[],
  needs: readonly PageNeeds[],
  inputs: readonly string[],
): string {
  const requests = needs
    .flatMap((p) => p.cases)
    .filter((c) => c.kind === 'exchange')
    .map((c) => c.request);
  // The docs' version prefix (`/beta`, `/v1.0`), which an implementation often serves without.
  const firsts = requests
    .map((r) => /^[A-Z]+ (?:https?:\/\/[^/]+)?\/([^/?#]+)\//.exec(r)?.[1])
    .filter((s): s is string => s !== undefined && /^(?:v\d[\w.]*|beta|api)$/i.test(s));
  const prefix = mostCommon(firsts) ?? 'beta';
  const some = needs.find((p) => p.scenario) ?? needs[0];
  const other = needs.find((p) => p !== some);
  const soap = requests.some((r) => r.startsWith('SOAP '));
  const locales = [...new Set(groups.flatMap((g) => g.locales))].filter((l) => l !== '(unknown)').sort();
  const example = (key: string, value: unknown, ...comments: string[]): Member => ({
    key,
    value,
    commented: true,
    comments: ['', ...comments],
  });
  const members: Member[] = [
    {
      key: 'scenarios',
      value: SCENARIO_DIR,
      comments: [
        'conformance: the folder of scenario files (setup steps, captures, substitutions, callback patches, skips),',
        'relative to this file. `lockstep init` wrote a skeleton there for each page that needs one.',
      ],
    },
    example(
      'pathMap',
      { [`/${prefix}`]: '/' },
      "conformance: documented path prefixes → your implementation's, when it serves them elsewhere",
      `(the docs' /${prefix}/… requests go to /… on the target).`,
    ),
    example(
      'cases',
      [some ? `${some.pageId}#*` : 'graph/**'],
      'conformance: run only the cases whose id (`<page id>#<sample id>`) matches one of these ids or globs.',
    ),
    example(
      'skipCases',
      [other ? `${other.pageId}#*` : 'exchange/**'],
      'conformance: leave out the cases whose id matches one of these ids or globs.',
    ),
    example(
      'notificationTimeout',
      5000,
      'conformance: how long to wait for the documented notifications of a request, in milliseconds.',
    ),
    example(
      'callbackListen',
      '0.0.0.0:8081',
      "conformance: where lockstep's callback receiver listens (HOST:PORT); by default a free port on 127.0.0.1.",
    ),
    example(
      'callbackUrl',
      'http://host.docker.internal:8081/',
      'conformance: the URL your implementation reaches the receiver at, when that is not where it listens',
      '(a container, a tunnel, a proxy). Scenarios put it where the docs register a callback: {{callbackUrl}}.',
    ),
    example(
      'strict',
      true,
      'conformance: JSON members the docs do not show fail the case',
      '(by default they pass, as a tolerant client reads them).',
    ),
  ];
  if (soap) {
    members.push(
      example(
        'soapPaths',
        { '*': '/EWS/Exchange.asmx' },
        'conformance: where SOAP envelopes are POSTed, by operation namespace (`*`: any); default /EWS/Exchange.asmx.',
      ),
    );
  }
  if (locales.length > 0) {
    members.push(
      example(
        'locales',
        locales,
        'lint: the locales the docs are translated into (a page missing from one of them is reported).',
      ),
    );
  }
  const header = [
    'lockstep config, written by `lockstep init`: JSON with comments (trailing commas allowed).',
    '`lockstep lint` and `lockstep conformance` read it when run from this folder or below (or with --config).',
    '',
    'The implementation under test is not set here, as it differs from one machine to the next:',
    'give it with --target URL, or the LOCKSTEP_TARGET environment variable.',
    `  npx lockstep conformance ${inputs.map(shellQuote).join(' ')} --target ${EXAMPLE_TARGET}`,
    "Credentials neither: --header 'Authorization: Bearer …' or LOCKSTEP_TOKEN (never printed).",
  ];
  return `${comment(header)}\n${object(members, '')}\n`;
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

const variableName = (v: { name: string; syntax: 'placeholder' | 'template' }) =>
  v.syntax === 'template' ? `{{${v.name}}}` : `{${v.name}}`;

/** A page's scenario skeleton: its cases and what each needs, then the scenario that prepares them. */
export function renderScenario(page: PageNeeds, inputs: readonly string[]): string {
  const scenario = page.scenario!;
  const header = [
    `Scenario for ${page.pageId}, written by \`lockstep init\` from ${page.file}.`,
    "It prepares what the page's documented requests need to run against a real service; review it, then run",
    `  npx lockstep conformance ${inputs.map(shellQuote).join(' ')} --target URL`,
    'JSON with comments; the keys are described in lockstep\'s README, "Scenarios and notifications".',
    '',
    'The cases of this page and what they need:',
    ...page.cases.flatMap(describeCase),
  ];
  const setups = setupsOf(page);
  const members: Member[] = [
    { key: 'page', value: scenario.page },
    { key: 'description', value: scenario.description },
  ];
  if (scenario.vars) {
    const where = new Map<string, string[]>();
    for (const v of [...page.cases.flatMap((c) => c.variables), ...setups.flatMap((s) => s.variables)]) {
      where.set(variableName(v), [...new Set([...(where.get(variableName(v)) ?? []), v.where])]);
    }
    members.push({
      key: 'vars',
      value: scenario.vars,
      comments: [
        "Fill these in: the values of the {name} placeholders and {{name}} templates of this page's requests",
        `(${[...where].map(([name, at]) => `${name} in the ${at.join(' and the ')}`).join('; ')}).`,
        'A value here wins over --var, and an empty one is sent as it is: delete an entry to give it with --var.',
      ],
    });
  }
  if (scenario.setup) {
    const steps = setups.filter((s) => s.step).map((s) => `    ${stepText(s, '    ')}`);
    members.push({
      key: 'setup',
      value: null,
      raw: `[\n${steps.join(',\n')}\n  ]`,
      comments: [
        "Run in order before the page's cases; if a step fails, every case of the page is an error that says why.",
      ],
    });
  }
  if (scenario.substitute) {
    members.push({
      key: 'substitute',
      value: scenario.substitute,
      comments: ['The ids the docs wrote, replaced in every request of the page by the ones the setup created.'],
    });
  }
  if (scenario.patch) {
    const documented = new Set(
      page.cases.flatMap((c) => (c.callbacks?.via === 'request' ? c.callbacks.members : [])).map((m) => m.documented),
    );
    members.push({
      key: 'patch',
      value: scenario.patch,
      comments: [
        "Body patches by sample id: the member that registers a callback points at lockstep's receiver",
        `({{callbackUrl}}) instead of ${[...documented].join(', ')}, so the documented notifications can be awaited.`,
      ],
    });
  }
  if (scenario.skip) {
    members.push({
      key: 'skip',
      value: scenario.skip,
      comments: [
        'Cases lockstep could not prepare from the docs, skipped with the reason: once you have prepared one',
        '(a setup step of your own, a patch), remove its entry.',
      ],
    });
  }
  const missing = setups.filter((s) => !s.step);
  members.push(...missingSetup(missing, scenario.setup !== undefined, scenario.substitute !== undefined));
  return `${comment(header)}\n${object(members, '')}\n`;
}

/** For resources no documented request creates: a setup step and a substitution to complete and uncomment. */
function missingSetup(missing: readonly SetupNeed[], hasSetup: boolean, hasSubstitute: boolean): Member[] {
  if (missing.length === 0) return [];
  const steps = missing.map((s) => ({
    name: `create a ${s.resource}`,
    request: { page: '<the page that documents it>', sample: '<its request sample id>' },
    expectStatus: 201,
    capture: { [s.capture]: { json: '$.id' } },
  }));
  const which = missing.map((s) => `the ${s.resource} ${s.literal}`).join(' or ');
  const what = `No documented request among the inputs creates ${which}.`;
  const substitute = Object.fromEntries(missing.map((s) => [s.literal, `{{${s.capture}}}`]));
  // Where the key is already there, the example is what to add to it: a second key would replace the first.
  return [
    hasSetup
      ? {
          key: null,
          value: steps.length === 1 ? steps[0] : steps,
          commented: true,
          comments: [what, 'Add a step that creates it to setup (its request from a page you add to the inputs):'],
        }
      : {
          key: 'setup',
          value: steps,
          commented: true,
          comments: [
            what,
            'Name one (from a page you add to the inputs) in a setup step like this,',
            'and substitute its id:',
          ],
        },
    hasSubstitute
      ? { key: null, value: substitute, commented: true, comments: ['and add to substitute:'] }
      : { key: 'substitute', value: substitute, commented: true },
  ];
}

function stepText(s: SetupNeed, indent: string): string {
  const step = s.step!;
  const c = s.creator!;
  const members: Member[] = [
    { key: 'name', value: step.name },
    {
      key: 'request',
      value: step.request,
      comments: [`${c.request} → ${c.status}, documented at ${c.file}:${c.line}`],
    },
  ];
  if (step.patch) {
    members.push({
      key: 'patch',
      value: step.patch,
      comments: ["registers lockstep's callback receiver, so the notifications of this page's cases reach it"],
    });
  }
  members.push(
    { key: 'expectStatus', value: step.expectStatus },
    {
      key: 'capture',
      value: step.capture,
      comments: [`the created ${s.resource}'s id, put for ${s.literal} by substitute`],
    },
  );
  return object(members, indent);
}

function describeCase(c: CaseNeeds): string[] {
  const at = `${c.sampleId} (line ${c.line})`;
  // Listed under the request that triggers them.
  if (c.kind === 'notification') {
    return [`    ${at}: its notification, ${c.unprepared ? 'skipped' : "awaited on lockstep's receiver"}`];
  }
  const lines = [`  ${at}: ${c.request}`];
  if (c.nothing) return [...lines, '      runs as documented'];
  for (const v of c.variables) lines.push(`      variable: ${variableName(v)} in the ${v.where}: give it in vars`);
  for (const s of c.setup) {
    lines.push(
      s.step
        ? `      setup: the ${s.resource} ${s.literal} must exist: the setup step creates one, ` +
            `and {{${s.capture}}} replaces the id`
        : `      setup: the ${s.resource} ${s.literal} must exist, and no documented request among the inputs ` +
            'creates one',
    );
  }
  if (c.callbacks) {
    const what = plural(c.callbacks.notifications.length, 'documented notification');
    const members = c.callbacks.members.map((m) => m.path).join(', ');
    const how =
      c.callbacks.via === 'request'
        ? `; the patch below registers lockstep's receiver at ${members}`
        : c.callbacks.via === 'setup'
          ? `; the setup step registers lockstep's receiver at ${members}`
          : ', but nothing in the docs registers a receiver lockstep could patch';
    lines.push(`      callbacks: ${what}${how}`);
  }
  if (c.unprepared) lines.push('      skipped until prepared (see skip)');
  return lines;
}
