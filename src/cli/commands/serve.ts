/** `lockstep serve`: each documented request answered with its documented response, until Ctrl-C. */
import type { Command } from 'commander';
import type { Server } from 'node:http';
import { checkInputs } from '../conformance-options.js';
import { UsageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { parseCount } from '../options.js';

interface ServeOptions {
  port: number;
  host: string;
  allowEmpty?: boolean;
}

export function serveCommand(program: Command, { io, setExit }: CommandContext): void {
  program
    .command('serve')
    .description(
      'answer each documented request with its documented response (HTTP by method and path, SOAP by operation)',
    )
    .argument('[paths...]', 'files, folders or globs', ['docs'])
    .option('-p, --port <n>', 'port (0: any free one)', (v: string) => parseCount(v), 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--allow-empty', 'start even when the docs document no exchange')
    .action(async (paths: string[], opts: ServeOptions) => {
      await checkInputs(paths, io.cwd);
      const [{ loadPages }, { createDocsServer }] = await Promise.all([
        import('../../group/load.js'),
        import('../../serve/server.js'),
      ]);
      const { groups } = await loadPages(paths, { cwd: io.cwd });
      const server = createDocsServer(groups, { log: (line) => io.stdout(`${line}\n`) });
      if (server.routes === 0 && !opts.allowEmpty) {
        io.stderr(
          `lockstep: no documented exchange in ${paths.join(' ')}: nothing to serve (--allow-empty to start anyway)\n`,
        );
        setExit(EXIT.findings);
        return;
      }
      await listen(server, opts);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      io.stdout(
        `lockstep serve: ${server.routes} documented exchanges on http://${opts.host}:${port} (Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          server.closeAllConnections();
          server.close(() => resolve());
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

/** Listen, or say in one line why the address cannot be had. */
async function listen(server: Server, opts: ServeOptions): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  }).catch((error: NodeJS.ErrnoException) => {
    const reasons: Record<string, string> = {
      EADDRINUSE: 'address already in use',
      EADDRNOTAVAIL: 'no such local address',
      EACCES: 'permission denied',
    };
    throw new UsageError(`--host ${opts.host} --port ${opts.port}: ${reasons[error.code ?? ''] ?? error.message}`);
  });
}
