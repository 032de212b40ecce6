import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, copyFile, mkdir, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { checkpointOffsets, eveLines, makeFileSource } from './helpers/file-source.js';
import { tempDir, TestIngest, until } from './helpers/ingest.js';

const text = (lines: string[]) => lines.map((l) => l + '\n').join('');
const sorted = (a: string[]) => [...a].sort();

describe('file source rotation and restart', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('jizo-rot-')));
  after(() => cleanup());

  for (const pattern of ['eve.json', 'eve.json*']) {
    it(`follows rename-and-create rotation, every line exactly once (paths: ${pattern})`, async (t) => {
      const d = join(dir, `rename-${pattern.length}`);
      await mkdir(d, { recursive: true });
      const file = join(d, 'eve.json');
      await writeFile(file, text(eveLines(100, 0)));
      const ingest = new TestIngest(true);
      const src = makeFileSource(join(d, 'state'), { paths: [join(d, pattern)] });
      t.after(() => src.stop());
      await src.start(ingest);
      await ingest.waitFor(100);
      // the writer still appends to the old file after the rename, before it reopens
      await rename(file, join(d, 'eve.json.1'));
      await appendFile(join(d, 'eve.json.1'), text(eveLines(20, 100)));
      await writeFile(file, text(eveLines(50, 120, 'b')));
      await ingest.waitFor(170);
      await appendFile(file, text(eveLines(30, 170, 'b')));
      await ingest.waitFor(200);
      await new Promise((r) => setTimeout(r, 300));
      const expected = [...eveLines(120, 0), ...eveLines(80, 120, 'b')];
      assert.deepEqual(sorted(ingest.lines), sorted(expected));
      assert.equal(ingest.lines.length, 200);
    });
  }

  it('follows copy-truncate: finishes unread lines from the copy, then rereads the truncated file', async (t) => {
    const d = join(dir, 'copytrunc');
    await mkdir(d, { recursive: true });
    const file = join(d, 'eve.json');
    await writeFile(file, text(eveLines(100)));
    const ingest = new TestIngest(true);
    const src = makeFileSource(join(d, 'state'), { paths: [join(d, 'eve.json*')], poll_interval: 100000 });
    t.after(() => src.stop());
    await src.start(ingest);
    await ingest.waitFor(100);
    // lines the source has not read yet when logrotate copies and truncates
    await stopWatching(src);
    await appendFile(file, text(eveLines(40, 100)));
    await copyFile(file, join(d, 'eve.json.1'));
    await truncate(file, 0);
    await appendFile(file, text(eveLines(10, 0, 'after')));
    wakeScan(src);
    await ingest.waitFor(150);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(sorted(ingest.lines), sorted([...eveLines(140), ...eveLines(10, 0, 'after')]));
  });

  it('on copy-truncate without a matching copy, reads the truncated file again from its start', async (t) => {
    const d = join(dir, 'copytrunc-nocopy');
    await mkdir(d, { recursive: true });
    const file = join(d, 'eve.json');
    await writeFile(file, text(eveLines(30)));
    await writeFile(join(d, 'old.json.gz'), 'not text');
    const ingest = new TestIngest(true);
    const src = makeFileSource(join(d, 'state'), { paths: [join(d, '*.json'), join(d, '*.gz')], exclude: [join(d, '*.gz')] });
    t.after(() => src.stop());
    await src.start(ingest);
    await ingest.waitFor(30);
    await copyFile(file, join(d, 'eve.json.1')); // not matched by the paths
    await truncate(file, 0);
    await appendFile(file, text(eveLines(5, 0, 'after')));
    await ingest.waitFor(35);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(ingest.lines, [...eveLines(30), ...eveLines(5, 0, 'after')]);
  });

  it('resumes after a crash (SIGKILL) from the checkpoint on disk', async (t) => {
    const d = join(dir, 'crash');
    await mkdir(d, { recursive: true });
    const file = join(d, 'eve.json');
    const state = join(d, 'state');
    await writeFile(file, text(eveLines(1000)));
    const size = (await stat(file)).size;
    const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), './helpers/file-source-child.js'), state, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(() => child.kill('SIGKILL'));
    await until(async () => (await checkpointOffsets(state))[file] === size, 10000, 'child checkpoint at end of file');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await appendFile(file, text(eveLines(5, 1000)));
    const ingest = new TestIngest(true);
    const src = makeFileSource(state, { paths: [file] });
    t.after(() => src.stop());
    await src.start(ingest);
    await ingest.waitFor(5);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(ingest.lines, eveLines(5, 1000));
  });

  it('finishes the old file when it was rotated while stopped, and reads the new one whole', async (t) => {
    const d = join(dir, 'offline');
    await mkdir(d, { recursive: true });
    const file = join(d, 'eve.json');
    const state = join(d, 'state');
    await writeFile(file, text(eveLines(10)));
    const first = new TestIngest(true);
    const src = makeFileSource(state, { paths: [join(d, 'eve.json*')], start_at: 'end' });
    await src.start(first);
    await until(async () => (await checkpointOffsets(state))[file] !== undefined, 2000, 'first checkpoint');
    await appendFile(file, text(eveLines(3, 10)));
    await first.waitFor(3);
    await src.stop();
    // while stopped: more lines, then rotation
    await appendFile(file, text(eveLines(2, 13)));
    await rename(file, join(d, 'eve.json.1'));
    await writeFile(file, text(eveLines(4, 0, 'new')));
    const second = new TestIngest(true);
    const src2 = makeFileSource(state, { paths: [join(d, 'eve.json*')], start_at: 'end' });
    t.after(() => src2.stop());
    await src2.start(second);
    await second.waitFor(6);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(sorted(second.lines), sorted([...eveLines(2, 13), ...eveLines(4, 0, 'new')]));
  });
});

/** Holds the source's scans until `wakeScan` (a long poll interval and no directory watch). */
async function stopWatching(src: object): Promise<void> {
  (src as unknown as { watcher: { close(): void; refresh(): void } }).watcher.close();
  (src as unknown as { watcher: { refresh(): void } }).watcher.refresh = () => undefined;
  await new Promise((r) => setTimeout(r, 50));
}

function wakeScan(src: object): void {
  (src as unknown as { lastScan: number }).lastScan = 0;
  (src as unknown as { wake(): void }).wake();
}
