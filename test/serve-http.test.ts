/** HTTP source: formats, bearer auth, 413, 503 on saturation, 202 only once durable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordingIngest } from './helpers/conformance.js';
import { startHttpSource } from './helpers/http-source.js';
import { memoryPipeline } from './helpers/memory-sink.js';
import { httpRequest } from './helpers/net.js';


const dns = (i: number) => `{"timestamp":"2024-05-01T10:00:00.00000${i}+0000","event_type":"dns","src_ip":"192.0.2.${i}"}`;

describe('http source', () => {
  it('takes NDJSON, a JSON array of events and a JSON array of strings', async () => {
    const ingest = new RecordingIngest();
    const { s, port } = await startHttpSource({}, ingest);
    try {
      assert.equal((await httpRequest(port, { body: `${dns(1)}\n${dns(2)}\n` })).status, 202);
      assert.equal((await httpRequest(port, { body: `[${dns(3)}, {"timestamp":"2024-05-01T10:00:00Z","event_type":"flow","flow_id":18446744073709551615,"__proto__":{"x":1}}]` })).status, 202);
      assert.equal((await httpRequest(port, { body: JSON.stringify(['<14>1 2024-05-01T10:00:00Z h app - - - ' + dns(5), dns(6)]) })).status, 202);
      const raws = ingest.raws;
      assert.equal(raws.length, 6);
      assert.deepEqual(raws.slice(0, 3), [dns(1), dns(2), dns(3)]);
      assert.match(raws[3]!, /"flow_id":18446744073709551615/, 'large integers keep every digit');
      assert.match(raws[3]!, /"__proto__":\{"x":1\}/, '__proto__ stays data');
      assert.equal(raws[4], '<14>1 2024-05-01T10:00:00Z h app - - - ' + dns(5));
      assert.equal((await httpRequest(port, { body: '[{"broken": ' })).status, 400);
      assert.equal((await httpRequest(port, { method: 'GET' })).status, 405);
      assert.equal((await httpRequest(port, { path: '/other', body: 'x' })).status, 404);
    } finally {
      await s.stop();
    }
  });

  it('requires the bearer token when configured, and never echoes it', async () => {
    const ingest = new RecordingIngest();
    const { s, port } = await startHttpSource({ token: 'correct-horse' }, ingest);
    try {
      const none = await httpRequest(port, { body: dns(1) });
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer');
      const wrong = await httpRequest(port, { body: dns(1), headers: { authorization: 'Bearer correct-horsf' } });
      assert.equal(wrong.status, 401);
      assert.doesNotMatch(wrong.body, /correct-hors/);
      assert.equal((await httpRequest(port, { body: dns(1), headers: { authorization: 'Basic correct-horse' } })).status, 401);
      assert.equal(ingest.events.length, 0);
      assert.equal((await httpRequest(port, { body: dns(1), headers: { authorization: 'Bearer correct-horse' } })).status, 202);
      assert.equal(ingest.events.length, 1);
    } finally {
      await s.stop();
    }
  });

  it('reads the token from token_env', async () => {
    process.env.JIZO_TEST_TOKEN = 'from-env';
    const { s, port } = await startHttpSource({ token_env: 'JIZO_TEST_TOKEN' });
    try {
      assert.equal((await httpRequest(port, { body: dns(1), headers: { authorization: 'Bearer from-env' } })).status, 202);
      assert.equal((await httpRequest(port, { body: dns(1) })).status, 401);
    } finally {
      await s.stop();
      delete process.env.JIZO_TEST_TOKEN;
    }
  });

  it('answers 413 beyond max_body_bytes, by Content-Length or while streaming, and takes nothing', async () => {
    const ingest = new RecordingIngest();
    const { s, port } = await startHttpSource({ max_body_bytes: 1000 }, ingest);
    try {
      const declared = await httpRequest(port, { body: 'a'.repeat(5000) });
      assert.equal(declared.status, 413);
      const chunks = Array.from({ length: 50 }, () => Buffer.from(dns(1) + '\n'));
      const streamed = await httpRequest(port, { chunks, headers: { 'transfer-encoding': 'chunked' } });
      assert.equal(streamed.status, 413);
      assert.equal(ingest.events.length, 0);
      assert.equal((await httpRequest(port, { body: dns(1) })).status, 202, 'the server still works');
    } finally {
      await s.stop();
    }
  });

  it('answers 503 with Retry-After when the pipeline is saturated', async () => {
    const ingest = new RecordingIngest();
    ingest.saturated = true;
    const { s, port } = await startHttpSource({}, ingest);
    try {
      const r = await httpRequest(port, { body: dns(1) });
      assert.equal(r.status, 503);
      assert.equal(r.headers['retry-after'], '1');
      ingest.unsaturate();
      assert.equal((await httpRequest(port, { body: dns(1) })).status, 202);
    } finally {
      await s.stop();
    }
  });

  it('answers 202 only once the events are durable', async () => {
    const ingest = new RecordingIngest();
    ingest.hold = true;
    const { s, port } = await startHttpSource({}, ingest);
    try {
      let answered = false;
      const pending = httpRequest(port, { body: dns(1) }).then((r) => ((answered = true), r));
      await ingest.waitFor(1);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(answered, false, 'no answer before durable');
      ingest.release();
      assert.equal((await pending).status, 202);
    } finally {
      await s.stop();
    }
  });

  it('202 carries the counts from a real pipeline (normalized, rejected, blank)', async () => {
    const { pipeline: p, out: sink, dead: dl } = memoryPipeline();

    const { s, port } = await startHttpSource({}, p);
    try {
      const r = await httpRequest(port, { body: `${dns(1)}\n\nnot json\n${dns(2)}\n` });
      assert.equal(r.status, 202);
      assert.deepEqual(JSON.parse(r.body), { received: 4, normalized: 2, rejected: 1, blank: 1 });
      assert.equal(sink.lines.length, 2, 'in the sink before the answer');
      assert.equal(dl.lines.length, 1, 'dead letter written before the answer');
    } finally {
      await s.stop();
    }
  });
});
