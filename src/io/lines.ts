/**
 * Streaming line splitter with a hard limit on line length: a line longer than
 * the limit is never held whole; its first bytes are kept as an excerpt and the
 * rest is skipped up to the next newline.
 *
 * Bytes are split at LF bytes and each line is decoded on its own: the result
 * is the same text as decoding the whole stream (an LF byte never occurs inside
 * a UTF-8 sequence), the limit is measured in bytes as received, and every
 * line is a flat string of its own. Decoding a whole read and slicing lines out
 * of it gave sliced strings, on which the per-line work (the lossless-integer
 * scan, JSON.parse) ran measurably slower, and which kept the read alive.
 */
import { StringDecoder } from 'node:string_decoder';

export interface LineSink {
  /** A complete line without its terminator (a trailing CR is kept: decode strips it). */
  line(text: string, lineNo: number): void;
  /**
   * When present, a complete line pushed as bytes comes here undecoded instead
   * of to line(): a view into the pushed chunk, or a buffer of its own for a
   * line that spanned chunks. Only for a caller whose chunks are never reused
   * (socket reads) and that holds lines a while: bytes wait outside the
   * JavaScript heap, which the garbage collector would otherwise copy.
   */
  lineBytes?(bytes: Buffer, lineNo: number): void;
  /** A line over the limit: an excerpt of its start and its total size in bytes. */
  tooLong(excerpt: string, bytes: number, lineNo: number): void;
}

export const EXCERPT_CHARS = 4096;

/**
 * True for a line of only spaces, tabs, CR, LF and BOMs (a blank line is
 * counted, not rejected). Decided on the first character for nearly every line.
 */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 0xfeff) return false;
  }
  return true;
}

/**
 * Bytes decoded for an excerpt: enough for EXCERPT_CHARS UTF-16 units (at most
 * 3 bytes each) plus the few units a sequence cut at the end may turn into U+FFFD.
 */
const EXCERPT_BYTES = 3 * EXCERPT_CHARS + 12;

export class LineSplitter {
  /** Only for string input: text of a line not yet terminated. */
  private pending = '';
  /** Bytes of a line not yet terminated (Buffer input), and their total. */
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private lineNo = 0;
  /** In discard mode: bytes of the long line seen so far, and its excerpt. */
  private discarding = false;
  private discardedBytes = 0;
  private excerpt = '';
  /** Decoder of the excerpt of a line being discarded, across chunks. */
  private excerptDecoder: StringDecoder | undefined;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** Lines completed so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer | string): void {
    if (typeof chunk === 'string') {
      this.takeTailAsText();
      this.pushText(chunk);
      return;
    }
    this.pushBytes(chunk);
  }

  /** Flushes a last line that has no terminator. */
  end(): void {
    if (this.discarding) this.finishDiscard();
    else if (this.tailBytes > 0) this.emitBytes(this.takeTail());
    else if (this.pending !== '') {
      const line = this.pending;
      this.pending = '';
      this.emit(line);
    }
  }

  private pushBytes(chunk: Buffer): void {
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? n : nl;
      if (this.discarding) {
        this.discardBytes(chunk.subarray(pos, end));
        if (nl === -1) return;
        this.finishDiscard();
      } else if (nl === -1) {
        this.keepBytes(chunk.subarray(pos));
        return;
      } else if (this.tailBytes > 0 || this.pending !== '') {
        this.keepBytes(chunk.subarray(pos, nl));
        // keepBytes may have started discarding the line: then it ends here.
        if (this.discarding) this.finishDiscard();
        else this.emitBytes(this.takeTail());
      } else {
        this.emitRange(chunk, pos, nl);
      }
      pos = end + 1;
    }
  }

  /** Emits bytes [start, end) of `chunk` as a line, or as too long. */
  private emitRange(chunk: Buffer, start: number, end: number): void {
    const bytes = end - start;
    this.lineNo++;
    if (bytes > this.maxLineBytes) {
      this.sink.tooLong(excerptOf(chunk.subarray(start, end)), bytes, this.lineNo);
      return;
    }
    if (this.sink.lineBytes !== undefined) this.sink.lineBytes(chunk.subarray(start, end), this.lineNo);
    else this.sink.line(chunk.toString('utf8', start, end), this.lineNo);
  }

  private emitBytes(line: Buffer): void {
    this.emitRange(line, 0, line.length);
  }

  /** Holds the start of an unterminated line; past the limit, switches to discarding it. */
  private keepBytes(part: Buffer): void {
    if (this.pending !== '') {
      // A line started by string input and continued by bytes (unusual): keep it as bytes.
      const head = Buffer.from(this.pending, 'utf8');
      this.pending = '';
      this.tail.push(head);
      this.tailBytes += head.length;
    }
    if (part.length === 0) return;
    // Copied: the caller may reuse its read buffer.
    this.tail.push(Buffer.from(part));
    this.tailBytes += part.length;
    if (this.tailBytes > this.maxLineBytes) {
      const held = this.takeTail();
      this.discarding = true;
      this.discardedBytes = 0;
      this.excerpt = '';
      this.excerptDecoder = new StringDecoder('utf8');
      this.discardBytes(held);
    }
  }

  private takeTail(): Buffer {
    const all = this.tail.length === 1 ? this.tail[0]! : Buffer.concat(this.tail, this.tailBytes);
    this.tail = [];
    this.tailBytes = 0;
    return all;
  }

  /** String input after byte input: the held bytes become text (a line does not usually mix both). */
  private takeTailAsText(): void {
    if (this.tailBytes > 0 && !this.discarding) this.pending += this.takeTail().toString('utf8');
  }

  /** Counts a piece of a line being discarded, topping up its excerpt. */
  private discardBytes(part: Buffer): void {
    this.discardedBytes += part.length;
    if (this.excerptDecoder !== undefined) {
      if (this.excerpt.length < EXCERPT_CHARS + 3) this.excerpt += this.excerptDecoder.write(part.subarray(0, EXCERPT_BYTES));
    } else if (this.excerpt.length < EXCERPT_CHARS) {
      // The line started as text: top its excerpt up from these bytes.
      this.excerpt += excerptOf(part).slice(0, EXCERPT_CHARS - this.excerpt.length);
    }
  }

  private finishDiscard(): void {
    this.lineNo++;
    this.discarding = false;
    const excerpt = (this.excerptDecoder ? this.excerpt + this.excerptDecoder.end() : this.excerpt).slice(0, EXCERPT_CHARS);
    this.sink.tooLong(excerpt, this.discardedBytes, this.lineNo);
    this.excerpt = '';
    this.excerptDecoder = undefined;
    this.discardedBytes = 0;
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
        this.discardText(text.slice(pos, nl));
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
      this.discardText(part);
      return;
    }
    this.pending += part;
    if (this.pending.length * 3 > this.maxLineBytes) {
      const bytes = Buffer.byteLength(this.pending, 'utf8');
      if (bytes > this.maxLineBytes) {
        this.discarding = true;
        this.discardedBytes = bytes;
        this.excerpt = this.pending.slice(0, EXCERPT_CHARS);
        this.excerptDecoder = undefined;
        this.pending = '';
      }
    }
  }

  /**
   * Counts a piece of text of a line being discarded. The excerpt is topped up
   * to EXCERPT_CHARS so that it is the line's start whatever the chunking (a
   * small limit may start the discard before the excerpt is full).
   */
  private discardText(part: string): void {
    if (this.excerptDecoder !== undefined) {
      // The line started as bytes: its excerpt is still being decoded.
      this.discardBytes(Buffer.from(part, 'utf8'));
      return;
    }
    this.discardedBytes += Buffer.byteLength(part, 'utf8');
    if (this.excerpt.length < EXCERPT_CHARS) this.excerpt += part.slice(0, EXCERPT_CHARS - this.excerpt.length);
  }
}

/** The first EXCERPT_CHARS characters of a line given as bytes, decoding only its start. */
function excerptOf(line: Buffer): string {
  const head = line.length > EXCERPT_BYTES ? line.toString('utf8', 0, EXCERPT_BYTES) : line.toString('utf8');
  return head.length > EXCERPT_CHARS ? head.slice(0, EXCERPT_CHARS) : head;
}
