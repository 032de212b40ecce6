/**
 * Fault suite, hostile input: mutated corpus lines and fast-check strings
 * through normalize (both profiles), the syslog stream framer and the HTTP
 * body parser. No throw, no hang (each input time-bounded), every input
 * accounted for. `FAULTS_FULL=1` (npm run faults) runs the documented size
 * (over 1,000,000 inputs); the test suite runs a reduced size.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { REJECT_REASONS } from '../src/decode/index.js';
import { normalize } from '../src/index.js';
import { PROFILES } from '../src/normalize/types.js';
import { newCounters, normalizeLines } from '../src/pipeline/batch.js';
import { toJson } from '../src/serialize.js';
import { parseBody } from '../src/sources/http/body.js';
import { SyslogFramer } from '../src/sources/syslog/framing.js';
import { corpusLines } from './helpers/corpus.js';
import { mutate, rng, size } from './helpers/fuzz.js';

const SEED = Number(process.env.FAULTS_SEED ?? 20260501);
/** Longest time one input may take (generous: the machine is shared). */
const MAX_MS_PER_INPUT = 2000;
const corpus = corpusLines().map((l) => l.text);
const reasons = new Set<string>(REJECT_REASONS);
const tally = { inputs: 0 };

/** Runs normalize on `raw` with `profile`; checks the result shape; returns the time taken. */
function check(raw: string, profile: (typeof PROFILES)[number]): { ms: number; ok: boolean } {
  const t = performance.now();
  const r = normalize(raw, { profile });
  if (r.ok) {
    const json = toJson(r.document, r.lossless);
    assert.equal(typeof json, 'string');
    assert.equal(Object.getPrototypeOf({}).polluted, undefined);
  } else {
    assert.ok(reasons.has(r.reason), `unknown reason ${r.reason}`);
    assert.notEqual(r.reason, 'internal_error', `a mapping threw on ${JSON.stringify(raw.slice(0, 300))}: ${r.message}`);
  }
  return { ms: performance.now() - t, ok: r.ok };
}

function report(what: string, figures: Record<string, number | string>): void {
  // One line per scenario, read by docs/reliability.md.
  console.log(`faults ${what}: ${JSON.stringify(figures)}`);
}

describe('faults: hostile input', () => {
  for (const profile of PROFILES) {
    it(`normalize (${profile}): mutated corpus lines never throw, never hang, always one document or one rejection`, () => {
      const n = size(300_000, 6_000);
      const r = rng(SEED);
      let docs = 0;
      let rejected = 0;
      let maxMs = 0;
      for (let i = 0; i < n; i++) {
        const raw = mutate(corpus[Math.floor(r() * corpus.length)]!, r);
        const { ms, ok } = check(raw, profile);
        if (ms > maxMs) maxMs = ms;
        if (ok) docs++;
        else rejected++;
      }
      assert.equal(docs + rejected, n);
      assert.ok(maxMs < MAX_MS_PER_INPUT, `slowest input took ${maxMs} ms`);
      tally.inputs += n;
      report(`normalize-mutations-${profile}`, { inputs: n, documents: docs, rejected, slowest_ms: Math.round(maxMs) });
    });

    it(`normalize (${profile}): fast-check strings and JSON values`, () => {
      const n = size(100_000, 2_000);
      const line = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.json({ maxDepth: 4 }),
        fc.record({ timestamp: fc.string(), event_type: fc.constantFrom('alert', 'dns', 'http', 'flow', 'tls', 'fileinfo', 'anomaly'), src_ip: fc.string(), dest_port: fc.oneof(fc.integer(), fc.string()), __proto__: fc.object() }).map((o) => JSON.stringify(o)),
        fc.json().map((j) => `<14>1 2024-05-01T10:00:00Z h a - - - ${j}`),
      );
      let maxMs = 0;
      fc.assert(
        fc.property(line, (raw) => {
          maxMs = Math.max(maxMs, check(raw, profile).ms);
        }),
        { numRuns: n, seed: SEED },
      );
      assert.ok(maxMs < MAX_MS_PER_INPUT, `slowest input took ${maxMs} ms`);
      tally.inputs += n;
      report(`normalize-fast-check-${profile}`, { inputs: n, slowest_ms: Math.round(maxMs) });
    });
  }

  it('pathological single lines: deep nesting, 1 MiB of digits, lone surrogates: rejected or mapped within the time bound', () => {
    const lines = [
      '['.repeat(500_000),
      '{"a":'.repeat(200_000),
      `{"timestamp":"2024-05-01T10:00:00Z","event_type":"alert","flow_id":${'9'.repeat(1_000_000)}}`,
      `{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns","dns":{"rrname":"${'\uD800'.repeat(100_000)}"}}`,
      `<${'1'.repeat(100_000)}>1 ${'x '.repeat(100_000)}`,
      `{"timestamp":"2024-05-01T10:00:00Z","event_type":"alert","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
    ];
    for (const profile of PROFILES) for (const l of lines) assert.ok(check(l, profile).ms < MAX_MS_PER_INPUT * 2);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a stream of mutated lines cut into random chunks: documents + rejections + blanks = lines', async () => {
    const n = size(200_000, 5_000);
    const r = rng(SEED + 1);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(r() < 0.05 ? (r() < 0.5 ? '' : ' \t\r') : mutate(corpus[Math.floor(r() * corpus.length)]!, r));
    const buf = Buffer.from(parts.join('\n') + '\n', 'utf8');
    // Mutations may have inserted newlines: count the lines the bytes really hold.
    let expected = 0;
    for (const b of buf) if (b === 10) expected++;
    async function* chunks() {
      for (let i = 0; i < buf.length; ) {
        const len = 1 + Math.floor(r() * 70_000);
        yield buf.subarray(i, i + len); // cuts UTF-8 sequences anywhere
        i += len;
      }
    }
    const counters = newCounters();
    let docs = 0;
    let rejections = 0;
    await normalizeLines(chunks(), { maxLineBytes: 64 * 1024, onDocument: () => docs++, onRejection: () => rejections++ }, counters);
    assert.equal(counters.lines, expected);
    assert.equal(counters.documents + counters.rejected + counters.blank, expected);
    assert.deepEqual([docs, rejections], [counters.documents, counters.rejected]);
    tally.inputs += expected;
    report('stream-accounting', { lines: expected, documents: counters.documents, rejected: counters.rejected, blank: counters.blank });
  });

  it('syslog framer: octet-counted frames cut anywhere come out whole; garbage never throws', () => {
    const n = size(100_000, 3_000);
    const max = 2048;
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 3000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 20 }),
        (messages, cuts) => {
          const wire = Buffer.concat(messages.map((m) => Buffer.from(`${Buffer.byteLength(m)} ${m}`)));
          const got: string[] = [];
          const long: number[] = [];
          const f = new SyslogFramer(max, { message: (t) => got.push(t.toString('utf8')), tooLong: (_e, b) => long.push(b) });
          let pos = 0;
          for (let i = 0; pos < wire.length; i++) {
            const len = cuts[i % cuts.length]!;
            f.push(wire.subarray(pos, pos + len));
            pos += len;
          }
          f.end();
          // Every frame (an empty one too: the pipeline counts it blank) is one message or one too-long report.
          const expect = messages;
          assert.deepEqual(got, expect.filter((m) => Buffer.byteLength(m) <= max));
          assert.deepEqual(long, expect.filter((m) => Buffer.byteLength(m) > max).map((m) => Buffer.byteLength(m)));
        },
      ),
      { numRuns: Math.ceil(n / 2), seed: SEED },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.integer({ min: 1, max: 512 }), (bytes, cut) => {
        let out = 0;
        const f = new SyslogFramer(256, { message: (t) => (out += t.length), tooLong: () => out++ });
        for (let i = 0; i < bytes.length; i += cut) f.push(Buffer.from(bytes.subarray(i, i + cut)));
        f.end();
        assert.ok(out <= bytes.length * 3, 'output is bounded by the input');
      }),
      { numRuns: Math.floor(n / 2), seed: SEED },
    );
    tally.inputs += n;
    report('syslog-framer', { inputs: n });
  });

  it('syslog framer: a 1 MiB frame arriving in 100-byte pieces is framed in linear time', () => {
    const msg = 'x'.repeat(1024 * 1024);
    const wire = Buffer.from(`${msg.length} ${msg}`);
    let got = 0;
    const f = new SyslogFramer(2 * 1024 * 1024, { message: (t) => (got = t.length), tooLong: () => assert.fail('not too long') });
    const t = performance.now();
    for (let i = 0; i < wire.length; i += 100) f.push(wire.subarray(i, i + 100));
    const ms = performance.now() - t;
    assert.equal(got, msg.length);
    assert.ok(ms < 300, `framing took ${Math.round(ms)} ms`);
  });

  it('HTTP bodies: NDJSON and JSON arrays, mutated and arbitrary, never throw; NDJSON gives one event per line', () => {
    const n = size(100_000, 3_000);
    const r = rng(SEED + 2);
    let arrays = 0;
    let refused = 0;
    for (let i = 0; i < n; i++) {
      const k = 1 + Math.floor(r() * 5);
      const lines = Array.from({ length: k }, () => mutate(corpus[Math.floor(r() * corpus.length)]!, r));
      const text = r() < 0.5 ? lines.join('\n') : mutate(`[${lines.map((l) => (r() < 0.5 ? l : JSON.stringify(l))).join(',')}]`, r);
      const b = parseBody(text, '2024-05-01T10:00:00Z', 8192);
      if (!b.ok) {
        refused++;
        assert.match(b.error, /JSON/);
        continue;
      }
      if (text.trimStart().replace(/^\uFEFF/, '').startsWith('[')) arrays++;
      // An empty body holds no line; otherwise one event or one counted blank per line (a last line without LF counts).
      else assert.equal(b.events.length + b.blank, text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
      // Array items that are not valid JSON strings are rejected one by one.
      for (const e of b.events) if (e.reject) assert.ok(['too_long', 'not_json'].includes(e.reject.reason), e.reject.reason);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        const b = parseBody(text, '2024-05-01T10:00:00Z', 512);
        assert.equal(typeof b.ok, 'boolean');
      }),
      { numRuns: n, seed: SEED },
    );
    tally.inputs += 2 * n;
    report('http-bodies', { inputs: 2 * n, json_arrays: arrays, refused_400: refused });
  });

  it('total inputs', () => {
    report('fuzz-total', { inputs: tally.inputs });
    assert.ok(tally.inputs > 0);
  });
});
