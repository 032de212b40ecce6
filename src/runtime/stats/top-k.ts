/**
 * Space-saving top-k (Metwally, Agrawal, El Abbadi, "Efficient Computation of
 * Frequent and Top-k Elements in Data Streams", 2005): at most `capacity`
 * keys are counted; a new key when all are taken replaces the least counted
 * one and inherits its count (+1), which it may overstate by at most `error`.
 * Any key seen more than n/capacity times in n adds is among the kept ones,
 * and while fewer than `capacity` keys were seen every count is exact.
 *
 * The keys sit in a min-heap by count with an index from key to slot, so an
 * add costs one Map look-up and O(log capacity) moves, and memory is fixed:
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

interface Slot extends TopEntry {
  /** Position in the heap. */
  at: number;
}

export class TopK {
  /** Min-heap by count; each slot knows its position, so a swap writes no Map entry. */
  private readonly heap: Slot[] = [];
  private readonly slot = new Map<string, Slot>();

  constructor(
    readonly capacity: number,
    private readonly maxKeyLength = 256,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Counts `key` `weight` times (a sampled event stands for `weight` events). */
  add(key: string, weight = 1, tag = 0): void {
    if (key.length > this.maxKeyLength) key = key.slice(0, this.maxKeyLength);
    let s = this.slot.get(key);
    if (s !== undefined) {
      s.count += weight;
      s.tag = tag;
    } else if (this.heap.length < this.capacity) {
      s = { key, count: weight, error: 0, tag, at: this.heap.length };
      this.heap.push(s);
      this.slot.set(key, s);
      this.up(s.at);
      return;
    } else {
      // the least counted key (the heap's root) makes room
      s = this.heap[0]!;
      this.slot.delete(s.key);
      s.key = key;
      s.error = s.count;
      s.count += weight;
      s.tag = tag;
      this.slot.set(key, s);
    }
    this.down(s.at);
  }

  /** Every kept key, most counted first. */
  entries(): TopEntry[] {
    const out = this.heap.map(({ key, count, error, tag }) => ({ key, count, error, tag }));
    return out.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  }

  clear(): void {
    this.heap.length = 0;
    this.slot.clear();
  }

  private up(i: number): void {
    const h = this.heap;
    const s = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.count <= s.count) break;
      h[i] = h[p]!;
      h[i].at = i;
      i = p;
    }
    h[i] = s;
    s.at = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const s = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && h[r]!.count < h[l]!.count ? r : l;
      if (s.count <= h[c]!.count) break;
      h[i] = h[c]!;
      h[i].at = i;
      i = c;
    }
    h[i] = s;
    s.at = i;
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

  add(key: string, weight = 1, tag = 0): void {
    this.slices[this.current]!.add(key, weight, tag);
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
