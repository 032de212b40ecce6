import type { JetStreamClient, MsgHdrs, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import {
  newComponentCounters,
  type ComponentDeps,
  type Health,
  type OutputEvent,
  type Sink,
  type WriteResult,
} from '../../component/types.js';
import { beforeAttempt } from '../../config/retry.js';
import { connectUntil, loadNats, natsEndpoints, type NatsModule } from '../../nats/connection.js';
import { ORIGIN, RECEIVED_AT, SOURCE } from '../../nats/headers.js';
import type { NatsSinkConfig } from './config.js';

const encoder = new TextEncoder();

/** JetStream API error: the message is larger than the stream accepts. */
const JS_MESSAGE_TOO_LARGE = 10054;

/** A failure that retrying the same message cannot cure. */
function permanent(nats: NatsModule, e: unknown): { reason: string; error: string } | undefined {
  if (e instanceof nats.NatsError) {
    if (e.code === nats.ErrorCode.MaxPayloadExceeded) return { reason: 'max_payload_exceeded', error: e.message };
    if (e.api_error?.err_code === JS_MESSAGE_TOO_LARGE) return { reason: 'message_too_large', error: e.message };
  }
  return undefined;
}

/**
 * Publishes normalized events (their JSON), or with `payload: raw` the lines
 * received (see encode), to a JetStream subject. write()
 * resolves once every publish is acknowledged by the stream; failed publishes
 * (no stream, timeouts, disconnections) are retried with backoff. With
 * `id: hash` every message carries the event's id as `Nats-Msg-Id`: a retry
 * whose first publish was stored (only the acknowledgement was lost), or a
 * redelivery after a crash, is dropped by the stream's duplicate window
 * instead of being stored twice.
 */
export class NatsSink implements Sink {
  readonly type = 'nats';
  readonly counters = newComponentCounters();
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private connecting: Promise<NatsConnection> | undefined;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  /** The client package, loaded by start(). */
  private nats: NatsModule | undefined;
  private failing: string | undefined;
  private stopped: Promise<void> | undefined;
  readonly wantsIds: boolean;
  readonly wantsRaw: boolean;

  constructor(
    readonly name: string,
    private readonly config: NatsSinkConfig,
    deps: ComponentDeps,
  ) {
    this.log = deps.logger;
    this.wantsIds = config.id === 'hash';
    this.wantsRaw = config.payload === 'raw';
  }

  /** The message for one event: its document, or (`payload: raw`) the line received with its facts as headers. */
  encode(ev: OutputEvent): { data: Uint8Array; headers?: MsgHdrs } {
    const raw = ev.raw;
    if (!this.wantsRaw || raw === undefined) return { data: encoder.encode(ev.json) };
    const headers = this.nats!.headers();
    headers.set(RECEIVED_AT, raw.receivedAt);
    headers.set(SOURCE, raw.origin.source);
    if (raw.origin.detail !== undefined) headers.set(ORIGIN, raw.origin.detail);
    return { data: typeof raw.data === 'string' ? encoder.encode(raw.data) : raw.data, headers };
  }

  /** Starts connecting; does not wait for the server (writes do). */
  async start(): Promise<void> {
    if (this.connecting || this.abort.signal.aborted) return;
    // A missing client package fails the start (named in the error), not every connection attempt.
    const nats = (this.nats ??= await loadNats(`the nats sink "${this.name}"`));
    if (this.connecting || this.abort.signal.aborted) return;
    this.connecting = connectUntil(nats, this.config, this.name, this.abort.signal, (e) => {
      this.counters.errors++;
      this.failing = `nats sink: cannot connect: ${e.message}`;
    });
    this.connecting.then(
      (nc) => {
        this.nc = nc;
        this.js = nc.jetstream();
        this.failing = undefined;
      },
      (err: unknown) => {
        if (!this.abort.signal.aborted) this.failing = `nats sink: ${(err as Error).message}`;
      },
    );
  }

  endpoints(): string[] {
    const ids = this.wantsIds ? ', Nats-Msg-Id from event hashes' : '';
    const what = this.wantsRaw ? 'publish raw lines to' : 'publish to';
    return natsEndpoints(this.config, `${what} ${this.config.subject}${ids}`);
  }

  health(): Health {
    if (this.failing) return { ok: false, detail: this.failing };
    return { ok: true, detail: this.js ? `publishing to ${this.config.subject}` : 'connecting' };
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.abort.abort();
      // a connection still being made is closed when it comes (connectUntil)
      await this.nc?.drain().catch(() => undefined);
    })();
    return this.stopped;
  }

  private async client(): Promise<JetStreamClient> {
    if (this.js) return this.js;
    const aborted = new Promise<never>((_, reject) =>
      this.abort.signal.addEventListener('abort', () => reject(new Error('stopping')), { once: true }),
    );
    aborted.catch(() => undefined);
    await Promise.race([this.connecting, aborted]);
    return this.js!;
  }

  async write(batch: OutputEvent[]): Promise<WriteResult> {
    if (!this.connecting || this.abort.signal.aborted) throw new Error(`sink ${this.name} is not running`);
    const signal = this.abort.signal;
    const js = await this.client();
    this.counters.received += batch.length;
    const refused: WriteResult['refused'] = [];
    let pending = batch.map((_, i) => i);
    for (let attempt = 1; pending.length > 0; attempt++) {
      await beforeAttempt(attempt, pending.length, this.config.retry, this.counters, signal, (n, max) => `sink ${this.name}: ${n} event(s) not acknowledged after ${max} attempts: ${this.failing ?? ''}`);
      if (signal.aborted) throw new Error('stopping');
      const retry: number[] = [];
      let lastError: unknown;
      for (let start = 0; start < pending.length; start += this.config.max_in_flight) {
        const slice = pending.slice(start, start + this.config.max_in_flight);
        const results = await Promise.allSettled(
          slice.map((i) => {
            const m = this.encode(batch[i]!);
            return js.publish(this.config.subject, m.data, {
              headers: m.headers,
              msgID: this.wantsIds ? batch[i]!.id : undefined,
              timeout: this.config.ack_timeout,
              expect: this.config.expect_stream ? { streamName: this.config.expect_stream } : undefined,
            });
          }),
        );
        results.forEach((r, k) => {
          const i = slice[k]!;
          if (r.status === 'fulfilled') {
            // a duplicate: the stream already holds this id (an earlier delivery), nothing was stored twice
            if (r.value.duplicate) this.counters.duplicates++;
            else this.counters.sent++;
            return;
          }
          const p = permanent(this.nats!, r.reason);
          if (p) {
            this.counters.rejected++;
            refused.push({ index: i, ...p });
          } else {
            retry.push(i);
            lastError = r.reason;
          }
        });
      }
      if (retry.length > 0) {
        this.counters.errors++;
        this.failing = `nats sink: ${(lastError as Error).message}`;
        this.log.warn({ error: (lastError as Error).message, events: retry.length, attempt }, 'publish not acknowledged; retrying');
      } else {
        this.failing = undefined;
      }
      pending = retry;
    }
    return { refused };
  }
}
