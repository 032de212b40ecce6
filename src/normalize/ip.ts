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
  if (!ipaddr.IPv6.isValid(s)) return undefined;
  const addr = ipaddr.IPv6.parse(s);
  if (addr.isIPv4MappedAddress()) return '::ffff:' + addr.toIPv4Address().toString();
  addr.zoneId = undefined;
  return addr.toRFC5952String();
}
