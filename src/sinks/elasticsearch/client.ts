import { readFileSync } from 'node:fs';
import type { ElasticsearchSinkConfig } from './config.js';
import { importOptional } from '../../io/optional-package.js';
import { hideUserInfo } from '../../io/redact.js';

/** What the sink needs from a cluster, whichever client speaks to it. */
export interface BulkClient {
  /** Sends NDJSON lines to `_bulk`; resolves with the response body. */
  bulk(lines: string[]): Promise<BulkResponse>;
  putIndexTemplate(name: string, body: object): Promise<void>;
  close(): Promise<void>;
}

interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

export interface BulkResponse {
  errors?: boolean;
  items?: Record<string, BulkItemResult>[];
}

/** A failed request, described without anything the configuration holds secret. */
export class RequestError extends Error {
  constructor(
    message: string,
    /** HTTP status, or undefined for connection errors and timeouts. */
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'RequestError';
  }

  /** 429, 5xx and connection errors may succeed later. */
  get transient(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

/**
 * A client for the cluster. The official client is loaded here, when a sink
 * of its kind starts, not when `serve` starts: each weighs some 30 MB of
 * memory, which a service shipping elsewhere should not pay.
 */
export async function createClient(kind: 'elasticsearch' | 'opensearch', c: ElasticsearchSinkConfig): Promise<BulkClient> {
  const tls = c.tls && {
    ca: c.tls.ca_file ? readFileSync(c.tls.ca_file) : undefined,
    cert: c.tls.cert_file ? readFileSync(c.tls.cert_file) : undefined,
    key: c.tls.key_file ? readFileSync(c.tls.key_file) : undefined,
    rejectUnauthorized: c.tls.reject_unauthorized,
  };
  const secrets = secretsOf(c);
  const wrap = (e: unknown): RequestError => toRequestError(e, secrets);
  // Retries are the sink's (counted, with backoff and jitter): the clients' own are off.
  const common = { nodes: c.nodes, maxRetries: 0, requestTimeout: c.request_timeout };

  if (kind === 'elasticsearch') {
    const { Client: EsClient } = await importOptional('@elastic/elasticsearch', 'the elasticsearch sink', () => import('@elastic/elasticsearch'));
    const client = new EsClient({
      ...common,
      auth: c.auth && ('api_key' in c.auth ? { apiKey: c.auth.api_key } : { username: c.auth.username, password: c.auth.password }),
      tls,
      compression: c.compression,
    });
    return asBulkClient(
      // strings go through the client's NDJSON serializer untouched: the
      // documents keep their exact JSON (integers beyond 2^53 included)
      async (lines) => (await client.bulk({ operations: lines as unknown as object[] })) as unknown as BulkResponse,
      (params) => client.transport.request(params),
      () => client.close(),
      wrap,
    );
  }

  const { Client: OsClient } = await importOptional('@opensearch-project/opensearch', 'the opensearch sink', () => import('@opensearch-project/opensearch'));
  const client = new OsClient({
    ...common,
    auth: c.auth && 'username' in c.auth ? { username: c.auth.username, password: c.auth.password } : undefined,
    headers: c.auth && 'api_key' in c.auth ? { authorization: `ApiKey ${c.auth.api_key}` } : undefined,
    ssl: tls,
    compression: c.compression ? 'gzip' : undefined,
  });
  return asBulkClient(
    async (lines) => (await client.bulk({ body: lines as unknown as object[] })).body as unknown as BulkResponse,
    (params) => client.transport.request(params),
    () => client.close(),
    wrap,
  );
}

/** The BulkClient of an official client: `_bulk`, the template request and their errors, said once for both. */
function asBulkClient(
  sendBulk: (lines: string[]) => Promise<BulkResponse>,
  request: (params: { method: string; path: string; body: object }) => Promise<unknown>,
  close: () => Promise<void>,
  wrap: (e: unknown) => RequestError,
): BulkClient {
  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      throw wrap(e);
    }
  };
  return {
    bulk: (lines) => guarded(() => sendBulk(lines)),
    putIndexTemplate: (name, body) =>
      guarded(async () => {
        await request({ method: 'PUT', path: `/_index_template/${encodeURIComponent(name)}`, body });
      }),
    close,
  };
}

/**
 * Turns a client error into a short message: the error name, the HTTP status
 * and the server's error type/reason. Client errors carry the request (with
 * its headers) in `meta`; none of that is kept, and any configured secret or
 * URL credentials that still appear in the text are masked.
 */
function toRequestError(e: unknown, secrets: string[]): RequestError {
  const err = e as { name?: string; message?: string; meta?: { statusCode?: number; body?: unknown } };
  const status = typeof err.meta?.statusCode === 'number' && err.meta.statusCode > 0 ? err.meta.statusCode : undefined;
  let detail = '';
  const body = err.meta?.body as { error?: { type?: string; reason?: string } | string } | undefined;
  if (body && typeof body === 'object' && body.error) {
    detail = typeof body.error === 'string' ? body.error : `${body.error.type ?? ''}: ${body.error.reason ?? ''}`;
  } else if (status === undefined) {
    detail = err.message ?? String(e);
  }
  let msg = `${err.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}${detail ? `: ${detail}` : ''}`;
  msg = hideUserInfo(msg);
  for (const s of secrets) msg = msg.split(s).join('***');
  return new RequestError(msg.slice(0, 1000), status);
}

/** The secret strings of a configuration, as given and as sent in a Basic header. */
function secretsOf(c: ElasticsearchSinkConfig): string[] {
  if (!c.auth) return [];
  if ('api_key' in c.auth) return [c.auth.api_key];
  const out = [Buffer.from(`${c.auth.username}:${c.auth.password}`).toString('base64')];
  if (c.auth.password.length > 0) out.push(c.auth.password);
  return out;
}
