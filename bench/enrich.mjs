#!/usr/bin/env node
/**
 * Cost of each enrichment per event, on the generated benchmark lines, in one
 * process: `ecs` without enrichment against `ecs` with GeoIP+ASN (embedded
 * data), with network direction (`private`), with Community ID, and with all
 * three. The variants run interleaved, ROUNDS times each (default 7), and the
 * median of each is kept; ratios are to `ecs` of the same run. Also prints the
 * load time and the memory of the embedded databases. Run after `npm run build`:
 *   node bench/enrich.mjs [N]     (default 100 000 lines)
 * The community_id the generator writes is removed from the lines, so that
 * the Community ID variant computes one for every event (its tuples are
 * nearly all distinct, the worst case).
 */
import { normalize } from '../dist/src/index.js';
import { Enricher } from '../dist/src/enrich/enricher.js';
import { toJson } from '../dist/src/serialize.js';
import { createGenerator } from './generate.mjs';

const n = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 7);
const next = createGenerator(42);
const lines = Array.from({ length: n }, () => next().replace(/"community_id":"[^"]*",?/, ''));
// The generator writes documentation addresses (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24), which are not public: GeoIP skips them. The same lines with
// two of those ranges moved to public ones measure the lookups themselves.
const publicLines = lines.map((l) => l.replaceAll('"198.51.100.', '"8.8.4.').replaceAll('"203.0.113.', '"104.16.132.'));

// Load time and memory of the embedded data, before anything else touches it.
global.gc?.();
const before = process.memoryUsage();
const t0 = process.hrtime.bigint();
const loaded = new Enricher({ geoip: true });
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
global.gc?.();
const after = process.memoryUsage();
const mb = (b) => (b / 1048576).toFixed(1);
console.log(`embedded GeoIP data: loaded in ${loadMs.toFixed(0)} ms; +${mb(after.rss - before.rss)} MB RSS, +${mb(after.arrayBuffers - before.arrayBuffers)} MB array buffers, +${mb(after.heapUsed - before.heapUsed)} MB heap (${loaded.geoSources.join('; ')})`);

const variants = {
  ecs: { profile: 'ecs' },
  'ecs + geoip': { profile: 'ecs', geoip: true },
  'ecs, public addresses': { profile: 'ecs', public: true },
  'ecs + geoip, public addresses': { profile: 'ecs', geoip: true, public: true },
  'ecs + direction': { profile: 'ecs', internalNetworks: ['private'] },
  'ecs + community_id': { profile: 'ecs', communityId: true },
  'ecs + all three': { profile: 'ecs', geoip: true, internalNetworks: ['private'], communityId: true },
};

function once(variant) {
  const { public: pub, ...opts } = variant;
  const t = process.hrtime.bigint();
  let bytes = 0;
  for (const l of pub ? publicLines : lines) {
    const r = normalize(l, opts);
    if (r.ok) bytes += toJson(r.document, r.lossless).length;
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (bytes < 0) console.log(bytes);
  return ms;
}

for (const o of Object.values(variants)) for (let i = 0; i < 10_000; i++) normalize(lines[i % n], o);
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) for (const [k, o] of Object.entries(variants)) times[k].push(once(o));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const base = median(times.ecs);
const basePublic = median(times['ecs, public addresses']);
console.log(`${n} generated lines, ${rounds} interleaved rounds, medians; node ${process.version}`);
for (const [k, t] of Object.entries(times)) {
  const m = median(t);
  const pub = variants[k].public === true;
  console.log(
    `${k.padEnd(30)} ${Math.round((n / m) * 1000).toString().padStart(8)} events/s  ${((1000 * m) / n).toFixed(2)} µs/event  ` +
      `${(m / (pub ? basePublic : base)).toFixed(3)}x the time of ${pub ? 'ecs on the same lines' : 'ecs'}`,
  );
}
