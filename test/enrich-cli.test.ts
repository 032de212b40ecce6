import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { validateDocument } from '../src/catalog/validate.js';
import { publicAddress } from '../src/enrich/geoip.js';
import { createMetrics } from '../src/serve/metrics.js';
import type { JizoDocument } from '../src/index.js';
import { corpusLines } from './helpers/corpus.js';
import { CLI } from './helpers/paths.js';
import { serveFromYaml } from './helpers/service.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'jizo-enrich-cli-'));
const input = join(dir, 'corpus.ndjson');
writeFileSync(input, corpusLines().map((l) => l.text).join('\n') + '\n');
const FLAGS = ['--profile', 'ecs', '--geoip', '--internal-networks', 'private', '--community-id', '--received-at', '2024-01-01T00:00:00Z'];

async function normalizeCorpus(workers: number): Promise<{ docs: JizoDocument[]; text: string; stderr: string }> {
  const out = join(dir, `out-${workers}.ndjson`);
  const r = await run(process.execPath, [CLI, 'normalize', ...FLAGS, '--workers', String(workers), '--errors', join(dir, 'errors.ndjson'), '-o', out, input]);
  const text = readFileSync(out, 'utf8');
  return { docs: text.trimEnd().split('\n').map((l) => JSON.parse(l) as JizoDocument), text, stderr: r.stderr };
}

describe('normalize and serve with enrichment', () => {
  it('on the corpus: geo and AS for public addresses only, direction for every event with both addresses, valid ECS; the same with 2 workers', { timeout: 120_000 }, async () => {
    const one = await normalizeCorpus(1);
    const two = await normalizeCorpus(2);
    assert.equal(two.text, one.text);
    const summary = /enrichment: geoip (\d+) lookups \(([\d.]+) % from cache\), (\d+) not found, (\d+) not public; direction (\d+) set, (\d+) without both addresses; community_id (\d+) computed, (\d+) kept/;
    const a = summary.exec(one.stderr);
    const b = summary.exec(two.stderr);
    assert.ok(a && b, one.stderr);
    // worker caches differ, the counts of lookups, directions and IDs do not
    for (const i of [1, 4, 5, 6, 7, 8]) assert.equal(b[i], a[i], `summary field ${i}: ${one.stderr} / ${two.stderr}`);
    let withGeo = 0;
    let both = 0;
    for (const d of one.docs) {
      assert.deepEqual(validateDocument(d, 'ecs'), []);
      for (const side of ['source', 'destination', 'client', 'server'] as const) {
        const o = d[side];
        if (typeof o?.ip !== 'string') continue;
        if (publicAddress(o.ip) === undefined) assert.ok(o.geo === undefined && o.as === undefined, `${o.ip} is not public`);
        else if (o.geo !== undefined) withGeo++;
      }
      const net = d.network as { direction?: string; community_id?: string } | undefined;
      if (typeof d.source?.ip === 'string' && typeof d.destination?.ip === 'string') {
        both++;
        assert.ok(net?.direction !== undefined, JSON.stringify(d.source));
      }
    }
    assert.equal(Number(a[5]), both);
    assert.ok(withGeo > 100, `${withGeo} public endpoints with geo`);
    const google = one.docs.find((d) => d.destination?.ip === '8.8.8.8');
    if (google !== undefined) assert.equal((google.destination!.as as { number: number }).number, 15169);
  });

  it('stops before any output on a missing database (exit 2)', async () => {
    await assert.rejects(run(process.execPath, [CLI, 'normalize', '--geoip-db', join(dir, 'missing.mmdb'), input]), (e: { code: number; stderr: string; stdout: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /GeoIP database .*missing\.mmdb: ENOENT/);
      assert.equal(e.stdout, '');
      return true;
    });
  });

  it('serve enriches as normalize does, from its enrich section, and counts it in its metrics', { timeout: 120_000 }, async () => {
    const out = join(dir, 'serve-out.ndjson');
    const service = await serveFromYaml(dir, `
profile: ecs
admin: false
data_dir: ${join(dir, 'data')}
enrich:
  geoip: { enabled: true }
  internal_networks: [private]
  community_id: true
sources: { eve: { type: file, paths: [${input}], start_at: beginning } }
sinks: { out: { type: file, path: ${out} } }
`);
    const expected = (await normalizeCorpus(1)).docs.length;
    const deadline = Date.now() + 60_000;
    while (service.pipeline.stats.normalized < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await service.stop();
    const docs = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as JizoDocument);
    assert.equal(docs.length, expected);
    const google = docs.filter((d) => d.destination?.ip === '8.8.8.8' || d.source?.ip === '8.8.8.8');
    for (const d of google) assert.equal(((d.destination?.ip === '8.8.8.8' ? d.destination : d.source)!.as as { number: number }).number, 15169);
    assert.ok(docs.filter((d) => (d.network as { direction?: string } | undefined)?.direction !== undefined).length > 100);
    const text = await createMetrics(service.pipeline, [], service.enricher).metrics();
    assert.match(text, /jizo_intake_enrich_geoip_lookups_total [1-9]\d*/);
    assert.match(text, /jizo_intake_enrich_community_id_computed_total [1-9]\d*/);
  });

});
