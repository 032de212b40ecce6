import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CORPUS } from './helpers/paths.js';
import { makeFileSource } from './helpers/file-source.js';
import { tempDir, TestIngest } from './helpers/ingest.js';

/** The shared corpus as one byte string: real EVE lines, odd and broken ones included. */
function corpusBytes(): Buffer {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.ndjson')).sort();
  return Buffer.concat(
    files.map((f) => {
      const b = readFileSync(join(CORPUS, f));
      return b.length > 0 && b[b.length - 1] !== 10 ? Buffer.concat([b, Buffer.from('\n')]) : b;
    }),
  );
}

/** Lines as the file source must hand them over (split on LF, decoded as UTF-8). */
function expectedLines(b: Buffer): string[] {
  const lines = b.toString('utf8').split('\n');
  lines.pop();
  return lines;
}

describe('file source on the real corpus', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('jizo-corpus-')));
  after(() => cleanup());

  it('hands over every corpus line exactly, across small reads, out-of-order durability and a restart', async (t) => {
    const bytes = corpusBytes();
    const expected = expectedLines(bytes);
    assert.ok(expected.length > 2000);
    const file = join(dir, 'eve.json');
    await mkdir(dir, { recursive: true });
    // the writer appends in uneven pieces, cutting lines and UTF-8 sequences anywhere
    await writeFile(file, bytes.subarray(0, 100_003));
    const state = join(dir, 'state');
    const opts = { paths: [file], read_chunk_bytes: 4099, max_batch_events: 37 };
    const first = new TestIngest(false);
    const src = makeFileSource(state, { ...opts, stop_timeout: 50 });
    await src.start(first);
    let pos = 100_003;
    while (pos < bytes.length / 2) {
      const next = Math.min(bytes.length, pos + 7_919);
      await appendFile(file, bytes.subarray(pos, next));
      pos = next;
    }
    const complete = bytes.subarray(0, pos).filter((c) => c === 10).length;
    await first.waitFor(complete, 10000);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(first.lines.length, complete, 'the unterminated last line waits');
    // durable in reverse order, except the last three submissions (never durable)
    const subs = first.submissions.slice(0, -3).reverse();
    for (const s of subs) s.resolve();
    const durableLines = first.submissions.slice(0, -3).reduce((n, s) => n + s.events.length, 0);
    await src.stop();
    assert.deepEqual(first.lines, expected.slice(0, first.lines.length));

    await appendFile(file, bytes.subarray(pos));
    const second = new TestIngest(true);
    const src2 = makeFileSource(state, opts);
    t.after(() => src2.stop());
    await src2.start(second);
    await second.waitFor(expected.length - durableLines, 10000);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...first.lines.slice(0, durableLines), ...second.lines], expected);
  });
});
