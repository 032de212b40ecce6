/**
 * The admin listener: the status page (GET /, its script and style, and
 * GET /status.json, the state it shows), GET /metrics (Prometheus text
 * format) and GET /healthz (JSON, 503 when a component is unhealthy). Kept
 * apart from the HTTP source so that metrics exist without it and are not
 * exposed on an ingest port.
 *
 * With a token configured, every path but /healthz asks for it (Bearer, or
 * the password of Basic authentication, which a browser prompts for):
 * /healthz stays open for liveness probes and load balancers, and tells no
 * more than which components are up.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { BearerAuth } from '../io/token-auth.js';
import { PAGE_HEADERS, type StatusPage } from './status-page.js';

export interface HealthReport {
  ok: boolean;
  components: { name: string; type: string; kind: string; ok: boolean; detail?: string }[];
  [k: string]: unknown;
}

/** The status page and the state it shows. */
export interface StatusRoutes {
  page: StatusPage;
  snapshot(): object;
}

const CHALLENGE = ['Basic realm="jizo-intake admin", charset="UTF-8"', 'Bearer realm="jizo-intake admin"'];

export class AdminServer {
  private server: Server | undefined;
  private auth: BearerAuth | undefined;

  constructor(
    private readonly metrics: Registry,
    private readonly health: () => HealthReport,
    /** Without it, / is 404. */
    private readonly status?: StatusRoutes,
  ) {}

  /** `auth`: the token every path but /healthz asks for. */
  async start(host: string, port: number, auth?: BearerAuth): Promise<void> {
    this.auth = auth;
    await this.status?.page.load();
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const status = this.status;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      const report = this.health();
      res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report) + '\n');
    } else if (this.auth && !this.auth.check(req.headers.authorization)) {
      res.writeHead(401, { ...PAGE_HEADERS, 'content-type': 'text/plain', 'www-authenticate': CHALLENGE }).end('token required\n');
    } else if (path === '/metrics') {
      this.metrics.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
        (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message),
      );
    } else if (status && path === '/status.json') {
      res.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'application/json' }).end(JSON.stringify(status.snapshot()));
    } else if (!status?.page.serve(path ?? '/', req.method === 'HEAD', res)) {
      const paths = status ? '/, /metrics or /healthz' : '/metrics or /healthz';
      res.writeHead(404, { ...PAGE_HEADERS, 'content-type': 'text/plain' }).end(`not found: try ${paths}\n`);
    }
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
