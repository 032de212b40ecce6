/**
 * An append-only file at a fixed path, rotated by size and age: the current
 * file is fsynced, closed and renamed to `<stem>-<UTC time><ext>`, then a new
 * one is opened at the path. `reopen()` closes and opens the path again, for
 * an external rotation (logrotate renames, then sends SIGHUP).
 */
import { mkdir, open, rename, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { cutTornTail } from './torn-tail.js';

export interface RotationOptions {
  path: string;
  /** Rotate before a write that would take the file past this size (0: never). */
  maxBytes: number;
  /** Rotate a file older than this on the next write (0: never). */
  maxAgeMs: number;
}

export class RotatingFile {
  private fh: FileHandle | undefined;
  private size = 0;
  private openedAt = 0;
  /** Paths of the files rotated away, in order. */
  readonly rotated: string[] = [];

  /** What the first open() created: the file, and the first directory of its path (mkdir's answer). */
  private created: { file: boolean; dir: string | undefined } | undefined;
  /** Something was appended. */
  private used = false;

  constructor(private readonly o: RotationOptions) {}

  get path(): string {
    return this.o.path;
  }

  async open(): Promise<void> {
    const first = this.created === undefined;
    const existed = first && (await stat(this.o.path).then(() => true, () => false));
    const dir = await mkdir(dirname(this.o.path), { recursive: true });
    await cutTornTail(this.o.path);
    this.fh = await open(this.o.path, 'a', 0o640);
    if (first) this.created = { file: !existed, dir };
    const st = await this.fh.stat();
    this.size = st.size;
    // An existing file keeps the age it had (its creation time when the file system tells it).
    this.openedAt = st.size > 0 && st.birthtimeMs > 0 ? st.birthtimeMs : Date.now();
  }

  /**
   * Removes what the first open() created (the file, the directories above
   * it) when nothing was ever written: a service whose start failed (a port
   * taken) leaves no empty `./data` behind. Call after close().
   */
  async discardIfUnused(): Promise<void> {
    const created = this.created;
    if (this.used || created === undefined || this.fh !== undefined) return;
    this.created = undefined;
    if (created.file) {
      const st = await stat(this.o.path).catch(() => undefined);
      if (st === undefined || st.size > 0) return;
      await unlink(this.o.path).catch(() => undefined);
    }
    if (created.dir === undefined) return;
    // Up to the first directory mkdir created; rmdir refuses one that is not empty (another output's).
    for (let dir = dirname(this.o.path); ; dir = dirname(dir)) {
      if (!(await rmdir(dir).then(() => true, () => false))) return;
      if (dir === created.dir || dirname(dir) === dir) return;
    }
  }

  /** Appends `data`, rotating first when due. */
  async append(data: Buffer): Promise<void> {
    this.used = true;
    if (!this.fh) await this.open();
    if (this.size > 0 && this.rotationDue(data.length)) await this.rotate();
    let off = 0;
    try {
      while (off < data.length) {
        const { bytesWritten } = await this.fh!.write(data, off, data.length - off);
        off += bytesWritten;
      }
    } catch (e) {
      // A failed append (disk full) may have written part of the batch: cut it off, or the
      // retry of the whole batch would leave a torn line and duplicates before it.
      if (off > 0) await this.fh!.truncate(this.size).catch(() => this.close().catch(() => undefined));
      throw e;
    }
    this.size += data.length;
  }

  private rotationDue(incoming: number): boolean {
    if (this.o.maxBytes > 0 && this.size + incoming > this.o.maxBytes) return true;
    return this.o.maxAgeMs > 0 && Date.now() - this.openedAt >= this.o.maxAgeMs;
  }

  /** Makes every appended byte durable. */
  async sync(): Promise<void> {
    await this.fh?.datasync();
  }

  async rotate(): Promise<void> {
    await this.close();
    await rename(this.o.path, await this.freeRotatedName());
    await this.open();
  }

  async reopen(): Promise<void> {
    await this.close();
    await this.open();
  }

  async close(): Promise<void> {
    const fh = this.fh;
    if (!fh) return;
    this.fh = undefined;
    await fh.datasync();
    await fh.close();
  }

  private async freeRotatedName(): Promise<string> {
    const ext = extname(this.o.path);
    const stem = basename(this.o.path, ext);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
    for (let i = 0; ; i++) {
      const candidate = join(dirname(this.o.path), `${stem}-${stamp}${i === 0 ? '' : `-${i}`}${ext}`);
      try {
        await stat(candidate);
      } catch {
        this.rotated.push(candidate);
        return candidate;
      }
    }
  }
}
