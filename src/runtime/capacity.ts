/**
 * Admission control of the pipeline: the number of events and bytes accepted
 * but not yet finished (durable in every sink or dead-lettered) is bounded,
 * so memory stays bounded whatever the input rate or a sink's slowness.
 * Waiters are served first come, first served.
 */
interface Waiter {
  events: number;
  bytes: number;
  resolve(): void;
  reject(e: Error): void;
}

export class Capacity {
  /** Events held now. */
  events = 0;
  /** Bytes (characters of raw text) held now. */
  bytes = 0;
  private readonly waiters: Waiter[] = [];
  private closedWith: Error | undefined;

  constructor(
    readonly maxEvents: number,
    readonly maxBytes: number,
  ) {}

  /** Submitters waiting for room. */
  get waiting(): number {
    return this.waiters.length;
  }

  // A submission larger than the whole capacity is let in alone, when nothing
  // else is held, rather than never.
  private fits(events: number, bytes: number): boolean {
    if (this.events === 0) return true;
    return this.events + events <= this.maxEvents && this.bytes + bytes <= this.maxBytes;
  }

  /** Takes room now if there is some and nobody is waiting. */
  tryTake(events: number, bytes: number): boolean {
    if (this.closedWith || this.waiters.length > 0 || !this.fits(events, bytes)) return false;
    this.events += events;
    this.bytes += bytes;
    return true;
  }

  /** Takes room, waiting for it if needed: undefined when taken at once. */
  take(events: number, bytes: number): Promise<void> | undefined {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.tryTake(events, bytes)) return undefined;
    return new Promise<void>((resolve, reject) => this.waiters.push({ events, bytes, resolve, reject }));
  }

  release(events: number, bytes: number): void {
    this.events -= events;
    this.bytes -= bytes;
    while (this.waiters.length > 0) {
      const w = this.waiters[0]!;
      if (!this.fits(w.events, w.bytes)) break;
      this.waiters.shift();
      this.events += w.events;
      this.bytes += w.bytes;
      w.resolve();
    }
  }

  /** Refuses every waiter and future taker with `error`. */
  close(error: Error): void {
    this.closedWith = error;
    for (const w of this.waiters.splice(0)) w.reject(error);
  }
}
