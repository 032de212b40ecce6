/**
 * Stream connections of the syslog source (TCP and TLS): frames each
 * connection, submits the messages of each chunk at once, and pauses the
 * socket while the pipeline has no room (backpressure reaches the sender
 * through TCP flow control).
 */
import type { Socket } from 'node:net';
import type { ComponentCounters, Ingest, Origin, RawEvent } from '../../pipeline/types.js';
import { peerKey, type ConnectionSlots } from './connections.js';
import { SyslogFramer } from './framing.js';

/** On stop, a connection whose sender sent nothing for this long (while we were reading) has delivered all it had. */
const DRAIN_QUIET_MS = 200;

export interface StreamContext {
  ingest: Ingest;
  counters: ComponentCounters;
  maxMessageBytes: number;
  /** Slots: idle timeout (time without a complete message) and eviction. */
  slots: ConnectionSlots;
  /** Submissions not yet enqueued (the source waits for them when stopping). */
  inProgress: Set<Promise<unknown>>;
  onError(e: Error, peer: string): void;
}

function tooLongEvent(excerpt: string, bytes: number, max: number, receivedAt: string): RawEvent {
  return {
    raw: excerpt,
    receivedAt,
    reject: { reason: 'too_long', message: `message of ${bytes} bytes exceeds the limit of ${max} bytes` },
  };
}

/** An open connection, as the source sees it when stopping. */
export interface Connection {
  /**
   * Reads on until the sender pauses (nothing for DRAIN_QUIET_MS while the
   * socket was not held back by backpressure) or `deadline` passes, then
   * hands on the complete messages and closes the connection.
   */
  drain(deadline: number): Promise<void>;
}

export function handleConnection(socket: Socket, ctx: StreamContext, scheme: string, source: string): Connection {
  const origin: Origin = { source, detail: `${scheme}://${socket.remoteAddress}:${socket.remotePort}` };
  const key = peerKey(socket);
  let lastData = Date.now();
  let batch: RawEvent[] = [];
  let receivedAt = '';
  const framer = new SyslogFramer(ctx.maxMessageBytes, {
    // Queued as the bytes they came in (a socket never reuses the buffer of a
    // read): queued strings were copied by every young-generation collection,
    // a fifth of the service's time.
    message: (bytes) => batch.push({ raw: '', bytes, receivedAt }),
    tooLong: (excerpt, bytes) => batch.push(tooLongEvent(excerpt, bytes, ctx.maxMessageBytes, receivedAt)),
  });
  let chain: Promise<unknown> = Promise.resolve();

  const flush = () => {
    if (batch.length === 0) return;
    ctx.slots.touch(key);
    const events = batch;
    batch = [];
    ctx.counters.received += events.length;
    const sub = ctx.ingest.trySubmit(events, origin);
    if (sub) {
      ctx.counters.sent += events.length;
      return;
    }
    // No room: stop reading until the pipeline takes the events.
    socket.pause();
    const p = chain.then(() => ctx.ingest.submit(events, origin)).then(
      () => {
        ctx.counters.sent += events.length;
        if (!socket.destroyed) socket.resume();
      },
      (e: Error) => {
        ctx.counters.errors++;
        ctx.counters.dropped += events.length;
        ctx.onError(e, origin.detail!);
        socket.destroy();
      },
    );
    chain = p;
    ctx.inProgress.add(p);
    void p.finally(() => ctx.inProgress.delete(p));
  };

  socket.on('data', (chunk: Buffer) => {
    lastData = Date.now();
    receivedAt = new Date().toISOString();
    framer.push(chunk);
    flush();
  });
  /** The framing was ended (by the sender or by the source): its last frame is handed on once. */
  let ended = false;
  socket.on('end', () => {
    ended = true;
    receivedAt = new Date().toISOString();
    framer.end();
    flush();
    socket.end();
  });
  // Closed by the source (idle, evicted, stopping): the same as an end from the sender,
  // complete messages go on, a cut frame is handed on (the decoder rejects it).
  const close = (reason: 'idle' | 'evicted' | 'stopping') => {
    if (socket.destroyed || ended) return void socket.destroy();
    ended = true;
    if (reason !== 'stopping') {
      ctx.counters.errors++;
      ctx.onError(new Error(reason === 'idle' ? 'no complete message within idle_timeout: connection closed' : 'connection closed to make room for a new one'), origin.detail!);
    }
    receivedAt = new Date().toISOString();
    framer.end();
    flush();
    socket.destroy();
  };
  ctx.slots.onClose(key, close);
  socket.on('error', (e) => {
    ctx.counters.errors++;
    ctx.onError(e, origin.detail!);
  });
  return {
    drain: (deadline) =>
      new Promise<void>((resolve) => {
        const check = () => {
          const now = Date.now();
          const quiet = !socket.isPaused() && now - lastData >= DRAIN_QUIET_MS;
          if (socket.destroyed || quiet || now >= deadline) {
            clearInterval(timer);
            close('stopping');
            resolve();
          }
        };
        const timer = setInterval(check, 20);
        check();
      }),
  };
}
