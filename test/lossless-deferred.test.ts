import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../src/decode/index.js';
import { normalize, getProfile } from '../src/index.js';
import type { ProfileName } from '../src/normalize/types.js';
import { toJson, resultToJson } from '../src/serialize.js';
import { corpusLines } from './helpers/corpus.js';
import { rng } from './helpers/fuzz.js';

/**
 * A profile with readsUnsafeInteger is fed plain JSON.parse results and asks
 * for a lossless parse only when a value it reads is beyond 2^53. The oracle
 * is the profile run on the lossless parse of the same line: the JSON output
 * must be the same text wherever such an integer sits.
 */
function oracle(raw: string, profile: ProfileName): string | undefined {
  const d = decode(raw);
  if (!d.ok) return undefined;
  return toJson(getProfile(profile)({ decoded: d, options: { profile, receivedAt: '2026-01-01T00:00:00Z' }, warnings: [] }), d.lossless);
}

const BIG = ['18446744073709551615', '9007199254740993', '-9007199254740993', '12345678901234567890123'];
// Every value the sekoia profile reads through long() or keyword().
const READ_PATHS = [
  'flow_id', 'src_port', 'dest_port', 'app_proto', 'proto', 'in_iface',
  'alert.action', 'alert.severity', 'alert.category', 'alert.signature', 'alert.signature_id', 'alert.metadata.signature_severity.0',
  'flow.bytes_toserver', 'flow.bytes_toclient', 'flow.pkts_toserver', 'flow.pkts_toclient',
  'http.response_length', 'http.status',
];

type Json = Record<string, unknown>;

/** The paths of every leaf of an object (array items as indexes). */
function leaves(v: unknown, prefix = ''): string[] {
  if (v === null || typeof v !== 'object') return prefix === '' ? [] : [prefix];
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) out.push(...leaves(x, prefix === '' ? k : `${prefix}.${k}`));
  return out;
}

/** Sets a marker at `path`, creating objects on the way (an array index on a missing array makes an array). */
function setMarker(o: Json, path: string): void {
  const keys = path.split('.');
  let cur: Json = o;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = cur[keys[i]!];
    if (next === null || typeof next !== 'object') cur[keys[i]!] = /^\d+$/.test(keys[i + 1]!) ? [] : {};
    cur = cur[keys[i]!] as Json;
  }
  cur[keys[keys.length - 1]!] = '__BIG__';
}

test('sekoia: an integer beyond 2^53 anywhere in real events gives the output of a lossless parse', () => {
  const random = rng(7);
  const events = corpusLines()
    .map((l) => l.text)
    .filter((t) => t.startsWith('{') && decode(t).ok)
    .slice(0, 400);
  assert.ok(events.length > 100);
  let checked = 0;
  let lossless = 0;
  for (const [i, text] of events.entries()) {
    const e = JSON.parse(text) as Json;
    const paths = [...READ_PATHS.filter(() => random() < 0.3), ...leaves(e).filter(() => random() < 0.05)];
    for (const path of paths) {
      const copy = JSON.parse(text) as Json;
      setMarker(copy, path);
      const raw = JSON.stringify(copy).replace('"__BIG__"', BIG[(i + checked) % BIG.length]!);
      const r = normalize(raw, { profile: 'sekoia', receivedAt: '2026-01-01T00:00:00Z' });
      assert.equal(resultToJson(r), oracle(raw, 'sekoia'), `${path} in ${raw.slice(0, 200)}`);
      if (r.ok && r.lossless) lossless++;
      checked++;
    }
  }
  assert.ok(checked > 1000, `${checked} checked`);
  // Integers in fields the profile reads were seen, and parsed again losslessly.
  assert.ok(lossless > 100, `${lossless} lossless`);
});

test('sekoia: a 2^64-1 flow id keeps every digit, a safe one takes the plain parse', () => {
  const base = { timestamp: '2024-01-01T00:00:00.000001+0000', event_type: 'flow', src_ip: '192.0.2.1', dest_ip: '192.0.2.2' };
  const big = JSON.stringify(base).replace('{', '{"flow_id":18446744073709551615,');
  const r = normalize(big);
  assert.ok(r.ok && r.lossless);
  assert.equal((r.document.jizo as { flow: { id: string } }).flow.id, '18446744073709551615');
  const safe = normalize(JSON.stringify({ ...base, flow_id: 1017644745558273, flow: { bytes_toserver: 1 }, stats: { big: 123 } }).replace('123', '99999999999999999999'));
  assert.ok(safe.ok && !safe.lossless, 'an unread big integer does not force a lossless parse');
  assert.equal((safe.document.jizo as { flow: { id: string } }).flow.id, '1017644745558273');
});
