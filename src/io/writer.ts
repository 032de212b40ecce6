import type { Writable } from 'node:stream';

/**
 * Coalesces many small strings into large writes and honours backpressure:
 * `flush()` resolves once the stream accepted the data (or drained).
 */
export class BufferedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly out: Writable,
    private readonly highWater = 256 * 1024,
  ) {}

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  /** True when enough is buffered that the caller should `flush()`. */
  get full(): boolean {
    return this.size >= this.highWater;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const data = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(data)) {
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
