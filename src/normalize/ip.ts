import { isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Canonical text of an IP address, or undefined when `s` is not one.
 * IPv4 stays dotted-quad; IPv6 is compressed and lowercased (RFC 5952 §4),
 * with IPv4-mapped addresses in mixed notation (RFC 5952 §5). Suricata prints
 * IPv6 fully expanded (`fe80:0000:...`). A zone index (`%eth0`) is not part of
 * an `ip` value and is left out.
 */
export function canonicalIp(s: string): string | undefined {
  if (s.indexOf(':') === -1) return isIPv4(s) ? s : undefined;
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
  if (!ipaddr.IPv6.isValid(s)) return undefined;
  const addr = ipaddr.IPv6.parse(s);
  if (addr.isIPv4MappedAddress()) return '::ffff:' + addr.toIPv4Address().toString();
  addr.zoneId = undefined;
  return addr.toRFC5952String();
}
