/**
 * A bounded cache for pure lookups on the hot path (user agent parsing,
 * public suffix splitting, DN parsing), least recently used entries out
 * first, approximately: two generations. Lookups and inserts
 * go to the young map; when it holds half the bound it becomes the old map
 * and the previous old map is dropped whole. A hit in the old map is copied
 * to the young one, so an entry used once per generation stays. Every
 * operation is O(1): no reordering on a hit, no sorting on eviction (a stream
 * of keys that never repeat, such as unique certificate serials, costs one
 * insert per key and nothing more).
 */
export class Lru<V> {
  #young = new Map<string, V>();
  #old = new Map<string, V>();
  readonly #half: number;

  /**
   * @param max most entries kept
   * @param maxKeyLength longer keys are computed but not stored, so that the
   *   cache memory stays bounded whatever the input
   */
  constructor(
    readonly max: number,
    readonly maxKeyLength: number,
  ) {
    this.#half = Math.max(1, max >> 1);
  }

  /** Entries held (an entry in both generations counts twice; never more than `max`). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  /** The cached value of `key`, computing and storing it on a miss. */
  get(key: string, compute: (key: string) => V): V {
    if (key.length > this.maxKeyLength) return compute(key);
    let v = this.#young.get(key);
    if (v !== undefined) return v;
    v = this.#old.get(key);
    if (v === undefined) v = compute(key);
    this.#young.set(key, v);
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    return v;
  }
}
