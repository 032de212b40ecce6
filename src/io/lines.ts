/**
 * Streaming line splitter with a hard limit on line length: a line longer than
 * the limit is never held whole; its first bytes are kept as an excerpt and the
 * rest is skipped up to the next newline.
 */
import { StringDecoder } from 'node:string_decoder';

export interface LineSink {
  /** A complete line without its terminator (a trailing CR is kept: decode strips it). */
  line(text: string, lineNo: number): void;
  /** A line over the limit: an excerpt of its start and its total size in bytes. */
  tooLong(excerpt: string, bytes: number, lineNo: number): void;
}

export const EXCERPT_CHARS = 4096;

/** Bytes decoded at once (below V8's large-object size for one-byte strings). */
const DECODE_BYTES = 64 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lineNo = 0;
  /** In discard mode: bytes of the long line seen so far, and its excerpt. */
  private discarding = false;
  private discardedBytes = 0;
  private excerpt = '';

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** Lines completed so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer | string): void {
    if (typeof chunk !== 'string' && chunk.length > DECODE_BYTES) {
      // Decoded in slices: the string of a large read (1 MiB) would live in V8's
      // large-object space (old generation) until a full GC, and those pile up
      // (peak RSS); slices stay in the young generation and die young.
      for (let i = 0; i < chunk.length; i += DECODE_BYTES) this.pushText(this.decoder.write(chunk.subarray(i, i + DECODE_BYTES)));
      return;
    }
    this.pushText(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  private pushText(text: string): void {
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        this.accumulate(text.slice(pos));
        return;
      }
      if (this.discarding) {
        this.discard(text.slice(pos, nl));
        this.finishDiscard();
      } else if (this.pending !== '') {
        const line = this.pending + text.slice(pos, nl);
        this.pending = '';
        this.emit(line);
      } else {
        this.emit(text.slice(pos, nl));
      }
      pos = nl + 1;
    }
  }

  /** Flushes a last line that has no terminator. */
  end(): void {
    this.accumulate(this.decoder.end());
    if (this.discarding) this.finishDiscard();
    else if (this.pending !== '') {
      const line = this.pending;
      this.pending = '';
      this.emit(line);
    }
  }

  private emit(line: string): void {
    this.lineNo++;
    if (line.length * 3 > this.maxLineBytes) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (bytes > this.maxLineBytes) {
        this.sink.tooLong(line.slice(0, EXCERPT_CHARS), bytes, this.lineNo);
        return;
      }
    }
    this.sink.line(line, this.lineNo);
  }

  private accumulate(part: string): void {
    if (part === '') return;
    if (this.discarding) {
      this.discard(part);
      return;
    }
    this.pending += part;
    if (this.pending.length * 3 > this.maxLineBytes) {
      const bytes = Buffer.byteLength(this.pending, 'utf8');
      if (bytes > this.maxLineBytes) {
        this.discarding = true;
        this.discardedBytes = bytes;
        this.excerpt = this.pending.slice(0, EXCERPT_CHARS);
        this.pending = '';
      }
    }
  }

  /**
   * Counts a piece of a line being discarded. The excerpt is topped up to
   * EXCERPT_CHARS so that it is the line's start whatever the chunking (a
   * small limit may start the discard before the excerpt is full).
   */
  private discard(part: string): void {
    this.discardedBytes += Buffer.byteLength(part, 'utf8');
    if (this.excerpt.length < EXCERPT_CHARS) this.excerpt += part.slice(0, EXCERPT_CHARS - this.excerpt.length);
  }

  private finishDiscard(): void {
    this.lineNo++;
    this.discarding = false;
    this.sink.tooLong(this.excerpt, this.discardedBytes, this.lineNo);
    this.excerpt = '';
    this.discardedBytes = 0;
  }
}
