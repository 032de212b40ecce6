import type { Writable } from 'node:stream';
import { Utf8Chunks } from './utf8-chunks.js';

/**
 * Coalesces many small strings into large writes and honours backpressure:
 * `flush()` resolves once the stream accepted the data (or drained).
 */
export class BufferedWriter {
  private readonly chunks: Utf8Chunks;

  constructor(
    private readonly out: Writable,
    private readonly highWater = 256 * 1024,
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

  /** Buffers bytes that are already encoded (UTF-8). */
  writeBytes(b: Uint8Array): void {
    this.chunks.bytes(b);
  }

  /** True when enough is buffered that the caller should `flush()`. */
  get full(): boolean {
    return this.chunks.size >= this.highWater;
  }

  async flush(): Promise<void> {
    if (this.chunks.size === 0) return;
    let ok = true;
    for (const b of this.chunks.take()) ok = this.out.write(b);
    if (!ok) {
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
