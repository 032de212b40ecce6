import { createRequire } from 'node:module';
import type ipaddrModule from 'ipaddr.js';

/**
 * ipaddr.js, loaded at the first IPv6 text: most runs see none, and loading
 * it cost every start ~3 ms (it is a CommonJS package, so `require` loads it
 * synchronously where it is first needed).
 */
let ipaddr: typeof ipaddrModule | undefined;
function ipv6(): typeof ipaddrModule.IPv6 {
  ipaddr ??= createRequire(import.meta.url)('ipaddr.js') as typeof ipaddrModule;
  return ipaddr.IPv6;
}

/**
 * Canonical text of an IP address, or undefined when `s` is not one.
 * IPv4 stays dotted-quad; IPv6 is compressed and lowercased (RFC 5952 §4),
 * with IPv4-mapped addresses in mixed notation (RFC 5952 §5). Suricata prints
 * IPv6 fully expanded (`fe80:0000:...`). A zone index (`%eth0`) is not part of
 * an `ip` value and is left out.
 */
export function canonicalIp(s: string): string | undefined {
  if (s.indexOf(':') === -1) return isDottedQuad(s) ? s : undefined;
  // Only address-sized texts are cached: a long junk value must not be kept.
  if (s.length > V6_TEXT_MAX) return canonicalIpv6(s);
  const hit = v6Cache.get(s);
  if (hit !== undefined) return hit === null ? undefined : hit;
  const canonical = canonicalIpv6(s);
  if (v6Cache.size >= V6_CACHE_MAX) v6Cache.clear();
  v6Cache.set(s, canonical ?? null);
  return canonical;
}

/**
 * Canonical IPv6 texts by input text. Parsing IPv6 costs microseconds and a
 * sensor sees the same few hosts over and over. Bounded: cleared when full.
 */
const v6Cache = new Map<string, string | null>();
const V6_CACHE_MAX = 4096;
/** Longest IPv6 text: 8 groups of 4 hex digits and 7 colons, or a mapped IPv4 tail, plus a zone index. */
const V6_TEXT_MAX = 64;

function canonicalIpv6(s: string): string | undefined {
  const IPv6 = ipv6();
  if (!IPv6.isValid(s)) return undefined;
  const addr = IPv6.parse(s);
  if (addr.isIPv4MappedAddress()) return '::ffff:' + addr.toIPv4Address().toString();
  addr.zoneId = undefined;
  return addr.toRFC5952String();
}

/**
 * True for an IPv4 dotted quad as `net.isIPv4` accepts it: four decimal
 * numbers 0-255 without leading zeros. Read character by character: this runs
 * for two addresses of every event.
 */
export function isDottedQuad(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let i = 0;
  while (i < n) {
    const start = i;
    let v = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || v > 255 || (len > 1 && s.charCodeAt(start) === 48)) return false;
    parts++;
    if (i === n) break;
    if (s.charCodeAt(i) !== 46 || parts === 4) return false;
    i++;
    if (i === n) return false;
  }
  return parts === 4;
}
