import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LockstepConfig } from '../lint/config.js';
import { UsageError } from './errors.js';

/** What `conformance` takes on the command line (commander's parsed options). */
export interface ConformanceFlags {
  target?: string;
  var?: string[];
  varsFile?: string;
  header?: string[];
  scenarios?: string;
  pathMap?: string[];
  case?: string[];
  skip?: string[];
  notificationTimeout?: number;
  callbackListen?: string;
  callbackUrl?: string;
}

/** An http(s) URL, or a usage error that says what is wrong with it. */
export function httpUrl(option: string, value: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    /* said below */
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    const guess = /^[\w.-]+(:\d+)?(\/|$)/.test(value) ? ` (did you mean http://${value}?)` : '';
    throw new UsageError(`${option} ${value} is not an http(s) URL${guess}`);
  }
  return url;
}

/** Inputs that name a file or folder (not a glob) must be there: a run over nothing is no test. */
export async function checkInputs(paths: readonly string[], cwd: string): Promise<void> {
  for (const input of paths) {
    if (/[*?[{]/.test(input)) continue; // a glob that matches nothing is reported after the run: nothing tested
    if (!(await stat(path.resolve(cwd, input)).catch(() => null)))
      throw new UsageError(`${input}: no such file or folder`);
  }
}

async function checkFolder(option: string, dir: string): Promise<string> {
  const found = await stat(dir).catch(() => null);
  if (!found) throw new UsageError(`${option} ${dir}: no such folder`);
  if (!found.isDirectory()) throw new UsageError(`${option} ${dir}: not a folder`);
  return dir;
}

function pairs(option: string, values: readonly string[], separator: string, example: string): [string, string][] {
  return values.map((v) => {
    const at = v.indexOf(separator);
    if (at < 1) throw new UsageError(`${option} ${v}: expected ${example}`);
    return [v.slice(0, at).trim(), v.slice(at + separator.length).trim()];
  });
}

/**
 * Every conformance option and path read and checked before any request is sent, each failure one
 * line (exit 2). Command-line values win over the config's; the config's paths are relative to it.
 */
export async function conformanceSetup(
  paths: readonly string[],
  flags: ConformanceFlags,
  config: LockstepConfig,
  configFile: string | null,
  cwd: string,
  env: NodeJS.ProcessEnv,
) {
  if (!flags.target) throw new UsageError('--target URL (or LOCKSTEP_TARGET) is required');
  httpUrl('--target', flags.target);
  await checkInputs(paths, cwd);
  const vars: Record<string, string> = {};
  if (flags.varsFile) {
    const file = path.resolve(cwd, flags.varsFile);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `--vars-file ${flags.varsFile}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
    }
    if (
      !parsed ||
      typeof parsed !== 'object' ||
      Array.isArray(parsed) ||
      Object.values(parsed).some((v) => typeof v !== 'string')
    ) {
      throw new UsageError(`--vars-file ${flags.varsFile}: expected a JSON object of strings ({ "id": "…" })`);
    }
    Object.assign(vars, parsed);
  }
  for (const [name, value] of pairs('--var', flags.var ?? [], '=', 'name=value')) vars[name] = value;
  const headers: [string, string][] = [];
  const token = env['LOCKSTEP_TOKEN'];
  if (token) headers.push(['Authorization', `Bearer ${token}`]);
  headers.push(...pairs('--header', flags.header ?? [], ':', '"Name: value"'));
  const pathMap: Record<string, string> = { ...config.pathMap };
  for (const [from, to] of pairs('--path-map', flags.pathMap ?? [], '=', 'FROM=TO, e.g. /beta=/')) {
    if (!from.startsWith('/') || !to.startsWith('/'))
      throw new UsageError(`--path-map ${from}=${to}: both paths start with /, e.g. /beta=/`);
    pathMap[from] = to;
  }
  const configDir = configFile ? path.dirname(configFile) : cwd;
  const scenarios =
    flags.scenarios !== undefined
      ? await checkFolder('--scenarios', path.resolve(cwd, flags.scenarios))
      : config.scenarios !== undefined
        ? await checkFolder('scenarios (config)', path.resolve(configDir, config.scenarios))
        : undefined;
  const listen = flags.callbackListen ?? config.callbackListen;
  let callbackListen: { host: string; port: number } | undefined;
  if (listen !== undefined) {
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
    if (!m || Number(m[3]) > 65535)
      throw new UsageError(`--callback-listen ${listen}: expected HOST:PORT, e.g. 127.0.0.1:9000 or 0.0.0.0:9000`);
    callbackListen = { host: m[1] ?? m[2]!, port: Number(m[3]) };
  }
  const callbackUrl = flags.callbackUrl ?? config.callbackUrl;
  if (callbackUrl !== undefined) httpUrl('--callback-url', callbackUrl);
  // A service cannot call back `0.0.0.0`: listening on every interface needs the URL that reaches this machine.
  if (callbackListen && ['0.0.0.0', '::', '[::]'].includes(callbackListen.host) && callbackUrl === undefined) {
    throw new UsageError(
      `--callback-listen ${listen}: listening on every interface needs --callback-url, ` +
        `the URL the service can reach (e.g. http://<this host>:${callbackListen.port}/callback)`,
    );
  }
  const cases = [...(config.cases ?? []), ...(flags.case ?? [])];
  const skipCases = [...(config.skipCases ?? []), ...(flags.skip ?? [])];
  return {
    target: flags.target,
    vars,
    headers,
    scenarios,
    callbackListen,
    callbackUrl,
    ...(Object.keys(pathMap).length > 0 ? { pathMap } : {}),
    ...(cases.length > 0 ? { cases } : {}),
    ...(skipCases.length > 0 ? { skipCases } : {}),
    notificationTimeoutMs: flags.notificationTimeout ?? config.notificationTimeout,
  };
}
