#!/usr/bin/env node
/**
 * Publish rate of the `nats` sink into a real nats-server (JetStream, file
 * storage) on this machine, against two references in the same run,
 * interleaved:
 *
 * - `request-per-event`: one JetStream publish request per event
 *   (`js.publish`, acknowledgement awaited), 1,000 at a time with
 *   `Promise.allSettled`: how the sink published before its ack window;
 * - `sink`: `NatsSink.write()` (one reply subscription, a sliding window of
 *   `max_in_flight` outstanding acknowledgements), up to 8 batches written at
 *   once as the service does;
 * - `core-no-ack`: plain core publishes and one flush, nothing stored or
 *   acknowledged: what the connection alone can carry (a ceiling, not a
 *   delivery).
 *
 *   node bench/nats-publish.mjs [FILE | --lines N] [--rounds R] [--batch B] [--window W]
 *
 * Events are the generated EVE lines (payload as the `raw` relay sends
 * them), in batches of B (default 500, the service's batch_max_events), each
 * with its deterministic id as Nats-Msg-Id. Prints medians of events/s and
 * the ratio of each case to `request-per-event`. Needs nats-server on the
 * PATH (apt-get install -y nats-server). Not part of the test suite.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, headers } from 'nats';
import { benchInput } from './generate.mjs';
import { startNatsServer } from './nats-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { natsSinkFactory } = await import(join(root, 'dist/src/sinks/nats/index.js'));
const { eventId } = await import(join(root, 'dist/src/runtime/event-id.js'));
const input = await benchInput('jizo-bench-nats');
const rounds = Number(input.opt('--rounds', 5));
const batchSize = Number(input.opt('--batch', 500));
const window = Number(input.opt('--window', 1000));
const lines = readFileSync(input.file, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, Number(input.opt('--events', 1e9)));
let events = [];
// fresh ids for every case and round: the stream's duplicate window outlives a purge
const withIds = (tag) => lines.map((json) => ({ json, timestamp: '', id: eventId(tag, { raw: json }) }));
const encoder = new TextEncoder();

const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-nats-'));
const nats = await startNatsServer(dir, 14222);
const { url } = nats;
const nc = await connect({ servers: url });
const jsm = await nc.jetstreamManager();
const js = nc.jetstream();
await jsm.streams.add({ name: 'BENCH', subjects: ['bench.eve'], duplicate_window: 120e9 });

const cases = {
  async 'request-per-event'() {
    for (let b = 0; b < events.length; b += batchSize) {
      const batch = events.slice(b, b + batchSize);
      for (let s = 0; s < batch.length; s += window) {
        const rs = await Promise.allSettled(batch.slice(s, s + window).map((e) => js.publish('bench.eve', encoder.encode(e.json), { msgID: e.id })));
        if (rs.some((r) => r.status === 'rejected')) throw new Error('publish failed');
      }
    }
  },
  async sink() {
    const sink = natsSinkFactory.create('bench', natsSinkFactory.schema.parse({ servers: [url], subject: 'bench.eve', max_in_flight: window }), {
      logger: { warn() {}, info() {}, error() {}, debug() {} },
      dataDir: dir,
    });
    await sink.start();
    // as the service writes to a pipelined sink: up to 8 batches (its default max_in_flight) at once
    const inFlight = new Set();
    for (let b = 0; b < events.length; b += batchSize) {
      if (inFlight.size >= 8) await Promise.race(inFlight);
      const w = sink.write(events.slice(b, b + batchSize)).then((r) => {
        inFlight.delete(w);
        if (r.refused.length) throw new Error('refused');
      });
      inFlight.add(w);
    }
    await Promise.all(inFlight);
    await sink.stop();
  },
  async 'core-no-ack'() {
    for (const e of events) {
      const h = headers();
      h.set('Nats-Msg-Id', e.id);
      nc.publish('bench.core', encoder.encode(e.json), { headers: h });
    }
    await nc.flush();
  },
};

const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(cases)) {
    await jsm.streams.purge('BENCH');
    events = withIds(`${name}-${r}`);
    const t0 = process.hrtime.bigint();
    await run();
    times[name].push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (name !== 'core-no-ack') {
      const n = (await jsm.streams.info('BENCH')).state.messages;
      if (n !== events.length) throw new Error(`${name}: ${n} stored of ${events.length}`);
    }
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const base = lines.length / median(times['request-per-event']);
console.log(`nats publish: ${lines.length} events, batches of ${batchSize}, window ${window}, ${rounds} rounds (median)`);
for (const [name, t] of Object.entries(times)) {
  const rate = lines.length / median(t);
  console.log(`${name.padEnd(18)} ${median(t).toFixed(3)} s  ${Math.round(rate).toLocaleString('en')} events/s  ratio ${(rate / base).toFixed(2)}`);
}
await nc.close();
await nats.stop();
rmSync(dir, { recursive: true, force: true });
input.cleanup();
