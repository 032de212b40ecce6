#!/usr/bin/env node
/**
 * Throughput of the profiles against the JSON.parse + JSON.stringify baseline,
 * in one process on the same lines: the decodable lines of ../shared/corpus
 * (bare JSON ones) repeated to N lines (default 200 000). Run after `npm run build`:
 *   node bench/profiles.mjs [N]
 * The variants run interleaved, ROUNDS times each (default 5), and each keeps
 * its best round: on a shared machine that is the least disturbed measure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from '../dist/src/decode/index.js';
import { normalize } from '../dist/src/normalize/index.js';
import { toJson } from '../dist/src/serialize.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const n = Number(process.argv[2] ?? 200_000);

const base = [];
for (const f of readdirSync(corpus).filter((x) => x.endsWith('.ndjson')).sort()) {
  for (const line of readFileSync(join(corpus, f), 'utf8').split('\n')) {
    // Bare EVE JSON lines only, so that the baseline parses every line too.
    if (line.trim() === '' || !decode(line).ok) continue;
    try {
      JSON.parse(line);
    } catch {
      continue;
    }
    base.push(line);
  }
}
const lines = Array.from({ length: n }, (_, i) => base[i % base.length]);
const bytes = lines.reduce((a, l) => a + l.length, 0);

function once(fn) {
  const t0 = process.hrtime.bigint();
  let out = 0;
  for (const l of lines) out += fn(l);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (out < 0) console.log(out);
  return ms;
}

const opts = { sekoia: { profile: 'sekoia' }, ecs: { profile: 'ecs' } };
const runs = {
  'JSON.parse+stringify': (l) => JSON.stringify(JSON.parse(l)).length,
  'decode only': (l) => (decode(l).ok ? 1 : 0),
  'sekoia normalize': (l) => (normalize(l, opts.sekoia).ok ? 1 : 0),
  'sekoia normalize+toJson': (l) => {
    const r = normalize(l, opts.sekoia);
    return r.ok ? toJson(r.document, r.lossless).length : 0;
  },
  'ecs normalize': (l) => (normalize(l, opts.ecs).ok ? 1 : 0),
  'ecs normalize+toJson': (l) => {
    const r = normalize(l, opts.ecs);
    return r.ok ? toJson(r.document, r.lossless).length : 0;
  },
};

// Warm-up so that every path is optimized before measuring.
for (const fn of Object.values(runs)) for (let i = 0; i < 20_000; i++) fn(lines[i % lines.length]);

console.log(`${lines.length} lines (${base.length} distinct corpus lines, ${(bytes / lines.length).toFixed(0)} chars average), node ${process.version}`);
const rounds = Number(process.env.ROUNDS ?? 5);
const best = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of Object.entries(runs)) best[name] = Math.min(best[name] ?? Infinity, once(fn));
}
const results = {};
for (const [name, ms] of Object.entries(best)) results[name] = (lines.length / ms) * 1000;
const baseline = results['JSON.parse+stringify'];
for (const [name, rate] of Object.entries(results)) {
  console.log(`${name.padEnd(26)} ${Math.round(rate).toString().padStart(8)} events/s   ${(rate / baseline).toFixed(2)}x baseline`);
}
