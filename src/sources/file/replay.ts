/**
 * How far a file source may run ahead of its checkpoint on disk. After a
 * crash, every event submitted and not covered by the saved checkpoint is
 * read and sent again; holding those to `max` makes the duplicates of a crash
 * a setting (`max_replay_events`), whatever the throughput and however slow
 * checkpoint writes are. Submissions wait for room; a saved checkpoint makes
 * room.
 */
interface Entry {
  end: number;
  events: number;
}

export class ReplayWindow {
  private unsaved = 0;
  private readonly entries = new Map<object, Entry[]>();
  private waiters: (() => void)[] = [];
  private open = true;

  constructor(private readonly max: number) {}

  /** Events submitted and not yet covered by a saved checkpoint. */
  get size(): number {
    return this.unsaved;
  }

  /**
   * Waits until `events` more fit (a submission larger than `max` goes alone),
   * then counts them for `owner` (a tailer) up to byte offset `end`.
   */
  async take(owner: object, end: number, events: number): Promise<void> {
    while (this.open && this.unsaved > 0 && this.unsaved + events > this.max) await new Promise<void>((r) => this.waiters.push(r));
    this.unsaved += events;
    let list = this.entries.get(owner);
    if (!list) this.entries.set(owner, (list = []));
    list.push({ end, events });
  }

  /** The checkpoint on disk covers `owner` up to byte offset `offset`. */
  saved(owner: object, offset: number): void {
    const list = this.entries.get(owner);
    if (!list) return;
    let freed = 0;
    while (list.length > 0 && list[0]!.end <= offset) freed += list.shift()!.events;
    if (list.length === 0) this.entries.delete(owner);
    if (freed === 0) return;
    this.unsaved -= freed;
    this.wake();
  }

  /** Stops holding submissions back (the source is stopping). */
  close(): void {
    this.open = false;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}
