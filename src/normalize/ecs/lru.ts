/**
 * A bounded least-recently-used cache for pure lookups on the hot path (user
 * agent parsing, public suffix splitting, DN parsing, timestamps). A hit only
 * stamps the entry (no Map reordering, which costs more than the lookup);
 * when the cache is full, the least recently used quarter is evicted at once.
 */
interface Entry<V> {
  v: V;
  t: number;
}

export class Lru<V> {
  readonly #map = new Map<string, Entry<V>>();
  #tick = 0;

  /**
   * @param max most entries kept
   * @param maxKeyLength longer keys are computed but not stored, so that the
   *   cache memory stays bounded whatever the input
   */
  constructor(
    readonly max: number,
    readonly maxKeyLength: number,
  ) {}

  get size(): number {
    return this.#map.size;
  }

  /** The cached value of `key`, computing and storing it on a miss. */
  get(key: string, compute: (key: string) => V): V {
    if (key.length > this.maxKeyLength) return compute(key);
    const hit = this.#map.get(key);
    if (hit !== undefined) {
      hit.t = ++this.#tick;
      return hit.v;
    }
    const v = compute(key);
    if (this.#map.size >= this.max) this.#evict();
    this.#map.set(key, { v, t: ++this.#tick });
    return v;
  }

  #evict(): void {
    const entries = [...this.#map];
    entries.sort((a, b) => a[1].t - b[1].t);
    const n = Math.max(1, entries.length >> 2);
    for (let i = 0; i < n; i++) this.#map.delete(entries[i]![0]);
  }
}
