import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileChunks, SyncFileWriter } from '../src/io/sync-file.js';

const dir = mkdtempSync(join(tmpdir(), 'jizo-sync-file-'));

test('SyncFileWriter: lines, lines longer than its buffer, and bytes, in order', () => {
  const path = join(dir, 'out.ndjson');
  const errors: Error[] = [];
  const w = new SyncFileWriter(path, (e) => errors.push(e), 64);
  const expected: string[] = [];
  for (let i = 0; i < 50; i++) {
    const line = i % 7 === 0 ? `{"long":"${'é'.repeat(40 + i)}"}` : `{"n":${i}}`;
    w.writeLine(line);
    expected.push(`${line}\n`);
    if (i % 10 === 5) {
      let called = false;
      w.writeBytes(Buffer.from('raw bytes\n'), () => (called = true));
      assert.ok(called, 'written is called once the bytes are written');
      expected.push('raw bytes\n');
    }
  }
  assert.equal(w.full, false);
  w.close();
  assert.deepEqual(errors, []);
  assert.equal(readFileSync(path, 'utf8'), expected.join(''));
});

test('SyncFileWriter: a file that cannot be opened is reported once, later writes are dropped', () => {
  const errors: Error[] = [];
  const w = new SyncFileWriter(join(dir, 'no-such-dir', 'out'), (e) => errors.push(e));
  w.writeLine('x'.repeat(10));
  w.writeBytes(Buffer.from('y'));
  w.close();
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /ENOENT/);
});

test('fileChunks: a regular file is read synchronously, a FIFO asynchronously', async () => {
  const path = join(dir, 'in.txt');
  const text = 'line\n'.repeat(30_000);
  writeFileSync(path, text);
  const chunks = fileChunks(path, 4096);
  assert.ok(Symbol.iterator in chunks, 'a regular file gives a synchronous iterable');
  let read = '';
  for (const c of chunks as Iterable<Buffer>) read += c.toString('latin1');
  assert.equal(read, text);

  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const fromFifo = fileChunks(fifo);
  assert.ok(Symbol.asyncIterator in fromFifo && !(Symbol.iterator in fromFifo), 'a FIFO is read asynchronously');
  const writer = import('node:fs/promises').then((fs) => fs.writeFile(fifo, 'a\nb\n'));
  let got = '';
  for await (const c of fromFifo) got += c.toString();
  await writer;
  assert.equal(got, 'a\nb\n');
});
