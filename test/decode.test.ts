import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, type Decoded, type Rejection } from '../src/decode/index.js';
import { parseSyslog } from '../src/decode/syslog.js';

const EVE = '{"timestamp":"2024-06-27T12:56:49.920281+0000","event_type":"alert","src_ip":"192.0.2.1"}';

function ok(raw: string): Decoded {
  const r = decode(raw);
  assert.ok(r.ok, `expected a document, got ${!r.ok ? `${r.reason}: ${r.message}` : ''}`);
  return r;
}

function rejected(raw: string, opts = {}): Rejection {
  const r = decode(raw, opts);
  assert.ok(!r.ok, 'expected a rejection');
  return r;
}

test('bare EVE: leading whitespace is kept in the payload, line terminators are not', () => {
  assert.equal(ok(EVE).payload, EVE);
  assert.equal(ok(' ' + EVE).payload, ' ' + EVE);
  assert.equal(ok(EVE + '\r\n').payload, EVE);
  assert.equal(ok(EVE + '\n').payload, EVE);
  assert.equal(ok('\t' + EVE + '  \r\n').payload, '\t' + EVE + '  ');
  assert.equal(ok(EVE).envelope, 'eve');
});

test('RFC 5424 with structured data: payload is the MSG part, header parsed', () => {
  const line = `<165>1 2024-06-27T12:56:49.920281+02:00 sensor-1 jizo 42 eve [SEKOIA@53288 intake_key="k\\"1\\]x"][meta seq="1" seq2="2"] ${EVE}`;
  const d = ok(line);
  assert.equal(d.payload, EVE);
  assert.equal(d.envelope, 'syslog');
  assert.deepEqual({ ...d.syslog, structuredData: undefined }, {
    format: 'rfc5424',
    version: 1,
    priority: 165,
    facility: 20,
    severity: 5,
    timestamp: '2024-06-27T12:56:49.920281+02:00',
    hostname: 'sensor-1',
    appname: 'jizo',
    procid: '42',
    msgid: 'eve',
    structuredData: undefined,
  });
  assert.equal(d.syslog?.structuredData?.['SEKOIA@53288']?.intake_key, 'k"1]x');
  assert.equal(d.syslog?.structuredData?.meta?.seq2, '2');
});

test('RFC 5424 without structured data, nil fields and a BOM', () => {
  const d = ok(`<14>1 - - - - - - \uFEFF${EVE}`);
  assert.equal(d.payload, EVE);
  assert.deepEqual(d.syslog, { format: 'rfc5424', version: 1, priority: 14, facility: 1, severity: 6 });
});

test('RFC 3164 with and without PRI, with and without hostname', () => {
  const a = ok(`<134>Jan  9 15:55:17 proyecto-cert suricata[4146]: ${EVE}`);
  assert.equal(a.payload, EVE);
  assert.equal(a.syslog?.hostname, 'proyecto-cert');
  assert.equal(a.syslog?.appname, 'suricata');
  assert.equal(a.syslog?.procid, '4146');
  assert.equal(a.syslog?.timestamp, 'Jan  9 15:55:17');
  const b = ok(`Jan  9 15:55:17 proyecto-cert suricata[4146]: ${EVE}`);
  assert.equal(b.payload, EVE);
  assert.equal(b.syslog?.priority, undefined);
  const c = ok(`<13>Jan 19 15:55:17 suricata: ${EVE}`);
  assert.equal(c.syslog?.hostname, undefined);
  assert.equal(c.syslog?.appname, 'suricata');
  assert.equal(c.payload, EVE);
  const d = ok(`<13>2024-06-27T12:56:49.920281+02:00 host suricata: ${EVE}`);
  assert.equal(d.syslog?.timestamp, '2024-06-27T12:56:49.920281+02:00');
  assert.equal(d.payload, EVE);
});

test('intake envelope {"message": ...}: the payload is the envelope string as is', () => {
  const d = ok(JSON.stringify({ message: ' ' + EVE }));
  assert.equal(d.payload, ' ' + EVE);
  assert.equal(d.envelope, 'message');
  const s = ok(JSON.stringify({ message: `<134>Jan  9 15:55:17 host suricata: ${EVE}` }));
  assert.equal(s.payload, EVE);
  assert.equal(s.envelope, 'syslog');
});

test('rejections carry a stable reason and a message', () => {
  assert.equal(rejected('').reason, 'empty');
  assert.equal(rejected('   \r\n').reason, 'empty');
  assert.equal(rejected('hello world').reason, 'not_json');
  assert.equal(rejected('{"timestamp":"2017-03-06T06:54:10').reason, 'truncated_json');
  assert.equal(rejected('{"timestamp":"2017-03-06T06:54:10",').reason, 'truncated_json');
  assert.equal(rejected('[1,2,3]').reason, 'not_object');
  assert.equal(rejected('42').reason, 'not_object');
  assert.equal(rejected('"x"').reason, 'not_object');
  assert.equal(rejected('[1,2,3]').message, 'line is a JSON array, not an object');
  assert.equal(rejected('null').message, 'line is JSON null, not an object');
  assert.equal(rejected('42').message, 'line is a JSON number, not an object');
  assert.equal(rejected('{"host":"probe","system":{}}').reason, 'not_eve');
  assert.equal(rejected('{"message":"hello"}').reason, 'not_json');
  assert.equal(rejected('{"message":"{\\"a\\":1}"}').reason, 'not_eve');
  assert.equal(rejected('{"message":""}').reason, 'empty');
  assert.equal(rejected('<134>Jan  9 15:55:02 host suricata[4129]: Stopping suricata').reason, 'not_json');
  assert.equal(rejected('<134>Jan  9 15:55:02 host suricata[4129]: {"a":1}').reason, 'not_eve');
  const long = rejected(EVE.slice(0, -1) + ',"pad":"' + 'x'.repeat(2000) + '"}', { maxLineBytes: 1000 });
  assert.equal(long.reason, 'too_long');
  assert.match(long.message, /exceeds the limit of 1000 bytes/);
  // The limit counts UTF-8 bytes, not characters.
  assert.equal(rejected('{"event_type":"x","s":"' + 'é'.repeat(400) + '"}', { maxLineBytes: 700 }).reason, 'too_long');
  assert.ok(decode('{"event_type":"x","s":"' + 'é'.repeat(300) + '"}', { maxLineBytes: 700 }).ok);
});

test('a syslog-looking line that is not syslog is not mistaken for one', () => {
  assert.equal(parseSyslog('<999>1 x'), undefined);
  assert.equal(parseSyslog('no header here'), undefined);
  assert.equal(parseSyslog('<abc>1 - - - - - -'), undefined);
});

// A relay forwarding the whole line it received (a shipper tailing the file
// the sensor's syslog daemon writes, or a template of the raw message) nests
// the sensor's syslog line in the MSG of its own.
test('a syslog line carried in another: the sensor header is kept, with the relay priority and structured data', () => {
  const fileLine = `Dec  6 05:00:00 jizo-sensor-1 suricata[4146]: ${EVE}`;
  const d = ok(`<134>1 2026-12-06T05:00:01.5Z relay-1 shipper - - [relay@32473 tenant="acme"] ${fileLine}`);
  assert.equal(d.payload, EVE);
  assert.equal(d.envelope, 'syslog');
  assert.deepEqual({ ...d.syslog, structuredData: undefined }, {
    format: 'rfc3164',
    timestamp: 'Dec  6 05:00:00',
    hostname: 'jizo-sensor-1',
    appname: 'suricata',
    procid: '4146',
    // The line in the file has no PRI: the relay's.
    priority: 134,
    facility: 16,
    severity: 6,
    structuredData: undefined,
  });
  assert.equal(d.syslog?.structuredData?.['relay@32473']?.tenant, 'acme');

  // The sensor's own PRI wins; an SD-ID of the sensor replaces the relay's.
  const inner = `<165>1 2024-06-27T12:56:49.920281+02:00 sensor-2 jizo - eve [meta seq="2"][SEKOIA@53288 intake_key="k"] ${EVE}`;
  const e = ok(`<14>1 2026-12-06T05:00:01Z relay-1 shipper - - [meta seq="1" relay="r1"][relay@32473 tenant="acme"] ${inner}`);
  assert.equal(e.payload, EVE);
  assert.equal(e.syslog?.format, 'rfc5424');
  assert.equal(e.syslog?.hostname, 'sensor-2');
  assert.equal(e.syslog?.priority, 165);
  assert.equal(e.syslog?.severity, 5);
  assert.deepEqual(
    Object.fromEntries(Object.entries(e.syslog?.structuredData ?? {}).map(([k, v]) => [k, { ...v }])),
    { meta: { seq: '2' }, 'relay@32473': { tenant: 'acme' }, 'SEKOIA@53288': { intake_key: 'k' } },
  );

  // RFC 3164 in RFC 3164, and through an intake envelope.
  const f = ok(`<13>Dec  6 05:00:01 relay-1 fwd: <134>Dec  6 05:00:00 sensor-3 suricata: ${EVE}`);
  assert.equal(f.syslog?.hostname, 'sensor-3');
  assert.equal(f.syslog?.priority, 134);
  const g = ok(JSON.stringify({ message: `<13>Dec  6 05:00:01 relay-1 fwd: ${fileLine}` }));
  assert.equal(g.payload, EVE);
  assert.equal(g.syslog?.hostname, 'jizo-sensor-1');
  assert.equal(g.syslog?.priority, 13);
});

test('nested syslog headers: four at most, and what the innermost carries is judged as any MSG', () => {
  const wrap = (line: string, n: number): string => (n === 0 ? line : wrap(`<13>Dec  6 05:00:0${n} relay-${n} fwd: ${line}`, n - 1));
  assert.equal(ok(wrap(`Dec  6 05:00:00 sensor suricata: ${EVE}`, 3)).syslog?.hostname, 'sensor');
  // A fifth header is the MSG of the fourth: not JSON.
  const five = rejected(wrap(`Dec  6 05:00:00 sensor suricata: ${EVE}`, 4));
  assert.equal(five.reason, 'not_json');
  assert.match(five.message, /^syslog message is not valid JSON/);
  assert.equal(rejected(`<13>Dec  6 05:00:01 relay fwd: Dec  6 05:00:00 sensor suricata: Stopping suricata`).reason, 'not_json');
  assert.equal(rejected(`<13>Dec  6 05:00:01 relay fwd: Dec  6 05:00:00 sensor suricata: ${EVE.slice(0, 40)}`).reason, 'truncated_json');
  assert.equal(rejected(`<13>Dec  6 05:00:01 relay fwd: Dec  6 05:00:00 sensor suricata: {"a":1}`).reason, 'not_eve');
});
