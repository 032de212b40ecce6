/** Fixed-size rings: per-second counts over a window, and the last N items of a stream. */

/**
 * One number per second over the last `length` seconds (900: 15 minutes),
 * fed by a timer with the running total of a counter; the ring keeps the
 * differences.
 */
export class RateSeries {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;
  private last: number | undefined;

  constructor(readonly length: number) {
    this.values = new Float64Array(length);
  }

  /** Records the counter's total now; the first call only sets the starting point. */
  sample(total: number): void {
    if (this.last !== undefined) {
      this.values[this.next] = Math.max(0, total - this.last);
      this.next = (this.next + 1) % this.length;
      if (this.filled < this.length) this.filled++;
    }
    this.last = total;
  }

  /** The recorded values, oldest first (at most `length`). */
  toArray(): number[] {
    const out = new Array<number>(this.filled);
    const start = (this.next - this.filled + this.length) % this.length;
    for (let i = 0; i < this.filled; i++) out[i] = this.values[(start + i) % this.length]!;
    return out;
  }
}

/** The last `length` items pushed, oldest first. */
export class Recent<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly length: number) {
    this.items = new Array<T | undefined>(length);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.length;
    if (this.count < this.length) this.count++;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = this.count; i > 0; i--) out.push(this.items[(this.next - i + this.length) % this.length]!);
    return out;
  }
}
