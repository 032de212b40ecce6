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
