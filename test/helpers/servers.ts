/** Real HTTP servers on loopback for the conformance tests: the docs server, and faults wrapped around it. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runConformance, type ConformanceReport } from '../../src/conformance/run.js';
import { loadPages } from '../../src/index.js';
import { createDocsServer } from '../../src/serve/server.js';
import { repoRoot } from './paths.js';

export async function listen(server: Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The reference implementation: answers every documented request as documented. */
export async function startDocsServer(): Promise<{ server: Server; url: string }> {
  const { groups } = await loadPages(['docs'], { cwd: repoRoot });
  const server = createDocsServer(groups);
  return { server, url: await listen(server) };
}

export interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A server that forwards to the docs server, then lets `fault` change the answer for the
 * requests it picks (or answer by itself, e.g. destroy the socket). Notifications still flow.
 */
export async function startFaultServer(
  upstream: string,
  fault: (req: IncomingMessage, body: string, res: ServerResponse, answer: () => Promise<Upstream>) => Promise<boolean>,
): Promise<{ server: Server; url: string; seen: { method: string; url: string; authorization?: string }[] }> {
  const seen: { method: string; url: string; authorization?: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      const answer = async (): Promise<Upstream> => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        const r = await fetch(`${upstream}${req.url}`, {
          method: req.method,
          headers,
          body: body.length > 0 ? body : undefined,
        });
        const out: Record<string, string> = {};
        r.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'transfer-encoding') out[k] = v;
        });
        return { status: r.status, headers: out, body: await r.text() };
      };
      try {
        if (await fault(req, body, res, answer)) return;
        const a = await answer();
        res.writeHead(a.status, a.headers).end(a.body);
      } catch {
        res.destroy();
      }
    });
  });
  return { server, url: await listen(server), seen };
}

/**
 * A real conformance run over `docs/` with one fault: DELETE answers 200 instead of the documented
 * 204, so reports show a failed case with expected vs actual. The caller closes `servers`.
 */
export async function conformanceWithDeleteFault(
  options: { headers?: [string, string][] } = {},
): Promise<{ report: ConformanceReport; servers: Server[] }> {
  const docs = await startDocsServer();
  const faulty = await startFaultServer(docs.url, async (req, _body, res, answer) => {
    if (req.method !== 'DELETE') return false;
    const a = await answer();
    res.writeHead(200, a.headers).end(a.body);
    return true;
  });
  const report = await runConformance(['docs'], {
    cwd: repoRoot,
    target: faulty.url,
    headers: options.headers,
    notificationTimeoutMs: 2000,
    limits: { timeoutMs: 2000 },
  });
  return { report, servers: [faulty.server, docs.server] };
}
