/**
 * A small least-recently-used cache for pure lookups on the hot path (user
 * agent parsing, public suffix splitting). A Map keeps insertion order: a hit
 * is moved to the end, and the first key is the least recently used.
 */
export class Lru<V> {
  readonly #map = new Map<string, V>();
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
    const m = this.#map;
    const hit = m.get(key);
    if (hit !== undefined || m.has(key)) {
      m.delete(key);
      m.set(key, hit as V);
      return hit as V;
    }
    const v = compute(key);
    if (m.size >= this.max) m.delete(m.keys().next().value as string);
    m.set(key, v);
    return v;
  }
}
