import { createServer, type Server } from 'node:http';

const MAX_KEPT_BYTES = 64 * 1024 * 1024;

export interface ReceivedNotification {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A loopback HTTP server that receives the notifications an implementation POSTs to the
 * callback URL a scenario registered (`{{callbackUrl}}`). Bounded: 1 MiB per body, 64 MiB kept in all
 * (a run's worth of notifications: a flood past that is answered 503 and not kept).
 */
export class CallbackReceiver {
  private server: Server | null = null;
  private readonly received: ReceivedNotification[] = [];
  private kept = 0;
  private waiters: (() => void)[] = [];
  url = '';

  /** Listen on `host` (loopback unless the user names another) and `port` (0: a free one). */
  async start(host = '127.0.0.1', port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1024 * 1024) {
          res.writeHead(413).end();
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (this.kept + size > MAX_KEPT_BYTES) {
          res.writeHead(503).end();
          return;
        }
        this.kept += size;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        this.received.push({ path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(202).end();
        for (const w of this.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/callback`;
    return this.url;
  }

  /** Notifications received since index `from`. */
  since(from: number): ReceivedNotification[] {
    return this.received.slice(from);
  }

  get count(): number {
    return this.received.length;
  }

  /** Wait until `count` notifications have arrived in total, or the timeout passes. */
  async waitFor(count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}
