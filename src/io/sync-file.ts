/**
 * Synchronous file I/O for the batch CLI: reads into one reused buffer with
 * `fs.readSync`, writes a 1 MiB buffer with `fs.writeSync`.
 *
 * On one thread that does nothing else, a stream only adds work: each read
 * and write goes through the thread pool and back through the event loop,
 * and a read stream allocates a buffer per read. Measured against the same
 * work with streams, synchronous I/O was 15-35 % faster (bench/baselines.mjs,
 * `yardstick` and `yardstick-sync`). Only for regular files: a FIFO or a
 * terminal would block the thread.
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { readChunks } from './read.js';

/**
 * The chunks of a regular file, read synchronously into one buffer; a
 * yielded chunk is valid until the next one is asked for. A path that is
 * missing or a directory fails as a read would; any other kind of file (a
 * FIFO, a device) is read asynchronously ({@link readChunks}).
 */
export function fileChunks(path: string, size = 64 * 1024): Iterable<Buffer> | AsyncIterable<Buffer> {
  let st;
  try {
    st = statSync(path);
  } catch {
    return readSync64(path, size); // fails on open, naming the path
  }
  return st.isFile() || st.isDirectory() ? readSync64(path, size) : readChunks(path, size);
}

function* readSync64(path: string, size: number): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(size);
    for (;;) {
      const n = readSync(fd, buf, 0, size, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Lines and bytes written to a file with synchronous writes, the surface of
 * {@link BufferedWriter} (src/io/writer.ts). Each line is encoded in place
 * into one reused buffer, written when a line might not fit (3 bytes per
 * UTF-16 unit at worst). A failure (open or write) is handed to `onError`
 * once, and later writes are dropped: the caller checks between chunks.
 */
export class SyncFileWriter {
  private fd = -1;
  private readonly buf: Buffer;
  private off = 0;
  private failed = false;

  constructor(
    path: string,
    private readonly onError: (e: Error) => void,
    size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafeSlow(size);
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      this.fail(e as Error);
    }
  }

  /** Buffers `s` and a LF, encoded in place. */
  writeLine(s: string): void {
    const worst = s.length * 3 + 1;
    if (worst > this.buf.length - this.off) {
      this.drain();
      if (worst > this.buf.length) {
        this.writeAll(Buffer.from(`${s}\n`, 'utf8'));
        return;
      }
    }
    this.off += this.buf.write(s, this.off, 'utf8');
    this.buf[this.off++] = 10;
  }

  /** Bytes already encoded, written at once; `written` is called when done with them. */
  writeBytes(b: Uint8Array, written?: () => void): void {
    this.drain();
    this.writeAll(b);
    written?.();
  }

  /** Never: every write is done before it returns. */
  get full(): boolean {
    return false;
  }

  async flush(): Promise<void> {
    this.drain();
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    this.drain();
    if (this.fd === -1) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      closeSync(fd);
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private drain(): void {
    if (this.off === 0) return;
    const n = this.off;
    this.off = 0;
    this.writeAll(this.buf.subarray(0, n));
  }

  private writeAll(b: Uint8Array): void {
    if (this.failed) return;
    try {
      let done = 0;
      while (done < b.length) done += writeSync(this.fd, b, done, b.length - done);
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.onError(e);
  }
}
