import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe as suite, it } from 'node:test';
import { describe, DESCRIPTION_TEMPLATES } from '../src/describe/index.js';
import { catalogField } from '../src/catalog/catalog.js';
import { availableProfiles, producedDocuments, SHARED } from './helpers/documents.js';

const ECS = (JSON.parse(readFileSync(join(SHARED, 'ecs/ecs-fields.json'), 'utf8')) as { fields: Record<string, unknown> }).fields;

/** Hand-made documents of the `ecs` profile (issue 3 field names), one per event type. */
const ECS_DOCS: Record<string, [object, string, RegExp]> = {
  alert: [
    {
      event: { kind: 'alert', category: ['network', 'intrusion_detection'], type: ['allowed'], severity: 1 },
      rule: { id: '2024217', name: 'ET POLICY curl User-Agent', category: 'Attempted Information Leak', version: '3' },
      source: { ip: '192.0.2.10', port: 51000, bytes: 10 },
      destination: { ip: '203.0.113.5', port: 80, bytes: 20 },
      network: { transport: 'tcp', protocol: 'http' },
      http: { request: { method: 'GET' } },
      url: { original: '/x' },
    },
    'alert',
    /^Alert "ET POLICY curl User-Agent" \(rule 2024217 rev 3\), category "Attempted Information Leak", severity 1, allowed from 192\.0\.2\.10:51000 to 203\.0\.113\.5:80 over tcp\/http; HTTP GET \/x\.$/,
  ],
  flow: [
    {
      event: { kind: 'event', category: ['network'], type: ['connection', 'end'], start: '2024-01-01T00:00:00.000001Z', end: '2024-01-01T00:00:01.000001Z' },
      source: { ip: '2001:db8::1', port: 1234, bytes: 100, packets: 2 },
      destination: { ip: '2001:db8::2', port: 443, bytes: 2000, packets: 3 },
      network: { transport: 'tcp', protocol: 'tls' },
    },
    'flow',
    /^Flow over tcp\/tls from \[2001:db8::1\]:1234 to \[2001:db8::2\]:443: 100 bytes \(2 pkts\) sent, 2000 bytes \(3 pkts\) back, started .*, ended .*\.$/,
  ],
  dns: [
    {
      event: { kind: 'event', category: ['network'], type: ['protocol'] },
      source: { ip: '198.51.100.53', port: 53 },
      destination: { ip: '192.0.2.10', port: 40000 },
      dns: { type: 'answer', question: { name: 'www.example.com', type: 'A' }, response_code: 'NOERROR', resolved_ip: ['192.0.2.80'], answers: [{ data: '192.0.2.80', type: 'A' }] },
    },
    'dns-answer-resolved',
    /^DNS answer for www\.example\.com \(A\): NOERROR, resolved to 192\.0\.2\.80 from 198\.51\.100\.53:53 to 192\.0\.2\.10:40000\.$/,
  ],
  tls: [
    {
      event: { kind: 'event', category: ['network'], type: ['protocol'] },
      source: { ip: '192.0.2.10', port: 50000 },
      destination: { ip: '203.0.113.7', port: 443 },
      network: { protocol: 'tls', transport: 'tcp' },
      tls: { version: '1.3', client: { server_name: 'www.example.org', ja3: 'abc' }, server: { x509: { subject: { common_name: ['www.example.org'] }, issuer: { common_name: ['Example CA'] } } } },
    },
    'tls',
    /^TLS 1\.3 from 192\.0\.2\.10:50000 to 203\.0\.113\.7:443 for www\.example\.org, certificate www\.example\.org issued by Example CA, JA3 abc\.$/,
  ],
  http: [
    {
      event: { kind: 'event', category: ['network', 'web'], type: ['access', 'protocol'] },
      source: { ip: '192.0.2.10', port: 50000 },
      destination: { ip: '203.0.113.7', port: 80, domain: 'www.example.com' },
      http: { request: { method: 'POST' }, response: { status_code: 404, body: { bytes: 12 } } },
      url: { original: '/login?x=1' },
    },
    'http',
    /^192\.0\.2\.10 sent HTTP POST \/login\?x=1 to www\.example\.com \(203\.0\.113\.7:80\), status 404, 12 bytes\.$/,
  ],
  fileinfo: [
    {
      event: { kind: 'event', category: ['network', 'file'], type: ['info'], action: 'stored' },
      source: { ip: '192.0.2.10' },
      destination: { ip: '203.0.113.7', port: 80 },
      url: { domain: 'files.example.com' },
      network: { protocol: 'http' },
      file: { name: 'setup.exe', size: 1024, hash: { sha256: 'ab'.repeat(32) } },
    },
    'fileinfo-http',
    /^File setup\.exe \(1024 bytes\) transferred over HTTP from host files\.example\.com between 192\.0\.2\.10 and 203\.0\.113\.7:80, sha256 (ab){32}\.$/,
  ],
  smtp: [
    {
      event: { kind: 'event', category: ['network'], type: ['protocol'] },
      source: { ip: '192.0.2.10', port: 50000 },
      destination: { ip: '203.0.113.25', port: 25 },
      network: { protocol: 'smtp' },
      email: { from: { address: ['a@example.com'] }, to: { address: ['b@example.org', 'c@example.org'] }, subject: 'Hi' },
    },
    'smtp',
    /^SMTP from 192\.0\.2\.10:50000 to 203\.0\.113\.25:25: mail from a@example\.com to b@example\.org, c@example\.org subject "Hi"\.$/,
  ],
  krb5: [
    {
      event: { kind: 'event', category: ['network'], type: ['protocol'] },
      source: { ip: '192.0.2.10' },
      destination: { ip: '192.0.2.2', port: 88 },
      network: { protocol: 'krb5' },
      user: { name: 'alice', domain: 'EXAMPLE.COM' },
    },
    'krb5',
    /^Kerberos from 192\.0\.2\.10 to 192\.0\.2\.2:88 for alice@EXAMPLE\.COM\.$/,
  ],
  anomaly: [
    {
      event: { kind: 'event', category: ['network'], type: ['info'], action: 'INVALID_OPTIONLEN' },
      source: { ip: '192.0.2.1' },
      destination: { ip: '192.0.2.2' },
      network: { transport: 'tcp' },
      jizo: { anomaly: { type: 'decode' } },
    },
    'anomaly',
    /^Anomaly INVALID_OPTIONLEN \(decode\) from 192\.0\.2\.1 to 192\.0\.2\.2 over tcp\.$/,
  ],
  drop: [
    { event: { kind: 'event', category: ['network'], type: ['denied'] }, source: { ip: '192.0.2.1', port: 1 }, destination: { ip: '192.0.2.2', port: 2 }, network: { transport: 'udp' } },
    'drop',
    /^Packet dropped from 192\.0\.2\.1:1 to 192\.0\.2\.2:2 over udp\.$/,
  ],
  stats: [{ event: { kind: 'metric', category: ['network'], type: ['info'] }, observer: { hostname: 'sensor1' } }, 'stats', /^Sensor statistics of sensor1\.$/],
  ssh: [
    {
      event: { kind: 'event', category: ['network'], type: ['protocol'] },
      source: { ip: '192.0.2.1' },
      destination: { ip: '192.0.2.2', port: 22 },
      network: { protocol: 'ssh' },
      jizo: { ssh: { server: { software_version: 'OpenSSH_9.2' } } },
    },
    'ssh',
    /^SSH from 192\.0\.2\.1 to 192\.0\.2\.2:22, server OpenSSH_9\.2\.$/,
  ],
  diameter: [
    { event: { kind: 'event', category: ['network'], type: ['info'] }, source: { ip: '192.0.2.1' }, destination: { ip: '192.0.2.2', port: 3868 }, jizo: { diameter: { command_code: 257 } } },
    'diameter-object',
    /^Diameter 257 from 192\.0\.2\.1 to 192\.0\.2\.2:3868\.$/,
  ],
  unknown: [
    { event: { kind: 'event', category: ['network'], type: ['protocol'] }, source: { ip: '192.0.2.1' }, destination: { ip: '192.0.2.2' }, network: { protocol: 'bittorrent-dht' } },
    'protocol',
    /^BITTORRENT-DHT transaction from 192\.0\.2\.1 to 192\.0\.2\.2\.$/,
  ],
};

/**
 * Fields that carry nothing a specific sentence could add: a document holding
 * only these may fall back to the `network` or `generic` sentence.
 */
const NOTHING_MORE = [
  '@timestamp', 'message', 'ecs.', 'event.kind', 'event.category', 'event.type', 'event.module', 'event.dataset', 'event.original',
  'event.created', 'event.ingested', 'source.ip', 'source.port', 'source.address', 'source.mac', 'destination.ip', 'destination.port',
  'destination.address', 'destination.mac', 'network.transport', 'network.protocol', 'network.community_id', 'network.vlan.',
  'network.iana_number', 'network.direction', 'network.type', 'observer.', 'host.', 'related.', 'log.', 'agent.', 'jizo.flow.id',
  'jizo.description', 'jizo.event_type', 'jizo.tx_id',
];

function leafNames(o: unknown, prefix = '', out: string[] = []): string[] {
  if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) leafNames(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else out.push(prefix);
  return out;
}

suite('description templates', () => {
  for (const [type, [doc, id, re]] of Object.entries(ECS_DOCS)) {
    it(`describe an ecs ${type} event`, () => {
      const r = describe(doc);
      assert.equal(r.template, id);
      assert.match(r.text, re);
    });
  }

  it('describes the documented sekoia alert sample exactly, with its relationships', () => {
    const seed = JSON.parse(readFileSync(join(SHARED, 'fixtures/seed/event.json'), 'utf8')) as { expected: object };
    const r = describe(seed.expected);
    assert.equal(r.template, 'alert-sekoia');
    assert.equal(
      r.text,
      'Alert "ET EXPLOIT Possible ETERNALBLUE Probe MS17-010 (Generic Flags)" (signature 2221014), category "A Network Trojan was detected", ' +
        'severity 3 (Major), allowed from 1.2.3.4:8000 to 10.0.4.4:4000 over TCP/smb.',
    );
    assert.deepEqual(r.relationships, [
      { source: { field: 'source.ip', value: '1.2.3.4' }, verb: 'connected to', target: { field: 'destination.ip', value: '10.0.4.4' } },
      {
        source: { field: 'source.ip', value: '1.2.3.4' },
        verb: 'triggered',
        target: { field: 'action.properties.signature', value: 'ET EXPLOIT Possible ETERNALBLUE Probe MS17-010 (Generic Flags)' },
      },
    ]);
  });

  it('has a template for every event type of both profiles, and ends with the two fallbacks', () => {
    const covered = new Set(DESCRIPTION_TEMPLATES.flatMap((t) => t.eventTypes));
    const types = ['alert', 'flow', 'netflow', 'dns', 'tls', 'quic', 'http', 'http2', 'fileinfo', 'smb', 'dcerpc', 'ssh', 'smtp', 'krb5', 'dhcp', 'ftp', 'rdp', 'sip', 'snmp', 'mqtt', 'nfs', 'tftp', 'pgsql', 'ike', 'ldap', 'rfb', 'dnp3', 'modbus', 'anomaly', 'drop', 'stats', 'arp'];
    for (const type of types) assert.ok(covered.has(type), type);
    assert.deepEqual(DESCRIPTION_TEMPLATES.slice(-2).map((t) => [t.id, t.when.length]), [['network', 0], ['generic', 0]]);
  });

  it('names only fields that exist: catalogued, ECS, or custom jizo.*', () => {
    for (const t of DESCRIPTION_TEMPLATES) {
      const names = [...t.text.matchAll(/\{([^}|]+)/g)].map((m) => m[1]!);
      names.push(...t.when.map((c) => c.field), ...(t.relationships ?? []).flatMap((r) => [r.source, r.target]));
      for (const n of names) {
        const ok = catalogField(n) !== undefined || Object.hasOwn(ECS, n) || n.startsWith('jizo.');
        assert.ok(ok, `template ${t.id}: unknown field ${n}`);
      }
    }
  });

  for (const profile of availableProfiles()) {
    it(`falls back to a generic sentence only when a ${profile} document has nothing more to say`, () => {
      const failures: string[] = [];
      const used = new Set<string>();
      for (const d of producedDocuments(profile)) {
        const r = describe(d.document);
        used.add(r.template);
        if (r.text.includes('undefined') && !d.message.includes('undefined')) failures.push(`${d.origin}: bad text ${r.text}`);
        const eveType = /"event_type"\s*:\s*"(\w+)"/.exec(d.message)?.[1];
        const kind = (d.document.event as { kind?: string } | undefined)?.kind;
        if (kind === 'alert' && !r.template.startsWith('alert')) failures.push(`${d.origin}: alert described by ${r.template}`);
        if (r.template !== 'network' && r.template !== 'generic') continue;
        const extra = leafNames(d.document).filter((n) => !NOTHING_MORE.some((p) => (p.endsWith('.') ? n.startsWith(p) : n === p)));
        if (extra.length > 0) {
          failures.push(`${d.origin} (${eveType}): ${r.template} sentence although it has ${extra.slice(0, 8).join(', ')}${extra.length > 8 ? ` and ${extra.length - 8} more` : ''}`);
        }
      }
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
      assert.ok(used.size >= 4, [...used].join());
    });
  }
});
