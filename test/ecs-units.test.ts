/** Unit tests of the tricky conversions of the `ecs` profile. */
import { READ_BY_MAP_COMMON, readByMapCommon } from '../src/normalize/ecs/common.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from '../src/index.js';
import { toJson } from '../src/serialize.js';
import { mac } from '../src/normalize/ecs/build.js';
import { cveId } from '../src/normalize/ecs/alert.js';
import { parseDn } from '../src/normalize/ecs/x509.js';
import { serverName } from '../src/normalize/ecs/tls.js';
import { appProtocol } from '../src/normalize/ecs/common.js';
import { Lru } from '../src/normalize/ecs/lru.js';
import { nanosBetween } from '../src/normalize/ecs/fasttime.js';
import { epochNanos, toUtc } from '../src/normalize/time.js';
import fc from 'fast-check';

const receivedAt = '2025-01-01T00:00:00.000Z';
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ecs(eve: object | string, options: { keepOriginal?: boolean } = {}): { doc: Doc; lossless: boolean; warnings: string[] } {
  const line = typeof eve === 'string' ? eve : JSON.stringify(eve);
  const r = normalize(line, { profile: 'ecs', receivedAt, ...options });
  assert.ok(r.ok, !r.ok ? r.message : '');
  return { doc: r.document as Doc, lossless: r.lossless, warnings: r.warnings };
}

const T = '2024-03-05T10:00:00.000001+0100';
const ev = (type: string, extra: object): object => ({ timestamp: T, event_type: type, src_ip: '192.0.2.1', src_port: 1, dest_ip: '192.0.2.2', dest_port: 2, proto: 'UDP', ...extra });

test('DNS v1 answer: the record is an answer, not the question', () => {
  const { doc } = ecs(ev('dns', { dns: { type: 'answer', id: 1, rrname: 'a.example.com', rrtype: 'CNAME', ttl: 5, rdata: 'b.example.com' } }));
  assert.equal(doc.dns.question, undefined);
  assert.deepEqual(doc.dns.answers, [{ name: 'a.example.com', type: 'CNAME', ttl: 5, data: 'b.example.com' }]);
  assert.equal(doc.dns.resolved_ip, undefined);
});

test('DNS v1/v2 query and v3 request give the question with its public-suffix split', () => {
  for (const dns of [
    { type: 'query', id: 1, rrname: 'www.example.co.uk', rrtype: 'A' },
    { version: 3, type: 'request', id: 1, queries: [{ rrname: 'www.example.co.uk', rrtype: 'A' }] },
  ]) {
    const { doc } = ecs(ev('dns', { dns }));
    assert.equal(doc.dns.type, 'query');
    assert.deepEqual(doc.dns.question, { name: 'www.example.co.uk', registered_domain: 'example.co.uk', subdomain: 'www', top_level_domain: 'co.uk', type: 'A' });
  }
});

test('DNS v2 grouped only: answers from grouped, resolved_ip canonical, header_flags from the hex word', () => {
  const { doc } = ecs(ev('dns', { dns: { version: 2, type: 'answer', id: 9, flags: '8580', rrname: 'x.example.org', rrtype: 'AAAA', rcode: 'NOERROR', grouped: { AAAA: ['2001:0db8:0000:0000:0000:0000:0000:0005'] } } }));
  assert.deepEqual(doc.dns.answers, [{ type: 'AAAA', data: '2001:0db8:0000:0000:0000:0000:0000:0005' }]);
  assert.deepEqual(doc.dns.resolved_ip, ['2001:db8::5']);
  assert.deepEqual(doc.dns.header_flags, ['AA', 'RD', 'RA']);
  assert.ok(doc.related.ip.includes('2001:db8::5'));
});

test('DNS v3 response: first query is the question, answers with ttl and data, SOA in presentation form', () => {
  const { doc } = ecs(ev('dns', { dns: { version: 3, type: 'response', id: 2, rcode: 'NOERROR', queries: [{ rrname: 'example.com', rrtype: 'SOA' }], answers: [{ rrname: 'example.com', rrtype: 'SOA', ttl: 60, soa: { mname: 'ns.example.com', rname: 'h.example.com', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 } }] } }));
  assert.equal(doc.dns.type, 'answer');
  assert.equal(doc.dns.question.name, 'example.com');
  assert.deepEqual(doc.dns.answers, [{ name: 'example.com', type: 'SOA', ttl: 60, data: 'ns.example.com h.example.com 7 1 2 3 4' }]);
});

test('DNS in an alert (Suricata 7 layout: query[] and answer{})', () => {
  const { doc } = ecs(ev('alert', { alert: { signature_id: 1, action: 'allowed' }, dns: { answer: { version: 2, type: 'answer', id: 3, rrname: 'e.example.com', rrtype: 'A', rcode: 'NOERROR', answers: [{ rrname: 'e.example.com', rrtype: 'A', ttl: 1, rdata: '203.0.113.9' }] } } }));
  assert.equal(doc.dns.question.name, 'e.example.com');
  assert.deepEqual(doc.dns.resolved_ip, ['203.0.113.9']);
});

test('MITRE metadata: every tactic and technique, the legacy mitre_attack id, framework set', () => {
  const { doc } = ecs(ev('alert', { alert: { signature_id: 5, metadata: { mitre_tactic_id: ['TA0011', 'TA0010'], mitre_tactic_name: ['Command_And_Control', 'Exfiltration'], mitre_technique_id: ['T1071', 'T1041'], mitre_technique_name: ['Application_Layer_Protocol', 'Exfiltration_Over_C2_Channel'], mitre_attack: ['t1001', 'not-an-id'] } } }));
  assert.deepEqual(doc.threat, {
    framework: 'MITRE ATT&CK',
    tactic: { id: ['TA0011', 'TA0010'], name: ['Command_And_Control', 'Exfiltration'] },
    technique: { id: ['T1071', 'T1041', 'T1001'], name: ['Application_Layer_Protocol', 'Exfiltration_Over_C2_Channel'] },
  });
  // The legacy key stays in the custom metadata (one of its values is no technique id).
  assert.deepEqual(doc.jizo.alert.metadata, { mitre_attack: ['t1001', 'not-an-id'] });
});

test('cve: ET metadata forms to CVE ids; first one is vulnerability.id', () => {
  assert.equal(cveId('CVE_2021_44228'), 'CVE-2021-44228');
  assert.equal(cveId('cve-2014-0160'), 'CVE-2014-0160');
  assert.equal(cveId('2017_0144'), 'CVE-2017-0144');
  assert.equal(cveId('MS17-010'), undefined);
  const { doc } = ecs(ev('alert', { alert: { signature_id: 5, metadata: { cve: ['MS17-010', 'CVE_2017_0144'] } } }));
  assert.deepEqual(doc.vulnerability, { id: 'CVE-2017-0144', enumeration: 'CVE' });
});

test('MAC addresses in ECS format', () => {
  assert.equal(mac('08:00:27:a4:6d:fb'), '08-00-27-A4-6D-FB');
  assert.equal(mac('08-00-27-A4-6D-FB'), '08-00-27-A4-6D-FB');
  assert.equal(mac('08:00:27:a4:6d'), undefined);
  assert.equal(mac('zz:00:27:a4:6d:fb'), undefined);
  const { doc } = ecs(ev('flow', { ether: { src_macs: ['00:11:22:33:44:55', '00:11:22:33:44:56'], dest_macs: ['aa:bb:cc:dd:ee:ff'] } }));
  assert.equal(doc.source.mac, '00-11-22-33-44-55');
  assert.equal(doc.destination.mac, 'AA-BB-CC-DD-EE-FF');
  assert.deepEqual(doc.jizo.ether.src_macs, ['00:11:22:33:44:55', '00:11:22:33:44:56']);
});

test('flow duration: exact nanoseconds across offsets and digit counts; none when end < start', () => {
  const a = ecs(ev('flow', { flow: { start: '2024-03-05T10:00:00.000001+0100', end: '2024-03-05T09:00:01.5Z', state: 'closed' } }));
  assert.equal(a.doc.event.duration, 1_499_999_000);
  assert.deepEqual(a.doc.event.type, ['connection', 'end']);
  const b = ecs(ev('flow', { flow: { start: '2024-03-05T09:00:00.123456789Z', end: '2024-03-05T09:00:00.123456790Z' } }));
  assert.equal(b.doc.event.duration, 1);
  const c = ecs(ev('flow', { flow: { start: '2024-03-05T10:00:01+0100', end: '2024-03-05T10:00:00+0100' } }));
  assert.equal(c.doc.event.duration, undefined);
  assert.ok(c.warnings.some((w) => /before flow start/.test(w)));
});

test('flow duration beyond 2^53 ns stays exact as a bigint and the document is written losslessly', () => {
  const { doc, lossless } = ecs(ev('flow', { flow: { start: '1970-01-01T00:00:00.000001+0000', end: '2024-03-05T09:00:00.000002Z' } }));
  assert.equal(typeof doc.event.duration, 'bigint');
  assert.equal(doc.event.duration, 1709629200000001000n);
  assert.ok(lossless);
  assert.match(toJson(doc, lossless), /"duration":1709629200000001000[,}]/);
});

test('TLS: DN split with escaped commas, upper-case fingerprint without colons, UTC validity, version split', () => {
  assert.deepEqual(parseDn('C=US, O=Example\\, Inc., OU=A, OU=B, CN=x.example.com, emailAddress=a@example.com'), {
    country: ['US'], organization: ['Example, Inc.'], organizational_unit: ['A', 'B'], common_name: ['x.example.com'],
  });
  const { doc } = ecs(ev('tls', { proto: 'TCP', tls: { version: 'SSLv3', sni: 'x.example.com.', fingerprint: 'ab:cd:ef', serial: '0a:1B', notbefore: '2024-01-02T03:04:05', notafter: '2025-01-02T03:04:05' } }));
  assert.equal(doc.tls.version, '3');
  assert.equal(doc.tls.version_protocol, 'ssl');
  assert.equal(doc.tls.client.server_name, 'x.example.com');
  assert.equal(doc.destination.domain, 'x.example.com');
  assert.equal(doc.tls.server.hash.sha1, 'ABCDEF');
  assert.equal(doc.tls.server.x509.serial_number, '0A1B');
  assert.equal(doc.tls.server.not_before, '2024-01-02T03:04:05Z');
  assert.equal(doc.tls.server.x509.not_after, '2025-01-02T03:04:05Z');
});

test('TLS: serial and fingerprint are the text without colons, upper case, whatever characters it holds (property)', () => {
  const chars = fc.constantFrom('0', '9', 'a', 'f', 'A', 'F', 'g', 'z', ':', ' ', 'é', 'ß', 'ÿ', 'Ω', '\u0161', '😀');
  fc.assert(
    fc.property(fc.array(chars, { minLength: 1, maxLength: 300 }).map((a) => a.join('')), (text) => {
      const { doc } = ecs(ev('tls', { proto: 'TCP', tls: { serial: text, fingerprint: text } }));
      const expected = text.replaceAll(':', '').toUpperCase();
      // Colons alone: no field, no related hash.
      assert.equal(doc.tls?.server?.x509?.serial_number, expected === '' ? undefined : expected);
      assert.equal(doc.tls?.server?.hash?.sha1, expected === '' ? undefined : expected);
      assert.deepEqual(doc.related?.hash, expected === '' ? undefined : [expected]);
    }),
    { numRuns: 300 },
  );
});

test('TLS: a serial or fingerprint of colons only gives no field and no related hash', () => {
  const { doc } = ecs(ev('tls', { proto: 'TCP', tls: { serial: ':', fingerprint: '::', subject: 'CN=a' } }));
  assert.equal(doc.tls.server.x509.serial_number, undefined);
  assert.equal(doc.tls.server.hash, undefined);
  assert.equal(doc.related?.hash, undefined);
  assert.equal(doc.tls.server.subject, 'CN=a');
});

test('SNI: only one trailing dot removed; a lone dot gives nothing', () => {
  assert.equal(serverName('example.com.'), 'example.com');
  assert.equal(serverName('example.com'), 'example.com');
  const { doc } = ecs(ev('tls', { tls: { sni: '.' } }));
  assert.equal(doc.tls, undefined);
  assert.equal(doc.destination.domain, undefined);
});

test('http outcome from the status (< 400 success), only on http events', () => {
  assert.equal(ecs(ev('http', { http: { status: 399 } })).doc.event.outcome, 'success');
  assert.equal(ecs(ev('http', { http: { status: '400' } })).doc.event.outcome, 'failure');
  assert.equal(ecs(ev('http', { http: { url: '/' } })).doc.event.outcome, undefined);
  assert.equal(ecs(ev('alert', { alert: { signature_id: 1 }, http: { status: 500 } })).doc.event.outcome, undefined);
});

test('app_proto: failed omitted (kept as jizo.app_proto.name), ftp-data is ftp, numeric proto named', () => {
  assert.equal(appProtocol('failed'), undefined);
  assert.equal(appProtocol('ftp-data'), 'ftp');
  assert.equal(appProtocol('HTTP2'), 'http2');
  const f = ecs(ev('flow', { app_proto: 'failed', proto: '006' })).doc;
  assert.equal(f.network.protocol, undefined);
  assert.equal(f.jizo.app_proto.name, 'failed');
  assert.equal(f.network.transport, 'tcp');
  assert.equal(f.network.iana_number, '6');
  const d = ecs(ev('fileinfo', { app_proto: 'ftp-data', fileinfo: { filename: 'a.txt' } })).doc;
  assert.equal(d.network.protocol, 'ftp');
  // A protocol event without app_proto gets its event type as protocol.
  assert.equal(ecs(ev('krb5', { krb5: { cname: 'a' } })).doc.network.protocol, 'krb5');
});

test('event.original: off by default, the payload with keepOriginal', () => {
  const line = JSON.stringify(ev('flow', {}));
  assert.equal(ecs(line).doc.event.original, undefined);
  assert.equal(ecs(line, { keepOriginal: false }).doc.event.original, undefined);
  assert.equal(ecs(line, { keepOriginal: true }).doc.event.original, line);
  const wrapped = ecs(JSON.stringify({ message: line }), { keepOriginal: true }).doc;
  assert.equal(wrapped.event.original, line);
});

test('prototype safety: __proto__ / constructor keys from the input are data', () => {
  const line = '{"timestamp":"2024-03-05T10:00:00Z","event_type":"newtype","newtype":{"__proto__":{"polluted":1}},' +
    '"__proto__":{"polluted":2},"alert":{"signature_id":1,"metadata":{"__proto__":["x"],"constructor":["y"]}},"http":{"__proto__":"z"}}';
  const { doc } = ecs(line);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(doc.jizo), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(doc.jizo.newtype, '__proto__')?.value, { polluted: 1 });
  assert.deepEqual(Object.getOwnPropertyDescriptor(doc.jizo.unmapped, '__proto__')?.value, { polluted: 2 });
  assert.deepEqual(Object.getOwnPropertyDescriptor(doc.jizo.alert.metadata, '__proto__')?.value, ['x']);
  assert.equal(Object.getPrototypeOf(doc.jizo.alert.metadata), Object.prototype);
  assert.deepEqual(doc.jizo.alert.metadata.constructor, ['y']);
  assert.equal(Object.getOwnPropertyDescriptor(doc.jizo.unmapped.http, '__proto__')?.value, 'z');
  const json = toJson(doc);
  assert.match(json, /"__proto__":\{"polluted":2\}/);
});

test('syslog envelope: header to log.syslog, structured data prototype-safe', () => {
  const line = '<165>1 2024-03-05T09:00:00Z sensor app 42 ID7 [ex@1 __proto__="p" k="v"] ' + JSON.stringify(ev('flow', {}));
  const { doc } = ecs(line);
  assert.deepEqual(doc.log.syslog.facility, { code: 20, name: 'local4' });
  assert.deepEqual(doc.log.syslog.severity, { code: 5, name: 'notice' });
  assert.equal(doc.log.syslog.priority, 165);
  assert.equal(doc.log.syslog.msgid, 'ID7');
  const sd = doc.log.syslog.structured_data['ex@1'];
  assert.equal(Object.getOwnPropertyDescriptor(sd, '__proto__')?.value, 'p');
  assert.equal(sd.k, 'v');
});

test('user agents: parsed once per distinct string (cache) and copied per document', () => {
  const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';
  const a = ecs(ev('http', { http: { http_user_agent: ua } })).doc;
  const b = ecs(ev('http', { http: { http_user_agent: ua } })).doc;
  assert.equal(a.user_agent.name, 'Mobile Safari');
  assert.equal(a.user_agent.os.name, 'iOS');
  assert.equal(a.user_agent.device.name, 'Apple iPhone');
  assert.notEqual(a.user_agent.os, b.user_agent.os);
  a.user_agent.os.name = 'changed';
  assert.equal(b.user_agent.os.name, 'iOS');
});

test('LRU cache: bounded, keeps what was used in the last generation, long keys not stored', () => {
  const lru = new Lru<number>(4, 10);
  let calls = 0;
  const f = (k: string): number => (calls++, k.length);
  // Generations of max/2 = 2 entries.
  lru.get('a', f);
  lru.get('bb', f); // young full: {a, bb} becomes the old generation
  lru.get('a', f); // a hit in the old generation, copied to the young one
  lru.get('ccc', f); // young {a, ccc} becomes old: bb, not used since, is gone
  assert.equal(calls, 3);
  calls = 0;
  assert.equal(lru.get('a', f), 1);
  assert.equal(lru.get('ccc', f), 3);
  assert.equal(calls, 0);
  assert.equal(lru.get('bb', f), 2);
  assert.equal(calls, 1);
  lru.get('x'.repeat(11), f);
  lru.get('x'.repeat(11), f);
  assert.equal(calls, 3, 'a key over maxKeyLength is computed every time');
  assert.ok(lru.size <= 4);
  for (let i = 0; i < 100; i++) {
    assert.equal(lru.get(`k${i}`, f), `k${i}`.length);
    assert.ok(lru.size <= 4);
  }
  // The most recent key is still there.
  calls = 0;
  lru.get('k99', f);
  assert.equal(calls, 0);
});

test('integer time conversions agree with toUtc and epochNanos (property)', () => {
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = fc
    .record({
      y: fc.integer({ min: 1000, max: 9998 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }),
      h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.integer({ min: 0, max: 59 }),
      frac: fc.stringMatching(/^\d{0,10}$/), off: fc.constantFrom('Z', '+0000', '+0100', '-0500', '+05:30', '-1200', '+1400', '+2400', '+0060', 'z', ''),
    })
    .map((p) => `${p.y}-${two(p.mo)}-${two(p.d)}T${two(p.h)}:${two(p.mi)}:${two(p.s)}${p.frac === '' ? '' : '.' + p.frac}${p.off}`);
  fc.assert(
    fc.property(stamp, stamp, (a, b) => {
      const ua = toUtc(a);
      const ub = toUtc(b);
      if (ua === undefined || ub === undefined) return;
      const exactNs = epochNanos(ub)! - epochNanos(ua)!;
      const ns = nanosBetween(ua, ub);
      assert.equal(BigInt(ns!), exactNs, `${a} -> ${b}`);
    }),
    { numRuns: 3000, seed: 7 },
  );
  assert.equal(toUtc('2024-02-29T23:59:59.999999-0100'), '2024-03-01T00:59:59.999999Z');
  assert.equal(toUtc('2023-02-29T00:00:00Z'), undefined);
  assert.equal(toUtc('2024-01-01T00:30:00+0100'), '2023-12-31T23:30:00Z');
});

test('an src_ip that is not an address is kept under jizo.unmapped, with a warning', () => {
  const { doc, warnings } = ecs(ev('flow', { src_ip: 'not-an-ip', src_port: 'x' }));
  assert.equal(doc.source, undefined);
  assert.equal(doc.jizo.unmapped.src_ip, 'not-an-ip');
  assert.equal(doc.jizo.unmapped.src_port, 'x');
  assert.ok(warnings.includes('src_ip is not an IP address'));
});

test('MITRE sub-techniques: to threat.technique.subtechnique with their parent technique', () => {
  const { doc } = ecs(ev('alert', { alert: { signature_id: 6, metadata: { mitre_technique_id: ['T1071.001', 'T1105'], mitre_technique_name: ['Web_Protocols', 'Ingress_Tool_Transfer'] } } }));
  assert.deepEqual(doc.threat.technique, {
    id: ['T1071', 'T1105'],
    name: ['Ingress_Tool_Transfer'],
    subtechnique: { id: ['T1071.001'], name: ['Web_Protocols'] },
  });
});

test('readByMapCommon is true exactly for the keys mapCommon reads', () => {
  for (const k of READ_BY_MAP_COMMON) assert.equal(readByMapCommon(k), true, k);
  for (const k of ['alert', 'dns', 'flow', 'tx_id', 'pkt_src', 'Timestamp', 'timestamp ', '', '__proto__']) assert.equal(readByMapCommon(k), false, k);
  // A key built at run time (not an internalized literal) is recognized too.
  assert.equal(readByMapCommon(['time', 'stamp'].join('')), true);
});
