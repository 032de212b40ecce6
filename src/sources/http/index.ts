/**
 * HTTP source: `POST` of NDJSON, of a JSON array of events or of a JSON array
 * of raw lines. The answer waits until the events are durable in every sink
 * or dead-lettered (202 with counts); 503 when the pipeline is saturated (the
 * sender retries), 413 beyond the body limit, 401 without the bearer token.
 *
 * Built on node:http: three answers and a size-limited body read do not need a
 * framework, and reading the body ourselves keeps the limit exact.
 */
import { listen } from '../listen.js';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { DEFAULT_MAX_LINE_BYTES } from '../../decode/index.js';
import { duration, host, intRange, path, port, secret, size } from '../../config/values.js';
import { newComponentCounters, type ComponentDeps, type Health, type Ingest, type Source, type SourceFactory } from '../../pipeline/types.js';
import { BearerAuth } from './auth.js';
import { parseBody } from './body.js';

export const httpSourceSchema = z
  .object({
    host: host('127.0.0.1'),
    port: port(8080),
    /** URL path that takes events. */
    path: z.string({ invalid_type_error: 'expected a URL path' }).regex(/^\//, 'expected a URL path starting with "/"').default('/'),
    /** Bearer token required in `Authorization` (never logged). */
    token: secret().optional(),
    /** Name of an environment variable holding the token (instead of `token`). */
    token_env: z.string({ invalid_type_error: 'expected an environment variable name' }).min(1).optional(),
    max_body_bytes: size(1, '10MiB'),
    max_line_bytes: size(1, DEFAULT_MAX_LINE_BYTES),
    max_connections: intRange(1, 100_000, 256),
    /** Longest time to receive a whole request. */
    request_timeout: duration(1, '60s'),
    /** Longest time to receive the request headers (a sender that never finishes them is cut: 408). */
    headers_timeout: duration(1, '20s'),
    tls: z.object({ cert_file: path(), key_file: path() }).strict().optional(),
  })
  .strict()
  .refine((c) => c.token === undefined || c.token_env === undefined, {
    message: 'set either token or token_env, not both',
    path: ['token_env'],
  });
export type HttpSourceConfig = z.output<typeof httpSourceSchema>;

function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class HttpSource implements Source {
  readonly type = 'http';
  readonly counters = newComponentCounters();
  private server: Server | undefined;
  private auth: BearerAuth | undefined;
  private running = false;
  private lastError: string | undefined;

  constructor(
    readonly name: string,
    private readonly config: HttpSourceConfig,
    private readonly deps: ComponentDeps,
  ) {}

  async start(ingest: Ingest): Promise<void> {
    if (this.running) return;
    const c = this.config;
    let token = c.token;
    if (c.token_env !== undefined) {
      token = process.env[c.token_env];
      if (!token) throw new Error(`${this.name}: environment variable ${c.token_env} (token_env) is not set`);
    }
    this.auth = token === undefined ? undefined : new BearerAuth(token);
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res, ingest);
    // Node checks the timeouts every connectionsCheckingInterval (30 s by default): check often enough for short timeouts.
    const timing = { connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(Math.min(c.request_timeout, c.headers_timeout) / 2))) };
    const server = c.tls
      ? createHttpsServer({ ...timing, cert: readFileSync(c.tls.cert_file), key: readFileSync(c.tls.key_file) }, handler)
      : createHttpServer(timing, handler);
    server.maxConnections = c.max_connections;
    server.requestTimeout = c.request_timeout;
    server.headersTimeout = Math.min(c.headers_timeout, c.request_timeout);
    server.on('drop', () => {
      this.counters.errors++;
      this.deps.logger.debug({ max_connections: c.max_connections }, 'connection refused: too many connections');
    });
    await listen(server, c.port, c.host, (e) => {
      this.counters.errors++;
      this.lastError = e.message;
    });
    this.server = server;
    this.running = true;
  }

  private handle(req: IncomingMessage, res: ServerResponse, ingest: Ingest): void {
    const c = this.config;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q === -1 ? url : url.slice(0, q)) !== c.path) return send(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed: use POST' }, { allow: 'POST' });
    if (this.auth && !this.auth.check(req.headers.authorization)) {
      this.counters.errors++;
      return send(res, 401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
    }
    const declared = Number(req.headers['content-length']);
    if (declared > c.max_body_bytes) return this.tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > c.max_body_bytes) {
        over = true;
        chunks.length = 0;
        this.tooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      this.counters.errors++;
    });
    req.on('end', () => {
      if (over) return;
      this.accept(Buffer.concat(chunks, size).toString('utf8'), req, res, ingest).catch((e: Error) => {
        this.counters.errors++;
        send(res, 500, { error: e.message });
      });
    });
  }

  /** 413, then the rest of the body is read and thrown away (never kept) so the client sees the answer. */
  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    this.counters.errors++;
    send(res, 413, { error: `body exceeds the limit of ${this.config.max_body_bytes} bytes` }, { connection: 'close' });
    req.resume();
  }

  private async accept(text: string, req: IncomingMessage, res: ServerResponse, ingest: Ingest): Promise<void> {
    const parsed = parseBody(text, new Date().toISOString(), this.config.max_line_bytes);
    if (!parsed.ok) {
      this.counters.errors++;
      return send(res, 400, { error: parsed.error });
    }
    const events = parsed.events;
    const origin = { source: this.name, detail: `http://${req.socket.remoteAddress}:${req.socket.remotePort}` };
    const sub = ingest.trySubmit(events, origin);
    if (!sub) {
      this.counters.errors++;
      return send(res, 503, { error: 'pipeline saturated, retry later' }, { 'retry-after': '1' });
    }
    this.counters.received += events.length;
    this.counters.sent += events.length;
    await sub.durable;
    const n = sub.counts;
    send(res, 202, n ? { received: n.received, normalized: n.normalized, rejected: n.rejected, blank: n.blank } : { received: events.length });
  }

  endpoints(): string[] {
    if (!this.server) return [];
    const a = this.server.address() as AddressInfo;
    const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return [`${this.config.tls ? 'https' : 'http'}://${h}:${a.port}${this.config.path}`];
  }

  health(): Health {
    if (!this.running) return { ok: false, detail: 'not running' };
    return this.lastError === undefined ? { ok: true } : { ok: false, detail: this.lastError };
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const server = this.server!;
    // Stop accepting; requests already accepted get their answer once durable.
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeIdleConnections();
    });
    this.server = undefined;
  }
}

export const httpSourceFactory: SourceFactory<HttpSourceConfig> = {
  type: 'http',
  schema: httpSourceSchema,
  create: (name, config, deps) => new HttpSource(name, config, deps),
};
