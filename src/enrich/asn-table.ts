/**
 * A compact, read-only IP range -> autonomous system table: the embedded ASN
 * data. Built once by `npm run build` (scripts/build-geo-data.mjs) from the
 * CSV ranges of the `@ip-location-db/asn` package (RouteViews, DB-IP, NRO;
 * CC BY 4.0) and loaded with one file read: sorted ranges in typed arrays,
 * found by binary search. Parsing the 45 MB of CSV at every start would cost
 * seconds; the table loads in milliseconds.
 *
 * Layout (little-endian, every section 4-byte aligned):
 *   "JZAS", version 1, ranges4, ranges6, entries, string bytes   (6 x u32)
 *   IPv4: start[ranges4], end[ranges4], entry[ranges4]           (u32)
 *   IPv6: start[4 x ranges6], end[4 x ranges6], entry[ranges6]   (u32, high word first)
 *   entries: asn[entries], name offset[entries + 1]              (u32)
 *   names: UTF-8
 */

const MAGIC = 0x53415a4a; // "JZAS"
const VERSION = 1;
const HEADER_WORDS = 6;

/** An autonomous system: ECS as.number and as.organization.name. */
export interface AsRecord {
  number: number;
  name: string | undefined;
}

/** One input row: an inclusive range as 1 (IPv4) or 4 (IPv6) 32-bit words, and its AS. */
export interface AsnRow {
  start: number[];
  end: number[];
  asn: number;
  name: string;
}

interface Family {
  words: number;
  count: number;
  start: Uint32Array;
  end: Uint32Array;
  entry: Uint32Array;
}

export class AsnTable {
  private readonly v4: Family;
  private readonly v6: Family;
  private readonly asns: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly names: Buffer;

  /** Reads a table written by {@link buildAsnTable}; throws an Error when `data` is not one. */
  constructor(data: Buffer) {
    // Typed array views need 4-byte alignment: copy a buffer that is not aligned.
    const buf = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
    if (buf.length < HEADER_WORDS * 4) throw new Error('not an ASN table: too short');
    const u32 = (at: number, n: number) => new Uint32Array(buf.buffer, buf.byteOffset + at * 4, n);
    const h = u32(0, HEADER_WORDS);
    if (h[0] !== MAGIC || h[1] !== VERSION) throw new Error('not an ASN table (or of another version)');
    const [n4, n6, entries, nameBytes] = [h[2]!, h[3]!, h[4]!, h[5]!];
    const words = HEADER_WORDS + 3 * n4 + 9 * n6 + 2 * entries + 1;
    if (buf.length !== words * 4 + nameBytes) throw new Error('ASN table: sizes do not match its header');
    let at = HEADER_WORDS;
    const family = (w: number, count: number): Family => {
      const f = { words: w, count, start: u32(at, w * count), end: u32(at + w * count, w * count), entry: u32(at + 2 * w * count, count) };
      at += (2 * w + 1) * count;
      return f;
    };
    this.v4 = family(1, n4);
    this.v6 = family(4, n6);
    this.asns = u32(at, entries);
    this.offsets = u32(at + entries, entries + 1);
    this.names = buf.subarray(words * 4);
  }

  get size(): { ipv4: number; ipv6: number; systems: number } {
    return { ipv4: this.v4.count, ipv6: this.v6.count, systems: this.asns.length };
  }

  /** The AS of an address given as its bytes (4 or 16), or undefined. */
  lookup(bytes: readonly number[]): AsRecord | undefined {
    const f = bytes.length === 4 ? this.v4 : this.v6;
    const key = toWords(bytes);
    let lo = 0;
    let hi = f.count - 1;
    let found = -1;
    // the last range starting at or before the address
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(f.start, mid * f.words, key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || cmp(f.end, found * f.words, key) < 0) return undefined;
    const e = f.entry[found]!;
    const from = this.offsets[e]!;
    const to = this.offsets[e + 1]!;
    return { number: this.asns[e]!, name: to > from ? this.names.toString('utf8', from, to) : undefined };
  }
}

function toWords(bytes: readonly number[]): number[] {
  const w: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) w.push(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  return w;
}

function cmp(a: Uint32Array, at: number, key: readonly number[]): number {
  for (let i = 0; i < key.length; i++) {
    const d = a[at + i]! - key[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function cmpWords(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Writes the table of the given rows (any order; rows of one family must not overlap). */
export function buildAsnTable(rows4: AsnRow[], rows6: AsnRow[]): Buffer {
  const entryOf = new Map<string, number>();
  const asns: number[] = [];
  const names: Buffer[] = [];
  const offsets: number[] = [0];
  let nameBytes = 0;
  const entry = (r: AsnRow): number => {
    const k = `${r.asn}|${r.name}`;
    let e = entryOf.get(k);
    if (e === undefined) {
      e = asns.length;
      entryOf.set(k, e);
      asns.push(r.asn);
      const b = Buffer.from(r.name, 'utf8');
      names.push(b);
      nameBytes += b.length;
      offsets.push(nameBytes);
    }
    return e;
  };
  const words: number[] = [MAGIC, VERSION, rows4.length, rows6.length, 0, 0];
  for (const [rows, w] of [[rows4, 1], [rows6, 4]] as const) {
    const sorted = [...rows].sort((a, b) => cmpWords(a.start, b.start));
    for (const r of sorted) if (r.start.length !== w || r.end.length !== w) throw new Error(`ASN row of ${r.start.length} words in a family of ${w}`);
    for (const r of sorted) for (const x of r.start) words.push(x);
    for (const r of sorted) for (const x of r.end) words.push(x);
    for (const r of sorted) words.push(entry(r));
  }
  words[4] = asns.length;
  words[5] = nameBytes;
  for (const x of asns) words.push(x);
  for (const x of offsets) words.push(x);
  const head = Buffer.from(Uint32Array.from(words).buffer);
  return Buffer.concat([head, ...names]);
}

/** The 32-bit words of an IPv4 (1) or IPv6 (4) address given as a decimal number, as in the `-num.csv` files. */
export function numberWords(decimal: string, ipv6: boolean): number[] {
  if (!ipv6) return [Number(decimal) >>> 0];
  const n = BigInt(decimal);
  return [96n, 64n, 32n, 0n].map((s) => Number((n >> s) & 0xffffffffn));
}
