/**
 * `serve --exit-on-eof` without a cluster: file sources are read to their end
 * (a last line without a newline included), the service exits 0 once every
 * event is durable, and a source that never ends is a usage error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eveLines } from './helpers/file-source.js';
import { CLI } from './helpers/paths.js';

function run(config: object, dir: string): { status: number | null; stderr: string } {
  const file = join(dir, 'serve.json');
  writeFileSync(file, JSON.stringify(config));
  const r = spawnSync(process.execPath, [CLI, 'serve', '-c', file, '--exit-on-eof'], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('serve --exit-on-eof', () => {
  it('reads two files to their end, last unterminated line included, writes every event and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-backfill-'));
    writeFileSync(join(dir, 'a.json'), eveLines(300, 0, 'a').join('\n') + '\n\n');
    writeFileSync(join(dir, 'b.json'), eveLines(200, 0, 'b').join('\n')); // no final newline
    const out = join(dir, 'out.ndjson');
    const r = run(
      { data_dir: join(dir, 'data'), admin: false, sources: { eve: { type: 'file', paths: [join(dir, '*.json')] } }, sinks: { out: { type: 'file', path: out } } },
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /501 lines: 500 documents, 0 rejected, 1 blank/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, 500);
    assert.ok(lines.some((l) => l.includes('\\"tag\\":\\"b\\",\\"n\\":199')), 'the unterminated last line of b.json is written');
  });

  it('refuses a source that never ends (exit 2, naming it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-backfill-'));
    const r = run({ data_dir: join(dir, 'data'), admin: false, sources: { net: { type: 'syslog', port: 0 } } }, dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /never end: net \(syslog\)/);
  });
});
