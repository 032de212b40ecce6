import type { Msg, MsgHdrs, NatsConnection, Subscription } from 'nats';
import type { NatsModule } from '../../nats/connection.js';

/** One message to publish. */
export interface Outgoing {
  data: Uint8Array;
  headers?: MsgHdrs;
}

/** What became of one published message. */
export type Outcome =
  | { kind: 'stored' }
  | { kind: 'duplicate' }
  /** Retrying the same message cannot cure it. */
  | { kind: 'refused'; reason: string; error: string }
  /** Not acknowledged (no stream, timeout, connection lost, a stream error): publish it again later. */
  | { kind: 'retry'; error: string };

/** JetStream API error: the message is larger than the stream accepts. */
const JS_MESSAGE_TOO_LARGE = 10054;

const decoder = new TextDecoder();

interface Waiting {
  deadline: number;
  settle(o: Outcome): void;
}

/**
 * Publishes to JetStream with a sliding window of outstanding
 * acknowledgements over one reply subscription.
 *
 * `JetStreamClient.publish` is a request per message: a promise, a timer and
 * a reply-map entry each, awaited by the caller. Here every message is a
 * plain core publish whose reply subject is `<inbox>.<n>`; one wildcard
 * subscription receives the acknowledgements (or the server's 503 "no
 * responders" status when no stream captures the subject) and one sweep
 * timer expires those that do not come. At most `window` messages are
 * unacknowledged at any time, so a slow stream bounds memory, and the
 * connection is never idle waiting for one round trip.
 */
export class AckWindow {
  private readonly prefix: string;
  private readonly sub: Subscription;
  /** Outstanding messages by reply number, in publishing order (so the oldest deadline comes first). */
  private readonly waiting = new Map<number, Waiting>();
  private next = 0;
  /** Messages published and not yet settled, over all calls. */
  private outstanding = 0;
  /** Calls waiting for room in the window, oldest first. */
  private readonly blocked: Array<() => void> = [];
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  /** `limit`: at most this many messages unacknowledged at once. */
  constructor(
    private readonly nats: NatsModule,
    private readonly nc: NatsConnection,
    private readonly limit: number,
  ) {
    this.prefix = nats.createInbox();
    this.sub = nc.subscribe(`${this.prefix}.*`, { callback: (err, msg) => this.reply(err, msg) });
  }

  /**
   * Publishes every message to `subject` and resolves with one outcome per
   * message (same order) once each is acknowledged, refused or timed out.
   * Concurrent calls share the window.
   */
  publish(subject: string, messages: readonly Outgoing[], timeoutMs: number): Promise<Outcome[]> {
    const outcomes = new Array<Outcome>(messages.length);
    let sent = 0;
    let settled = 0;
    return new Promise((resolve) => {
      const settle = (i: number, o: Outcome) => {
        outcomes[i] = o;
        if (++settled === messages.length) resolve(outcomes);
      };
      const fill = () => {
        while (sent < messages.length && this.outstanding < this.limit) {
          const i = sent++;
          if (this.closed) {
            settle(i, { kind: 'retry', error: 'stopping' });
            continue;
          }
          const n = this.next++;
          const m = messages[i]!;
          try {
            this.nc.publish(subject, m.data, { reply: `${this.prefix}.${n}`, headers: m.headers });
          } catch (e) {
            settle(i, this.thrown(e));
            continue;
          }
          this.outstanding++;
          this.waiting.set(n, { deadline: Date.now() + timeoutMs, settle: (o) => settle(i, o) });
        }
        if (sent < messages.length) this.blocked.push(fill);
        this.arm(timeoutMs);
      };
      if (messages.length === 0) resolve(outcomes);
      else fill();
    });
  }

  /** Gives every outstanding message back as not acknowledged and stops listening. */
  close(): void {
    this.closed = true;
    clearTimeout(this.sweeper);
    this.sub.unsubscribe();
    this.expire(Infinity, 'stopping');
    // calls still waiting for room settle their remaining messages as 'stopping'
    while (this.blocked.length > 0) this.blocked.shift()!();
  }

  private thrown(e: unknown): Outcome {
    if (e instanceof this.nats.NatsError && e.code === this.nats.ErrorCode.MaxPayloadExceeded) {
      return { kind: 'refused', reason: 'max_payload_exceeded', error: e.message };
    }
    return { kind: 'retry', error: (e as Error).message };
  }

  private reply(err: Error | null, msg: Msg): void {
    if (err) return; // the subscription itself failed (connection closed): outstanding messages expire
    const n = Number(msg.subject.slice(this.prefix.length + 1));
    const w = this.waiting.get(n);
    if (!w) return; // already expired; a late acknowledgement of a message that is published again
    this.done(n, w, this.outcome(msg));
  }

  /** Settles one outstanding message and gives its room to a waiting call. */
  private done(n: number, w: Waiting, o: Outcome): void {
    this.waiting.delete(n);
    this.outstanding--;
    w.settle(o);
    while (this.outstanding < this.limit && this.blocked.length > 0) this.blocked.shift()!();
  }

  /** The outcome a reply tells: a PubAck, a JetStream API error, or a status (503: nothing captures the subject). */
  private outcome(msg: Msg): Outcome {
    const code = msg.headers?.code ?? 0;
    if (msg.data.length === 0 && code >= 300) {
      return { kind: 'retry', error: code === 503 ? 'no stream captures the subject (503 no responders)' : `status ${code} ${msg.headers?.description ?? ''}` };
    }
    let ack: { stream?: string; duplicate?: boolean; error?: { err_code?: number; description?: string } };
    try {
      ack = JSON.parse(decoder.decode(msg.data)) as typeof ack;
    } catch {
      return { kind: 'retry', error: 'unreadable acknowledgement' };
    }
    if (ack.error) {
      const error = ack.error.description ?? 'JetStream error';
      if (ack.error.err_code === JS_MESSAGE_TOO_LARGE) return { kind: 'refused', reason: 'message_too_large', error };
      return { kind: 'retry', error };
    }
    if (!ack.stream) return { kind: 'retry', error: 'invalid acknowledgement' };
    return { kind: ack.duplicate ? 'duplicate' : 'stored' };
  }

  /** One timer for all outstanding messages: the oldest deadline decides when it fires. */
  private arm(timeoutMs: number): void {
    if (this.sweeper || this.waiting.size === 0) return;
    const first = this.waiting.values().next().value as Waiting;
    this.sweeper = setTimeout(
      () => {
        this.sweeper = undefined;
        this.expire(Date.now(), `no acknowledgement within ${timeoutMs} ms`);
        this.arm(timeoutMs);
      },
      Math.max(1, first.deadline - Date.now()),
    );
  }

  private expire(now: number, error: string): void {
    for (const [n, w] of this.waiting) {
      if (w.deadline > now) break;
      this.done(n, w, { kind: 'retry', error });
    }
  }
}
