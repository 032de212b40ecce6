/**
 * Property tests: whatever the input string, normalize returns exactly one
 * document or one rejection, never throws, is deterministic, and documents
 * serialize to JSON that parses back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalize } from '../src/index.js';
import { REJECT_REASONS } from '../src/decode/index.js';
import { toJson } from '../src/serialize.js';
import { parseJson } from '../src/eve/json.js';
import { PROFILES, type ProfileName } from '../src/normalize/types.js';
import { getProfile } from '../src/normalize/index.js';
import { corpusLines } from './helpers/corpus.js';

const receivedAt = '2025-01-01T00:00:00.000Z';
const profiles = PROFILES.filter((p) => {
  try {
    getProfile(p);
    return true;
  } catch {
    return false;
  }
});

function check(raw: string, profile: ProfileName): void {
  const a = normalize(raw, { profile, receivedAt });
  const b = normalize(raw, { profile, receivedAt });
  if (a.ok) {
    assert.ok(b.ok);
    const ja = toJson(a.document, a.lossless);
    assert.equal(ja, toJson(b.document, b.lossless));
    assert.doesNotThrow(() => parseJson(ja));
  } else {
    assert.ok(!b.ok);
    assert.equal(a.reason, b.reason);
    assert.ok((REJECT_REASONS as readonly string[]).includes(a.reason), a.reason);
    assert.notEqual(a.reason, 'internal_error', a.message);
    assert.equal(typeof a.message, 'string');
  }
}

const eveKeys = fc.constantFrom(
  'timestamp', 'event_type', 'src_ip', 'dest_ip', 'src_port', 'dest_port', 'proto', 'app_proto', 'flow_id',
  'in_iface', 'alert', 'flow', 'http', 'dns', 'tls', 'message', '__proto__', 'constructor',
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('2024-06-27T12:56:49.920281+0200', '192.0.2.1', '2001:db8::1', 'alert', 'TCP', '/a?b#c'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(eveKeys, fc.string()), tie('value'), { maxKeys: 6 }),
  ),
})).value;

function render(v: unknown): string {
  return toJson(v, true);
}

for (const profile of profiles) {
  test(`[${profile}] any string: one document or one rejection, no throw, deterministic`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => check(s, profile)), { numRuns: 3000 });
  });

  test(`[${profile}] any JSON-ish object, bare, in an envelope or behind syslog headers`, () => {
    fc.assert(
      fc.property(jsonish, fc.constantFrom('bare', 'envelope', '5424', '3164'), (v, wrap) => {
        const j = render(v);
        const raw =
          wrap === 'bare' ? j
          : wrap === 'envelope' ? JSON.stringify({ message: j })
          : wrap === '5424' ? `<14>1 2024-06-27T12:56:49Z host app - - [x@1 a="b"] ${j}`
          : `<14>Jun 27 12:56:49 host app[1]: ${j}`;
        check(raw, profile);
      }),
      { numRuns: 3000 },
    );
  });

  test(`[${profile}] mutated corpus lines never throw`, () => {
    const lines = corpusLines().map((l) => l.text).filter((t) => t.length > 0);
    fc.assert(
      fc.property(
        fc.nat({ max: lines.length - 1 }),
        fc.nat(),
        fc.nat({ max: 8 }),
        fc.string({ maxLength: 8 }),
        fc.constantFrom('cut', 'insert', 'delete', 'replace'),
        (i, at, len, ins, op) => {
          const line = lines[i]!;
          const p = at % (line.length + 1);
          const mutated =
            op === 'cut' ? line.slice(0, p)
            : op === 'insert' ? line.slice(0, p) + ins + line.slice(p)
            : op === 'delete' ? line.slice(0, p) + line.slice(p + len)
            : line.slice(0, p) + ins + line.slice(p + ins.length);
          check(mutated, profile);
        },
      ),
      { numRuns: 5000 },
    );
  });
}
