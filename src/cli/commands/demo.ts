/** `lockstep demo` (`npm start`): lint the docs, serve them on loopback, replay them against that server. */
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ConformanceReport } from '../../conformance/run.js';
import { conformanceText } from '../../report/conformance.js';
import { lintText } from '../../report/lint-text.js';
import { testedNothing } from '../../conformance/result.js';
import { lintLoaded, type LintResult } from '../../run/lint-run.js';
import { checkInputs } from '../conformance-options.js';
import { checkOutput, emitReports } from '../emit.js';
import { EXIT, tool, type CommandContext } from '../io.js';
import { withReportOptions, type ReportOptions } from '../options.js';

export function demoCommand(program: Command, { io, setExit }: CommandContext): void {
  withReportOptions(
    program
      .command('demo')
      .description(
        'the whole job on the given docs: lint them, serve them on loopback, ' +
          'replay them against that server, one report',
      )
      .argument('[paths...]', 'files, folders or globs', ['docs']),
  ).action(async (paths: string[], opts: ReportOptions) => {
    await checkOutput(io, opts);
    await checkInputs(paths, io.cwd);
    const [{ loadPages }, { createDocsServer }, { runConformance }, { markStale, wouldFix }] = await Promise.all([
      import('../../group/load.js'),
      import('../../serve/server.js'),
      import('../../conformance/run.js'),
      import('../../fix/index.js'),
    ]);
    // Each page parsed once: linted, served and replayed from the same load.
    const loaded = await loadPages(paths, { cwd: io.cwd });
    const found = lintLoaded(loaded, { cwd: io.cwd });
    // What `lint --fix` would repair, counted as it would (verified, in passes), nothing written.
    const repairable = wouldFix(found, { cwd: io.cwd });
    const linted = { ...found, diagnostics: markStale(found.diagnostics) };
    const server = createDocsServer(loaded.groups);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    let report;
    try {
      report = await runConformance(paths, { cwd: io.cwd, target, loaded });
    } finally {
      server.closeAllConnections();
      server.close();
    }
    const story = { paths, linted, report, target, routes: server.routes, repairable };
    await emitReports(
      io,
      'demo',
      opts,
      { tool, cwd: io.cwd, lint: linted, conformance: report },
      { text: (color) => demoStory(story, color) },
    );
    // Findings are what the demo shows; the tool is broken only if its own server does not conform. A replay of
    // nothing is no demonstration of conformance, as for `conformance`.
    if (report.summary.failed > 0 || report.summary.errors > 0) setExit(EXIT.findings);
    const nothing = testedNothing(report.results, paths);
    if (nothing) {
      io.stderr(`lockstep: ${nothing}; a run that sends nothing is not a pass\n`);
      setExit(EXIT.findings);
    }
  });
}

interface DemoStory {
  paths: string[];
  linted: LintResult;
  report: ConformanceReport;
  target: string;
  routes: number;
  repairable: { fixed: number; files: number };
}

/** The text format tells the story in order; the other formats are the combined report. */
function demoStory({ paths, linted, report, target, routes, repairable }: DemoStory, color: boolean): string {
  const c = color ? pc : pc.createColors(false);
  const s = linted.summary;
  const r = report.summary;
  const total = r.passed + r.failed + r.skipped + r.errors;
  return [
    c.bold(
      `lockstep on ${paths.join(' ')}: ${s.pages} pages in ${s.pageGroups} page groups (${s.locales.join(', ')}), ` +
        `${s.samples} samples`,
    ),
    '',
    c.bold('1. Lint: do the locales agree? (findings per page and locale)'),
    '',
    lintText(linted, { color }),
    c.bold(
      `2. Conformance: the documented requests replayed against the docs served on ${target} ` +
        `(${routes} documented exchanges)`,
    ),
    '',
    conformanceText(report, { color }),
    c.bold(
      `Repair: \`lockstep lint ${paths.join(' ')} --fix\` would repair ${repairable.fixed} of the ` +
        `${linted.diagnostics.length} findings in ${repairable.files} files (\`--fix-dry-run\` prints the patch); ` +
        'the others need a translator or the source.',
    ),
    '',
    c.bold(
      `Summary: lint ${s.errors} errors, ${s.warnings} warnings, ${s.infos} info; conformance ${r.passed}/${total} ` +
        `passed, ${r.failed} failed, ${r.skipped} skipped, ${r.errors} errors.`,
    ),
    c.dim(
      'Point the conformance suite at your own implementation: ' +
        'npx lockstep conformance docs --target http://localhost:8080',
    ),
    '',
  ].join('\n');
}
