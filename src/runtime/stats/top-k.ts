/**
 * Space-saving top-k (Metwally, Agrawal, El Abbadi, "Efficient Computation of
 * Frequent and Top-k Elements in Data Streams", 2005): at most `capacity`
 * keys are counted; a new key when all are taken replaces the least counted
 * one and inherits its count (+1), which it may overstate by at most `error`.
 * Any key seen more than n/capacity times in n adds is among the kept ones,
 * and while fewer than `capacity` keys were seen every count is exact.
 *
 * The keys sit in a min-heap by count with an index from key to slot, so an
 * add costs one Map look-up and O(log capacity) swaps, and memory is fixed:
 * `capacity` slots, keys cut to `maxKeyLength` characters.
 */
export interface TopEntry {
  key: string;
  count: number;
  /** How much `count` may overstate the key's true count. */
  error: number;
  /** A number kept with the key (the last one given): an alert's severity. */
  tag: number;
}

export class TopK {
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private readonly errors: number[] = [];
  private readonly tags: number[] = [];
  private readonly slot = new Map<string, number>();

  constructor(
    readonly capacity: number,
    private readonly maxKeyLength = 256,
  ) {}

  get size(): number {
    return this.keys.length;
  }

  add(key: string, tag = 0): void {
    if (key.length > this.maxKeyLength) key = key.slice(0, this.maxKeyLength);
    let i = this.slot.get(key);
    if (i !== undefined) {
      this.counts[i]!++;
      this.tags[i] = tag;
    } else if (this.keys.length < this.capacity) {
      i = this.keys.length;
      this.keys.push(key);
      this.counts.push(1);
      this.errors.push(0);
      this.tags.push(tag);
      this.slot.set(key, i);
      this.up(i);
      return;
    } else {
      // replace the least counted key (the heap's root)
      i = 0;
      this.slot.delete(this.keys[0]!);
      this.keys[0] = key;
      this.errors[0] = this.counts[0]!;
      this.counts[0]!++;
      this.tags[0] = tag;
      this.slot.set(key, 0);
    }
    this.down(i);
  }

  /** Every kept key, most counted first. */
  entries(): TopEntry[] {
    const out = this.keys.map((key, i) => ({ key, count: this.counts[i]!, error: this.errors[i]!, tag: this.tags[i]! }));
    return out.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  }

  clear(): void {
    this.keys.length = this.counts.length = this.errors.length = this.tags.length = 0;
    this.slot.clear();
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.counts[p]! <= this.counts[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && this.counts[r]! < this.counts[l]! ? r : l;
      if (this.counts[i]! <= this.counts[c]!) return;
      this.swap(i, c);
      i = c;
    }
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = k;
    let t = this.counts[a]!;
    this.counts[a] = this.counts[b]!;
    this.counts[b] = t;
    t = this.errors[a]!;
    this.errors[a] = this.errors[b]!;
    this.errors[b] = t;
    t = this.tags[a]!;
    this.tags[a] = this.tags[b]!;
    this.tags[b] = t;
    this.slot.set(this.keys[a], a);
    this.slot.set(this.keys[b], b);
  }
}

/**
 * Top-k over a sliding window: one {@link TopK} per slice of time, the oldest
 * cleared and reused when a slice ends ({@link rotate}, called by a timer,
 * not per event). Reading merges the slices (approximate where a key was
 * dropped from some slice: its count there is missing, never invented).
 */
export class WindowTopK {
  private readonly slices: TopK[];
  private current = 0;

  constructor(slices: number, capacity: number, maxKeyLength?: number) {
    this.slices = Array.from({ length: slices }, () => new TopK(capacity, maxKeyLength));
  }

  add(key: string, tag = 0): void {
    this.slices[this.current]!.add(key, tag);
  }

  /** Starts a new slice: the oldest one's counts leave the window. */
  rotate(): void {
    this.current = (this.current + 1) % this.slices.length;
    this.slices[this.current]!.clear();
  }

  /** The `n` most counted keys over the window; the tag is the newest slice's. */
  top(n: number): TopEntry[] {
    const merged = new Map<string, TopEntry>();
    // oldest slice first, so that newer tags overwrite older ones
    for (let s = 1; s <= this.slices.length; s++) {
      for (const e of this.slices[(this.current + s) % this.slices.length]!.entries()) {
        const m = merged.get(e.key);
        if (m) {
          m.count += e.count;
          m.error += e.error;
          m.tag = e.tag;
        } else merged.set(e.key, { ...e });
      }
    }
    return [...merged.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, n);
  }
}
