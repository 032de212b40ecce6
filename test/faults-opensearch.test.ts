/**
 * Fault suite, crash into a real OpenSearch: `serve` backfills a file into
 * the `opensearch` sink and is killed with SIGKILL three times while it
 * ships, then started again each time. Events written after the last
 * checkpoint are read and sent again after each restart; their ids make the
 * engine answer 409 for those, so the index ends with exactly one document
 * per line: none lost, none twice.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rng, size } from './helpers/fuzz.js';
import { until } from './helpers/ingest.js';
import { countDocs, deleteIndices, openSearch } from './helpers/opensearch.js';
import { CLI } from './helpers/paths.js';

const line = (i: number) =>
  `{"timestamp":"2024-06-01T10:${String(Math.floor(i / 1_000_000) % 60).padStart(2, '0')}:00.${String(i % 1_000_000).padStart(6, '0')}+0000","flow_id":${1_000_000_000_000 + i},"event_type":"dns","src_ip":"192.0.2.1","src_port":${1024 + (i % 60000)},"dest_ip":"198.51.100.53","dest_port":53,"proto":"UDP","dns":{"type":"query","id":${i % 65536},"rrname":"host${i}.example.org","rrtype":"A"}}\n`;

describe('faults: crash into a real OpenSearch', () => {
  it('serve file -> opensearch killed with SIGKILL 3 times and restarted: _count equals the lines exactly', { timeout: 900_000 }, async () => {
    const url = await openSearch();
    const n = size(200_000, 20_000);
    const index = 'crash-a';
    await deleteIndices(url, `${index}*`);
    const dir = mkdtempSync(join(tmpdir(), 'jizo-os-crash-'));
    const input = join(dir, 'eve.json');
    const ws = createWriteStream(input);
    for (let i = 0; i < n; i += 10_000) {
      let chunk = '';
      for (let j = i; j < Math.min(n, i + 10_000); j++) chunk += line(j);
      if (!ws.write(chunk)) await new Promise<void>((r) => ws.once('drain', () => r()));
    }
    await new Promise<void>((r) => ws.end(r));
    const config = join(dir, 'serve.json');
    writeFileSync(
      config,
      JSON.stringify({
        data_dir: join(dir, 'data'),
        admin: false,
        log_level: 'error',
        sources: { eve: { type: 'file', paths: [input] } },
        sinks: { os: { type: 'opensearch', nodes: [url], index, template: { install: true, name: index, profile: 'sekoia' } } },
      }),
    );
    const random = rng(20261204);
    let duplicates: number;
    const kills = 3;
    for (let run = 0; ; run++) {
      const child = spawn(process.execPath, [CLI, 'serve', '-c', config, '--exit-on-eof'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      if (run < kills) {
        // kill somewhere in the next part of the file
        const target = Math.floor(((run + random()) / (kills + 1)) * n);
        await until(async () => child.exitCode !== null || (await countDocs(url, index).catch(() => 0)) >= target, 300_000, `${target} documents`);
        assert.equal(child.exitCode, null, `serve ended before it was killed: ${stderr}`);
        child.kill('SIGKILL');
        await exited;
        continue;
      }
      const code = await exited;
      assert.equal(code, 0, stderr);
      duplicates = Number(/(\d+) already delivered/.exec(stderr)?.[1] ?? NaN);
      break;
    }
    const count = await countDocs(url, index);
    process.stderr.write(`# crash into OpenSearch: ${n} lines, ${kills} kills, _count ${count}, redelivered and refused as duplicates in the last run ${duplicates}\n`);
    assert.equal(count, n);
    await deleteIndices(url, `${index}*`);
  });
});
