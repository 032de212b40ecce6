/**
 * A small MaxMind DB writer for tests (MaxMind DB File Format Specification
 * 2.0: binary search tree of 32-bit records, a 16-byte separator, the data
 * section, then the metadata map after "\xAB\xCD\xEFMaxMind.com"). It writes
 * City, Country and ASN databases of a few networks, so that the reading
 * side (type detection by `database_type`, the City fields) is tested on real
 * files without shipping MaxMind's.
 */
import ipaddr from 'ipaddr.js';

type Value = string | number | boolean | Value[] | { [k: string]: Value };

function control(type: number, size: number): Buffer {
  const ext = type > 7;
  const t = ext ? 0 : type;
  let head: number[];
  if (size < 29) head = [(t << 5) | size];
  else if (size < 285) head = [(t << 5) | 29, size - 29];
  else if (size < 65821) head = [(t << 5) | 30, (size - 285) >> 8, (size - 285) & 0xff];
  else throw new Error('value too large for this writer');
  if (ext) head.splice(1, 0, type - 7);
  return Buffer.from(head);
}

function uint(n: number, type: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

/** The data-section encoding of a value. */
function encode(v: Value): Buffer {
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([control(2, b.length), b]);
  }
  if (typeof v === 'boolean') return control(14, v ? 1 : 0);
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v < 2 ** 32) return uint(v, 6);
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return Buffer.concat([control(3, 8), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([control(11, v.length), ...v.map(encode)]);
  const keys = Object.keys(v);
  return Buffer.concat([control(7, keys.length), ...keys.flatMap((k) => [encode(k), encode(v[k]!)])]);
}

interface Node {
  child: [Node | number | undefined, Node | number | undefined];
}

/** Writes a database of `networks` (CIDR -> record) with the given `database_type`. */
export function writeMmdb(databaseType: string, networks: Record<string, Value>): Buffer {
  const root: Node = { child: [undefined, undefined] };
  const data: Buffer[] = [];
  let dataSize = 0;
  for (const [cidr, record] of Object.entries(networks)) {
    const [addr, len] = ipaddr.parseCIDR(cidr);
    // IPv4 networks live under ::/96, where readers look IPv4 addresses up.
    const bytes = addr.kind() === 'ipv4' ? [...new Array<number>(12).fill(0), ...addr.toByteArray()] : addr.toByteArray();
    const bits = addr.kind() === 'ipv4' ? len + 96 : len;
    const offset = dataSize;
    const enc = encode(record);
    data.push(enc);
    dataSize += enc.length;
    let node = root;
    for (let i = 0; i < bits; i++) {
      const bit = (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
      if (i === bits - 1) {
        node.child[bit] = offset;
        break;
      }
      let next = node.child[bit];
      if (typeof next !== 'object') {
        next = { child: [undefined, undefined] };
        node.child[bit] = next;
      }
      node = next;
    }
  }
  const order: Node[] = [];
  const number = new Map<Node, number>();
  const visit = (n: Node) => {
    number.set(n, order.length);
    order.push(n);
    for (const c of n.child) if (typeof c === 'object') visit(c);
  };
  visit(root);
  const count = order.length;
  const tree = Buffer.alloc(count * 8);
  order.forEach((n, i) => {
    n.child.forEach((c, side) => {
      const value = c === undefined ? count : typeof c === 'number' ? count + 16 + c : number.get(c)!;
      tree.writeUInt32BE(value, i * 8 + side * 4);
    });
  });
  const metadata = encode({
    node_count: count,
    record_size: 32,
    ip_version: 6,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000,
    description: { en: `${databaseType} test database` },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), metadata]);
}
