/** `lockstep init`: a config and scenario skeletons for the cases that need variables, setup or callbacks. */
import type { Command } from 'commander';
import type { CommandContext } from '../io.js';

export function initCommand(program: Command, { io }: CommandContext): void {
  program
    .command('init')
    .description(
      'write lockstep.config.json and scenario skeletons for the cases that need variables, setup or callbacks',
    )
    .argument('[paths...]', 'files, folders or globs', ['docs'])
    .option('--force', 'replace files already there (atomically)')
    .action(async (paths: string[], opts: { force?: boolean }) => {
      const { runInit, formatInit } = await import('../init.js');
      io.stdout(formatInit(await runInit(paths, { cwd: io.cwd, force: opts.force })));
    });
}
