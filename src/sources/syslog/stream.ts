/**
 * Stream connections of the syslog source (TCP and TLS): frames each
 * connection, submits the messages of each chunk at once, and pauses the
 * socket while the pipeline has no room (backpressure reaches the sender
 * through TCP flow control).
 */
import type { Socket } from 'node:net';
import type { ComponentCounters, Ingest, Origin, RawEvent } from '../../pipeline/types.js';
import { SyslogFramer } from './framing.js';

export interface StreamContext {
  ingest: Ingest;
  counters: ComponentCounters;
  maxMessageBytes: number;
  /** Close a connection silent for this long. */
  idleTimeoutMs: number;
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

export function handleConnection(socket: Socket, ctx: StreamContext, scheme: string, source: string): void {
  const origin: Origin = { source, detail: `${scheme}://${socket.remoteAddress}:${socket.remotePort}` };
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
    receivedAt = new Date().toISOString();
    framer.push(chunk);
    flush();
  });
  socket.on('end', () => {
    receivedAt = new Date().toISOString();
    framer.end();
    flush();
    socket.end();
  });
  socket.setTimeout(ctx.idleTimeoutMs);
  socket.on('timeout', () => {
    // Same as an end from the sender: complete messages go on, a cut frame is handed on (the decoder rejects it).
    ctx.counters.errors++;
    ctx.onError(new Error(`idle for ${ctx.idleTimeoutMs} ms: connection closed`), origin.detail!);
    receivedAt = new Date().toISOString();
    framer.end();
    flush();
    socket.destroy();
  });
  socket.on('error', (e) => {
    ctx.counters.errors++;
    ctx.onError(e, origin.detail!);
  });
}
