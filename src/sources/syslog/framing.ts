/**
 * Syslog over a byte stream (RFC 6587): octet counting (`<len> SP <msg>`) or
 * newline-delimited ("non-transparent framing"), detected per connection from
 * the first byte: a digit starts an octet count, anything else (a `<` PRI, a
 * `{` of bare EVE JSON) means newline framing. A malformed octet count makes
 * the rest of the connection newline-framed, so no byte is lost.
 */
import { EXCERPT_CHARS, LineSplitter } from '../../io/lines.js';

export interface FrameSink {
  /**
   * A message as its undecoded bytes: a view into the pushed chunk or a
   * buffer of its own, so the caller must never reuse a chunk it pushed
   * (socket reads are not). Messages then wait in the pipeline's queue
   * outside the JavaScript heap, decoded when their batch is normalized.
   */
  message(bytes: Buffer): void;
  /** A message over the size limit: an excerpt of its start and its size. */
  tooLong(excerpt: string, bytes: number): void;
}

const MAX_LENGTH_DIGITS = 10;

export class SyslogFramer {
  private mode: 'unknown' | 'octet' | 'newline' = 'unknown';
  private lines: LineSplitter | undefined;
  /**
   * Octet mode: bytes kept from previous chunks (an incomplete frame), as a
   * list joined once the frame is complete: joining at every chunk would copy
   * a large frame sent in small pieces over and over (quadratic time).
   */
  private restParts: Buffer[] = [];
  private restBytes = 0;
  /** Bytes the kept frame needs in all (0: unknown yet, its count is incomplete). */
  private restNeed = 0;
  /** Octet mode: bytes of an oversized frame still to skip, and its excerpt. */
  private skip = 0;
  private skipTotal = 0;
  private skipExcerpt: Buffer[] = [];
  private skipExcerptBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sink: FrameSink,
  ) {}

  get framing(): 'unknown' | 'octet' | 'newline' {
    return this.mode;
  }

  push(chunk: Buffer): void {
    if (this.mode === 'unknown') {
      let i = 0;
      while (i < chunk.length && (chunk[i] === 10 || chunk[i] === 13 || chunk[i] === 32)) i++;
      if (i === chunk.length) return;
      this.mode = chunk[i]! >= 48 && chunk[i]! <= 57 ? 'octet' : 'newline';
      if (i > 0) chunk = chunk.subarray(i);
    }
    if (this.mode === 'newline') this.newline().push(chunk);
    else this.octets(chunk);
  }

  /** End of the connection: a last unterminated line is a message; an incomplete octet frame is a truncated one. */
  end(): void {
    if (this.mode === 'newline') this.newline().end();
    else if (this.skip > 0) this.reportSkipped();
    else if (this.restBytes > 0) {
      // The sender closed mid-frame: hand on what came, the decoder will say it is truncated.
      const rest = Buffer.concat(this.restParts, this.restBytes);
      const sp = rest.indexOf(32);
      this.sink.message(rest.subarray(sp >= 0 ? sp + 1 : 0));
    }
    this.restParts = [];
    this.restBytes = 0;
    this.restNeed = 0;
  }

  private newline(): LineSplitter {
    this.lines ??= new LineSplitter(this.maxBytes, {
      // Only bytes are pushed here: every line comes to lineBytes.
      line: (text) => this.sink.message(Buffer.from(text, 'utf8')),
      lineBytes: (bytes) => this.sink.message(bytes),
      tooLong: (excerpt, bytes) => this.sink.tooLong(excerpt, bytes),
    });
    return this.lines;
  }

  private keepExcerpt(part: Buffer): void {
    if (this.skipExcerptBytes >= EXCERPT_CHARS) return;
    const kept = Buffer.from(part.subarray(0, EXCERPT_CHARS - this.skipExcerptBytes));
    this.skipExcerpt.push(kept);
    this.skipExcerptBytes += kept.length;
  }

  private reportSkipped(): void {
    const excerpt = Buffer.concat(this.skipExcerpt).toString('utf8');
    this.skipExcerpt = [];
    this.skipExcerptBytes = 0;
    this.skip = 0;
    this.sink.tooLong(excerpt, this.skipTotal);
  }

  private octets(chunk: Buffer): void {
    if (this.skip > 0) {
      const n = Math.min(this.skip, chunk.length);
      this.keepExcerpt(chunk.subarray(0, n));
      this.skip -= n;
      chunk = chunk.subarray(n);
      if (this.skip > 0) return;
      this.reportSkipped();
    }
    if (this.restNeed > 0 && this.restBytes + chunk.length < this.restNeed) {
      this.restParts.push(Buffer.from(chunk)); // copy: do not pin the reader's buffer
      this.restBytes += chunk.length;
      return;
    }
    const buf = this.restBytes > 0 ? Buffer.concat([...this.restParts, chunk]) : chunk;
    this.restParts = [];
    this.restBytes = 0;
    this.restNeed = 0;
    let need = 0;
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
      const c = buf[pos]!;
      if (c === 10 || c === 13 || c === 32) {
        pos++; // a trailer some senders add after each frame
        continue;
      }
      let i = pos;
      let len = 0;
      while (i < n && i - pos <= MAX_LENGTH_DIGITS && buf[i]! >= 48 && buf[i]! <= 57) len = len * 10 + (buf[i++]! - 48);
      if (i === n && i - pos <= MAX_LENGTH_DIGITS) break; // the count continues in the next chunk
      if (i === pos || i - pos > MAX_LENGTH_DIGITS || buf[i] !== 32) {
        // Not an octet count: treat the rest of the stream as newline-framed.
        this.mode = 'newline';
        this.newline().push(buf.subarray(pos));
        return;
      }
      const start = i + 1;
      if (len > this.maxBytes) {
        const available = Math.min(len, n - start);
        this.skipTotal = len;
        this.keepExcerpt(buf.subarray(start, start + available));
        this.skip = len - available;
        pos = start + available;
        if (this.skip === 0) {
          this.reportSkipped();
          continue;
        }
        return;
      }
      if (n - start < len) {
        need = start + len - pos;
        break;
      }
      this.sink.message(buf.subarray(start, start + len));
      pos = start + len;
    }
    if (pos < n) {
      this.restParts = [Buffer.from(buf.subarray(pos))]; // copy: do not pin the whole chunk
      this.restBytes = n - pos;
      this.restNeed = need;
    }
  }
}
