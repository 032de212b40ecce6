import type { Writable } from 'node:stream';
import { Utf8Chunks } from './utf8-chunks.js';

/**
 * Coalesces many small strings into large writes and honours backpressure:
 * `flush()` hands the buffered bytes to the stream and resolves at once while
 * the stream holds less than `maxQueued` bytes not yet written, else once it
 * drained. Letting a few writes queue keeps the producer working while the
 * stream writes (waiting for every 256 KiB to reach the file left the thread
 * idle ~7 % of a run); memory stays bounded by `maxQueued` + `highWater`.
 */
export class BufferedWriter {
  private readonly chunks: Utf8Chunks;

  constructor(
    private readonly out: Writable,
    private readonly highWater = 256 * 1024,
    private readonly maxQueued = 4 * highWater,
  ) {
    this.chunks = new Utf8Chunks(highWater);
  }

  write(s: string): void {
    this.chunks.text(s);
  }

  /** Buffers `s` and a LF, encoded in place (no intermediate string). */
  writeLine(s: string): void {
    this.chunks.line(s);
  }

  /**
   * Bytes that are already encoded (UTF-8). With `written`, they are handed
   * to the stream at once (after what is buffered) and `written` is called
   * once the stream is done with them: the caller may then reuse the memory.
   */
  writeBytes(b: Uint8Array, written?: () => void): void {
    if (written === undefined) {
      this.chunks.bytes(b);
      return;
    }
    if (this.chunks.size > 0) for (const c of this.chunks.take()) this.out.write(c);
    this.out.write(b, () => written());
  }

  /** True when enough is buffered or queued in the stream that the caller should `flush()`. */
  get full(): boolean {
    return this.chunks.size >= this.highWater || this.out.writableLength > this.maxQueued;
  }

  async flush(): Promise<void> {
    if (this.chunks.size > 0) for (const b of this.chunks.take()) this.out.write(b);
    if (this.out.writableLength > this.maxQueued) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.out.off('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          this.out.off('drain', onDrain);
          reject(e);
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
    }
  }
}
