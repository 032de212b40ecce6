/**
 * HTTP source: `POST` of NDJSON, of a JSON array of events or of a JSON array
 * of raw lines, plain or gzip. The body is parsed as it arrives and taken in
 * parts no larger than a slice of the queue (./request.ts); the answer waits
 * until the events are durable in every sink or dead-lettered (202 with
 * counts); 503 when the pipeline is saturated (the sender retries), 413 beyond
 * the body or event limit, 415 for a type or coding not read, 401 without the
 * bearer token.
 *
 * Built on node:http: a few answers and a streamed body do not need a
 * framework, and reading the body ourselves keeps the limits exact.
 */
import { listen } from '../listen.js';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { DEFAULT_MAX_LINE_BYTES } from '../../decode/index.js';
import { duration, host, intRange, path, port, size } from '../../config/values.js';
import { oneTokenForm, resolveToken, tokenKeys } from '../../config/token.js';
import { DEFAULT_QUEUE_LIMITS, newComponentCounters, type ComponentDeps, type ConnectionCounters, type Health, type Ingest, type Source, type SourceFactory } from '../../component/types.js';
import { BearerAuth } from '../../io/token-auth.js';
import { ConnectionSlots } from './connections.js';
import { bodyCoding } from './content.js';
import { takeBody, type BodyOptions } from './request.js';

export const httpSourceSchema = oneTokenForm(
  z
    .object({
      host: host('127.0.0.1'),
      port: port(8080),
      /** URL path that takes events. */
      path: z.string({ invalid_type_error: 'expected a URL path' }).regex(/^\//, 'expected a URL path starting with "/"').default('/'),
      ...tokenKeys,
      max_body_bytes: size(1, '10MiB'),
      max_line_bytes: size(1, DEFAULT_MAX_LINE_BYTES),
      /** Non-blank events (lines, array items) a body may hold; past it the answer is 413. */
      max_body_events: intRange(1, 100_000_000, 100_000),
      max_connections: intRange(1, 100_000, 256),
      /** Longest time to receive a whole request. */
      request_timeout: duration(1, '60s'),
      /** Longest time to receive the request headers (a sender that never finishes them is cut: 408). */
      headers_timeout: duration(1, '20s'),
      tls: z.object({ cert_file: path(), key_file: path() }).strict().optional(),
    })
    .strict(),
);
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
  readonly connections: ConnectionCounters = { refused: 0, evicted: 0, timedOut: 0 };
  private server: Server | undefined;
  private slots: ConnectionSlots | undefined;
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
    const token = resolveToken(c, this.name);
    this.auth = token === undefined ? undefined : new BearerAuth(token);
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res, ingest);
    // Node checks the timeouts every connectionsCheckingInterval (30 s by default): check often enough for short timeouts.
    const timing = { connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(Math.min(c.request_timeout, c.headers_timeout) / 2))) };
    const server = c.tls
      ? createHttpsServer({ ...timing, cert: readFileSync(c.tls.cert_file), key: readFileSync(c.tls.key_file) }, handler)
      : createHttpServer(timing, handler);
    server.requestTimeout = c.request_timeout;
    server.headersTimeout = Math.min(c.headers_timeout, c.request_timeout);
    const slots = new ConnectionSlots(c.max_connections, this.connections, !c.tls);
    this.slots = slots;
    // Before Node's own listener: a refused connection is answered before anything else happens on it.
    server.prependListener('connection', (socket: Socket) => {
      slots.admit(socket);
      if (slots.refused(socket)) {
        this.counters.errors++;
        this.deps.logger.debug({ max_connections: c.max_connections }, 'connection refused: every slot has a request in progress');
      } else if (!c.tls) this.watchTimeouts(socket);
    });
    if (c.tls) server.on('secureConnection', (socket: Socket) => this.watchTimeouts(socket));
    await listen(server, c.port, c.host, (e) => {
      this.counters.errors++;
      this.lastError = e.message;
    });
    this.server = server;
    this.running = true;
  }

  /** Node answers 408 and destroys the socket with this error when headers_timeout or request_timeout passes. */
  private watchTimeouts(socket: Socket): void {
    socket.once('close', () => {
      if ((socket.errored as { code?: string } | null)?.code === 'ERR_HTTP_REQUEST_TIMEOUT') this.connections.timedOut++;
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse, ingest: Ingest): void {
    const slots = this.slots!;
    // Answered with 503 at accept time: whatever it sends is not read.
    if (slots.refused(req.socket)) return void req.resume();
    slots.begin(req.socket);
    res.once('close', () => slots.end(req.socket));
    const c = this.config;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q === -1 ? url : url.slice(0, q)) !== c.path) return send(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed: use POST' }, { allow: 'POST' });
    if (this.auth && !this.auth.check(req.headers.authorization)) {
      this.counters.errors++;
      return send(res, 401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' });
    }
    const coding = bodyCoding(req.headers);
    if (!coding.ok) return this.refuseUnread(req, res, 415, coding.error);
    const declared = Number(req.headers['content-length']);
    if (declared > c.max_body_bytes) return this.refuseUnread(req, res, 413, `body exceeds the limit of ${c.max_body_bytes} bytes`);
    const origin = { source: this.name, detail: `http://${req.socket.remoteAddress}:${req.socket.remotePort}` };
    takeBody(req, coding.gzip, ingest, origin, this.bodyOptions(ingest), (events, blank) => {
      this.counters.received += events + blank;
      this.counters.sent += events + blank;
    }).then(
      (answer) => {
        if (!answer) return void this.counters.errors++;
        if (answer.status !== 202) this.counters.errors++;
        send(res, answer.status, answer.body, answer.headers);
      },
      (e: Error) => {
        this.counters.errors++;
        send(res, 500, { error: e.message });
      },
    );
  }

  private bodyOptions(ingest: Ingest): BodyOptions {
    const c = this.config;
    // A part is a sixteenth of the queue: several bodies interleave, and a part never waits for the whole queue to empty.
    const q = ingest.limits ?? DEFAULT_QUEUE_LIMITS;
    return {
      maxBodyBytes: c.max_body_bytes,
      maxLineBytes: c.max_line_bytes,
      maxBodyEvents: c.max_body_events,
      partEvents: Math.max(1, Math.floor(q.maxEvents / 16)),
      partBytes: Math.max(1, Math.floor(q.maxBytes / 16)),
    };
  }

  /** Answered before the body is read; the body is then read and thrown away (never kept) so the client sees the answer. */
  private refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
    this.counters.errors++;
    send(res, status, { error }, { connection: 'close' });
    req.resume();
  }

  openConnections(): number {
    return this.slots?.size ?? 0;
  }

  endpoints(): string[] {
    if (!this.server) return [];
    const a = this.server.address() as AddressInfo;
    const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return [`${this.config.tls ? 'https' : 'http'}://${h}:${a.port}${this.config.path}`];
  }

  health(): Health {
    if (!this.running) return { ok: false, detail: 'not running' };
    return this.lastError === undefined ? { ok: true, detail: `${this.slots!.size} connections` } : { ok: false, detail: this.lastError };
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const server = this.server!;
    // Stop accepting; requests already accepted get their answer once durable.
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeIdleConnections();
      this.slots!.closeIdle();
    });
    this.server = undefined;
  }
}

export const httpSourceFactory: SourceFactory<HttpSourceConfig> = {
  type: 'http',
  schema: httpSourceSchema,
  create: (name, config, deps) => new HttpSource(name, config, deps),
};
