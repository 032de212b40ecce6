#!/usr/bin/env node
/**
 * Where one thread's time goes, against the yardstick, in one process: how
 * fast each profile could be if its mapping cost nothing.
 *
 * On the generated benchmark lines, in batches of 5,000, these cases run
 * interleaved (the order turns every batch) ROUNDS times (default 7); each
 * case's median over the rounds is kept:
 *
 *   yardstick      JSON.parse + the documented field set copied as is +
 *                  JSON.stringify (bench/baselines.mjs, the reference)
 *   parse          JSON.parse alone (the yardstick's way of finding the JSON)
 *   yardstick + conversions
 *                  the yardstick with the values the sekoia profile's output
 *                  holds converted as the spec's samples show them: dates to
 *                  UTC, IPs in canonical form, flow_id as text (the product's
 *                  own converters): the least work of that output
 *   P              the library's normalize() with profile P + its JSON text
 *   P, free map    JSON.parse + JSON.stringify of P's document, the document
 *                  built beforehand (untimed): P with a mapping that costs
 *                  nothing, the most any mapping of P could reach
 *   P, stringify   JSON.stringify of P's document alone
 *
 * Every case encodes its JSON into a 1 MiB buffer as the CLI does; nothing is
 * read or written (whole-process figures are bench/run.mjs's). Figures are
 * steady state: the JIT's warm-up, which a whole run pays, is not in them.
 *
 *   npm run build && node bench/floor.mjs [N]     (default 200 000 lines)
 */
import { normalize } from '../dist/src/index.js';
import { toJson } from '../dist/src/serialize.js';
import { toUtc } from '../dist/src/normalize/time.js';
import { canonicalIp } from '../dist/src/normalize/ip.js';
import { flowIdKeyword } from '../dist/src/normalize/values.js';
import { eventOf, yardstickDocument } from './baselines.mjs';
import { createGenerator } from './generate.mjs';

const n = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.env.ROUNDS ?? 7);
const BATCH = 100;
const PROFILES = ['sekoia', 'ecs'];

const next = createGenerator(42);
const lines = Array.from({ length: n }, () => next());

const out = Buffer.allocUnsafeSlow(1 << 20);
let used = 0;
function emit(json) {
  if (used + json.length * 3 + 1 > out.length) used = 0;
  used += out.write(json, used);
  out[used++] = 10;
}

const utc = (v) => (typeof v === 'string' ? toUtc(v) : v);
const ipOf = (v) => (typeof v === 'string' ? canonicalIp(v) : v);

/** A yardstick document with the sekoia profile's conversions applied to its values. */
function converted(doc, e, json) {
  doc['@timestamp'] = utc(doc['@timestamp']);
  if (doc.event.start !== undefined) doc.event.start = utc(doc.event.start);
  const src = ipOf(e.src_ip);
  const dst = ipOf(e.dest_ip);
  doc.source.address = doc.source.ip = doc.host.ip = src;
  doc.destination.address = doc.destination.ip = dst;
  doc.related.ip = [src, dst];
  doc.jizo.flow.id = flowIdKeyword(e.flow_id, json);
  return doc;
}

/** One case: a name and what it does to one batch (`docs` of each profile built beforehand). */
const cases = [
  {
    name: 'yardstick',
    run(batch) {
      for (const l of batch) {
        const r = eventOf(l);
        if (r !== undefined) emit(JSON.stringify(yardstickDocument(r[0], r[1])));
      }
    },
  },
  {
    name: 'yardstick + conversions',
    run(batch) {
      for (const l of batch) {
        const r = eventOf(l);
        if (r !== undefined) emit(JSON.stringify(converted(yardstickDocument(r[0], r[1]), r[0], r[1])));
      }
    },
  },
  {
    name: 'parse',
    run(batch) {
      for (const l of batch) eventOf(l);
    },
  },
  ...PROFILES.flatMap((profile) => [
    {
      name: profile,
      run(batch) {
        for (const l of batch) {
          const r = normalize(l, { profile });
          if (r.ok) emit(toJson(r.document, r.lossless));
        }
      },
    },
    {
      name: `${profile}, free map`,
      run(batch, docs) {
        const d = docs[profile];
        for (let i = 0; i < batch.length; i++) {
          eventOf(batch[i]);
          const r = d[i];
          if (r.ok) emit(toJson(r.document, r.lossless));
        }
      },
    },
    {
      name: `${profile}, stringify`,
      run(batch, docs) {
        for (const r of docs[profile]) if (r.ok) emit(toJson(r.document, r.lossless));
      },
    },
  ]),
];

const totals = cases.map(() => []);
let turn = 0;
for (let round = 0; round < rounds; round++) {
  const ns = cases.map(() => 0);
  for (let at = 0; at < n; at += BATCH) {
    const batch = lines.slice(at, at + BATCH);
    const docs = Object.fromEntries(PROFILES.map((p) => [p, batch.map((l) => normalize(l, { profile: p }))]));
    for (let k = 0; k < cases.length; k++) {
      const c = (k + turn) % cases.length;
      const t0 = process.hrtime.bigint();
      cases[c].run(batch, docs);
      ns[c] += Number(process.hrtime.bigint() - t0);
    }
    turn++;
  }
  ns.forEach((v, c) => totals[c].push(v));
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const med = totals.map(median);
const yard = med[0];
const fmt = (v, d) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(`${n} lines, ${rounds} rounds, Node ${process.version}; µs per line (median); × yardstick = yardstick time ÷ case time`);
console.log('| case | µs per line | × yardstick |');
console.log('| --- | ---: | ---: |');
cases.forEach((c, i) => console.log(`| ${c.name} | ${fmt(med[i] / 1000 / n, 2)} | ${fmt(yard / med[i], 2)} |`));
