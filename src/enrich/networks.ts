/**
 * Internal networks and network.direction, as Elasticsearch's
 * `network_direction` ingest processor defines them (Elasticsearch reference,
 * "Network direction processor"): a list of CIDR ranges, single addresses and
 * named networks; source and destination internal: `internal`, only the
 * source: `outbound`, only the destination: `inbound`, neither: `external`.
 * The named networks follow that processor's definitions (Java's InetAddress
 * tests): `loopback` 127.0.0.0/8 and ::1; `unicast` / `global_unicast` any
 * address that is not broadcast, unspecified, loopback, multicast or
 * link-local unicast; `link_local_unicast` 169.254.0.0/16 and fe80::/10;
 * `link_local_multicast` 224.0.0.0/24 and ff02::/16 (scope 2);
 * `interface_local_multicast` ff01::/16 (scope 1); `multicast` 224.0.0.0/4 and
 * ff00::/8; `unspecified` 0.0.0.0 and ::; `private` 10.0.0.0/8,
 * 172.16.0.0/12, 192.168.0.0/16 and fd00::/8; `public` none of private,
 * loopback, unspecified, link-local unicast or multicast, interface-local
 * multicast, broadcast.
 */
import ipaddr from 'ipaddr.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
type Test = (a: Addr) => boolean;

const cidr = (text: string): [Addr, number] => ipaddr.parseCIDR(text);
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8'].map(cidr);

const isV4 = (a: Addr): a is ipaddr.IPv4 => a.kind() === 'ipv4';
const bytes = (a: Addr): number[] => a.toByteArray();
const loopback: Test = (a) => (isV4(a) ? a.octets[0] === 127 : a.toNormalizedString() === '0:0:0:0:0:0:0:1');
const unspecified: Test = (a) => bytes(a).every((b) => b === 0);
const broadcast: Test = (a) => isV4(a) && a.octets.every((b) => b === 255);
const multicast: Test = (a) => (isV4(a) ? a.octets[0]! >= 224 && a.octets[0]! <= 239 : a.parts[0]! >> 8 === 0xff);
const linkLocalUnicast: Test = (a) => (isV4(a) ? a.octets[0] === 169 && a.octets[1] === 254 : (a.parts[0]! & 0xffc0) === 0xfe80);
const linkLocalMulticast: Test = (a) =>
  isV4(a) ? a.octets[0] === 224 && a.octets[1] === 0 && a.octets[2] === 0 : a.parts[0]! >> 8 === 0xff && (a.parts[0]! & 0x0f) === 2;
const interfaceLocalMulticast: Test = (a) => !isV4(a) && a.parts[0]! >> 8 === 0xff && (a.parts[0]! & 0x0f) === 1;
const isPrivate: Test = (a) => PRIVATE.some((r) => a.kind() === r[0].kind() && a.match(r));
const unicast: Test = (a) => !broadcast(a) && !unspecified(a) && !loopback(a) && !multicast(a) && !linkLocalUnicast(a);
const isPublic: Test = (a) =>
  !isPrivate(a) && !loopback(a) && !unspecified(a) && !linkLocalUnicast(a) && !linkLocalMulticast(a) && !interfaceLocalMulticast(a) && !broadcast(a);

/** The named networks of the network_direction processor. */
export const NAMED_NETWORKS: Readonly<Record<string, Test>> = {
  loopback,
  unicast,
  global_unicast: unicast,
  link_local_unicast: linkLocalUnicast,
  interface_local_multicast: interfaceLocalMulticast,
  link_local_multicast: linkLocalMulticast,
  multicast,
  unspecified,
  private: isPrivate,
  public: isPublic,
};

/** Parsed address: IPv4-mapped IPv6 addresses count as their IPv4 address (as in Java's InetAddress). */
export function parseAddress(text: string): Addr | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const a = ipaddr.parse(text);
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

/** A list of internal networks; throws a TypeError naming the first entry that is neither a CIDR, an address nor a named network. */
export class InternalNetworks {
  private readonly tests: Test[] = [];

  constructor(readonly entries: readonly string[]) {
    for (const raw of entries) {
      const e = raw.trim();
      const named = NAMED_NETWORKS[e];
      if (named !== undefined) {
        this.tests.push(named);
        continue;
      }
      if (e.includes('/') && ipaddr.isValidCIDR(e)) {
        const range = cidr(e);
        const base = range[0];
        this.tests.push((a) => a.kind() === base.kind() && a.match(range));
        continue;
      }
      const single = parseAddress(e);
      if (single === undefined) {
        throw new TypeError(
          `internal network ${JSON.stringify(raw)}: expected a CIDR range (10.0.0.0/8), an address, or one of ${Object.keys(NAMED_NETWORKS).join(', ')}`,
        );
      }
      const bits = single.kind() === 'ipv4' ? 32 : 128;
      this.tests.push((a) => a.kind() === single.kind() && a.match(single, bits));
    }
    if (this.tests.length === 0) throw new TypeError('internal networks: expected at least one network');
  }

  contains(a: Addr): boolean {
    for (const t of this.tests) if (t(a)) return true;
    return false;
  }
}

export type Direction = 'inbound' | 'outbound' | 'internal' | 'external';

/** network.direction of a source and a destination address. */
export function direction(sourceInternal: boolean, destinationInternal: boolean): Direction {
  if (sourceInternal && destinationInternal) return 'internal';
  if (sourceInternal) return 'outbound';
  if (destinationInternal) return 'inbound';
  return 'external';
}
