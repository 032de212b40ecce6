import type { WriteStream } from 'node:tty';

/** A one-line progress bar on a terminal, redrawn at most 5 times a second. */
export class Progress {
  private last = 0;

  constructor(
    private readonly total: number,
    private readonly tty: WriteStream,
  ) {}

  update(bytes: number, lines: number): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const ratio = this.total > 0 ? Math.min(1, bytes / this.total) : 0;
    const width = 30;
    const filled = Math.round(ratio * width);
    this.tty.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1).padStart(5)}%  ${lines} lines`,
    );
  }

  done(): void {
    if (this.last !== 0) this.tty.write('\r\x1b[K');
  }
}
