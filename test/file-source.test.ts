import assert from 'node:assert/strict';
import { appendFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DeadLetter } from '../src/component/types.js';
import { fileSourceFactory } from '../src/sources/file/index.js';
import { memoryPipeline } from './helpers/memory-sink.js';
import { checkpointOffsets, eveLines, makeFileSource } from './helpers/file-source.js';
import { tempDir, TestIngest, until } from './helpers/ingest.js';

const nOf = (json: string) => Number(/"n":(\d+)/.exec(json)?.[1] ?? /\\"n\\":(\d+)/.exec(json)?.[1]);
const text = (lines: string[]) => lines.map((l) => l + '\n').join('');

describe('file source', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('jizo-file-')));
  after(() => cleanup());

  it('validates its config with defaults and names the bad key', () => {
    const c = fileSourceFactory.schema.parse({ paths: ['/var/log/suricata/eve.json'] });
    assert.equal(c.start_at, 'beginning');
    assert.equal(c.max_line_bytes, 1024 * 1024);
    const bad = fileSourceFactory.schema.safeParse({ paths: ['x'], start_at: 'middle' });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues[0]!.path, ['start_at']);
    assert.equal(fileSourceFactory.schema.safeParse({ paths: [] }).success, false);
    assert.equal(fileSourceFactory.schema.safeParse({ paths: ['x'], typo: 1 }).success, false);
  });

  it('reads every line once, checkpoints only after durability, and keeps counters consistent', async (t) => {
    const d = join(dir, 'basic');
    const file = join(d, 'eve.json');
    await tempWrite(file, text(eveLines(50)));
    const ingest = new TestIngest(false);
    const src = makeFileSource(join(d, 'state'), { paths: [file], max_batch_events: 20 });
    t.after(() => src.stop());
    await src.start(ingest);
    await src.start(ingest); // idempotent
    await ingest.waitFor(50);
    assert.deepEqual(ingest.lines, eveLines(50));
    assert.equal(ingest.submissions.length, 3);
    assert.deepEqual(ingest.submissions[0]!.origin, { source: 'tail', detail: file });
    // nothing durable yet: the checkpoint stays at 0
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await checkpointOffsets(join(d, 'state')))[file] ?? 0, 0);
    // the second submission becoming durable alone must not move the checkpoint past the first
    ingest.submissions[1]!.resolve();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await checkpointOffsets(join(d, 'state')))[file] ?? 0, 0);
    ingest.submissions[0]!.resolve();
    const after40 = Buffer.byteLength(text(eveLines(40)));
    await until(async () => (await checkpointOffsets(join(d, 'state')))[file] === after40, 2000, 'checkpoint at 40 lines');
    ingest.resolveAll();
    const size = (await stat(file)).size;
    await until(async () => (await checkpointOffsets(join(d, 'state')))[file] === size, 2000, 'checkpoint at end');
    assert.equal(src.health().ok, true);
    assert.equal(src.counters.received, 50);
    assert.equal(src.counters.sent + src.counters.rejected + src.counters.dropped, src.counters.received);
    await src.stop();
    await src.stop(); // idempotent
  });

  it('waits for a file that does not exist yet and follows appends', async (t) => {
    const d = join(dir, 'later');
    const file = join(d, 'logs', 'eve.json');
    const ingest = new TestIngest(true);
    const src = makeFileSource(join(d, 'state'), { paths: [join(d, 'logs', '*.json')] });
    t.after(() => src.stop());
    await src.start(ingest);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(src.health().detail, 'waiting for files');
    await tempWrite(file, text(eveLines(3)));
    await ingest.waitFor(3);
    await appendFile(file, text(eveLines(2, 3)) + '{"partial":');
    await ingest.waitFor(5);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(ingest.lines, eveLines(5), 'a line without its newline is not emitted yet');
    await appendFile(file, '1}\n');
    await ingest.waitFor(6);
    assert.equal(ingest.lines[5], '{"partial":1}');
    await src.stop();
  });

  it('starts at the end when asked, on a line boundary', async (t) => {
    const d = join(dir, 'end');
    const file = join(d, 'eve.json');
    await tempWrite(file, text(eveLines(10)) + '{"half":');
    const ingest = new TestIngest(true);
    const src = makeFileSource(join(d, 'state'), { paths: [file], start_at: 'end' });
    t.after(() => src.stop());
    await src.start(ingest);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(ingest.events.length, 0);
    await appendFile(file, '2}\n' + text(eveLines(2, 10)));
    await ingest.waitFor(3);
    assert.deepEqual(ingest.lines, ['{"half":2}', ...eveLines(2, 10)]);
    await src.stop();
  });

  it('dead-letters a line over max_line_bytes through the pipeline, keeps its neighbours, and checkpoints past it', async (t) => {
    const d = join(dir, 'long');
    const file = join(d, 'eve.json');
    const huge = '{"x":"' + 'y'.repeat(3_000_000) + '"}';
    await tempWrite(file, text([...eveLines(2), huge, ...eveLines(2, 2)]));
    const { pipeline, out, dead } = memoryPipeline();

    const src = makeFileSource(join(d, 'state'), { paths: [file], max_line_bytes: 4096, read_chunk_bytes: 65536 });
    t.after(() => src.stop());
    await src.start(pipeline);
    await until(() => out.lines.length === 4 && dead.lines.length === 1, 5000, 'four documents and one dead letter');
    assert.deepEqual(out.lines.map(nOf), [0, 1, 2, 3]);
    const dl = JSON.parse(dead.lines[0]!) as DeadLetter;
    assert.equal(dl.kind, 'rejected');
    assert.equal(dl.reason, 'too_long');
    assert.equal(dl.source, 'tail');
    assert.equal(dl.detail, file);
    const start = Buffer.byteLength(text(eveLines(2)));
    assert.equal(dl.error, `line of ${huge.length} bytes at bytes ${start}..${start + huge.length + 1} exceeds the limit of 4096 bytes`);
    assert.ok(huge.startsWith(dl.raw) && dl.raw.length > 0 && dl.raw.length <= 4096);
    assert.equal(pipeline.stats.rejected, 1);
    assert.equal(pipeline.stats.normalized, 4);
    assert.equal(src.counters.received, 5);
    assert.equal(src.counters.rejected, 1);
    assert.equal(src.counters.sent, 4);
    const size = (await stat(file)).size;
    await until(async () => (await checkpointOffsets(join(d, 'state')))[file] === size, 2000, 'checkpoint past the long line');
    await src.stop();
    await pipeline.drain();
  });

  it('refuses to start on a corrupt checkpoint file, naming it', async () => {
    const d = join(dir, 'corrupt');
    await tempWrite(join(d, 'state', 'checkpoints', 'file-tail.json'), '{"version":1,"files":[');
    const src = makeFileSource(join(d, 'state'), { paths: [join(d, 'eve.json')] });
    await assert.rejects(src.start(new TestIngest(true)), /checkpoint file .*file-tail\.json is not valid JSON.*repair or remove it/);
    await src.stop();
  });

  it('resumes exactly at the durable offset after a stop, with multibyte text and CRLF', async (t) => {
    const d = join(dir, 'resume');
    const file = join(d, 'eve.json');
    const lines = ['{"n":"é€😀"}\r', '{"n":2}', '{"bad":\xff}', '{"n":4}'];
    // line 3 holds a byte that is not UTF-8 (0xff): offsets must stay exact anyway
    await tempWrite(file, latin1Bad(lines));
    const ingest = new TestIngest(false);
    const src = makeFileSource(join(d, 'state'), { paths: [file], max_batch_events: 1, stop_timeout: 50 });
    t.after(() => src.stop());
    await src.start(ingest);
    await ingest.waitFor(4);
    ingest.submissions[0]!.resolve();
    ingest.submissions[1]!.resolve();
    await src.stop(); // lines 3 and 4 were never durable
    assert.equal((await checkpointOffsets(join(d, 'state')))[file], Buffer.byteLength(text(lines.slice(0, 2))));
    assert.deepEqual(ingest.lines.slice(0, 2), lines.slice(0, 2));
    await appendFile(file, '{"n":5}\n');
    const again = new TestIngest(true);
    const src2 = makeFileSource(join(d, 'state'), { paths: [file], start_at: 'end' });
    t.after(() => src2.stop());
    await src2.start(again);
    await again.waitFor(3);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(again.lines, ['{"bad":\ufffd}', '{"n":4}', '{"n":5}']);
    await src2.stop();
  });
});

/** The lines as UTF-8, except `\xff` written as the single invalid byte 0xff. */
function latin1Bad(lines: string[]): Buffer {
  return Buffer.concat(lines.map((l) => Buffer.concat([...l.split('\xff').flatMap((p, i) => (i === 0 ? [Buffer.from(p)] : [Buffer.from([0xff]), Buffer.from(p)])), Buffer.from('\n')])));
}

async function tempWrite(file: string, content: string | Buffer): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
}
