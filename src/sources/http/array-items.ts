/**
 * Splits a JSON array arriving in byte chunks into the JSON text of its items,
 * without parsing them. Only the array's own structure is checked here
 * (brackets, commas, strings and escapes); each item's text is judged later
 * by the decoder, like a line of NDJSON, so a broken item is one rejection and
 * not a failed request.
 *
 * Why not a JSON library: a full streaming tokenizer would build every value
 * of an item, which is what must not happen before the size limit applies (a
 * 1,000,000-key object must cost what its bytes cost), and would have to keep
 * integers beyond 2^53 exact. Finding where an item ends needs only a depth
 * counter and the string state; the item is handed on as the exact text sent,
 * so every digit is kept by construction and parsed once, by the decoder.
 * Depth is a counter, not a stack: any nesting costs nothing here.
 */
import { StringDecoder } from 'node:string_decoder';
import { EXCERPT_CHARS } from '../../io/lines.js';

export interface ItemSink {
  /** A complete item: its JSON text as sent (an object, a string literal, a bare scalar ...). */
  item(text: string): void;
  /** An item over the limit: an excerpt of its start and its size in bytes. */
  tooLong(excerpt: string, bytes: number): void;
}

const enum S {
  /** Before the opening `[` (only whitespace and a BOM have been seen). */
  Start,
  /** After `[`: an item or `]`. */
  Open,
  /** After `,`: an item. */
  Next,
  /** Inside an object, array or string item. */
  Nested,
  /** Inside a bare scalar item (number, true, false, null, or garbage the decoder rejects). */
  Scalar,
  /** After an item: `,` or `]`. */
  After,
  /** After the closing `]`: whitespace only. */
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class ArrayItems {
  private state = S.Start;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Pieces of the current item (views into the pushed chunks, decoded when the item ends). */
  private pieces: Buffer[] = [];
  private itemBytes = 0;
  /** The current item is over the limit: only its size and an excerpt are kept. */
  private discarding = false;
  private excerpt = '';
  private excerptDecoder: StringDecoder | undefined;
  /** Set on the first structural error; nothing more is read. */
  error: string | undefined;

  constructor(
    private readonly maxItemBytes: number,
    private readonly sink: ItemSink,
  ) {}

  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n && this.error === undefined) {
      if (this.state === S.Nested) i = this.scanNested(chunk, i);
      else if (this.state === S.Scalar) i = this.scanScalar(chunk, i);
      else i = this.between(chunk, i);
    }
  }

  /** The body ended: an error message when the array was not complete. */
  end(): string | undefined {
    if (this.error !== undefined) return this.error;
    if (this.state === S.Done) return undefined;
    if (this.state === S.Nested || this.state === S.Scalar) return 'the body ends inside an array item (a cut JSON array)';
    return 'the body ends before the JSON array is closed';
  }

  /** Structural bytes between items; returns the next index. */
  private between(chunk: Buffer, i: number): number {
    const c = chunk[i]!;
    if (isSpace(c)) return i + 1;
    switch (this.state) {
      case S.Start:
        // A UTF-8 BOM may precede the array.
        if (c === 0xef || c === 0xbb || c === 0xbf) return i + 1;
        if (c === 0x5b /* [ */) this.state = S.Open;
        else this.fail('expected a JSON array');
        return i + 1;
      case S.After:
        if (c === 0x2c /* , */) this.state = S.Next;
        else if (c === 0x5d /* ] */) this.state = S.Done;
        else this.fail('expected "," or "]" after an array item');
        return i + 1;
      case S.Done:
        this.fail('data after the end of the JSON array');
        return i + 1;
      default: // Open or Next: an item starts here
        if (c === 0x5d && this.state === S.Open) {
          this.state = S.Done;
          return i + 1;
        }
        if (c === 0x5d || c === 0x2c || c === 0x7d /* } */ || c === 0x3a /* : */) {
          this.fail('expected an array item');
          return i + 1;
        }
        this.state = c === 0x7b || c === 0x5b || c === QUOTE ? S.Nested : S.Scalar;
        return i;
    }
  }

  /** Inside an object, array or string item: finds where it ends. */
  private scanNested(chunk: Buffer, start: number): number {
    const n = chunk.length;
    let i = start;
    for (; i < n; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 0) break;
        }
      } else if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--this.depth === 0) break;
      }
    }
    if (i === n) {
      this.keep(chunk, start, n);
      return n;
    }
    this.keep(chunk, start, i + 1);
    this.finishItem();
    return i + 1;
  }

  /** A bare scalar ends at whitespace, `,` or `]`. */
  private scanScalar(chunk: Buffer, start: number): number {
    const n = chunk.length;
    let i = start;
    while (i < n) {
      const c = chunk[i]!;
      if (isSpace(c) || c === 0x2c || c === 0x5d) break;
      i++;
    }
    this.keep(chunk, start, i);
    if (i < n) this.finishItem();
    return i;
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    this.itemBytes += end - start;
    if (this.discarding) {
      this.topUpExcerpt(chunk.subarray(start, end));
      return;
    }
    this.pieces.push(chunk.subarray(start, end));
    if (this.itemBytes > this.maxItemBytes) {
      // Over the limit: keep an excerpt of the start, and from now on only count.
      this.discarding = true;
      this.excerptDecoder = new StringDecoder('utf8');
      const held = this.pieces;
      this.pieces = [];
      for (const p of held) this.topUpExcerpt(p);
    }
  }

  private topUpExcerpt(part: Buffer): void {
    if (this.excerpt.length < EXCERPT_CHARS) this.excerpt += this.excerptDecoder!.write(part.subarray(0, 3 * EXCERPT_CHARS));
  }

  private finishItem(): void {
    if (this.discarding) this.sink.tooLong((this.excerpt + this.excerptDecoder!.end()).slice(0, EXCERPT_CHARS), this.itemBytes);
    else this.sink.item(this.pieces.length === 1 ? this.pieces[0]!.toString('utf8') : Buffer.concat(this.pieces, this.itemBytes).toString('utf8'));
    this.pieces = [];
    this.itemBytes = 0;
    this.discarding = false;
    this.excerpt = '';
    this.excerptDecoder = undefined;
    this.depth = 0;
    this.state = S.After;
  }

  private fail(message: string): void {
    this.error = `not a valid JSON array: ${message}`;
  }
}
