/**
 * Request bodies of the HTTP source -> raw events, as the bytes arrive. A body
 * whose first non-blank character is `[` is a JSON array, of events (objects,
 * handed on as the exact text sent, so integers beyond 2^53 keep every digit)
 * or of raw lines (strings); anything else is newline-delimited (one raw event
 * per line). Nothing is held but the item or line being read: the caller
 * takes the events as they come and cuts them into submissions.
 *
 * Blank lines (and blank string items) are counted, not handed on as events:
 * they cost no room in the queue and do not count against a body's event limit.
 */
import { isBlank, LineSplitter } from '../../io/lines.js';
import type { RawEvent } from '../../pipeline/types.js';
import { ArrayItems } from './array-items.js';

export interface BodySink {
  event(ev: RawEvent): void;
  blank(): void;
}

const OPEN_BRACKET = 0x5b;

/** Bytes that may come before the first character of either format. */
function isPrefixByte(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xef || c === 0xbb || c === 0xbf;
}

export class BodyParser {
  /** Bytes seen before the format is known (whitespace and BOMs only), after the last LF. */
  private prefix: Buffer[] = [];
  private prefixBytes = 0;
  /** LFs seen in that prefix: blank lines, if the body turns out to be NDJSON. */
  private prefixLines = 0;
  private lines: LineSplitter | undefined;
  private array: ArrayItems | undefined;

  constructor(
    private readonly receivedAt: string,
    private readonly maxLineBytes: number,
    private readonly sink: BodySink,
  ) {}

  /** A structural error of a JSON array body (nothing more is taken from it). */
  get error(): string | undefined {
    return this.array?.error;
  }

  push(chunk: Buffer): void {
    if (this.lines) this.lines.push(chunk);
    else if (this.array) this.array.push(chunk);
    else this.detect(chunk);
  }

  /** The body ended: an error message when it was a JSON array that did not end properly. */
  end(): string | undefined {
    if (!this.lines && !this.array) this.startLines();
    if (this.array) return this.array.end();
    this.lines!.end();
    return undefined;
  }

  private detect(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && isPrefixByte(chunk[i]!)) i++;
    if (i === chunk.length) {
      this.holdPrefix(chunk);
      // A run of blanks longer than a line may be is no prelude to an array.
      if (this.prefixBytes > this.maxLineBytes) this.startLines();
      return;
    }
    if (chunk[i] === OPEN_BRACKET) {
      this.prefix = [];
      this.array = new ArrayItems(this.maxLineBytes, {
        item: (text) => this.item(text),
        tooLong: (excerpt, bytes) => this.tooLong(excerpt, `event of ${bytes} bytes exceeds the limit of ${this.maxLineBytes} bytes`),
      });
      this.array.push(chunk.subarray(i));
      return;
    }
    this.startLines();
    this.lines!.push(chunk);
  }

  private holdPrefix(chunk: Buffer): void {
    const nl = chunk.lastIndexOf(0x0a);
    if (nl !== -1) {
      for (let j = 0; j <= nl; j++) if (chunk[j] === 0x0a) this.prefixLines++;
      this.prefix = [];
      this.prefixBytes = 0;
      chunk = chunk.subarray(nl + 1);
    }
    if (chunk.length > 0) {
      this.prefix.push(chunk);
      this.prefixBytes += chunk.length;
    }
  }

  /** The body is NDJSON: the blank lines of the prefix are counted, the rest of it starts the first line. */
  private startLines(): void {
    this.lines = new LineSplitter(this.maxLineBytes, {
      line: (raw) => (isBlank(raw) ? this.sink.blank() : this.sink.event({ raw, receivedAt: this.receivedAt })),
      tooLong: (excerpt, bytes) => this.tooLong(excerpt, `line of ${bytes} bytes exceeds the limit of ${this.maxLineBytes} bytes`),
    });
    for (let k = 0; k < this.prefixLines; k++) this.sink.blank();
    for (const p of this.prefix) this.lines.push(p);
    this.prefix = [];
  }

  /** Strings are raw lines (syslog, EVE JSON, envelope); anything else is left to the decoder to judge. */
  private item(text: string): void {
    if (text.charCodeAt(0) !== 0x22 /* " */) {
      this.sink.event({ raw: text, receivedAt: this.receivedAt });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      this.sink.event({ raw: text, receivedAt: this.receivedAt, reject: { reason: 'not_json', message: `array item is not a valid JSON string: ${(e as Error).message}` } });
      return;
    }
    if (isBlank(raw as string)) this.sink.blank();
    else this.sink.event({ raw: raw as string, receivedAt: this.receivedAt });
  }

  private tooLong(excerpt: string, message: string): void {
    this.sink.event({ raw: excerpt, receivedAt: this.receivedAt, reject: { reason: 'too_long', message } });
  }
}

export type BodyResult = { ok: true; events: RawEvent[]; blank: number } | { ok: false; error: string };

/** A whole body at once (tests, and callers that already hold it): the same parse as streaming. */
export function parseBody(body: string | Buffer, receivedAt: string, maxLineBytes: number): BodyResult {
  const events: RawEvent[] = [];
  let blank = 0;
  const p = new BodyParser(receivedAt, maxLineBytes, { event: (e) => events.push(e), blank: () => blank++ });
  p.push(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  const error = p.end();
  return error === undefined ? { ok: true, events, blank } : { ok: false, error };
}
