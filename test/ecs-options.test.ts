/**
 * Options and conversions of the `ecs` profile added for real Suricata 7/8
 * output: observer vendor/product, event.original on request, the side of
 * alert counters, jizo.event_type, non-browser user agents, empty values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from '../src/index.js';
import type { NormalizeOptions } from '../src/normalize/types.js';
import { ConfigError, validateConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ecs(eve: object, options: NormalizeOptions = {}): Doc {
  const r = normalize(JSON.stringify(eve), { profile: 'ecs', receivedAt: '2025-01-01T00:00:00Z', ...options });
  assert.ok(r.ok, !r.ok ? r.message : '');
  return r.document as Doc;
}

const T = '2025-06-12T14:03:07.412833+0000';
const flow = { pkts_toserver: 5, pkts_toclient: 9, bytes_toserver: 612, bytes_toclient: 10384 };
const alert = (extra: object): object => ({
  timestamp: T, event_type: 'alert', src_ip: '203.0.113.80', src_port: 80, dest_ip: '192.0.2.15', dest_port: 51734, proto: 'TCP',
  alert: { signature_id: 1, signature: 'x' }, ...extra,
});

test('observer vendor/product: Sesame IT / Jizo by default, as given otherwise; suricata_version is observer.version', () => {
  const e = { timestamp: T, event_type: 'flow', src_ip: '192.0.2.1', suricata_version: '8.0.0' };
  assert.deepEqual([ecs(e).observer.vendor, ecs(e).observer.product, ecs(e).observer.version], ['Sesame IT', 'Jizo', '8.0.0']);
  const o = ecs(e, { observer: { vendor: 'OISF', product: 'Suricata' } }).observer;
  assert.deepEqual([o.vendor, o.product], ['OISF', 'Suricata']);
  assert.equal(ecs(e, { observer: { product: 'Suricata' } }).observer.vendor, 'Sesame IT');
});

test('alert counters: swapped when the alert source is the flow server (flow 5-tuple, else direction)', () => {
  // The flow's own 5-tuple says the alert's source is its server.
  const byTuple = ecs(alert({ flow: { ...flow, src_ip: '192.0.2.15', dest_ip: '203.0.113.80', src_port: 51734, dest_port: 80 } }));
  assert.deepEqual([byTuple.source.bytes, byTuple.source.packets, byTuple.destination.bytes, byTuple.destination.packets], [10384, 9, 612, 5]);
  assert.deepEqual([byTuple.client.ip, byTuple.server.ip], ['192.0.2.15', '203.0.113.80']);
  // Without the flow 5-tuple (Suricata 6): direction decides.
  const byDirection = ecs(alert({ direction: 'to_client', flow }));
  assert.deepEqual([byDirection.source.bytes, byDirection.destination.bytes], [10384, 612]);
  // The 5-tuple wins over direction; a to_server alert keeps the flow's order.
  const tupleWins = ecs(alert({ direction: 'to_client', flow: { ...flow, src_ip: '203.0.113.80', dest_ip: '192.0.2.15', src_port: 80, dest_port: 51734 } }));
  assert.equal(tupleWins.source.bytes, 612);
  assert.equal(ecs(alert({ direction: 'to_server', flow })).source.bytes, 612);
  // Same-host flow: the ports tell the sides apart.
  const loop = ecs({ ...alert({ flow: { ...flow, src_ip: '192.0.2.9', dest_ip: '192.0.2.9', src_port: 5000, dest_port: 80 } }), src_ip: '192.0.2.9', dest_ip: '192.0.2.9', src_port: 80, dest_port: 5000 });
  assert.equal(loop.source.bytes, 10384);
  // A flow event is written client -> server: never swapped.
  const f = ecs({ timestamp: T, event_type: 'flow', src_ip: '192.0.2.15', dest_ip: '203.0.113.80', direction: 'to_client', flow });
  assert.equal(f.source.bytes, 612);
});

test('jizo.event_type tells flow from netflow and the info types apart', () => {
  for (const t of ['flow', 'netflow', 'frame', 'stream_tcp', 'stats', 'packet']) {
    assert.equal(ecs({ timestamp: T, event_type: t, src_ip: '192.0.2.1' }).jizo.event_type, t);
  }
});

test('describe names the EVE type of a record it has no template for', () => {
  const d = ecs({ timestamp: T, event_type: 'stream_tcp', src_ip: '192.0.2.1', dest_ip: '192.0.2.2', proto: 'TCP', stream_tcp: {} }, { describe: true });
  assert.equal(d.jizo.description, 'Traffic over tcp from 192.0.2.1 to 192.0.2.2 (EVE stream_tcp event).');
});

test('an unreadable timestamp is kept as written', () => {
  const d = ecs({ timestamp: '12/06/2025 14:03', event_type: 'flow' });
  assert.equal(d['@timestamp'], '2025-01-01T00:00:00Z');
  assert.equal(d.jizo.timestamp_raw, '12/06/2025 14:03');
  assert.equal(ecs({ timestamp: T, event_type: 'flow' }).jizo.timestamp_raw, undefined);
  assert.equal(ecs({ timestamp: 5, event_type: 'flow' }).jizo.unmapped.timestamp, 5);
});

test('user agents of non-browser clients are named, browsers still by ua-parser-js', () => {
  const ua = (s: string): Doc => ecs({ timestamp: T, event_type: 'http', http: { http_user_agent: s } }).user_agent;
  const cases: [string, string, string][] = [
    ['curl/8.5.0', 'curl', '8.5.0'],
    ['Wget/1.21.4 (linux-gnu)', 'Wget', '1.21.4'],
    ['python-requests/2.31.0', 'Python Requests', '2.31.0'],
    ['Go-http-client/2.0', 'Go-http-client', '2.0'],
    ['Microsoft BITS/7.8', 'BITS', '7.8'],
    ['sqlmap/1.7.2#stable (https://sqlmap.org)', 'sqlmap', '1.7.2'],
    ['Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.1682', 'PowerShell', '5.1.19041.1682'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0', 'Firefox', '115.0'],
  ];
  for (const [s, name, version] of cases) assert.deepEqual([ua(s).name, ua(s).version], [name, version], s);
  // A token that only looks alike is not a tool.
  assert.equal(ua('Mozilla/5.0 libcurl-agent').name, undefined);
});

test('empty values are dropped inside objects kept whole, their siblings kept', () => {
  const d = ecs({ timestamp: T, event_type: 'smb', smb: { command: 'SMB2_COMMAND_SESSION_SETUP', request: { native_os: '', native_lm: '' }, response: { native_os: '', x: [] }, dialect: '3.11' } });
  assert.deepEqual(d.jizo.smb, { command: 'SMB2_COMMAND_SESSION_SETUP', dialect: '3.11' });
});

test('serve config: observer and keep_original keys with their defaults', () => {
  const registry = defaultRegistry();
  const d = validateConfig({}, registry);
  assert.deepEqual([d.observer, d.keep_original], [{ vendor: 'Sesame IT', product: 'Jizo' }, false]);
  const c = validateConfig({ observer: { vendor: 'OISF', product: 'Suricata' }, keep_original: true }, registry);
  assert.deepEqual([c.observer, c.keep_original], [{ vendor: 'OISF', product: 'Suricata' }, true]);
  assert.throws(() => validateConfig({ observer: { vendor: '' } }, registry), ConfigError);
});

test('a value of another kind under a key a mapper knows is kept, not dropped', () => {
  const d = ecs({
    timestamp: T, event_type: 'alert', src_ip: '192.0.2.1', dest_ip: '192.0.2.2',
    alert: { signature_id: 1, severity: 'high', source: { ip: 'not-an-ip', port: 80 } },
    flow: { bytes_toserver: '12 kB', pkts_toserver: 3 },
    fileinfo: { filename: 'a.exe', size: 'big', stored: 'yes' },
    tls: { session_resumed: 'no', version: 'TLS 1.3' },
    http: { status: 'OK', http_port: '8080' },
    tcp: { syn: 'yes', ts_max_regions: 'many' },
  });
  const u = d.jizo.unmapped;
  assert.equal(u.alert.severity, 'high');
  assert.deepEqual(u['alert.source'], { ip: 'not-an-ip' });
  assert.equal(d.jizo.alert.source.port, 80);
  assert.equal(u.flow.bytes_toserver, '12 kB');
  assert.equal(d.source.packets, 3);
  assert.deepEqual([u.fileinfo.size, u.fileinfo.stored], ['big', 'yes']);
  assert.equal(u.tls.session_resumed, 'no');
  // An integer written as digits is read as one, not kept twice.
  assert.deepEqual([u.http.status, u.http.http_port, d.jizo.http.http_port], ['OK', undefined, 8080]);
  assert.deepEqual(u.tcp, { syn: 'yes', ts_max_regions: 'many' });
});
