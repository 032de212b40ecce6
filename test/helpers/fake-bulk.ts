/**
 * An in-process fake of the parts of the Elasticsearch/OpenSearch HTTP API the
 * sink uses: `GET /`, `POST /_bulk` (NDJSON, per-item results) and
 * `PUT /_index_template/<name>`. It is NOT Elasticsearch: it keeps documents
 * in memory and fails on command (whole-request 429/503, item-level 429,
 * mapping errors, outages) so the sink's retry and refusal paths can be tested.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface FakeBulkSwitches {
  /** The next N `_bulk` requests fail whole with `failStatus`. */
  failRequests: number;
  failStatus: number;
  /** Every k-th item (counted across requests) fails with `itemFailStatus` (0: never). */
  itemFailEvery: number;
  itemFailStatus: number;
  /** Documents whose source contains this text fail with a 400 mapper_parsing_exception. */
  mappingErrorMarker: string | undefined;
  /** Until this time (ms since epoch) connections are destroyed without an answer. */
  outageUntil: number;
  /** `_bulk` bodies larger than this get 413, like http.max_content_length (0: no limit). */
  maxBodyBytes: number;
  /** When set, requests without exactly this Authorization header get 401. */
  requireAuthorization: string | undefined;
  /** `_bulk` answers wait this long (ms): requests overlap, as on a busy cluster. */
  bulkDelayMs: number;
}

export class FakeBulk {
  readonly switches: FakeBulkSwitches = {
    failRequests: 0,
    failStatus: 503,
    itemFailEvery: 0,
    itemFailStatus: 429,
    mappingErrorMarker: undefined,
    outageUntil: 0,
    maxBodyBytes: 0,
    requireAuthorization: undefined,
    bulkDelayMs: 0,
  };
  /** Accepted documents (their JSON text) per index, in order. */
  readonly docs = new Map<string, string[]>();
  readonly templates = new Map<string, unknown>();
  /** Actions seen (op type per item) and request counts. */
  readonly ops: string[] = [];
  bulkRequests = 0;
  /** `_bulk` requests being answered now, and the most at once. */
  bulkInFlight = 0;
  bulkInFlightPeak = 0;
  gzipRequests = 0;
  refusedConnections = 0;
  private itemCounter = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  url = '';
  private readonly scheme: string;

  /** With `tls`, the fake speaks HTTPS with that certificate. */
  constructor(tls?: { cert: Buffer; key: Buffer }) {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
    this.scheme = tls ? 'https' : 'http';
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `${this.scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Every accepted document, all indices together. */
  get all(): string[] {
    return [...this.docs.values()].flat();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (Date.now() < this.switches.outageUntil) {
      this.refusedConnections++;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') {
      this.gzipRequests++;
      raw = gunzipSync(raw);
    }
    const body = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    if (this.switches.requireAuthorization !== undefined && req.headers.authorization !== this.switches.requireAuthorization) {
      // a real cluster does not echo credentials; this one does, so that the
      // sink's masking of secrets in error texts is put to the test
      return send(res, 401, {
        error: { type: 'security_exception', reason: `unable to authenticate with ${req.headers.authorization ?? 'nothing'}` },
        status: 401,
      });
    }
    if (req.method === 'GET' && url.pathname === '/') {
      return send(res, 200, { name: 'fake', cluster_name: 'fake-bulk', version: { number: '9.0.0' }, tagline: 'You Know, for Search' });
    }
    const tpl = /^\/_index_template\/([^/]+)$/.exec(url.pathname);
    if (tpl && req.method === 'PUT') {
      this.templates.set(decodeURIComponent(tpl[1]!), JSON.parse(body));
      return send(res, 200, { acknowledged: true });
    }
    if (url.pathname === '/_bulk' && (req.method === 'POST' || req.method === 'PUT')) {
      this.bulkInFlight++;
      this.bulkInFlightPeak = Math.max(this.bulkInFlightPeak, this.bulkInFlight);
      try {
        if (this.switches.bulkDelayMs > 0) await new Promise((r) => setTimeout(r, this.switches.bulkDelayMs));
        return this.bulk(body, res);
      } finally {
        this.bulkInFlight--;
      }
    }
    send(res, 404, { error: { type: 'not_found', reason: `no handler for ${req.method} ${url.pathname}` }, status: 404 });
  }

  private bulk(body: string, res: ServerResponse): void {
    this.bulkRequests++;
    if (this.switches.maxBodyBytes > 0 && Buffer.byteLength(body) > this.switches.maxBodyBytes) {
      res.writeHead(413, { 'content-type': 'text/plain', 'x-elastic-product': 'Elasticsearch' });
      res.end();
      return;
    }
    if (this.switches.failRequests > 0) {
      this.switches.failRequests--;
      const s = this.switches.failStatus;
      return send(res, s, { error: { type: s === 429 ? 'es_rejected_execution_exception' : 'unavailable', reason: 'fake failure' }, status: s });
    }
    const lines = body.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines.length % 2 !== 0) return send(res, 400, { error: { type: 'parse_exception', reason: 'odd number of lines' }, status: 400 });
    const items: object[] = [];
    let errors = false;
    for (let i = 0; i < lines.length; i += 2) {
      const action = JSON.parse(lines[i]!) as Record<string, { _index?: string }>;
      const op = Object.keys(action)[0]!;
      const index = action[op]!._index ?? 'default';
      const source = lines[i + 1]!;
      this.ops.push(op);
      this.itemCounter++;
      const k = this.switches.itemFailEvery;
      let result: object;
      if (k > 0 && this.itemCounter % k === 0) {
        const st = this.switches.itemFailStatus;
        result = { _index: index, status: st, error: { type: st === 429 ? 'es_rejected_execution_exception' : 'unavailable_shards_exception', reason: 'fake item failure' } };
        errors = true;
      } else if (this.switches.mappingErrorMarker !== undefined && source.includes(this.switches.mappingErrorMarker)) {
        result = {
          _index: index,
          status: 400,
          error: {
            type: 'document_parsing_exception',
            reason: "[1:2] failed to parse field [source.port] of type [long] in document",
            caused_by: { type: 'mapper_parsing_exception', reason: 'For input string: "x"' },
          },
        };
        errors = true;
      } else {
        JSON.parse(source); // a real cluster refuses broken JSON too; the tests never send any
        let list = this.docs.get(index);
        if (!list) this.docs.set(index, (list = []));
        list.push(source);
        result = { _index: index, _id: String(this.itemCounter), result: 'created', status: 201 };
      }
      items.push({ [op]: result });
    }
    send(res, 200, { took: 1, errors, items });
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    // the Elasticsearch client refuses servers that do not say what they are
    'x-elastic-product': 'Elasticsearch',
  });
  res.end(text);
}
