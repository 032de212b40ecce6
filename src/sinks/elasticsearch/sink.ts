import type { Logger } from 'pino';
import type { ProfileName } from '../../normalize/types.js';
import {
  newComponentCounters,
  type ComponentDeps,
  type Health,
  type OutputEvent,
  type Sink,
  type WriteResult,
} from '../../component/types.js';
import { backoffDelay, sleep } from '../../io/backoff.js';
import { backoffOf, beforeAttempt } from '../../config/retry.js';
import { hideUserInfo } from '../../io/redact.js';
import { createClient, RequestError, type BulkClient, type BulkResponse } from './client.js';
import type { ElasticsearchSinkConfig } from './config.js';
import { IndexNamer } from './index-name.js';

/** What the index template builder (src/catalog/template.ts) is given. */
interface TemplateOptions {
  /** Template name from the configuration. */
  name: string;
  /** Index patterns the template applies to (`jizo-*`). */
  indexPatterns: string[];
  dataStream: boolean;
  /** Only the fields of this profile (undefined: every catalogued field). */
  profile?: ProfileName;
  /** Map dates as date_nanos. */
  dateNanos: boolean;
}

/** Builds the body of `PUT _index_template/<name>`. */
export type TemplateProvider = (opts: TemplateOptions) => object | Promise<object>;

/** Attempts to install the index template on start before start() fails. */
const TEMPLATE_ATTEMPTS = 5;

/**
 * `_bulk` sink for Elasticsearch and OpenSearch. write() resolves once every
 * event was accepted by the cluster or refused for good: whole-request 429,
 * 5xx and connection errors, and item-level 429/5xx, are retried with
 * backoff; other item errors (mapping errors) are returned as refused.
 *
 * With `id: hash` each document is written under its event id: a `create` of
 * an id that exists answers 409, which means this event was indexed by an
 * earlier delivery (a crash before the source's checkpoint, a response lost
 * after the cluster applied it). It is acknowledged and counted as a
 * duplicate, never dead-lettered.
 */
export class ElasticsearchSink implements Sink {
  readonly counters = newComponentCounters();
  private client: BulkClient | undefined;
  private readonly namer: IndexNamer;
  /** Action line per index, without its closing braces. */
  private readonly actions = new Map<string, string>();
  readonly wantsIds: boolean;
  /** Index names may hold the event's date. */
  readonly wantsTimestamps = true;
  /** Batches are written concurrently (up to max_in_flight requests): order does not matter to an index. */
  readonly pipelined = true;
  private inFlight = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private templateProvider: TemplateProvider | undefined;
  private failing: string | undefined;
  private stopped: Promise<void> | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly type: 'elasticsearch' | 'opensearch',
    private readonly config: ElasticsearchSinkConfig,
    deps: ComponentDeps,
    provider?: TemplateProvider,
  ) {
    this.log = deps.logger;
    this.namer = new IndexNamer(config.index);
    this.templateProvider = provider;
    this.wantsIds = config.id === 'hash';
  }

  /** Sets what builds the index template installed on start (`template.install`). */
  setTemplateProvider(fn: TemplateProvider): void {
    this.templateProvider = fn;
  }

  start(): Promise<void> {
    this.starting ??= this.open().catch((e: unknown) => {
      this.starting = undefined; // a failed start can be tried again
      throw e;
    });
    return this.starting;
  }

  private async open(): Promise<void> {
    const client = await createClient(this.type, this.config);
    if (this.config.template.install) {
      try {
        await this.installTemplate(client);
      } catch (e) {
        await client.close().catch(() => undefined);
        throw e;
      }
    }
    this.client = client;
  }

  private async installTemplate(client: BulkClient): Promise<void> {
    const t = this.config.template;
    if (!this.templateProvider) throw new Error(`sink ${this.name}: template.install is true but no index template builder is set`);
    const body = await this.templateProvider({
      name: t.name,
      indexPatterns: [this.namer.wildcard],
      dataStream: this.config.data_stream,
      profile: t.profile,
      dateNanos: t.date_nanos,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await client.putIndexTemplate(t.name, body);
        this.log.info({ template: t.name }, 'index template installed');
        return;
      } catch (e) {
        this.counters.errors++;
        const err = e as RequestError;
        if (!err.transient || attempt >= TEMPLATE_ATTEMPTS) {
          throw new Error(`sink ${this.name}: installing index template ${t.name} failed: ${err.message}`, { cause: e });
        }
        await sleep(backoffDelay(attempt, backoffOf(this.config.retry)), this.abort.signal);
      }
    }
  }

  endpoints(): string[] {
    const ids = this.wantsIds ? ', ids from event hashes' : '';
    return this.config.nodes.map((n) => `${hideUserInfo(n)} index ${this.config.index} (${this.config.op_type}${ids})`);
  }

  health(): Health {
    if (this.failing) return { ok: false, detail: this.failing };
    return { ok: true, detail: this.client ? 'ready' : 'not started' };
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.abort.abort();
      await this.client?.close().catch(() => undefined);
    })();
    return this.stopped;
  }

  async write(batch: OutputEvent[]): Promise<WriteResult> {
    if (!this.client || this.abort.signal.aborted) throw new Error(`sink ${this.name} is not running`);
    this.counters.received += batch.length;
    const refused: WriteResult['refused'] = [];
    let start = 0;
    while (start < batch.length) {
      // split on event count and body size
      let bytes = 0;
      let end = start;
      while (end < batch.length && end - start < this.config.max_batch_events) {
        const size = batch[end]!.json.length + 80;
        if (end > start && bytes + size > this.config.max_batch_bytes) break;
        bytes += size;
        end++;
      }
      const idx: number[] = [];
      for (let i = start; i < end; i++) idx.push(i);
      await this.send(batch, idx, refused);
      start = end;
    }
    return { refused };
  }

  /** Sends the events at `pending` until each is accepted or refused. */
  private async send(batch: OutputEvent[], pending: number[], refused: WriteResult['refused']): Promise<void> {
    for (let attempt = 1; pending.length > 0; attempt++) {
      await beforeAttempt(attempt, pending.length, this.config.retry, this.counters, this.abort.signal, (n, max) => `sink ${this.name}: ${n} event(s) not accepted after ${max} attempts: ${this.failing ?? ''}`);
      let res: BulkResponse;
      try {
        res = await this.bulk(this.lines(batch, pending));
      } catch (e) {
        this.counters.errors++;
        const err = e instanceof RequestError ? e : new RequestError(String(e), undefined);
        if (err.status === 413) {
          // body over the cluster's http.max_content_length: halve the request;
          // a single event that is too large can never pass
          if (pending.length === 1) {
            this.counters.rejected++;
            refused.push({ index: pending[0]!, reason: 'request_too_large', error: err.message });
            return;
          }
          const half = Math.ceil(pending.length / 2);
          await this.send(batch, pending.slice(0, half), refused);
          await this.send(batch, pending.slice(half), refused);
          return;
        }
        this.failing = err.message;
        // a whole-request 4xx (auth, bad URL) will not pass by itself either, but
        // the events are not at fault: keep them and retry, the health says why
        this.log.warn({ error: err.message, events: pending.length, attempt }, 'bulk request failed; retrying');
        continue;
      }
      const items = res.items ?? [];
      if (items.length !== pending.length) {
        this.counters.errors++;
        this.failing = `bulk response has ${items.length} items for ${pending.length} actions`;
        this.log.warn({ error: this.failing }, 'bulk response malformed; retrying');
        continue;
      }
      this.failing = undefined;
      const retry: number[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = Object.values(items[i]!)[0];
        const status = item?.status ?? 0;
        if (status >= 200 && status < 300) {
          this.counters.sent++;
        } else if (status === 409 && this.wantsIds && batch[pending[i]!]!.id !== undefined) {
          // created by an earlier delivery of the same bytes: delivered, not a failure
          this.counters.duplicates++;
        } else if (status === 429 || status >= 500 || status === 0) {
          retry.push(pending[i]!);
        } else {
          this.counters.rejected++;
          const error = item?.error;
          const cause = error?.caused_by ? ` (caused by ${error.caused_by.type ?? ''}: ${error.caused_by.reason ?? ''})` : '';
          refused.push({
            index: pending[i]!,
            reason: error?.type ?? `http_${status}`,
            error: `${error?.reason ?? `status ${status}`}${cause}`,
          });
        }
      }
      if (retry.length > 0) this.log.debug({ events: retry.length, attempt }, 'bulk items rejected for now; retrying');
      pending = retry;
    }
  }

  /** One `_bulk` request, when one of the max_in_flight slots is free. */
  private async bulk(lines: string[]): Promise<BulkResponse> {
    while (this.inFlight >= this.config.max_in_flight) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.inFlight++;
    try {
      return await this.client!.bulk(lines);
    } finally {
      this.inFlight--;
      this.slotWaiters.shift()?.();
    }
  }

  private lines(batch: OutputEvent[], idx: number[]): string[] {
    const out: string[] = new Array(idx.length * 2);
    for (let i = 0; i < idx.length; i++) {
      const ev = batch[idx[i]!]!;
      const index = this.namer.name(ev.timestamp);
      let head = this.actions.get(index);
      if (head === undefined) {
        // the action without its two closing braces: the id, when there is one, goes before them
        head = JSON.stringify({ [this.config.op_type]: { _index: index } }).slice(0, -2);
        if (this.actions.size >= 1024) this.actions.clear();
        this.actions.set(index, head);
      }
      // ids are base64url: nothing to escape
      out[2 * i] = this.wantsIds && ev.id !== undefined ? `${head},"_id":"${ev.id}"}}` : head + '}}';
      out[2 * i + 1] = ev.json;
    }
    return out;
  }
}
