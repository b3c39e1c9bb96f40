import { lilconfig } from 'lilconfig';
import path from 'node:path';
import type { RuleSetting } from './lint.js';

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
}

export class ConfigError extends Error {}

const SETTINGS = new Set(['off', 'error', 'warning', 'info']);

/** Check a config's shape against the rules there are; the messages name the file and the key. */
export function validateConfig(value: unknown, file: string, ruleIds: readonly string[]): LockstepConfig {
  const fail = (message: string): never => { throw new ConfigError(`${file}: ${message}`); };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('expected an object');
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!['locales', 'sourceLocale', 'defaultLocale', 'ignore', 'rules', 'soapPaths', 'strict', '$schema'].includes(key)) fail(`unknown key \`${key}\``);
  }
  const strings = (key: string) => {
    const v = config[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) fail(`\`${key}\` must be a list of strings`);
  };
  strings('locales');
  strings('ignore');
  for (const key of ['sourceLocale', 'defaultLocale']) if (config[key] !== undefined && typeof config[key] !== 'string') fail(`\`${key}\` must be a string`);
  if (config['soapPaths'] !== undefined && (typeof config['soapPaths'] !== 'object' || config['soapPaths'] === null || Object.values(config['soapPaths']).some((v) => typeof v !== 'string'))) fail('`soapPaths` must map namespaces to paths');
  if (config['strict'] !== undefined && typeof config['strict'] !== 'boolean') fail('`strict` must be true or false');
  if (config['rules'] !== undefined) {
    if (typeof config['rules'] !== 'object' || config['rules'] === null) fail('`rules` must be an object');
    for (const [id, setting] of Object.entries(config['rules'] as Record<string, unknown>)) {
      if (!ruleIds.includes(id)) fail(`unknown rule \`${id}\` (rules: ${ruleIds.join(', ')})`);
      if (typeof setting !== 'string' || !SETTINGS.has(setting)) fail(`rule \`${id}\`: expected "off", "error", "warning" or "info"`);
    }
  }
  return config as LockstepConfig;
}

/** Load the config named by `--config`, or the nearest one found from `cwd` upwards; null when there is none. */
export async function loadConfig(cwd: string, explicit?: string): Promise<{ config: LockstepConfig; file: string } | null> {
  const explorer = lilconfig('lockstep', { searchPlaces: ['lockstep.config.json', '.locksteprc.json', 'package.json'] });
  try {
    const found = explicit ? await explorer.load(path.resolve(cwd, explicit)) : await explorer.search(cwd);
    if (!found || found.isEmpty) return explicit ? { config: {}, file: explicit } : null;
    // The rule modules are loaded only when there is a config to check against them.
    const { RULE_IDS } = await import('./rules/index.js');
    return { config: validateConfig(found.config, path.relative(cwd, found.filepath) || found.filepath, RULE_IDS), file: found.filepath };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`${explicit ?? 'config'}: ${reason}`);
  }
}
