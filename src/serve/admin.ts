/**
 * The admin listener: GET /metrics (Prometheus text format) and GET /healthz
 * (JSON, 503 when a component is unhealthy). Kept apart from the HTTP source
 * so that metrics exist without it and are not exposed on an ingest port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthReport {
  ok: boolean;
  [k: string]: unknown;
}

export class AdminServer {
  private server: Server | undefined;

  constructor(
    private readonly metrics: Registry,
    private readonly health: () => HealthReport,
  ) {}

  async start(host: string, port: number): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET' }).end();
      } else if (path === '/metrics') {
        this.metrics.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
          (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message),
        );
      } else if (path === '/healthz') {
        const report = this.health();
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report) + '\n');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  endpoint(): string | undefined {
    if (!this.server) return undefined;
    const a = this.server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    await new Promise<void>((r) => {
      s.close(() => r());
      s.closeAllConnections();
    });
  }
}
