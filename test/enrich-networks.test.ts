import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { direction, InternalNetworks, NAMED_NETWORKS, parseAddress } from '../src/enrich/networks.js';
import { normalize } from '../src/index.js';

const inside = (nets: string[], ip: string) => new InternalNetworks(nets).contains(parseAddress(ip)!);

describe('network direction', () => {
  it('is internal, outbound, inbound or external as the network_direction processor defines it', () => {
    assert.equal(direction(true, true), 'internal');
    assert.equal(direction(true, false), 'outbound');
    assert.equal(direction(false, true), 'inbound');
    assert.equal(direction(false, false), 'external');
  });

  it('knows the named networks of the processor', () => {
    assert.deepEqual(Object.keys(NAMED_NETWORKS).sort(), [
      'global_unicast', 'interface_local_multicast', 'link_local_multicast', 'link_local_unicast', 'loopback', 'multicast', 'private', 'public', 'unicast', 'unspecified',
    ]);
    const cases: [string, string, boolean][] = [
      ['private', '10.1.2.3', true], ['private', '172.31.255.1', true], ['private', '172.32.0.1', false], ['private', '192.168.0.1', true],
      ['private', 'fd12::1', true], ['private', 'fc00::1', false], ['private', '100.64.0.1', false], ['private', '::ffff:10.0.0.1', true],
      ['loopback', '127.0.0.2', true], ['loopback', '::1', true], ['loopback', '::2', false],
      ['link_local_unicast', '169.254.3.4', true], ['link_local_unicast', 'fe80::1', true], ['link_local_unicast', '10.0.0.1', false],
      ['multicast', '239.1.1.1', true], ['multicast', 'ff05::1', true], ['multicast', '8.8.8.8', false],
      ['link_local_multicast', '224.0.0.251', true], ['link_local_multicast', '224.0.1.1', false], ['link_local_multicast', 'ff02::fb', true],
      ['interface_local_multicast', 'ff01::1', true], ['interface_local_multicast', 'ff02::1', false],
      ['unspecified', '0.0.0.0', true], ['unspecified', '::', true],
      ['unicast', '8.8.8.8', true], ['unicast', '10.0.0.1', true], ['unicast', '255.255.255.255', false], ['unicast', '224.0.0.1', false],
      ['unicast', '127.0.0.1', false], ['unicast', 'fe80::1', false], ['global_unicast', '2001:db8::1', true],
      ['public', '8.8.8.8', true], ['public', '192.168.1.1', false], ['public', '169.254.0.1', false], ['public', '2606:4700::1', true],
    ];
    for (const [name, ip, expected] of cases) assert.equal(inside([name], ip), expected, `${name} ${ip}`);
  });

  it('takes CIDR ranges and single addresses, and refuses anything else', () => {
    assert.ok(inside(['192.0.2.0/24'], '192.0.2.77'));
    assert.ok(!inside(['192.0.2.0/24'], '198.51.100.1'));
    assert.ok(inside(['2001:db8::/32'], '2001:db8:1::5'));
    assert.ok(!inside(['2001:db8::/32'], '192.0.2.1'));
    assert.ok(inside(['203.0.113.9'], '203.0.113.9'));
    assert.ok(!inside(['203.0.113.9'], '203.0.113.10'));
    assert.throws(() => new InternalNetworks(['privat']), /internal network "privat": expected a CIDR range/);
    assert.throws(() => new InternalNetworks(['10.0.0.0/33']), /expected a CIDR range/);
  });

  it('sets network.direction from source and destination, and nothing without both or without networks', () => {
    const line = (src: string, dst: string) =>
      JSON.stringify({ timestamp: '2024-06-27T12:00:00Z', event_type: 'flow', src_ip: src, src_port: 1, dest_ip: dst, dest_port: 2, proto: 'TCP' });
    const dir = (l: string, nets?: string[]) => {
      const r = normalize(l, { profile: 'ecs', internalNetworks: nets });
      assert.ok(r.ok);
      return (r.document.network as { direction?: string } | undefined)?.direction;
    };
    assert.equal(dir(line('192.0.2.1', '198.51.100.1'), ['192.0.2.0/24']), 'outbound');
    assert.equal(dir(line('198.51.100.1', '192.0.2.1'), ['192.0.2.0/24']), 'inbound');
    assert.equal(dir(line('192.0.2.1', '192.0.2.2'), ['192.0.2.0/24']), 'internal');
    assert.equal(dir(line('198.51.100.1', '203.0.113.1'), ['192.0.2.0/24']), 'external');
    assert.equal(dir(line('192.0.2.1', '198.51.100.1')), undefined);
    const noDest = JSON.stringify({ timestamp: '2024-06-27T12:00:00Z', event_type: 'stats', stats: {} });
    assert.equal(dir(noDest, ['private']), undefined);
  });
});
