/**
 * The `ecs` profile on the shared corpus: every line the decoder accepts yields
 * a document, and each document's addresses, ports and @timestamp agree with
 * the raw line (checked independently of the mapping code, with ipaddr.js and Date).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import { decode } from '../src/decode/index.js';
import { normalize } from '../src/index.js';
import { toJson } from '../src/serialize.js';
import { corpusLines } from './helpers/corpus.js';

const receivedAt = '2025-01-01T00:00:00.000Z';

function sameIp(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  return ipaddr.parse(a).toNormalizedString() === ipaddr.parse(b).toNormalizedString();
}

/** Fractional-second digits of a timestamp string, '' when none. */
function fraction(ts: string): string {
  const m = /T\d{2}:\d{2}:\d{2}[.,](\d+)/.exec(ts);
  return m === null ? '' : m[1]!;
}

test('corpus, ecs profile: every decodable line yields a document; rejections are the undecodable lines only', () => {
  let documents = 0;
  let rejected = 0;
  let blank = 0;
  const lines = corpusLines();
  for (const { file, line, text } of lines) {
    if (text.trim() === '') {
      blank++;
      continue;
    }
    const d = decode(text);
    const r = normalize(text, { profile: 'ecs', receivedAt });
    assert.equal(r.ok, d.ok, `${file}:${line}: decode ${d.ok} but ecs ${r.ok} ${!r.ok ? r.message : ''}`);
    if (r.ok) {
      documents++;
      // Every document serializes (bigints included) and parses back.
      assert.doesNotThrow(() => JSON.parse(toJson(r.document, r.lossless)), `${file}:${line}`);
    } else {
      rejected++;
      assert.ok(['not_json', 'truncated_json', 'not_eve', 'not_object', 'empty', 'too_long'].includes(r.reason), `${file}:${line}: ${r.reason}`);
    }
  }
  assert.equal(documents + rejected + blank, lines.length);
  assert.equal(lines.length, 2825);
  assert.equal(documents, 2808);
  assert.equal(rejected, 13);
});

test('corpus, ecs profile: source/destination ip and port and @timestamp agree with the raw line', () => {
  let checked = 0;
  for (const { file, line, text } of corpusLines()) {
    const d = decode(text);
    if (!d.ok) continue;
    const r = normalize(text, { profile: 'ecs', receivedAt });
    assert.ok(r.ok);
    const e = d.event;
    const doc = r.document as Record<string, Record<string, unknown> | undefined> & { '@timestamp': string };
    const where = `${file}:${line}`;
    for (const [side, ipKey, portKey] of [['source', 'src_ip', 'src_port'], ['destination', 'dest_ip', 'dest_port']] as const) {
      const rawIp = e[ipKey];
      if (typeof rawIp === 'string' && ipaddr.isValid(rawIp)) assert.ok(sameIp(doc[side]?.ip, rawIp), `${where}: ${side}.ip ${String(doc[side]?.ip)} vs ${rawIp}`);
      else if (rawIp !== undefined) assert.equal(doc[side]?.ip, undefined, `${where}: invalid ${ipKey} must not become ${side}.ip`);
      const rawPort = e[portKey];
      if (typeof rawPort === 'number') assert.equal(doc[side]?.port, rawPort, `${where}: ${side}.port`);
    }
    const ts = e.timestamp;
    if (typeof ts === 'string' && !Number.isNaN(Date.parse(ts))) {
      const out = doc['@timestamp'];
      assert.match(out, /Z$/, where);
      assert.equal(Date.parse(out), Date.parse(ts), `${where}: @timestamp ${out} vs ${ts}`);
      assert.equal(fraction(out), fraction(ts), `${where}: fractional digits kept`);
    }
    checked++;
  }
  assert.ok(checked > 2800, `checked ${checked}`);
});
