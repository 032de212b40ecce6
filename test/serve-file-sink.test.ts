/** File sink: rotation by size and age, reopen after an external rename, fsync policies. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileSink, fileSinkSchema } from '../src/sinks/file/index.js';
import { outputEvents } from './helpers/conformance.js';

function sink(config: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'jizo-file-'));
  return { s: new FileSink('file', fileSinkSchema.parse(config), join(dir, 'events.ndjson')), dir };
}

const allLines = (dir: string) =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l !== ''));

describe('file sink', () => {
  it('discardIfUnused (a failed service start) removes the file and directories start created, and only those', async () => {
    const root = mkdtempSync(join(tmpdir(), 'jizo-file-unused-'));
    const unused = new FileSink('file', fileSinkSchema.parse({}), join(root, 'data', 'sub', 'events.ndjson'));
    const dead = new FileSink('dead', fileSinkSchema.parse({}), join(root, 'data', 'dead-letter.ndjson'));
    await unused.start();
    await dead.start();
    assert.ok(existsSync(join(root, 'data', 'sub', 'events.ndjson')));
    // in reverse order of start, as the service stops them
    await dead.stop();
    // stop alone keeps the file (an empty dead-letter file after a clean run is expected)
    assert.ok(existsSync(join(root, 'data', 'dead-letter.ndjson')));
    await dead.discardIfUnused();
    // data/ is not the dead-letter sink's to remove: the other sink created it
    assert.deepEqual(readdirSync(join(root, 'data')), ['sub']);
    await unused.stop();
    await unused.discardIfUnused();
    assert.deepEqual(readdirSync(root), []);

    // a file or directory that was there before is kept
    mkdirSync(join(root, 'kept'));
    writeFileSync(join(root, 'kept', 'events.ndjson'), '');
    const existing = new FileSink('file', fileSinkSchema.parse({}), join(root, 'kept', 'events.ndjson'));
    await existing.start();
    await existing.stop();
    await existing.discardIfUnused();
    assert.ok(existsSync(join(root, 'kept', 'events.ndjson')));

    // once written, the file stays
    const used = new FileSink('file', fileSinkSchema.parse({}), join(root, 'used', 'events.ndjson'));
    await used.start();
    await used.write(outputEvents(1, 'x'));
    await used.stop();
    await used.discardIfUnused();
    assert.equal(readFileSync(join(root, 'used', 'events.ndjson'), 'utf8').split('\n').length, 2);
  });

  it('rotates by size, never splitting a batch, and loses nothing', async () => {
    const { s, dir } = sink({ max_bytes: 1000 });
    await s.start();
    const batches = Array.from({ length: 10 }, (_, i) => outputEvents(3, `b${i}`));
    for (const b of batches) await s.write(b);
    await s.stop();
    assert.ok(s.rotated.length >= 2, `rotated ${s.rotated.length} times`);
    for (const f of s.rotated) assert.match(f, /events-\d{8}T\d{9}Z(-\d+)?\.ndjson$/);
    const files = readdirSync(dir);
    assert.equal(files.length, s.rotated.length + 1);
    for (const f of s.rotated) assert.ok(readFileSync(f).length <= 1000);
    const want = batches.flat().map((e) => e.json).sort();
    assert.deepEqual(allLines(dir).sort(), want);
  });

  it('rotates by age on the next write', async () => {
    const { s, dir } = sink({ max_age: '30ms' });
    await s.start();
    await s.write(outputEvents(1, 'old'));
    await new Promise((r) => setTimeout(r, 50));
    await s.write(outputEvents(1, 'new'));
    await s.stop();
    assert.equal(s.rotated.length, 1);
    assert.match(readFileSync(s.rotated[0]!, 'utf8'), /old-0/);
    assert.match(readFileSync(s.path, 'utf8'), /new-0/);
    assert.equal(readdirSync(dir).length, 2);
  });

  it('reopen() writes to a new file after an external rename (SIGHUP)', async () => {
    const { s, dir } = sink({});
    await s.start();
    await s.write(outputEvents(2, 'before'));
    renameSync(s.path, join(dir, 'events.ndjson.1'));
    await s.reopen();
    await s.write(outputEvents(2, 'after'));
    await s.stop();
    assert.match(readFileSync(join(dir, 'events.ndjson.1'), 'utf8'), /before-1/);
    assert.doesNotMatch(readFileSync(join(dir, 'events.ndjson.1'), 'utf8'), /after/);
    assert.match(readFileSync(s.path, 'utf8'), /after-0/);
  });

  it('fsync interval: write resolves after the next periodic fsync (group commit)', async () => {
    const { s } = sink({ fsync: 'interval', fsync_interval: '80ms' });
    await s.start();
    const t = Date.now();
    await Promise.all([s.write(outputEvents(1, 'a')), s.write(outputEvents(1, 'b'))]);
    const waited = Date.now() - t;
    assert.ok(waited >= 70, `waited ${waited} ms for the fsync`);
    await s.stop();
    assert.equal(readFileSync(s.path, 'utf8').split('\n').filter(Boolean).length, 2);
  });

  it('reports an unwritable path in health and rejects the write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-file-'));
    writeFileSync(join(dir, 'jizo-not-a-dir'), '');
    const s = new FileSink('file', fileSinkSchema.parse({}), join(dir, 'jizo-not-a-dir', 'events.ndjson'));
    await assert.rejects(s.start());
    await assert.rejects(s.write(outputEvents(1, 'x')));
    assert.equal(s.health().ok, false);
    assert.match(s.health().detail ?? '', /jizo-not-a-dir/);
  });
  it('cuts a torn last line (a crash mid-append) before appending, so no line is glued to it', async () => {
    const { s, dir } = sink({});
    const path = join(dir, 'events.ndjson');
    // Two complete lines, then the first 20 bytes of a line (longer than one read step below it: 70 KiB).
    const whole = outputEvents(2, 'old').map((e) => e.json + '\n').join('');
    writeFileSync(path, whole + 'x'.repeat(70 * 1024) + '{"@timestamp":"2024-');
    await s.start();
    const fresh = outputEvents(2, 'new');
    await s.write(fresh);
    await s.stop();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'the file ends with a newline');
    assert.deepEqual(lines, [...whole.split('\n').filter(Boolean), ...fresh.map((e) => e.json)]);
  });

  it('cuts a file holding no newline at all to empty, and leaves a clean file as it is', async () => {
    const { s, dir } = sink({});
    const path = join(dir, 'events.ndjson');
    writeFileSync(path, '{"cut":');
    await s.start();
    await s.stop();
    assert.equal(readFileSync(path, 'utf8'), '');
    writeFileSync(path, '{"a":1}\n');
    await s.start();
    await s.stop();
    assert.equal(readFileSync(path, 'utf8'), '{"a":1}\n');
  });
});
