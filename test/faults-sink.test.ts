/**
 * Fault suite, sink trouble: `serve` (HTTP source -> elasticsearch sink) while
 * the _bulk fake throttles whole requests (429), fails (503), throttles a
 * share of items (item-level 429), disappears for a while (connections cut),
 * and refuses some documents for good (mapping conflict). Nothing is lost;
 * only the conflicting documents reach the dead-letter output, with reasons.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { validateConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { Service } from '../src/serve/service.js';
import { FakeBulk } from './helpers/fake-bulk.js';
import { size } from './helpers/fuzz.js';
import { endpoint, httpRequest } from './helpers/net.js';

const CONFLICT = 'MAPPING-CONFLICT';
const event = (i: number) =>
  `{"timestamp":"2024-05-01T10:00:00.000001+0000","flow_id":${i},"event_type":"alert","src_ip":"192.0.2.1","dest_ip":"198.51.100.2","alert":{"signature_id":1,"signature":"sink trouble${i % 97 === 0 ? ` ${CONFLICT}` : ''}"}}`;

describe('faults: sink trouble', () => {
  it('elasticsearch throttling, failing, item 429s, an outage and mapping conflicts: nothing lost, only conflicts dead-lettered', { timeout: 60_000 }, async () => {
    const fake = await new FakeBulk().start();
    const dir = mkdtempSync(join(tmpdir(), 'jizo-sink-'));
    const registry = defaultRegistry();
    const config = validateConfig(
      {
        data_dir: dir,
        admin: false,
        pipeline: { batch_max_wait: '5ms', retry_initial: '10ms', retry_max: '100ms' },
        sources: { http: { type: 'http', port: 0 } },
        sinks: { es: { type: 'elasticsearch', nodes: [fake.url], max_batch_events: 100, request_timeout: '2s', retry: { initial: '10ms', max: '100ms' } } },
      },
      registry,
    );
    const service = new Service(config, registry, pino({ level: 'silent' }));
    await service.start();
    const n = size(50_000, 5_000);
    const per = 250;
    const started = Date.now();
    try {
      const port = endpoint(service.sources.get('http')!, 'http').port;
      fake.switches.mappingErrorMarker = CONFLICT;
      fake.switches.itemFailEvery = 5; // 20 % of items get a 429
      const posts: Promise<void>[] = [];
      for (let p = 0; p * per < n; p++) {
        // Trouble changes while the posts go on.
        if (p === Math.floor(n / per / 5)) Object.assign(fake.switches, { failRequests: 5, failStatus: 429 });
        if (p === Math.floor((2 * n) / per / 5)) Object.assign(fake.switches, { failRequests: 5, failStatus: 503 });
        if (p === Math.floor((3 * n) / per / 5)) fake.switches.outageUntil = Date.now() + 1500;
        const body = Array.from({ length: per }, (_, i) => event(p * per + i)).join('\n');
        posts.push(
          httpRequest(port, { body }).then((r) => {
            assert.equal(r.status, 202, r.body);
          }),
        );
        if (posts.length % 8 === 0) await Promise.all(posts.slice(-8));
      }
      await Promise.all(posts);
    } finally {
      await service.stop();
      await fake.stop();
    }
    const ids = fake.all.map((d) => Number(/"flow":\{"id":"(\d+)"/.exec(d)![1]));
    const unique = new Set(ids);
    const conflicts = Array.from({ length: n }, (_, i) => i).filter((i) => i % 97 === 0);
    const dead = readFileSync(join(dir, 'dead-letter.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    const lost = Array.from({ length: n }, (_, i) => i).filter((i) => i % 97 !== 0 && !unique.has(i)).length;
    const figures = {
      events_sent: n,
      indexed: ids.length,
      duplicated: ids.length - unique.size,
      lost,
      dead_lettered: dead.length,
      bulk_requests: fake.bulkRequests,
      refused_connections: fake.refusedConnections,
      seconds: (Date.now() - started) / 1000,
    };
    console.log(`faults sink-trouble: ${JSON.stringify(figures)}`);
    assert.equal(lost, 0);
    assert.equal(figures.duplicated, 0);
    assert.equal(dead.length, conflicts.length, 'only the conflicting documents are dead-lettered');
    for (const d of dead) {
      assert.equal(d.kind, 'refused');
      assert.match(JSON.stringify(d), /mapper_parsing_exception/);
      assert.match(JSON.stringify(d), new RegExp(CONFLICT));
    }
  });
});
