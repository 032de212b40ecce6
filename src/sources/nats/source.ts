import type { ConsumerMessages, JsMsg, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { newComponentCounters, type ComponentDeps, type Health, type Ingest, type Origin, type RawEvent, type Source } from '../../component/types.js';
import { backoffDelay, sleep } from '../../io/backoff.js';
import { connectUntil, loadNats, natsEndpoints, type NatsModule } from '../../nats/connection.js';
import { ORIGIN, RECEIVED_AT, SOURCE } from '../../nats/headers.js';
import type { NatsSourceConfig } from './config.js';

const decoder = new TextDecoder();
/** Longest wait before a partial batch is submitted. */
const LINGER_MS = 20;

/**
 * Consumes raw events from a JetStream stream through a durable pull consumer.
 * A message is acknowledged only once its submission is durable; until then it
 * is kept alive with "in progress" signals so that ack-wait does not expire
 * and redeliver it to another instance. Unacknowledged messages (a crash, a
 * failed submission, a stop timeout) are redelivered: at-least-once.
 */
export class NatsSource implements Source {
  readonly type = 'nats';
  readonly counters = newComponentCounters();
  private readonly log: Logger;
  private nc: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  private readonly abort = new AbortController();
  private readonly outstanding = new Set<JsMsg[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private status = 'not started';
  private failing: string | undefined;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    private readonly config: NatsSourceConfig,
    deps: ComponentDeps,
  ) {
    this.log = deps.logger;
  }

  async start(ingest: Ingest): Promise<void> {
    if (this.loop || this.abort.signal.aborted) return;
    // A missing client package fails the start (named in the error), not every connection attempt.
    const nats = await loadNats(`the nats source "${this.name}"`);
    if (this.loop || this.abort.signal.aborted) return;
    this.status = 'connecting';
    this.loop = this.run(nats, ingest);
    // in-progress signals every half ack-wait for messages not yet durable
    this.keepAlive = setInterval(() => {
      for (const msgs of this.outstanding) for (const m of msgs) m.working();
    }, Math.max(500, this.config.ack_wait / 2));
  }

  endpoints(): string[] {
    const { stream, consumer, filter_subject } = this.config;
    return natsEndpoints(this.config, `stream ${stream}, consumer ${consumer}${filter_subject ? `, subjects ${filter_subject}` : ''}`);
  }

  health(): Health {
    return this.failing ? { ok: false, detail: this.failing } : { ok: true, detail: this.status };
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.abort.abort();
    this.messages?.stop();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.inFlight),
      new Promise((r) => (timer = setTimeout(r, this.config.stop_timeout))),
    ]);
    clearTimeout(timer);
    clearInterval(this.keepAlive);
    // not durable in time: hand them back at once rather than after ack-wait
    for (const msgs of this.outstanding) for (const m of msgs) m.nak();
    this.outstanding.clear();
    await this.nc?.drain().catch(() => undefined);
    this.status = 'stopped';
  }

  private async run(nats: NatsModule, ingest: Ingest): Promise<void> {
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      try {
        this.nc ??= await connectUntil(nats, this.config, this.name, this.abort.signal, (e) => {
          this.counters.errors++;
          this.failing = `nats source: cannot connect: ${e.message}`;
        });
        const { consumer, differs } = await this.consumer(nats, this.nc);
        this.status = `consuming ${this.config.stream}/${this.config.consumer}${differs ? ` (${differs})` : ''}`;
        this.failing = undefined;
        attempt = 0;
        this.messages = await consumer.consume({ max_messages: this.config.batch_size });
        if (this.abort.signal.aborted) this.messages.stop();
        await this.consume(this.messages, ingest);
      } catch (e) {
        if (this.abort.signal.aborted) break;
        this.counters.errors++;
        this.failing = `nats source: ${(e as Error).message}`;
        this.log.warn({ err: e }, 'nats consumer failed; retrying');
        await sleep(backoffDelay(Math.max(1, attempt), { initialMs: 500, maxMs: 30000 }), this.abort.signal).catch(() => undefined);
      }
    }
  }

  /**
   * The durable consumer, created when missing (and allowed). An existing one
   * is used as it is, after two checks: its ack policy must be explicit
   * (with `none` or `all` the server forgets messages that were never made
   * durable: at-least-once would turn into loss), so another one is refused;
   * an ack wait or max ack pending other than the configuration's is
   * reported (log and health), not changed: the consumer is shared by every
   * instance and may be managed elsewhere.
   */
  private async consumer(nats: NatsModule, nc: NatsConnection) {
    const js = nc.jetstream();
    const { stream, consumer } = this.config;
    const jsm = await nc.jetstreamManager();
    const existing = await jsm.consumers.info(stream, consumer).catch((e: unknown) => {
      if (this.config.create_consumer) return undefined;
      throw e;
    });
    let differs: string | undefined;
    if (existing) {
      const c = existing.config;
      if (c.ack_policy !== nats.AckPolicy.Explicit) {
        const e = new Error(
          `durable consumer "${consumer}" of stream "${stream}" has ack policy "${c.ack_policy}": refused, ` +
            'the source needs ack policy "explicit" (with "none" or "all" messages are forgotten before they are durable); ' +
            'recreate the consumer with ack_policy explicit or let the source create it',
        );
        this.log.error({ stream, consumer, ack_policy: c.ack_policy }, e.message);
        throw e;
      }
      const found: string[] = [];
      const ackWait = nats.millis(c.ack_wait ?? 0);
      if (ackWait !== this.config.ack_wait) found.push(`ack_wait ${ackWait}ms, configured ${this.config.ack_wait}ms`);
      if (c.max_ack_pending !== this.config.max_ack_pending) found.push(`max_ack_pending ${c.max_ack_pending}, configured ${this.config.max_ack_pending}`);
      if (found.length > 0) {
        differs = `existing consumer used as it is: ${found.join('; ')}`;
        this.log.warn({ stream, consumer }, differs);
      }
    } else {
      await jsm.consumers.add(stream, {
        durable_name: consumer,
        ack_policy: nats.AckPolicy.Explicit,
        deliver_policy: nats.DeliverPolicy.All,
        ack_wait: nats.nanos(this.config.ack_wait),
        max_deliver: this.config.max_deliver,
        max_ack_pending: this.config.max_ack_pending,
        filter_subject: this.config.filter_subject,
      });
      this.log.info({ stream, consumer }, 'durable consumer created');
    }
    return { consumer: await js.consumers.get(stream, consumer), differs };
  }

  /**
   * Groups messages into submissions: a batch goes when full, when the client
   * holds nothing more, or after LINGER_MS (the client's pending count can
   * include status messages that are never yielded).
   */
  private async consume(messages: ConsumerMessages, ingest: Ingest): Promise<void> {
    let batch: JsMsg[] = [];
    let timer: NodeJS.Timeout | undefined;
    let failure: unknown;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      const b = batch;
      batch = [];
      return b.length > 0 ? this.submit(b, ingest) : Promise.resolve();
    };
    for await (const m of messages) {
      if (failure) throw failure;
      batch.push(m);
      // getPending() counts the message being handled: 1 means nothing else is buffered
      if (batch.length >= this.config.batch_size || messages.getPending() <= 1) await flush();
      else timer ??= setTimeout(() => flush().catch((e: unknown) => (failure = e)), LINGER_MS);
    }
    clearTimeout(timer);
    for (const m of batch) m.nak();
  }

  /**
   * Submits a batch, one submission per origin: a message relayed by an edge
   * (`payload: raw`, see docs/nats.md) carries the edge's source name, origin
   * and reception time as headers; the event keeps them, so its @timestamp
   * fallback, its id and its dead letter are what the edge would have given.
   */
  private async submit(msgs: JsMsg[], ingest: Ingest): Promise<void> {
    const receivedAt = new Date().toISOString();
    const via = `${this.config.stream}/${this.config.consumer}`;
    const groups = new Map<string, { origin: Origin; msgs: JsMsg[]; events: RawEvent[] }>();
    for (const m of msgs) {
      const h = m.headers;
      const source = h?.get(SOURCE) || this.name;
      const detail = h?.get(ORIGIN) ? `${h.get(ORIGIN)} via ${via}` : via;
      const key = `${source}\0${detail}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { origin: { source, detail }, msgs: [], events: [] }));
      g.msgs.push(m);
      g.events.push({ raw: decoder.decode(m.data), receivedAt: receivedAtOf(h?.get(RECEIVED_AT)) ?? receivedAt });
    }
    for (const g of groups.values()) await this.submitGroup(g.msgs, g.events, g.origin, ingest);
  }

  private async submitGroup(msgs: JsMsg[], events: RawEvent[], origin: Origin, ingest: Ingest): Promise<void> {
    this.counters.received += msgs.length;
    this.outstanding.add(msgs);
    let sub;
    try {
      sub = await ingest.submit(events, origin);
    } catch (e) {
      this.outstanding.delete(msgs);
      for (const m of msgs) m.nak();
      throw e;
    }
    this.counters.sent += msgs.length;
    const done = sub.durable.then(
      () => {
        if (!this.outstanding.delete(msgs)) return; // handed back already (stop timeout)
        for (const m of msgs) m.ack();
      },
      (err: unknown) => {
        this.counters.errors++;
        this.log.error({ err, messages: msgs.length }, 'submission failed; messages handed back for redelivery');
        if (this.outstanding.delete(msgs)) for (const m of msgs) m.nak();
      },
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }
}

/** An RFC 3339 UTC time as the edge writes it (Date#toISOString); anything else is ignored. */
function receivedAtOf(v: string | undefined): string | undefined {
  return v !== undefined && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) ? v : undefined;
}
