/**
 * `lockstep lint --watch`: after the first report, re-check the page groups of the files saved
 * since (all their locales, as `lint FILE…` does), with the cache, so that a translator or a
 * writer sees a group's findings a moment after saving any of its pages. Runs until SIGINT or
 * SIGTERM (or the `stop` signal tests pass), then resolves.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import { docsRootOf } from '../discover/locale.js';
import { lint, type LintResult, type LintRunOptions } from '../run/lint-run.js';
import { lintText } from '../report/lint-text.js';
import { UsageError } from './errors.js';

/** How long after the last change a re-check starts: an editor's save is several events. */
export const SETTLE_MS = 150;

/** Options that make no sense with --watch are refused before the first run. */
export function checkWatchOptions(opts: {
  format?: string[];
  output?: string;
  outputDir?: string;
  writeBaseline?: unknown;
  shard?: unknown;
  changedSince?: string;
}): void {
  const clash = (opts.format ?? ['text']).some((f) => f !== 'text')
    ? '--format other than text'
    : opts.output
      ? '--output'
      : opts.outputDir
        ? '--output-dir'
        : opts.writeBaseline
          ? '--write-baseline'
          : opts.shard
            ? '--shard'
            : opts.changedSince
              ? '--changed-since'
              : null;
  if (clash) throw new UsageError(`--watch prints text reports as files change: it cannot take ${clash}`);
}

export interface WatchIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  color: boolean;
}

/** The folders to watch for the inputs: a folder itself, a file's docs root's folder, a glob's fixed part. */
async function watchedFolders(inputs: readonly string[], cwd: string): Promise<string[]> {
  const folders = new Set<string>();
  for (const input of inputs) {
    let dir = path.resolve(cwd, input);
    if (isDynamicPattern(input)) {
      const fixed: string[] = [];
      for (const segment of input.split(/[\\/]/)) {
        if (isDynamicPattern(segment)) break;
        fixed.push(segment);
      }
      dir = path.resolve(cwd, fixed.join('/') || '.');
    }
    const info = await stat(dir).catch(() => null);
    // A file: any page of its group may change, so its docs root is watched.
    if (info?.isFile()) dir = docsRootOf(dir);
    if (info) folders.add(dir);
  }
  return [...folders];
}

/**
 * Watch the inputs' folders; on each settled batch of changes to pages (by extension), lint the
 * changed pages that exist with `wholeGroups` and print the report. `finish` shapes a result as
 * the first report was shaped (baseline, --quiet).
 */
export async function watchLint(
  inputs: readonly string[],
  options: LintRunOptions,
  io: WatchIO,
  finish: (result: LintResult) => LintResult,
  stop?: AbortSignal,
): Promise<void> {
  const extensions = (options.extensions ?? ['md', 'markdown']).map((e) => `.${e.toLowerCase()}`);
  const folders = await watchedFolders(inputs, io.cwd);
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const shown = (abs: string) => path.relative(io.cwd, abs) || abs;

  const check = async () => {
    const changed = [...pending].sort();
    pending.clear();
    const present: string[] = [];
    for (const file of changed) {
      if ((await stat(file).catch(() => null))?.isFile()) present.push(file);
      // A deleted page's group is checked again when one of its other pages is saved.
      else io.stderr(`lockstep: ${shown(file)} was removed\n`);
    }
    if (present.length === 0) return;
    const started = performance.now();
    let cached = 0;
    let result: LintResult;
    try {
      result = await lint(present.map(shown), {
        ...options,
        wholeGroups: true,
        shard: undefined,
        changedSince: undefined,
        onProgress: (p) => {
          cached = p.groups.cached;
        },
      });
    } catch (error) {
      io.stderr(`lockstep: could not check ${present.map(shown).join(', ')}: ${(error as Error).message}\n`);
      return;
    }
    const groups = result.pageGroups.map((g) => g.pageId).join(', ');
    const ms = Math.round(performance.now() - started);
    io.stderr(
      `lockstep: ${present.map(shown).join(', ')} changed: ` +
        `checked ${result.summary.pageGroups} page group${result.summary.pageGroups === 1 ? '' : 's'}` +
        ` (${groups}; ${cached} from the cache) in ${ms} ms\n`,
    );
    io.stdout(lintText(finish(result), { color: io.color }));
  };

  const watchers: FSWatcher[] = folders.map((folder) =>
    watch(folder, { recursive: true }, (_event, name) => {
      if (!name) return;
      const file = path.join(folder, name.toString());
      const parts = file.split(path.sep);
      if (parts.includes('node_modules') || parts.includes('.git') || parts.includes('.lockstep-cache')) return;
      if (!extensions.includes(path.extname(file).toLowerCase())) return;
      pending.add(file);
      if (timer) clearTimeout(timer);
      // One check at a time, in order: changes during a check make the next one.
      timer = setTimeout(() => {
        timer = null;
        running = running.then(check);
      }, SETTLE_MS);
    }),
  );
  io.stderr(`lockstep: watching ${folders.map(shown).join(', ')} for changes (Ctrl-C to stop)\n`);

  await new Promise<void>((resolve) => {
    const end = () => {
      process.off('SIGINT', end);
      process.off('SIGTERM', end);
      resolve();
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    stop?.addEventListener('abort', end, { once: true });
  });
  if (timer) clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
}
