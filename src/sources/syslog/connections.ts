/**
 * The connection slots of the syslog stream listener. A slot is held by a
 * connection until it closes; what a connection last did decides who goes
 * when slots run out or a sender stalls:
 *
 * - activity is a complete message, not a byte: a sender trickling one byte a
 *   second never completes a frame, so it cannot keep its slot past
 *   `idleTimeoutMs` (a byte-level idle timer would be reset for ever);
 * - when every slot is taken, a new connection takes the slot of the least
 *   recently active one if that one has been quiet for `EVICT_QUIET_MS`
 *   (idle connections must not lock senders out); when all are active, the
 *   new connection is reset at once, so its sender gets an error
 *   (ECONNRESET) instead of a connect and send that seem to succeed.
 */
import type { Socket } from 'node:net';
import type { ConnectionCounters } from '../../component/types.js';
import { SlotTable } from '../slots.js';

/** A connection that completed a message this recently is busy, and is never evicted for a newcomer. */
const EVICT_QUIET_MS = 1000;

/** One key per connection, the same for a TLS socket and the TCP socket under it. */
export const peerKey = (s: Socket): string => `${s.remoteAddress}|${s.remotePort}`;

export interface Slot {
  /** Last complete message (or the connect) in ms since the epoch. */
  active: number;
  /** Hands on what the connection completed and closes it. */
  close(reason: 'idle' | 'evicted' | 'stopping'): void;
}


export class ConnectionSlots {
  private readonly slots = new SlotTable<Slot>();
  private sweeper: NodeJS.Timeout | undefined;
  readonly counters: ConnectionCounters = { refused: 0, evicted: 0, timedOut: 0 };

  constructor(
    private readonly max: number,
    private readonly idleTimeoutMs: number,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** Takes a slot for `socket`, making room when possible; false: refused (the socket is reset). */
  admit(socket: Socket, now = Date.now()): boolean {
    if (this.slots.size >= this.max) {
      // only the least recent can have been quiet long enough: the others were active later
      const lru = this.slots.oldest();
      if (lru === undefined || now - lru.active < EVICT_QUIET_MS) {
        this.counters.refused++;
        socket.resetAndDestroy();
        return false;
      }
      this.slots.evict((s) => s === lru);
      this.counters.evicted++;
      lru.close('evicted');
    }
    const key = peerKey(socket);
    const slot: Slot = { active: now, close: () => socket.destroy() };
    this.slots.add(key, slot);
    // Only this connection's slot: a later connection may come from the same address and port.
    socket.once('close', () => this.slots.release(key, slot));
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(10, Math.min(1000, this.idleTimeoutMs / 4))).unref();
    return true;
  }

  /** Sets how a connection closes (its framing is flushed first). */
  onClose(key: string, close: Slot['close']): void {
    const slot = this.slots.get(key);
    if (slot) slot.close = close;
  }

  /** The connection completed a message. */
  touch(key: string, now = Date.now()): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.active = now;
    this.slots.touch(key);
  }

  /** Closes connections without a complete message for `idleTimeoutMs` (the least recent come first). */
  sweep(now = Date.now()): void {
    for (const slot of this.slots.expire((s) => now - s.active >= this.idleTimeoutMs)) {
      this.counters.timedOut++;
      slot.close('idle');
    }
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
