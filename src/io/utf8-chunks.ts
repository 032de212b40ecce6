/**
 * Encodes many strings straight into large UTF-8 buffers.
 *
 * Joining hundreds of thousands of JSON lines into one string and encoding
 * that costs a copy and a flatten per line (`json + '\n'` is a rope); writing
 * each line into a preallocated buffer encodes it once, in place.
 */
const EMPTY = Buffer.alloc(0);

export class Utf8Chunks {
  private sealed: Buffer[] = [];
  /** Allocated on first use, so that an emptied instance holds no memory. */
  private cur: Buffer = EMPTY;
  private off = 0;
  private sealedBytes = 0;

  /** @param first memory for the first chunk (used when at least `chunkBytes` long) */
  constructor(
    private readonly chunkBytes = 256 * 1024,
    first?: Buffer,
  ) {
    if (first !== undefined && first.length >= chunkBytes) this.cur = first;
  }

  /** Bytes held. */
  get size(): number {
    return this.sealedBytes + this.off;
  }

  /** Appends `s` followed by a LF. */
  line(s: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const worst = s.length * 3 + 1;
    if (worst > this.cur.length - this.off) this.seal(worst);
    this.off += this.cur.write(s, this.off, 'utf8');
    this.cur[this.off++] = 10;
  }

  /** Appends `s` as is. */
  text(s: string): void {
    const worst = s.length * 3;
    if (worst > this.cur.length - this.off) this.seal(worst);
    this.off += this.cur.write(s, this.off, 'utf8');
  }

  /** Appends bytes already encoded (kept by reference, not copied). */
  bytes(b: Uint8Array): void {
    if (b.length === 0) return;
    this.seal(0);
    this.sealed.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    this.sealedBytes += b.length;
  }

  /**
   * Takes the held bytes, in order. Each returned buffer is backed by its own
   * memory, never written again here (safe to hand to a stream or transfer).
   */
  take(): Buffer[] {
    this.seal(0);
    const out = this.sealed;
    this.sealed = [];
    this.sealedBytes = 0;
    return out;
  }

  /** Closes the current buffer and starts one with room for `need` bytes. */
  private seal(need: number): void {
    if (this.off > 0) {
      this.sealed.push(this.cur.subarray(0, this.off));
      this.sealedBytes += this.off;
      this.cur = EMPTY;
      this.off = 0;
    }
    if (need > this.cur.length) this.cur = Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, need));
  }
}

/**
 * The texts of `items`, each followed by a LF, encoded as UTF-8 in one buffer.
 *
 * Concatenating the lines into one string and encoding that makes V8 flatten
 * a rope of hundreds of strings first: on some machines that was a seventh of
 * `serve`'s time. Here each text is encoded in place. The one chunk has room
 * for the worst case (3 bytes per UTF-16 unit), so no line is ever cut; the
 * room an ASCII batch leaves unused is never touched, so it costs no memory.
 */
export function encodeLines(items: readonly { readonly json: string }[]): Buffer {
  const chunks = new Utf8Chunks(worstBytes(items));
  for (let i = 0; i < items.length; i++) chunks.line(items[i]!.json);
  return chunks.take()[0] ?? EMPTY;
}

/** Room that always holds the texts of `items` with a LF each (3 bytes per UTF-16 unit). */
function worstBytes(items: readonly { readonly json: string }[]): number {
  let units = 0;
  for (let i = 0; i < items.length; i++) units += items[i]!.json.length + 1;
  return 3 * units;
}

/** Lines encoded into memory of a {@link LineBuffers}: give it back once written. */
export interface EncodedLines {
  readonly data: Buffer;
  release(): void;
}

/**
 * {@link encodeLines} into reused memory, for a writer that encodes a batch,
 * writes it and only then encodes the next (or a few at once).
 *
 * A fresh buffer per batch is memory the kernel has to map and zero on first
 * touch, and that the allocator may not give back: in `serve` (batches of
 * 500 lines) that was 5 times the encoding itself, and a good part of the
 * resident memory. A buffer given back is handed out again; at most `keep`
 * are kept, so what stays resident is bounded by the writes in flight.
 */
export class LineBuffers {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly keep = 8,
    private readonly minBytes = 1 << 20,
  ) {}

  encode(items: readonly { readonly json: string }[]): EncodedLines {
    const need = worstBytes(items);
    let buf: Buffer | undefined;
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i]!.length >= need) {
        buf = this.free[i]!;
        this.free.splice(i, 1);
        break;
      }
    }
    buf ??= Buffer.allocUnsafeSlow(Math.max(this.minBytes, need));
    let off = 0;
    for (let i = 0; i < items.length; i++) {
      off += buf.write(items[i]!.json, off, 'utf8');
      buf[off++] = 10;
    }
    let given = false;
    const owned = buf;
    return {
      data: buf.subarray(0, off),
      release: () => {
        if (given) return;
        given = true;
        if (this.free.length < this.keep) this.free.push(owned);
      },
    };
  }
}
