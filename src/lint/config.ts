import { lilconfig } from 'lilconfig';
import path from 'node:path';
import { parseJsonWithComments } from '../util/jsonc.js';
import type { RuleSetting } from './lint.js';
import { LockstepError } from '../util/errors.js';

/** `lockstep.config.json`, `.locksteprc.json`, or a `lockstep` key in package.json. */
export interface LockstepConfig {
  /** Locales the doc set is translated into: coverage is checked against them. */
  locales?: string[];
  sourceLocale?: string;
  defaultLocale?: string;
  /** Globs of pages to leave out. */
  ignore?: string[];
  rules?: Record<string, RuleSetting>;
  /** conformance: the path SOAP envelopes are POSTed to, per operation namespace (`*` for any). */
  soapPaths?: Record<string, string>;
  /** conformance: JSON members the docs do not show fail the case (default: they pass). */
  strict?: boolean;
  /** conformance: the scenario folder, relative to the config file. */
  scenarios?: string;
  /** conformance: documented path prefixes → the implementation's (`{ "/beta": "/" }`). */
  pathMap?: Record<string, string>;
  /** conformance: only the cases whose id matches one of these (ids or globs). */
  cases?: string[];
  /** conformance: leave out the cases whose id matches one of these. */
  skipCases?: string[];
  /** conformance: how long to wait for the documented notifications of a request, in milliseconds. */
  notificationTimeout?: number;
  /** conformance: where the callback receiver listens (`HOST:PORT`). */
  callbackListen?: string;
  /** conformance: the public URL that reaches the callback receiver (behind a tunnel or proxy). */
  callbackUrl?: string;
}

const KEYS = [
  'locales',
  'sourceLocale',
  'defaultLocale',
  'ignore',
  'rules',
  'soapPaths',
  'strict',
  'scenarios',
  'pathMap',
  'cases',
  'skipCases',
  'notificationTimeout',
  'callbackListen',
  'callbackUrl',
  '$schema',
];

export class ConfigError extends LockstepError {
  override describe(): string {
    return `invalid config: ${this.message}`;
  }
}

const SETTINGS = new Set(['off', 'error', 'warning', 'info']);

/** Check a config's shape against the rules there are; the messages name the file and the key. */
export function validateConfig(value: unknown, file: string, ruleIds: readonly string[]): LockstepConfig {
  const fail = (message: string): never => {
    throw new ConfigError(`${file}: ${message}`);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('expected an object');
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!KEYS.includes(key)) fail(`unknown key \`${key}\``);
  }
  const strings = (key: string) => {
    const v = config[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
      fail(`\`${key}\` must be a list of strings`);
  };
  strings('locales');
  strings('ignore');
  strings('cases');
  strings('skipCases');
  for (const key of ['sourceLocale', 'defaultLocale', 'scenarios', 'callbackListen', 'callbackUrl'])
    if (config[key] !== undefined && typeof config[key] !== 'string') fail(`\`${key}\` must be a string`);
  if (
    config['soapPaths'] !== undefined &&
    (typeof config['soapPaths'] !== 'object' ||
      config['soapPaths'] === null ||
      Object.values(config['soapPaths']).some((v) => typeof v !== 'string'))
  )
    fail('`soapPaths` must map namespaces to paths');
  if (config['strict'] !== undefined && typeof config['strict'] !== 'boolean') fail('`strict` must be true or false');
  const timeout = config['notificationTimeout'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0))
    fail('`notificationTimeout` must be a whole number of milliseconds');
  const map = config['pathMap'];
  if (
    map !== undefined &&
    (typeof map !== 'object' ||
      map === null ||
      Array.isArray(map) ||
      Object.entries(map).some(([k, v]) => !k.startsWith('/') || typeof v !== 'string' || !v.startsWith('/')))
  ) {
    fail(
      "`pathMap` must map documented path prefixes to the implementation's, " +
        'each starting with `/` (`{ "/beta": "/" }`)',
    );
  }
  if (config['rules'] !== undefined) {
    if (typeof config['rules'] !== 'object' || config['rules'] === null) fail('`rules` must be an object');
    for (const [id, setting] of Object.entries(config['rules'] as Record<string, unknown>)) {
      if (!ruleIds.includes(id)) fail(`unknown rule \`${id}\` (rules: ${ruleIds.join(', ')})`);
      if (typeof setting !== 'string' || !SETTINGS.has(setting))
        fail(`rule \`${id}\`: expected "off", "error", "warning" or "info"`);
    }
  }
  return config as LockstepConfig;
}

/**
 * Config files are JSON with comments (as tsconfig.json and VS Code's settings are), so the file
 * `lockstep init` writes can say what each key does. A syntax error names its line and column.
 */
function loadJsonc(filepath: string, content: string): unknown {
  const parsed = parseJsonWithComments(content);
  if (parsed.error !== undefined)
    throw new ConfigError(
      `${path.basename(filepath)}:${parsed.error} (a syntax error: the file is JSON with comments)`,
    );
  // package.json holds the config under a `lockstep` key, which lilconfig reads from the whole value.
  return parsed.value;
}

/** Load the config named by `--config`, or the nearest one found from `cwd` upwards; null when there is none. */
export async function loadConfig(
  cwd: string,
  explicit?: string,
): Promise<{ config: LockstepConfig; file: string } | null> {
  const explorer = lilconfig('lockstep', {
    searchPlaces: ['lockstep.config.json', '.locksteprc.json', 'package.json'],
    loaders: { '.json': loadJsonc },
  });
  try {
    const found = explicit ? await explorer.load(path.resolve(cwd, explicit)) : await explorer.search(cwd);
    if (!found || found.isEmpty) return explicit ? { config: {}, file: explicit } : null;
    // The rule modules are loaded only when there is a config to check against them.
    const { RULE_IDS } = await import('./rules/index.js');
    return {
      config: validateConfig(found.config, path.relative(cwd, found.filepath) || found.filepath, RULE_IDS),
      file: found.filepath,
    };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`${explicit ?? 'config'}: ${reason}`);
  }
}
