import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where one file was left: everything before `offset` is durable downstream. */
export interface Checkpoint {
  fingerprint: string;
  path: string;
  dev: number;
  ino: number;
  offset: number;
  /** RFC 3339 time of the last update. */
  updatedAt: string;
}

interface CheckpointFile {
  version: 1;
  files: Checkpoint[];
}

/** Entries kept at most; the least recently updated go first. */
const MAX_ENTRIES = 4096;

/**
 * Checkpoints of one file source, keyed by fingerprint, persisted atomically:
 * written to a temporary file, fsynced, renamed over the old one, and the
 * directory fsynced, so a crash leaves either the old or the new state.
 */
export class CheckpointStore {
  private readonly entries = new Map<string, Checkpoint>();
  private writing: Promise<void> | undefined;
  private dirty = false;
  /** True when a checkpoint file existed when loaded. */
  existed = false;

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    this.existed = true;
    let parsed: CheckpointFile;
    try {
      parsed = JSON.parse(text) as CheckpointFile;
    } catch (e) {
      throw new Error(`checkpoint file ${this.file} is not valid JSON (${(e as Error).message}); repair or remove it`, { cause: e });
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.files)) {
      throw new Error(`checkpoint file ${this.file} has an unknown format; repair or remove it`);
    }
    for (const c of parsed.files) {
      if (typeof c.fingerprint === 'string' && Number.isSafeInteger(c.offset) && c.offset >= 0) {
        this.entries.set(c.fingerprint, c);
      }
    }
  }

  get(fp: string): Checkpoint | undefined {
    return this.entries.get(fp);
  }

  set(c: Checkpoint): void {
    this.entries.delete(c.fingerprint); // keep insertion order = recency
    this.entries.set(c.fingerprint, c);
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.dirty = true;
  }

  /** Writes the current state if it changed; concurrent calls share one write and catch up after it. */
  async save(): Promise<void> {
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.writing = this.writeNow();
    try {
      await this.writing;
    } catch (e) {
      this.dirty = true;
      throw e;
    } finally {
      this.writing = undefined;
    }
  }

  private async writeNow(): Promise<void> {
    const body: CheckpointFile = { version: 1, files: [...this.entries.values()] };
    const dir = dirname(this.file);
    await mkdir(dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(body) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }
}
