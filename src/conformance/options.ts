/** What a replay is told: where to send, what to select and how to fill, wait and report. */
import type { LoadOptions, LoadResult } from '../group/load.js';
import type { Shard } from '../run/shard.js';
import type { ClientLimits } from './client.js';
import type { CaseResult } from './result.js';
import type { Scenario } from './scenario.js';

export interface ConformanceOptions extends LoadOptions {
  target: string;
  locale?: string;
  sourceLocale?: string | null;
  vars?: Record<string, string>;
  /** Headers to send with every request (credentials): never printed. */
  headers?: [string, string][];
  soapPaths?: Record<string, string>;
  limits?: Partial<ClientLimits>;
  concurrency?: number;
  /**
   * Folder of scenario files, or the scenarios; default: the `.lockstep/scenarios` folder of the docs
   * (found from each input upwards).
   */
  scenarios?: string | Scenario[];
  notificationTimeoutMs?: number;
  /** JSON members the docs do not show fail the case (default: they pass, as a tolerant client reads them). */
  strict?: boolean;
  /** Documented path prefixes → the implementation's (`{ "/beta": "/" }`). */
  pathMap?: Record<string, string>;
  /** Only the cases whose id (or page id) matches one of these ids or globs. */
  cases?: readonly string[];
  /** Leave out the cases whose id (or page id) matches one of these. */
  skipCases?: readonly string[];
  /** Where the callback receiver listens (default 127.0.0.1, a free port). */
  callbackListen?: { host: string; port: number };
  /** The URL a service is told to call back (default: the receiver's own): a public URL that forwards to it. */
  callbackUrl?: string;
  /**
   * Replay only the page groups of this shard (0-based index; the split lint's `--shard` makes, by
   * a hash of the page id), so a CI matrix covers each case once; problems reading the inputs
   * themselves go to the first shard.
   */
  shard?: Shard;
  /**
   * Called once, before the first request, with the number of cases planned (progress shows done/total) and, with a
   * shard, the number in all shards together.
   */
  onPlanned?: (total: number, inAllShards: number) => void;
  /** Called as each case ends (progress, streaming reporters). */
  onResult?: (result: CaseResult) => void;
  /** Pages already loaded from `inputs` (a caller that also serves them), so they are not read again. */
  loaded?: LoadResult;
}
