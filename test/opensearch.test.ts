/**
 * The index templates and the `opensearch` sink against a real OpenSearch
 * node (scripts/opensearch.sh): every document the profiles make from the
 * goldens and the public corpus is accepted by the catalog's template, values
 * come back typed as mapped, and `serve` delivers exactly once in effect
 * (deterministic ids) through refusals, 413 splits and an engine outage.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ipaddr from 'ipaddr.js';
import { normalize } from '../src/index.js';
import type { ProfileName } from '../src/normalize/types.js';
import type { OutputEvent } from '../src/pipeline/types.js';
import { toJson } from '../src/serialize.js';
import { opensearchSinkFactory, type ElasticsearchSink } from '../src/sinks/elasticsearch/index.js';
import { producedDocuments } from './helpers/documents.js';
import { eveLines } from './helpers/file-source.js';
import { tempDir, testDeps, until } from './helpers/ingest.js';
import { countDocs, deleteIndices, openSearch, os, OPENSEARCH_MAX_CONTENT, stopOpenSearch } from './helpers/opensearch.js';
import { CLI } from './helpers/paths.js';

/** A raw event whose @timestamp has microseconds no other test document has. */
const NANOS_EVENT =
  '{"timestamp":"2031-02-03T04:05:06.123456+0100","flow_id":18446744073709551615,"event_type":"flow","src_ip":"203.0.113.7","src_port":5353,"dest_ip":"198.51.100.9","dest_port":53,"proto":"UDP","flow":{"pkts_toserver":1,"pkts_toclient":1,"bytes_toserver":80,"bytes_toclient":120,"start":"2031-02-03T04:05:06.000001+0100","end":"2031-02-03T04:05:06.123456+0100","age":0,"state":"established","reason":"timeout","alerted":false}}';

interface Hits {
  hits: { total: { value: number }; hits: { _source: Record<string, unknown> }[] };
}

async function search(url: string, index: string, query: object): Promise<Hits['hits']> {
  return (await os<Hits>(url, 'POST', `/${index}/_search?track_total_hits=true`, { query, size: 5 })).hits;
}

/** Runs the CLI to its end: exit code and stderr. */
function runCli(args: string[], timeoutMs = 180_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jizo-intake ${args.join(' ')} did not end in ${timeoutMs} ms: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function serveConfig(dir: string, url: string, input: string, index: string, extra: Record<string, unknown> = {}): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `serve-${index}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      data_dir: join(dir, `data-${index}`),
      admin: false,
      log_level: 'warn',
      pipeline: { retry_initial: '50ms', retry_max: '500ms' },
      sources: { eve: { type: 'file', paths: [input] } },
      sinks: {
        os: {
          type: 'opensearch',
          nodes: [url],
          index,
          template: { install: true, name: index, profile: 'sekoia' },
          retry: { initial: 50, max: 500 },
          ...extra,
        },
      },
    }),
  );
  return path;
}

describe('a real OpenSearch node', () => {
  let url: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    url = await openSearch();
    ({ dir, cleanup } = await tempDir('jizo-os-'));
  });
  after(() => cleanup());

  for (const profile of ['sekoia', 'ecs'] as ProfileName[]) {
    it(`${profile}: the catalog's template is installed and every golden and corpus document is indexed with 0 item errors`, { timeout: 180_000 }, async () => {
      const prefix = `proof-${profile}`;
      await deleteIndices(url, `${prefix}-*`);
      const config = opensearchSinkFactory.schema.parse({
        nodes: [url],
        index: `${prefix}-%{+yyyy}`,
        // no ids: the corpus holds byte-identical lines, each must be a document here
        id: 'none',
        max_batch_bytes: '512KiB',
        template: { install: true, name: prefix, profile },
      });
      const sink = opensearchSinkFactory.create('os', config, testDeps(dir)) as ElasticsearchSink;
      await sink.start();
      try {
        const extra = normalize(NANOS_EVENT, { profile });
        assert.ok(extra.ok);
        const docs = [...producedDocuments(profile).map((p) => p.document), extra.document];
        const events: OutputEvent[] = docs.map((d) => ({ json: toJson(d, true), timestamp: d['@timestamp'] as string }));
        const r = await sink.write(events);
        const refusals = r.refused.slice(0, 5).map((f) => `${f.reason}: ${f.error} in ${events[f.index]!.json.slice(0, 300)}`);
        assert.deepEqual(refusals, [], 'documents the engine refused');
        assert.equal(sink.counters.sent, events.length);
        assert.equal(await countDocs(url, `${prefix}-*`), events.length);

        // date_nanos keeps the microseconds: a range one microsecond wide finds the document
        const mapping = await os<Record<string, { mappings: { properties: Record<string, { type: string }> } }>>(url, 'GET', `/${prefix}-2031/_mapping`);
        assert.equal(mapping[`${prefix}-2031`]!.mappings.properties['@timestamp']!.type, 'date_nanos');
        const inside = await search(url, `${prefix}-*`, { range: { '@timestamp': { gt: '2031-02-03T03:05:06.123455Z', lt: '2031-02-03T03:05:06.123457Z' } } });
        assert.equal(inside.total.value, 1);
        const after = await search(url, `${prefix}-*`, { range: { '@timestamp': { gt: '2031-02-03T03:05:06.123456Z', lt: '2031-02-03T03:05:06.124Z' } } });
        assert.equal(after.total.value, 0, 'a millisecond date would round both bounds to the same value');

        // an ip field answers a CIDR term query, for exactly the documents in the range
        const net = ipaddr.parseCIDR('192.168.0.0/16');
        const expected = docs.filter((d) => {
          const ip = (d.source as { ip?: string } | undefined)?.ip;
          if (typeof ip !== 'string' || !ipaddr.isValid(ip)) return false;
          const a = ipaddr.process(ip);
          return a.kind() === 'ipv4' && a.match(net);
        }).length;
        assert.ok(expected > 10);
        assert.equal((await search(url, `${prefix}-*`, { term: { 'source.ip': '192.168.0.0/16' } })).total.value, expected);

        // integers beyond 2^53 come back with every digit in _source
        const big = await search(url, `${prefix}-*`, { range: { '@timestamp': { gte: '2031-01-01T00:00:00Z' } } });
        const raw = await (await fetch(`${url}/${prefix}-2031/_search?filter_path=hits.hits._source`)).text();
        assert.equal(big.total.value, 1);
        assert.match(raw, /18446744073709551615/);
      } finally {
        await sink.stop();
      }
    });
  }

  it('ecs: flat_object fields are searchable by their inner keys', { timeout: 60_000 }, async () => {
    const mapping = await os<Record<string, { mappings: { properties: Record<string, { type?: string; properties?: object }> } }>>(url, 'GET', '/proof-ecs-*/_mapping');
    const anyIndex = Object.values(mapping)[0]!.mappings.properties;
    const jizo = anyIndex.jizo as { properties: Record<string, { type?: string }> };
    const flat = Object.entries(jizo.properties).filter(([, v]) => v.type === 'flat_object').map(([k]) => k);
    assert.ok(flat.length > 0, 'the ecs template maps some jizo.* objects as flat_object');
    // a document holding one of them, and one of its leaves
    const docs = producedDocuments('ecs').map((p) => p.document as { jizo?: Record<string, unknown> });
    let probe: { field: string; key: string; value: string } | undefined;
    for (const d of docs) {
      for (const f of flat) {
        const obj = d.jizo?.[f];
        if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
          const leaf = Object.entries(obj).find(([, v]) => typeof v === 'string' && v.length > 0 && v.length < 60);
          if (leaf) probe = { field: f, key: leaf[0], value: leaf[1] as string };
        }
        if (probe) break;
      }
      if (probe) break;
    }
    assert.ok(probe, 'some corpus document carries a flat_object field with a string leaf');
    const expected = docs.filter((d) => (d.jizo?.[probe.field] as Record<string, unknown> | undefined)?.[probe.key] === probe.value).length;
    const hits = await search(url, 'proof-ecs-*', { term: { [`jizo.${probe.field}.${probe.key}`]: probe.value } });
    assert.equal(hits.total.value, expected);
    const any = await search(url, 'proof-ecs-*', { term: { [`jizo.${probe.field}`]: probe.value } });
    assert.ok(any.total.value >= expected, 'a flat_object answers a term on its values at the top level too');
  });

  it('serve --exit-on-eof: file -> opensearch, _count equals the events; a second full read finds each already delivered (409), no second document', { timeout: 180_000 }, async () => {
    const index = 'backfill-a';
    await deleteIndices(url, `${index}*`);
    const input = join(dir, 'backfill-a.ndjson');
    const n = 5000;
    writeFileSync(input, eveLines(n, 0, 'bf').join('\n') + '\n');
    const config = serveConfig(dir, url, input, index);
    const first = await runCli(['serve', '-c', config, '--exit-on-eof']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`${n} lines: ${n} documents, 0 rejected, 0 blank; 0 refused by a sink, 0 already delivered`));
    assert.equal(await countDocs(url, index), n);
    // the same file again from its start (checkpoints gone): every event is a 409, acknowledged
    const second = await runCli(['serve', '-c', serveConfig(join(dir, 'again'), url, input, index), '--exit-on-eof']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, new RegExp(`0 refused by a sink, ${n} already delivered; 0 dead letters`));
    assert.equal(await countDocs(url, index), n);
  });

  it('a document the mapping refuses goes to the dead letters with the engine reason; the others are indexed; exit 4', { timeout: 120_000 }, async () => {
    const index = 'refusal-a';
    await deleteIndices(url, `${index}*`);
    // the index exists with a field typed so that one event's value cannot fit it (only the DNS event has a transport)
    await os(url, 'PUT', `/${index}`, { mappings: { properties: { network: { properties: { transport: { type: 'long' } } } } } });
    const lines = eveLines(100, 0, 'ok');
    lines.splice(
      50,
      0,
      '{"timestamp":"2024-01-01T00:00:01.000000+0000","event_type":"dns","src_ip":"192.0.2.1","dest_ip":"198.51.100.53","proto":"UDP","dns":{"type":"query","rrname":"not-a-number.example.org","rrtype":"A"}}',
    );
    const input = join(dir, 'refusal.ndjson');
    writeFileSync(input, lines.join('\n') + '\n');
    const config = serveConfig(dir, url, input, index, { template: { install: false } });
    const res = await runCli(['serve', '-c', config, '--exit-on-eof']);
    assert.equal(res.code, 4, res.stderr);
    assert.equal(await countDocs(url, index), 100);
    const dead = readFileSync(join(dir, `data-${index}`, 'dead-letter.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.kind, 'refused');
    assert.equal(dead[0]!.reason, 'mapper_parsing_exception');
    assert.match(dead[0]!.error, /network\.transport/);
    assert.match(dead[0]!.raw, /not-a-number\.example\.org/);
  });

  it(`bulk requests over the node's http.max_content_length (${OPENSEARCH_MAX_CONTENT} bytes) are split on 413 and everything is delivered`, { timeout: 120_000 }, async () => {
    const index = 'split-a';
    await deleteIndices(url, `${index}*`);
    const sink = opensearchSinkFactory.create(
      'os',
      opensearchSinkFactory.schema.parse({ nodes: [url], index, max_batch_bytes: '16MiB', max_batch_events: 100_000 }),
      testDeps(dir),
    ) as ElasticsearchSink;
    await sink.start();
    try {
      const pad = 'x'.repeat(400);
      const events: OutputEvent[] = [];
      for (let i = 0; i < 6000; i++) {
        const ts = `2024-02-02T00:00:00.${String(i).padStart(6, '0')}Z`;
        events.push({ json: `{"@timestamp":"${ts}","n":${i},"pad":"${pad}"}`, timestamp: ts, id: `split-${i}` });
      }
      const r = await sink.write(events);
      assert.deepEqual(r.refused, []);
      assert.ok(sink.counters.errors >= 1, 'at least one request was refused with 413');
      assert.equal(sink.counters.sent, events.length);
      assert.equal(await countDocs(url, index), events.length);
    } finally {
      await sink.stop();
    }
  });

  it('the engine stopped in the middle of a run and started again: nothing lost, no duplicate', { timeout: 300_000 }, async () => {
    const index = 'outage-a';
    await deleteIndices(url, `${index}*`);
    const input = join(dir, 'outage.ndjson');
    const n = 30_000;
    writeFileSync(input, eveLines(n, 0, 'outage').join('\n') + '\n');
    const config = serveConfig(dir, url, input, index, { max_batch_events: 500 });
    const child = spawn(process.execPath, [CLI, 'serve', '-c', config, '--exit-on-eof'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // stop the node once some events are in, while serve still has most to send
    await until(async () => (await countDocs(url, index).catch(() => 0)) > 1000, 60_000, 'the first documents');
    await stopOpenSearch();
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(child.exitCode, null, `serve must wait for the engine, not exit: ${stderr}`);
    url = await openSearch();
    const code = await exited;
    assert.equal(code, 0, stderr);
    assert.equal(await countDocs(url, index), n);
  });
});
