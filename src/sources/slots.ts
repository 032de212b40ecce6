/**
 * The bookkeeping of connection slots shared by the listening sources (syslog
 * TCP/TLS, HTTP): slots kept in order of last activity, least recent first,
 * so that making room for a newcomer and closing idle connections look at
 * the least recently active ones first. Each source keeps its own policy
 * (what counts as activity, who may be evicted, how a refusal is told).
 */
export class SlotTable<S> {
  /** A Map keeps insertion order: re-inserting on activity keeps it in order of last activity. */
  private readonly slots = new Map<string, S>();

  get size(): number {
    return this.slots.size;
  }

  get(key: string): S | undefined {
    return this.slots.get(key);
  }

  add(key: string, slot: S): void {
    this.slots.set(key, slot);
  }

  /** Removes the slot of `key` if it is still `slot` (a later connection may reuse the key). */
  release(key: string, slot: S): void {
    if (this.slots.get(key) === slot) this.slots.delete(key);
  }

  /** Marks `key` as the most recently active. */
  touch(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.slots.set(key, slot);
  }

  /** Removes and returns the least recently active slot that `evictable` accepts. */
  evict(evictable: (slot: S) => boolean): S | undefined {
    for (const [key, slot] of this.slots) {
      if (!evictable(slot)) continue;
      this.slots.delete(key);
      return slot;
    }
    return undefined;
  }

  /** Removes and returns, least recent first, the slots `expired` accepts, stopping at the first it does not. */
  *expire(expired: (slot: S) => boolean): Generator<S> {
    for (const [key, slot] of this.slots) {
      if (!expired(slot)) return;
      this.slots.delete(key);
      yield slot;
    }
  }

  values(): IterableIterator<S> {
    return this.slots.values();
  }

  /** The least recently active slot. */
  oldest(): S | undefined {
    return this.slots.values().next().value;
  }
}
