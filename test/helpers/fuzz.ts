/**
 * Input mutation for the fault suite: seeded, so a failing input can be
 * reproduced from its seed and index. Mutations aim at what parsers trip on:
 * truncation, flipped and inserted bytes, odd Unicode, huge numbers, deep
 * nesting, hostile keys, syslog and envelope wrappers.
 */

/** Mulberry32: a small seeded generator (reproducible runs). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scale of the suite: `FAULTS_FULL=1` (npm run faults) runs the documented full size. */
export const FULL = process.env.FAULTS_FULL === '1';

/** `full` inputs in the full run, `reduced` in the test suite. */
export function size(full: number, reduced: number): number {
  return FULL ? full : reduced;
}

const PIECES = [
  '__proto__', '{"__proto__":{"polluted":1}}', '"constructor":{"prototype":{"x":1}}', '\u0000', '\uFFFF', '\uD800', '\uDC00x',
  '\u202E', '\uFEFF', '\r', '\t', '\\', '\\u0000', '\\uD800', '"', '{', '}', '[', ']', ':', ',', 'null', 'true', '-0', '1e309',
  '123456789012345678901234567890', '-9223372036854775809', '0.000000000000000000001', 'NaN', '"timestamp":"9999-99-99T99:99:99"',
  '"timestamp":"2024-02-30T25:61:61.1234567891234+9999"', '"src_ip":"::ffff:999.1.1.1"', '"dest_port":70000', '"event_type":"__proto__"',
  '"event_type":"alert"', '"event_type":"dns"', '"event_type":"http"', '"event_type":"flow"', '"event_type":"tls"', '"event_type":"fileinfo"',
  '<13>', '<999>', '<13>1 ', '- - ', '[sd@1 a="b"]', '"message":', '%',
];

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)]!;
}

/** One mutation of `s`. */
function mutateOnce(s: string, r: () => number): string {
  const at = Math.floor(r() * (s.length + 1));
  switch (Math.floor(r() * 12)) {
    case 0: // truncate
      return s.slice(0, at);
    case 1: // delete a span
      return s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 16));
    case 2: // insert a hostile piece
      return s.slice(0, at) + pick(r, PIECES) + s.slice(at);
    case 3: // replace one code unit by a random one (any plane, lone surrogates included)
      return s.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x10000)) + s.slice(at + 1);
    case 4: // duplicate a span
      return s.slice(0, at) + s.slice(Math.max(0, at - 32), at) + s.slice(at);
    case 5: // a digit run made huge
      return s.replace(/\d+/, (d) => d + '9'.repeat(1 + Math.floor(r() * 30)));
    case 6: // deep nesting
      return s.slice(0, at) + '['.repeat(1 + Math.floor(r() * 2000)) + s.slice(at);
    case 7: // wrapped in syslog (RFC 5424 or 3164)
      return r() < 0.5 ? `<14>1 2024-05-01T10:00:00.123456Z host jizo - - - ${s}` : `<14>May  1 10:00:00 host suricata[1]: ${s}`;
    case 8: // wrapped in an envelope
      return JSON.stringify({ message: s });
    case 9: // a key turned hostile
      return s.replace(/"([a-z_]+)":/, r() < 0.5 ? '"__proto__":' : '"constructor":');
    case 10: // a value's type changed
      return s.replace(/:("[^"]*"|\d+)/, `:${pick(r, ['{}', '[]', 'null', '1.5', '"x"', '{"a":[1,{"b":null}]}', 'true'])}`);
    default: // swap two halves
      return s.slice(at) + s.slice(0, at);
  }
}

/** `s` with one to four mutations. */
export function mutate(s: string, r: () => number): string {
  let out = s;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) out = mutateOnce(out, r);
  return out;
}
