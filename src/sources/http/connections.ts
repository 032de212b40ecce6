/**
 * Connection slots of the HTTP source. Past `max_connections`, a new
 * connection is not dropped silently: the least recently active idle
 * connection is closed to make room (idle: no request being handled, that is
 * a connection that has not sent a complete request header yet, or one
 * waiting between keep-alive requests). A connection with a request in
 * progress is never closed for room; when every slot holds one, the new
 * connection is refused with a `503` and `Retry-After` (plain HTTP; over TLS
 * it is closed before the handshake). Both are counted.
 *
 * Slow senders are bounded by Node's absolute timers, which a trickle cannot
 * reset: `headers_timeout` from the first byte of a request to the end of its
 * header, `request_timeout` to the end of its body (408, counted here as
 * timed out), and the keep-alive timeout between requests.
 *
 * Node's own `server.maxConnections` closes the extra connection at once,
 * which a sender sees as a reset with no reason, and cannot free an idle slot.
 */
import type { Socket } from 'node:net';
import type { ConnectionCounters } from '../../component/types.js';
import { SlotTable } from '../slots.js';

interface Slot {
  /** The TCP socket. */
  socket: Socket;
  /** The socket requests arrive on: the TLS socket over `socket` for HTTPS (known from its first request). */
  app?: Socket;
  /** Requests of this connection being handled (read, or waiting for their answer). */
  active: number;
}

const REFUSED_BODY = '{"error":"too many connections with requests in progress, retry later"}\n';
const REFUSED =
  'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\n' +
  `Content-Length: ${REFUSED_BODY.length}\r\n\r\n${REFUSED_BODY}`;

/** The key of a connection, the same on the TCP socket and on a TLS socket over it. */
function keyOf(s: Socket): string {
  return `${s.remoteAddress} ${s.remotePort} ${s.localAddress} ${s.localPort}`;
}

export class ConnectionSlots {
  private readonly slots = new SlotTable<Slot>();
  private readonly refusedSockets = new WeakSet<Socket>();
  private closing = false;

  constructor(
    private readonly max: number,
    private readonly counters: ConnectionCounters,
    private readonly plain: boolean,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** A TCP connection was accepted: give it a slot, making room or refusing it visibly. */
  admit(socket: Socket): void {
    if (this.slots.size >= this.max && !this.evictOne()) {
      this.counters.refused++;
      this.refusedSockets.add(socket);
      socket.on('error', () => undefined);
      if (this.plain) {
        socket.end(REFUSED);
        // A peer that does not close after the answer is not waited for.
        setTimeout(() => socket.destroy(), 2000).unref();
      } else socket.destroy();
      return;
    }
    const key = keyOf(socket);
    const slot: Slot = { socket, active: 0 };
    this.slots.add(key, slot);
    socket.once('close', () => this.slots.release(key, slot));
  }

  /** True for a connection refused at accept time (its requests are not handled). */
  refused(socket: Socket): boolean {
    return this.refusedSockets.has(socket);
  }

  /** A request starts on `socket` (the TCP socket, or the TLS socket over it). */
  begin(socket: Socket): void {
    const key = keyOf(socket);
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.app = socket;
    slot.active++;
    this.slots.touch(key);
  }

  /** A request of `socket` was answered (or abandoned). */
  end(socket: Socket): void {
    const key = keyOf(socket);
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.active = Math.max(0, slot.active - 1);
    this.slots.touch(key);
    // Stopping: the answer is written, the connection is not kept for another request.
    if (this.closing && slot.active === 0) (slot.app ?? slot.socket).end();
  }

  /**
   * Stopping: closes every connection without a request in progress, and the
   * others once answered. Node stops its header timers when the server closes,
   * so a connection that never sends a request would otherwise hold the stop.
   */
  closeIdle(): void {
    this.closing = true;
    for (const slot of this.slots.values()) if (slot.active === 0) slot.socket.destroy();
  }

  /** Closes the least recently active connection without a request in progress; false when every one has one. */
  private evictOne(): boolean {
    const slot = this.slots.evict((s) => s.active === 0);
    if (slot === undefined) return false;
    this.counters.evicted++;
    slot.socket.destroy();
    return true;
  }
}
