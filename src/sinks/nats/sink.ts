import { EncodedEvent } from '../../component/encoded-batch.js';
import type { NatsConnection } from 'nats';
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
import { EXPECTED_STREAM, MSG_ID, ORIGIN, RECEIVED_AT, SOURCE } from '../../nats/headers.js';
import { AckWindow, type Outgoing } from './ack-window.js';
import type { NatsSinkConfig } from './config.js';

const encoder = new TextEncoder();

/**
 * Publishes normalized events (their JSON), or with `payload: raw` the lines
 * received (see message), to a JetStream subject, through a window of
 * outstanding acknowledgements (AckWindow). write()
 * resolves once every publish is acknowledged by the stream; failed publishes
 * (no stream, timeouts, disconnections) are retried with backoff. With
 * `id: hash` every message carries the event's id as `Nats-Msg-Id`: a retry
 * whose first publish was stored (only the acknowledgement was lost), or a
 * redelivery after a crash, is dropped by the stream's duplicate window
 * instead of being stored twice.
 */
export class NatsSink implements Sink {
  readonly type = 'nats';
  /** Batches share the ack window: the next batch is published while this one's acknowledgements come back. */
  readonly pipelined = true;
  readonly counters = newComponentCounters();
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private connecting: Promise<NatsConnection> | undefined;
  private nc: NatsConnection | undefined;
  private window: AckWindow | undefined;
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

  /**
   * The message for one event: its document, or (`payload: raw`) the line
   * received with its facts as headers; with its id as `Nats-Msg-Id`
   * (`id: hash`) and the stream it must land in (`expect_stream`).
   */
  private message(ev: OutputEvent): Outgoing {
    const raw = this.wantsRaw ? ev.raw : undefined;
    const id = this.wantsIds ? ev.id : undefined;
    const expect = this.config.expect_stream;
    if (raw === undefined && id === undefined && expect === undefined) return { data: documentBytes(ev) };
    const headers = this.nats!.headers();
    if (id !== undefined) headers.set(MSG_ID, id);
    if (expect !== undefined) headers.set(EXPECTED_STREAM, expect);
    if (raw === undefined) return { data: documentBytes(ev), headers };
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
        this.window = new AckWindow(nats, nc, this.config.max_in_flight);
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
    return { ok: true, detail: this.window ? `publishing to ${this.config.subject}` : 'connecting' };
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.abort.abort();
      this.window?.close();
      // a connection still being made is closed when it comes (connectUntil)
      await this.nc?.drain().catch(() => undefined);
    })();
    return this.stopped;
  }

  private async client(): Promise<AckWindow> {
    if (this.window) return this.window;
    const aborted = new Promise<never>((_, reject) =>
      this.abort.signal.addEventListener('abort', () => reject(new Error('stopping')), { once: true }),
    );
    aborted.catch(() => undefined);
    await Promise.race([this.connecting, aborted]);
    return this.window!;
  }

  async write(batch: OutputEvent[]): Promise<WriteResult> {
    if (!this.connecting || this.abort.signal.aborted) throw new Error(`sink ${this.name} is not running`);
    const signal = this.abort.signal;
    const window = await this.client();
    this.counters.received += batch.length;
    const refused: WriteResult['refused'] = [];
    let pending = batch.map((_, i) => i);
    for (let attempt = 1; pending.length > 0; attempt++) {
      await beforeAttempt(attempt, pending.length, this.config.retry, this.counters, signal, (n, max) => `sink ${this.name}: ${n} event(s) not acknowledged after ${max} attempts: ${this.failing ?? ''}`);
      if (signal.aborted) throw new Error('stopping');
      const messages = pending.map((i) => this.message(batch[i]!));
      const outcomes = await window.publish(this.config.subject, messages, this.config.ack_timeout);
      if (signal.aborted) throw new Error('stopping');
      const retry: number[] = [];
      let lastError = '';
      outcomes.forEach((o, k) => {
        const i = pending[k]!;
        // a duplicate: the stream already holds this id (an earlier delivery), nothing was stored twice
        if (o.kind === 'stored') this.counters.sent++;
        else if (o.kind === 'duplicate') this.counters.duplicates++;
        else if (o.kind === 'refused') {
          this.counters.rejected++;
          refused.push({ index: i, reason: o.reason, error: o.error });
        } else {
          retry.push(i);
          lastError = o.error;
        }
      });
      if (retry.length > 0) {
        this.counters.errors++;
        this.failing = `nats sink: ${lastError}`;
        this.log.warn({ error: lastError, events: retry.length, attempt }, 'publish not acknowledged; retrying');
      } else {
        this.failing = undefined;
      }
      pending = retry;
    }
    return { refused };
  }
}

/** The document as UTF-8: a view of its batch's bytes when the pipeline encoded it (published before the write settles), else encoded here. */
function documentBytes(ev: OutputEvent): Uint8Array {
  return ev instanceof EncodedEvent ? ev.bytes : encoder.encode(ev.json);
}
