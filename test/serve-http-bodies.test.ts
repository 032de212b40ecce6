/**
 * HTTP source under hostile bodies: a body is taken in parts no larger than a
 * slice of the queue as it is parsed, a body holding too many events is
 * refused, blank lines cost nothing, a deeply nested or huge array item is
 * judged on its own bytes, gzip is read with a limit on the decompressed size,
 * and unknown types and codings get 415.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { RecordingIngest } from './helpers/conformance.js';
import { startHttpSource } from './helpers/http-source.js';
import { memoryPipeline } from './helpers/memory-sink.js';
import { httpRequest } from './helpers/net.js';
import type { Origin, RawEvent, Submission } from '../src/pipeline/types.js';

/** Records the size of every submission; bounds like a queue of 160 events (parts of 10). */
class PartsIngest extends RecordingIngest {
  readonly limits = { maxEvents: 160, maxBytes: 1 << 20 };
  readonly sizes: number[] = [];
  override submit(events: RawEvent[], origin: Origin): Promise<Submission> {
    this.sizes.push(events.length);
    return super.submit(events, origin);
  }
  override trySubmit(events: RawEvent[], origin: Origin): Submission | undefined {
    this.sizes.push(events.length);
    return super.trySubmit(events, origin);
  }
}


const dns = (i: number) => `{"timestamp":"2024-05-01T10:00:00.00000${i % 10}+0000","event_type":"dns","src_ip":"192.0.2.${i % 250}"}`;

describe('http source: bodies', () => {
  it('cuts an NDJSON body and a JSON array into parts no larger than a sixteenth of the queue', async () => {
    const ingest = new PartsIngest();
    const { s, port } = await startHttpSource({}, ingest);
    try {
      const r = await httpRequest(port, { body: 'x\n'.repeat(5000) });
      assert.equal(r.status, 202);
      assert.equal(JSON.parse(r.body).received, 5000);
      assert.ok(ingest.sizes.length >= 500 && ingest.sizes.every((n) => n <= 10), `submissions of ${Math.max(...ingest.sizes)} events at most`);
      ingest.sizes.length = 0;
      const big = '{"event_type":"flow","flow_id":18446744073709551615}';
      const a = await httpRequest(port, { body: `[${Array.from({ length: 300 }, () => big).join(',')}, {}]` });
      assert.equal(a.status, 202);
      assert.ok(ingest.sizes.every((n) => n <= 10));
      assert.equal(ingest.raws.at(-2), big, 'an object item is handed on as sent: every digit kept');
      assert.equal(ingest.raws.at(-1), '{}');
    } finally {
      await s.stop();
    }
  });

  it('takes the first parts while the body is still arriving (never the whole body at once)', async () => {
    const ingest = new PartsIngest();
    const { s, port } = await startHttpSource({}, ingest);
    let answered = false;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
      answered = true;
      res.resume();
    });
    req.on('error', () => undefined);
    try {
      req.write(Array.from({ length: 100 }, (_, i) => dns(i) + '\n').join(''));
      await ingest.waitFor(90, 3000);
      assert.equal(answered, false);
      req.end(dns(100) + '\n');
      await ingest.waitFor(101);
    } finally {
      req.destroy();
      await s.stop();
    }
  });

  it('answers 413 when a body holds more than max_body_events, saying how many leading lines were taken', async () => {
    const ingest = new PartsIngest();
    const { s, port } = await startHttpSource({ max_body_events: 100 }, ingest);
    try {
      const r = await httpRequest(port, { body: Array.from({ length: 1000 }, (_, i) => dns(i)).join('\n') });
      assert.equal(r.status, 413);
      const body = JSON.parse(r.body);
      assert.match(body.error, /max_body_events/);
      // Parts cut from the piece being parsed when the limit is passed are not taken.
      const taken = body.accepted?.received ?? 0;
      assert.ok(taken <= 100 && taken === ingest.events.length, JSON.stringify(body));
      assert.deepEqual(ingest.raws, Array.from({ length: taken }, (_, i) => dns(i)), 'the leading lines, in order');
      assert.equal((await httpRequest(port, { body: dns(1) })).status, 202, 'the server still works');
    } finally {
      await s.stop();
    }
  });

  it('blank lines cost nothing: counted, never queued, not held against max_body_events', async () => {
    const ingest = new PartsIngest();
    const first = await startHttpSource({}, ingest);
    try {
      const r = await httpRequest(first.port, { body: '\n'.repeat(100_000) + dns(1) + '\n\r\n \n' });
      assert.equal(r.status, 202);
      assert.deepEqual(JSON.parse(r.body), { received: 100_003, normalized: 1, rejected: 0, blank: 100_002 });
      assert.deepEqual(ingest.raws, [dns(1)], 'only the event was queued');
    } finally {
      await first.s.stop();
    }
    const { pipeline, out } = memoryPipeline();
    const { s, port } = await startHttpSource({ max_body_events: 10 }, pipeline);
    try {
      const r = await httpRequest(port, { body: '\n'.repeat(100_000) + dns(1) + '\n\r\n \n' });
      assert.equal(r.status, 202);
      assert.deepEqual(JSON.parse(r.body), { received: 100_003, normalized: 1, rejected: 0, blank: 100_002 });
      assert.equal(pipeline.stats.blank, 100_002, 'counted in the pipeline metrics');
      assert.equal(pipeline.stats.received, 100_003);
      assert.equal(out.lines.length, 1);
      const strings = await httpRequest(port, { body: JSON.stringify(['', ' ', dns(2)]) });
      assert.deepEqual(JSON.parse(strings.body), { received: 3, normalized: 1, rejected: 0, blank: 2 });
    } finally {
      await s.stop();
    }
  });

  it('a deeply nested array item is judged alone (dead-lettered), never a 500', async () => {
    const { pipeline, out, dead } = memoryPipeline();
    const { s, port } = await startHttpSource({ max_body_bytes: '8MiB', max_line_bytes: '4MiB' }, pipeline);
    try {
      const depth = 200_000;
      const deep = `{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const r = await httpRequest(port, { body: `[${dns(1)},${deep},${dns(2)}]` });
      assert.equal(r.status, 202, r.body);
      const counts = JSON.parse(r.body);
      assert.equal(counts.received, 3);
      assert.equal(counts.normalized + counts.rejected, 3);
      assert.equal(out.lines.length + dead.lines.length, 3);
    } finally {
      await s.stop();
    }
  });

  it('applies max_line_bytes to an array item as sent, before parsing it (1,000,000 keys cost their bytes)', async () => {
    const ingest = new RecordingIngest();
    const { s, port } = await startHttpSource({ max_body_bytes: '16MiB', max_line_bytes: 4096 }, ingest);
    try {
      // Parsed, this object is {"k":0}: only its bytes show its cost.
      const huge = `{${'"k":0,'.repeat(1_000_000)}"k":0}`;
      const r = await httpRequest(port, { body: `[${huge},${dns(1)}]` });
      assert.equal(r.status, 202);
      assert.deepEqual(ingest.events.map((e) => e.event.reject?.reason ?? 'ok'), ['too_long', 'ok']);
      assert.match(ingest.events[0]!.event.reject!.message, /event of 6000007 bytes/);
      assert.ok(ingest.events[0]!.event.raw.length <= 4096, 'only an excerpt is kept');
    } finally {
      await s.stop();
    }
  });

  it('reads gzip bodies, refuses a gzip bomb at max_body_bytes of output, and corrupt gzip with 400', async () => {
    const ingest = new RecordingIngest();
    const { s, port } = await startHttpSource({ max_body_bytes: '1MiB' }, ingest);
    try {
      const gz = { 'content-encoding': 'gzip' };
      const ok = await httpRequest(port, { body: gzipSync(`${dns(1)}\n${dns(2)}\n`), headers: gz });
      assert.equal(ok.status, 202);
      assert.deepEqual(ingest.raws, [dns(1), dns(2)]);
      const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
      assert.ok(bomb.length < 1024 * 1024);
      const t = Date.now();
      const r = await httpRequest(port, { body: bomb, headers: gz });
      assert.equal(r.status, 413);
      assert.match(JSON.parse(r.body).error, /once decompressed/);
      assert.ok(Date.now() - t < 5000, 'refused early');
      assert.equal((await httpRequest(port, { body: Buffer.from('not gzip at all'), headers: gz })).status, 400);
      assert.equal(ingest.events.length, 2);
    } finally {
      await s.stop();
    }
  });

  it('answers 415 for a Content-Type or Content-Encoding it does not read, and takes the usual ones', async () => {
    const ingest = new RecordingIngest();
    const { s, port } = await startHttpSource({}, ingest);
    try {
      const refused: Record<string, string>[] = [{ 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'text/csv' }, { 'content-type': 'text/plain; charset=iso-8859-1' }, { 'content-encoding': 'br' }];
      for (const headers of refused) {
        const r = await httpRequest(port, { body: dns(1), headers });
        assert.equal(r.status, 415, JSON.stringify(headers));
      }
      assert.equal(ingest.events.length, 0);
      for (const type of ['application/json', 'application/x-ndjson', 'text/plain; charset=utf-8', 'application/vnd.example+json']) {
        assert.equal((await httpRequest(port, { body: dns(1), headers: { 'content-type': type } })).status, 202, type);
      }
      assert.equal((await httpRequest(port, { body: dns(1) })).status, 202, 'no Content-Type');
      assert.equal(ingest.events.length, 5);
    } finally {
      await s.stop();
    }
  });

  it('answers 400 for a broken array structure, after taking what came before it', async () => {
    const ingest = new PartsIngest();
    const { s, port } = await startHttpSource({}, ingest);
    try {
      // Longer than the pieces parsed at a time, so that parts are taken before the error is read.
      const items = Array.from({ length: 2000 }, (_, i) => dns(i));
      const r = await httpRequest(port, { body: `[${items.join(',')} "no comma"]` });
      assert.equal(r.status, 400);
      const body = JSON.parse(r.body);
      assert.match(body.error, /not a valid JSON array/);
      assert.equal(body.accepted.received, ingest.events.length);
      assert.ok(ingest.events.length >= 200, 'parts before the error were taken');
      assert.deepEqual(ingest.raws, items.slice(0, ingest.events.length));
      const cut = await httpRequest(port, { body: '[{"a":1},' });
      assert.equal(cut.status, 400);
      const item = await httpRequest(port, { body: '["ok line", "\\x bad escape", {"a": tru}]' });
      assert.equal(item.status, 202, 'a broken item is one rejection, not a failed request');
    } finally {
      await s.stop();
    }
  });
});
