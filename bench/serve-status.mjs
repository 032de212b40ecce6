#!/usr/bin/env node
/**
 * What the status page's statistics cost `serve`.
 *
 *   node bench/serve-status.mjs [file] [--lines N] [--rounds 7]
 *
 * 1. The service: the syslog TCP -> file benchmark (serve-syslog-tcp.mjs)
 *    with the statistics on (`admin.status_page: true`, the default) and off,
 *    in interleaved rounds (the order alternating), reporting the median of
 *    the per-round ratios of events/s and of CPU time (user + system).
 * 2. The step itself: the time `EventStats.document` takes per event next to
 *    the time `normalize` takes per event, on the same lines, in process:
 *    per counted event, and per event at 40,000 events a second (a tick
 *    every 40,000 events), where the window counts one event in 20.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchInput } from './generate.mjs';
import { measureServe } from './serve-syslog-tcp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function step(file) {
  const { normalize } = await import(pathToFileURL(join(root, 'dist/src/index.js')).href);
  const { EventStats } = await import(pathToFileURL(join(root, 'dist/src/runtime/stats/event-stats.js')).href);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, 100_000);
  let results = [];
  let t;
  const normalizeRuns = [];
  for (let round = 0; round < 3; round++) {
    results = [];
    t = process.hrtime.bigint();
    for (const l of lines) {
      const r = normalize(l);
      if (r.ok) results.push(r);
    }
    normalizeRuns.push(Number(process.hrtime.bigint() - t) / lines.length);
  }
  const normalizeNs = median(normalizeRuns);
  // every event counted (at most samplesPerSecond events a second), and at the benchmark's rate (a tick every 40,000)
  const cost = (tickEvery) => {
    const stats = new EventStats();
    const per = [];
    let n = 0;
    if (tickEvery) {
      // the first second counts every event: start from a second at the rate
      for (let i = 0; i < tickEvery; i++) stats.document(results[i % results.length], 'syslog', '2024-05-01T10:00:00Z');
      stats.tick();
    }
    for (let round = 0; round < 5; round++) {
      t = process.hrtime.bigint();
      for (let i = 0; i < results.length; i++) {
        stats.document(results[i], 'syslog', '2024-05-01T10:00:00Z');
        if (tickEvery && ++n === tickEvery) {
          stats.tick();
          n = 0;
        }
      }
      per.push(Number(process.hrtime.bigint() - t) / results.length);
      stats.rotate();
    }
    return { ns: median(per), stats };
  };
  const every = cost(0);
  const at40k = cost(40_000);
  const stats = at40k.stats;
  t = process.hrtime.bigint();
  stats.snapshot();
  const snapshotMs = Number(process.hrtime.bigint() - t) / 1e6;
  return {
    normalizeNsPerEvent: Math.round(normalizeNs),
    statsNsPerCountedEvent: Math.round(every.ns),
    statsNsPerEventAt40k: Math.round(at40k.ns),
    stepRatioAt40k: +(at40k.ns / normalizeNs).toFixed(4),
    snapshotMs: +snapshotMs.toFixed(2),
  };
}

const { file, events, opt, cleanup } = await benchInput('jizo-bench-status');
try {
  const rounds = Number(opt('--rounds', 7));
  const on = [];
  const off = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
    for (const which of order) {
      const m = await measureServe({ file, events, admin: `{ port: 0, status_page: ${which === 'on'} }` });
      (which === 'on' ? on : off).push(m);
    }
    const eps = (m) => Math.round(m.eventsPerSec);
    console.error(`round ${r + 1}: on ${eps(on[r])} events/s, ${on[r].cpu?.toFixed(2)} CPU s; off ${eps(off[r])} events/s, ${off[r].cpu?.toFixed(2)} CPU s`);
  }
  const ratios = on.map((m, i) => m.eventsPerSec / off[i].eventsPerSec);
  const cpuRatios = on.map((m, i) => m.cpu / off[i].cpu);
  console.log(
    JSON.stringify({
      events,
      rounds,
      eventsPerSec: { on: Math.round(median(on.map((m) => m.eventsPerSec))), off: Math.round(median(off.map((m) => m.eventsPerSec))) },
      throughputOnOverOff: +median(ratios).toFixed(3),
      cpuOnOverOff: +median(cpuRatios).toFixed(3),
      perRound: ratios.map((x) => +x.toFixed(3)),
      perRoundCpu: cpuRatios.map((x) => +x.toFixed(3)),
      ...(await step(file)),
    }),
  );
} finally {
  cleanup();
}
