import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  newComponentCounters,
  type ComponentDeps,
  type Health,
  type Ingest,
  type Source,
} from '../../pipeline/types.js';
import { CheckpointStore } from './checkpoints.js';
import { ReplayWindow } from './replay.js';
import type { FileSourceConfig } from './config.js';
import { baseDir, DirWatcher, findFiles, type Found } from './discovery.js';
import { fingerprint, lastLineBoundary } from './fingerprint.js';
import { Tailer, type TailerHooks, type TailerOptions } from './tailer.js';

/** Bytes read from one file before the others get their turn. */
const ROUND_BYTES = 4 * 1024 * 1024;

const key = (dev: number, ino: number) => `${dev}:${ino}`;

/**
 * Tails files and globs. Files are identified by a content fingerprint (first
 * line) and followed by inode: a renamed file is read to its end, a truncated
 * file (copy-truncate) is read again from its start, and checkpoints (per
 * fingerprint) advance only once the pipeline made the lines durable.
 */
export class FileSource implements Source {
  readonly type = 'file';
  readonly counters = newComponentCounters();
  private readonly log: Logger;
  private readonly store: CheckpointStore;
  private readonly watcher: DirWatcher;
  private readonly tailers = new Set<Tailer>();
  private readonly replay: ReplayWindow;
  private ingest: Ingest | undefined;
  private firstScan = true;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private lastScan = 0;
  private lastError: string | undefined;
  private checkpointError: string | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private lastSave = 0;

  private readonly tailerOptions: TailerOptions;
  /** Set by endAtEof(): resolves once every file was read to its end and its lines are durable. */
  finished: Promise<void> | undefined;
  private markFinished: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly config: FileSourceConfig,
    deps: ComponentDeps,
  ) {
    this.tailerOptions = {
      maxLineBytes: config.max_line_bytes,
      readChunkBytes: config.read_chunk_bytes,
      maxBatchEvents: config.max_batch_events,
    };
    this.log = deps.logger;
    this.replay = new ReplayWindow(config.max_replay_events);
    this.store = new CheckpointStore(join(deps.dataDir, 'checkpoints', `file-${encodeURIComponent(name)}.json`));
    this.watcher = new DirWatcher([...new Set(config.paths.map(baseDir))], () => this.wake());
  }

  async start(ingest: Ingest): Promise<void> {
    if (this.ingest) return;
    this.ingest = ingest;
    await this.store.load();
    this.loop = this.run();
  }

  /**
   * Backfill (`serve --exit-on-eof`): read the files the paths match to their
   * end, last unterminated line included, then finish instead of following
   * them. Call before start().
   */
  endAtEof(): void {
    this.finished ??= new Promise((r) => (this.markFinished = r));
  }

  endpoints(): string[] {
    return this.config.paths.map((p) => (this.finished ? `${p} (to its end)` : p));
  }

  health(): Health {
    if (this.lastError) return { ok: false, detail: this.lastError };
    if (this.checkpointError) return { ok: false, detail: this.checkpointError };
    const open = [...this.tailers].filter((t) => !t.closed).length;
    return { ok: true, detail: open === 0 ? 'waiting for files' : `${open} file(s) open` };
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    this.replay.close();
    this.wake();
    await this.loop;
    this.watcher.close();
    const settled = Promise.all([...this.tailers].map((t) => t.settled()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, this.config.stop_timeout)));
    await Promise.race([settled, timeout]);
    clearTimeout(timer);
    clearTimeout(this.saveTimer);
    for (const t of this.tailers) await t.close();
    await this.store.save();
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    if (w) w();
    else this.woken = true; // a change seen while scanning: scan again at once
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let more = false;
      this.woken = false;
      try {
        // fs.watch fires on every append: reads follow each event, but the
        // scan (glob, stat, fingerprints) runs at most once per poll interval
        if (Date.now() - this.lastScan >= this.config.poll_interval || (await this.shrunk())) {
          this.lastScan = Date.now();
          await this.scan();
        }
        more = await this.readAll();
        this.lastError = undefined;
        if (this.markFinished && !more && !this.firstScan) {
          await this.finishAll();
          break;
        }
      } catch (e) {
        if (this.stopping) break;
        this.counters.errors++;
        this.lastError = (e as Error).message;
        this.log.error({ err: e }, 'file source error');
      }
      if (this.stopping) break;
      if (!more && !this.woken) {
        await new Promise<void>((r) => {
          const timer = setTimeout(() => this.wake(), this.config.poll_interval);
          this.wakeUp = () => {
            clearTimeout(timer);
            r();
          };
        });
      }
    }
  }

  /** End of a backfill: every file is read to its end; submit unterminated last lines, wait until all is durable. */
  private async finishAll(): Promise<void> {
    for (const t of this.tailers) if (!t.closed) await t.finish();
    await Promise.all([...this.tailers].map((t) => t.settled()));
    this.log.info({ files: this.tailers.size }, 'every file read to its end');
    this.markFinished!();
  }

  /** True when an open file became shorter than what was read (copy-truncate): scan at once. */
  private async shrunk(): Promise<boolean> {
    for (const t of this.tailers) {
      if (!t.closed && (await t.fh.stat()).size < t.readOffset) return true;
    }
    return false;
  }

  private async readAll(): Promise<boolean> {
    let more = false;
    for (const t of this.tailers) {
      if (this.stopping) break;
      if (t.closed) continue;
      if (await t.readAvailable(ROUND_BYTES)) more = true;
    }
    return more;
  }

  /** Matches paths to tailers: follows renames, detects truncation and new files. */
  private async scan(): Promise<void> {
    this.watcher.refresh();
    const found = await findFiles(this.config.paths, this.config.exclude);
    const byInode = new Map(found.map((f) => [key(f.dev, f.ino), f]));
    const owned = new Set<string>();
    const truncated: Tailer[] = [];

    for (const t of [...this.tailers]) {
      if (t.closed) {
        if (!t.busy) {
          this.tailers.delete(t);
          // Everything it submitted is acknowledged, and its checkpoint write is scheduled.
          this.replay.saved(t, t.committed);
        }
        continue;
      }
      const f = byInode.get(key(t.dev, t.ino));
      if (f) {
        t.path = f.path;
        owned.add(key(t.dev, t.ino));
        if (f.size < t.readOffset || (await fingerprint(t.fh, this.config.fingerprint_bytes)) !== t.fingerprint) {
          truncated.push(t);
        }
      } else if (Date.now() - t.lastGrowth >= this.config.rotate_grace) {
        // renamed out of the patterns or deleted, and quiet: read what is left, then let go
        await t.readAvailable(Number.MAX_SAFE_INTEGER);
        await t.finish();
        this.log.info({ path: t.path, offset: t.readOffset }, 'rotated file closed');
        await t.close();
      }
    }

    for (const t of truncated) {
      // Copy-truncate: the copy carries the same fingerprint under another inode;
      // finish the lines from the copy, the truncated file starts over as new.
      const copy = await this.findCopy(found, owned, t);
      owned.delete(key(t.dev, t.ino));
      if (copy) {
        const fh = await open(copy.path, 'r');
        await t.fh.close().catch(() => undefined);
        t.fh = fh;
        t.path = copy.path;
        t.dev = copy.dev;
        t.ino = copy.ino;
        owned.add(key(copy.dev, copy.ino));
        this.log.info({ path: copy.path, offset: t.readOffset }, 'file truncated; finishing from its copy');
      } else {
        this.log.warn(
          { path: t.path, offset: t.readOffset },
          'file truncated; lines written after the last read and before the truncation are lost unless a copy matches the paths',
        );
        await t.finish();
        await t.close();
      }
    }

    for (const f of found) {
      const k = key(f.dev, f.ino);
      if (owned.has(k)) continue;
      await this.adopt(f);
    }
    this.firstScan = false;
  }

  private async findCopy(found: Found[], owned: Set<string>, t: Tailer): Promise<Found | undefined> {
    for (const f of found) {
      if (owned.has(key(f.dev, f.ino)) || (f.dev === t.dev && f.ino === t.ino) || f.size < t.readOffset) continue;
      const fh = await open(f.path, 'r');
      try {
        if ((await fingerprint(fh, this.config.fingerprint_bytes)) === t.fingerprint) return f;
      } finally {
        await fh.close();
      }
    }
    return undefined;
  }

  /** Starts tailing a file not followed yet, unless it is a copy of one that is. */
  private async adopt(f: Found): Promise<void> {
    let fh;
    try {
      fh = await open(f.path, 'r');
    } catch {
      return; // gone between listing and opening
    }
    const fp = await fingerprint(fh, this.config.fingerprint_bytes);
    const known = fp !== undefined && [...this.tailers].some((t) => t.fingerprint === fp && !t.closed);
    if (fp === undefined || known) {
      // no full first line yet, or a copy of a followed file (rotation with a glob matching both)
      await fh.close();
      return;
    }
    const cp = this.store.get(fp);
    let offset = 0;
    if (cp && cp.offset <= f.size) offset = cp.offset;
    else if (cp) this.log.warn({ path: f.path, checkpoint: cp.offset, size: f.size }, 'file shorter than its checkpoint; reading it from the start');
    else if (this.firstScan && !this.store.existed && this.config.start_at === 'end') offset = await lastLineBoundary(fh, f.size);
    const t = new Tailer(fh, f.path, f.dev, f.ino, fp, offset, this.tailerOptions, this.hooks);
    this.tailers.add(t);
    this.log.info({ path: f.path, offset, resumed: cp !== undefined }, 'tailing file');
    if (!cp) this.recordCheckpoint(t);
  }

  private readonly hooks: TailerHooks = {
    submit: async (events, t, end) => {
      await this.replay.take(t, end, events.length);
      let refused = 0;
      for (const e of events) if (e.reject) refused++;
      this.counters.received += events.length;
      const sub = await this.ingest!.submit(events, { source: this.name, detail: t.path });
      this.counters.sent += events.length - refused;
      this.counters.rejected += refused;
      return sub;
    },
    committed: (t) => this.recordCheckpoint(t),
    tooLong: (t, end, bytes, excerpt) => {
      // counted as rejected when submitted; the pipeline dead-letters it with this message
      const message = `line of ${bytes} bytes at bytes ${end - bytes - 1}..${end} exceeds the limit of ${this.config.max_line_bytes} bytes`;
      this.log.warn({ path: t.path, endOffset: end, bytes, excerpt: excerpt.slice(0, 256) }, message);
      return message;
    },
    failed: (t, err) => {
      this.counters.errors++;
      this.log.error({ err, path: t.path }, 'submission failed; its lines will be read again after a restart');
    },
  };

  private recordCheckpoint(t: Tailer): void {
    this.store.set({
      fingerprint: t.fingerprint,
      path: t.path,
      dev: t.dev,
      ino: t.ino,
      offset: t.committed,
      updatedAt: new Date().toISOString(),
    });
    if (this.saveTimer) return;
    const wait = Math.max(0, this.lastSave + this.config.checkpoint_min_interval - Date.now());
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.lastSave = Date.now();
      // What this write covers at least (it may write newer offsets, never older ones).
      const covered = [...this.tailers].map((c) => [c, c.committed] as const);
      this.store.save().then(
        () => {
          this.checkpointError = undefined;
          for (const [c, offset] of covered) this.replay.saved(c, offset);
        },
        (err: unknown) => {
          this.counters.errors++;
          // Kept apart from lastError (cleared by every read pass): shown until a save succeeds.
          this.checkpointError = `checkpoint write failed: ${(err as Error).message}`;
          this.log.error({ err }, 'checkpoint write failed');
        },
      );
    }, wait);
  }
}
