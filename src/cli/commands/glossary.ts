/**
 * `lockstep glossary`: the CLI side of glossary/glossary.ts. Options are checked first (exit 2,
 * one line, before a run that takes minutes on Graph), then the library runs and the formats are
 * written. Parsers and formatters are loaded by the action only, as the other commands do.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { GlossaryFormat } from '../../report/glossary.js';
import { STDOUT, writeOutput } from '../../util/output.js';
import { checkOutputFlags } from '../output-options.js';
import { UsageError } from '../errors.js';
import { sourceLocaleWarning } from '../messages.js';
import { tool, type CommandContext } from '../io.js';
import { inputCommand } from '../options.js';

/** Kept here, not imported from report/glossary.ts: registering the command must not load the formatter. */
const FORMATS: readonly GlossaryFormat[] = ['csv', 'json', 'tbx'];
const DEFAULT_MAX_PAGES = 10;

export interface GlossaryFlags {
  ext: string[];
  maxFileSize: number;
  format?: GlossaryFormat[];
  output?: string;
  outputDir?: string;
  sourceLocale?: string;
  config?: string;
  ignore?: string[];
  maxPages: number;
  workers?: number;
  /** False with `--no-words`: plain-word terms left out. */
  words: boolean;
}

const wholeNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
};

const description = 'print the derived do-not-translate list (terms, their origins, the pages using them)';

/**
 * The glossary's own options and action, after the paths, `--ext` and `--max-file-size` every reading
 * command has. The exit code of a run that finished: 1 when it found no term at all.
 */
export function glossaryCommand(program: Command, { io, setExit }: CommandContext): Command {
  return inputCommand(program, 'glossary', description)
    .option(
      '-f, --format <format>',
      `${FORMATS.join(', ')} (repeatable with --output-dir; default csv)`,
      (value: string, previous?: GlossaryFormat[]) => {
        if (!(FORMATS as readonly string[]).includes(value))
          throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
        return [...(previous ?? []), value as GlossaryFormat];
      },
    )
    .option('-o, --output <file>', 'write the glossary to a file (atomically) instead of stdout')
    .option('--output-dir <dir>', 'write every --format to DIR/lockstep-glossary.<format> (atomically)')
    .option(
      '--source-locale <locale>',
      'the authority locale (e.g. en-US): its terms, plus those every other locale agrees on',
    )
    .option('-c, --config <file>', 'config file (as for lint: sourceLocale, defaultLocale and ignore are read)')
    .option(
      '--ignore <glob>',
      "leave out pages matching this glob (repeatable; added to the config's ignore)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--max-pages <n>',
      `pages listed per term (0: all; the count is always given)`,
      wholeNumber,
      DEFAULT_MAX_PAGES,
    )
    .option(
      '--workers <n>',
      'worker threads that identify files (0: none; default: one per core for large doc sets)',
      wholeNumber,
    )
    .option('--no-words', 'leave out plain-word terms (Busy, Body), names in code but words in prose: for MT engines')
    .action(async (paths: string[], opts: GlossaryFlags) => {
      const { loadConfig } = await import('../../lint/config.js');
      const config = (await loadConfig(io.cwd, opts.config))?.config ?? {};
      const formats = await checkGlossaryOptions(paths, opts, io.cwd);
      const { normalizeLocale } = await import('../../discover/locale.js');
      const sourceLocale = opts.sourceLocale ?? config.sourceLocale;
      const { createProgressBar, shouldShowProgress } = await import('../progress.js');
      const progress = io.progress && shouldShowProgress(io.progress, io.env) ? createProgressBar(io.progress) : null;
      const { glossary } = await import('../../glossary/glossary.js');
      const found = await glossary(paths, {
        cwd: io.cwd,
        extensions: opts.ext,
        maxFileBytes: opts.maxFileSize,
        ignore: [...(config.ignore ?? []), ...(opts.ignore ?? [])],
        defaultLocale: config.defaultLocale,
        sourceLocale: sourceLocale ? (normalizeLocale(sourceLocale) ?? sourceLocale) : null,
        workers: opts.workers,
        onProgress: progress?.update,
      });
      progress?.done();
      const terms = opts.words ? found.terms : found.terms.filter((t) => t.kind !== 'word');
      const result = { ...found, terms, summary: { ...found.summary, terms: terms.length } };
      const from = opts.sourceLocale ? '--source-locale' : 'config sourceLocale';
      const noSource = sourceLocale ? sourceLocaleWarning(sourceLocale, from, result.locales) : null;
      if (noSource) io.stderr(`lockstep: ${noSource}\n`);
      const unread = result.diagnostics.filter((d) => d.severity === 'error');
      if (unread.length > 0) {
        const first = unread[0]!;
        const what = unread.length === 1 ? 'input or page' : 'inputs or pages';
        io.stderr(
          `lockstep: ${unread.length} ${what} could not be read, their terms are missing ` +
            `(first: ${first.file}: ${first.message})\n`,
        );
      }
      if (result.terms.length === 0) {
        io.stderr(`lockstep: no term found in ${paths.join(' ')} (${result.summary.pages} pages): nothing written\n`);
        setExit(1);
        return;
      }
      const { renderGlossary } = await import('../../report/glossary.js');
      const render = (format: GlossaryFormat) =>
        renderGlossary(format, result, { tool, maxPages: opts.maxPages, inputs: paths });
      if (opts.outputDir) {
        const dir = path.resolve(io.cwd, opts.outputDir);
        const { mkdir } = await import('node:fs/promises');
        await mkdir(dir, { recursive: true });
        for (const format of new Set(formats)) {
          const file = path.join(dir, `lockstep-glossary.${format}`);
          await writeOutput(file, render(format));
          io.stderr(`lockstep: wrote ${path.relative(io.cwd, file) || file}\n`);
        }
      } else if (opts.output) {
        await writeOutput(opts.output, render(formats[0]!), { cwd: io.cwd });
        io.stderr(`lockstep: wrote ${opts.output}\n`);
      } else {
        io.stdout(render(formats[0]!));
      }
      const { summary } = result;
      io.stderr(`lockstep: ${summary.terms} terms from ${summary.pages} pages in ${summary.pageGroups} page groups\n`);
    });
}

/**
 * Everything that can be wrong with the command line, said before the run: a missing input, an
 * output that is a folder or in a missing one, formats without a folder to hold them. Returns
 * the formats to write.
 */
export async function checkGlossaryOptions(
  paths: readonly string[],
  opts: GlossaryFlags,
  cwd: string,
): Promise<GlossaryFormat[]> {
  for (const input of paths) {
    // A glob that matches nothing is no usage error: it is said as "no term found" after the run.
    if (/[*?[{]/.test(input)) continue;
    if (!(await stat(path.resolve(cwd, input)).catch(() => null)))
      throw new UsageError(`${input}: no such file or folder`);
  }
  const formats = opts.format ?? ['csv'];
  await checkOutputFlags(cwd, { ...opts, format: formats });
  if (opts.output === STDOUT) delete opts.output;
  return formats;
}
