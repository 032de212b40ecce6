/**
 * Property test of the `ecs` profile: EVE objects with arbitrary values under
 * the keys the mappers read never make normalization fail, and the document
 * always conforms to ECS and the declared fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalize } from '../src/index.js';
import { toJson } from '../src/serialize.js';
import { schemaErrors } from './helpers/ecs-schema.js';

const TOP = ['alert', 'flow', 'netflow', 'tcp', 'dns', 'http', 'tls', 'quic', 'fileinfo', 'email', 'smtp', 'anomaly', 'smb', 'krb5', 'dhcp', 'ftp', 'arp', 'mqtt', 'pgsql', 'nfs', 'drop', 'ether', 'stats', 'futuretype'];
const SUB = [
  'start', 'end', 'pkts_toserver', 'bytes_toserver', 'pkts_toclient', 'state', 'rrname', 'rrtype', 'answers', 'grouped',
  'queries', 'query', 'answer', 'version', 'type', 'rdata', 'ttl', 'rcode', 'opcode', 'sni', 'subject', 'issuerdn',
  'fingerprint', 'serial', 'notbefore', 'ja3', 'ja4', 'client', 'url', 'hostname', 'status', 'http_user_agent', 'protocol',
  'metadata', 'signature_id', 'severity', 'action', 'filename', 'md5', 'size', 'ntlmssp', 'cname', 'realm', 'client_mac',
  'src_mac', 'src_ip', 'src_macs', 'xff', 'flags', 'rd', 'aa', 'cve', 'mitre_technique_id', 'from', 'to', 'mail_from',
  'event', 'command', 'command_data', 'connect', 'server_alpns', 'soa', '__proto__', 'x',
];

const value = fc.jsonValue({ maxDepth: 3 });
const subObject = fc.dictionary(fc.constantFrom(...SUB), fc.oneof(value, fc.dictionary(fc.constantFrom(...SUB), value, { maxKeys: 4 })), { maxKeys: 8 });
const event = fc
  .record({
    type: fc.constantFrom(...TOP),
    objects: fc.dictionary(fc.constantFrom(...TOP), fc.oneof(subObject, value), { maxKeys: 3 }),
    top: fc.dictionary(fc.constantFrom('src_ip', 'dest_ip', 'src_port', 'proto', 'app_proto', 'vlan', 'flow_id', 'host', 'in_iface', 'tx_id', 'icmp_type', 'x'), value, { maxKeys: 5 }),
  })
  .map(({ type, objects, top }) => JSON.stringify({ timestamp: '2024-03-05T10:00:00.5+0100', event_type: type, ...top, ...objects }));

test('ecs profile: arbitrary values under known keys give a conforming document', () => {
  fc.assert(
    fc.property(event, (line) => {
      const r = normalize(line, { profile: 'ecs', receivedAt: '2025-01-01T00:00:00Z' });
      assert.ok(r.ok, !r.ok ? `${r.reason}: ${r.message}` : '');
      assert.deepEqual(schemaErrors(r.document as Record<string, unknown>), []);
      assert.doesNotThrow(() => JSON.parse(toJson(r.document, r.lossless)));
    }),
    { numRuns: Number(process.env.ECS_PROP_RUNS ?? 400), ...(process.env.ECS_PROP_RUNS ? {} : { seed: 20260311 }) },
  );
});
