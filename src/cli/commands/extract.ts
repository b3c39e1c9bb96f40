/** `lockstep extract`: parse pages and print their samples and diagnostics. */
import { Option, type Command } from 'commander';
import { countBySeverity } from '../../diagnostics/diagnostic.js';
import { checkOutput, emit } from '../emit.js';
import { EXIT, type CommandContext } from '../io.js';
import { tooManyWarnings } from '../messages.js';
import { inputCommand, parseCount, type InputOptions } from '../options.js';

interface ExtractOptions extends InputOptions {
  format: 'text' | 'json';
  output?: string;
  defaultLocale?: string;
  maxWarnings?: number;
  quiet?: boolean;
}

export function extractCommand(program: Command, { io, setExit }: CommandContext): void {
  inputCommand(
    program,
    'extract',
    'parse pages and print their samples (kinds, roles, lines, sections, pairs) and diagnostics',
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--default-locale <locale>', 'locale of pages whose front matter and path name none')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseCount)
    .option('-q, --quiet', 'text format: list only pages with problems, without their samples')
    .action(async (paths: string[], opts: ExtractOptions) => {
      await checkOutput(io, opts);
      const { loadPages } = await import('../../group/load.js');
      const result = await loadPages(paths, {
        cwd: io.cwd,
        extensions: opts.ext,
        maxFileBytes: opts.maxFileSize,
        defaultLocale: opts.defaultLocale,
      });
      const report =
        opts.format === 'json'
          ? `${JSON.stringify((await import('../../report/extract-json.js')).extractJson(result), null, 2)}\n`
          : (await import('../../report/extract-text.js')).extractText(result, {
              color: io.color && !opts.output,
              quiet: opts.quiet,
            });
      await emit(io, opts.output, report);
      const counts = countBySeverity([...result.diagnostics, ...result.pages.flatMap((p) => p.diagnostics)]);
      if (counts.error > 0) setExit(EXIT.findings);
      if (opts.maxWarnings !== undefined && counts.warning > opts.maxWarnings) {
        io.stderr(`lockstep: ${tooManyWarnings(counts.warning, opts.maxWarnings)}\n`);
        setExit(EXIT.findings);
      }
    });
}
