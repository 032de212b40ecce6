/**
 * Fault suite, HTTP flood: a `serve` process with the default queue and HTTP
 * limits takes 16 concurrent 10 MiB bodies of two-byte lines (`x\n`), of
 * empty objects (`[{},{},...]`) and of blank lines. Each body is taken in
 * parts and refused with 413 past max_body_events, or with 503 when its
 * first part finds the queue full (blank lines pass free):
 * peak RSS stays bounded and the service keeps answering. Then 2,000 idle
 * connections are opened and a new sender must still be delivered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FULL, size } from './helpers/fuzz.js';
import { httpRequest } from './helpers/net.js';
import { startServeChild, type ServeChild } from './helpers/serve-child.js';

const CHILD = fileURLToPath(new URL('./helpers/trickle-serve.js', import.meta.url));
const MiB = 1024 * 1024;
const dns = '{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns","src_ip":"192.0.2.1"}';

/** Bodies of about `bytes` bytes, of each attack shape. */
function bodies(bytes: number): Record<string, Buffer> {
  return {
    lines: Buffer.from('x\n'.repeat(Math.floor(bytes / 2))),
    array: Buffer.from('[' + '{},'.repeat(Math.floor(bytes / 3) - 1) + '{}]'),
    blank: Buffer.alloc(bytes, '\n'),
  };
}

function serveConfig(dir: string, http: Record<string, unknown> = {}): string {
  return JSON.stringify({
    data_dir: dir,
    admin: { port: 0 },
    log_level: 'warn',
    shutdown_timeout: '120s',
    sources: { http: { type: 'http', port: 0, ...http } },
    // Documents and dead letters go to stdout, which the harness discards: the figures are the service's, not the disk's.
    sinks: { out: { type: 'stdout' } },
    dead_letter: { type: 'stdout' },
  });
}

/** Polls /healthz while `during` runs; the slowest answer in ms. */
async function slowestHealth(serve: ServeChild, during: Promise<unknown>): Promise<number> {
  const admin = Number(serve.urls.get('metrics')!.port);
  let done = false;
  void during.finally(() => (done = true));
  let slowest = 0;
  while (!done) {
    const t = Date.now();
    await httpRequest(admin, { method: 'GET', path: '/healthz' });
    slowest = Math.max(slowest, Date.now() - t);
    await new Promise((r) => setTimeout(r, 200));
  }
  return slowest;
}

describe('faults: HTTP flood', () => {
  it('16 concurrent 10 MiB bodies of tiny events or blank lines: bounded memory, 413 past max_body_events, service answering', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-flood-'));
    // Full size: the defaults. Reduced (npm test): smaller bodies, and a smaller event limit so that they still pass it.
    const serve = await startServeChild(CHILD, [serveConfig(dir, FULL ? {} : { max_body_events: 20_000 })]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const idle = serve.rss.last;
      const port = Number(serve.urls.get('http')!.port);
      const concurrent = size(16, 4);
      const bodyBytes = size(10 * MiB, MiB / 2);
      const figures: Record<string, unknown> = { concurrent, body_mib: +(bodyBytes / MiB).toFixed(2), idle_rss_mib: +(idle / MiB).toFixed(1) };
      for (const [shape, body] of Object.entries(bodies(bodyBytes))) {
        serve.rss.peak = 0;
        const t = Date.now();
        const all = Promise.all(Array.from({ length: concurrent }, () => httpRequest(port, { body, headers: { 'content-type': 'application/x-ndjson' } })));
        // A small body from another sender meanwhile: answered (202, or 503 while the queue is full), never left hanging.
        const other = new Promise<void>((r) => setTimeout(r, 500)).then(() => httpRequest(port, { body: dns }));
        const slowest = await slowestHealth(serve, all);
        const answers = await all;
        const otherAnswer = await other;
        const statuses = [...new Set(answers.map((a) => a.status))];
        const taken = answers.reduce((n, a) => n + (JSON.parse(a.body).accepted?.received ?? JSON.parse(a.body).received ?? 0), 0);
        figures[shape] = {
          statuses: Object.fromEntries(statuses.map((s) => [s, answers.filter((a) => a.status === s).length])),
          seconds: (Date.now() - t) / 1000,
          lines_taken: taken,
          peak_rss_mib: +(serve.rss.peak / MiB).toFixed(1),
          slowest_healthz_ms: slowest,
          other_sender: otherAnswer.status,
        };
        if (shape === 'blank') assert.deepEqual(statuses, [202], 'blank lines pass free');
        else {
          // Each body is refused: 413 once it passes max_body_events, or 503 (having taken nothing) when its
          // first part finds the queue full of the other bodies' parts. The limit itself must have been hit.
          assert.ok(statuses.every((s) => s === 413 || s === 503), `${shape}: statuses ${statuses.join(', ')}`);
          assert.ok(statuses.includes(413), `${shape}: no body was refused past max_body_events`);
          for (const a of answers) if (a.status === 503) assert.equal(JSON.parse(a.body).accepted?.received ?? 0, 0, 'a 503 takes nothing');
        }
        assert.ok([202, 503].includes(otherAnswer.status), `another sender got ${otherAnswer.status}`);
        assert.ok(slowest < 5000, `healthz took ${slowest} ms`);
        if (FULL) assert.ok(serve.rss.peak <= 300 * MiB, `${shape}: peak RSS ${serve.rss.peak / MiB} MiB`);
      }
      // Every line taken was accounted for: documents + rejections + blanks.
      const m = (n: string) => serve.metric(`jizo_intake_pipeline_${n}_total`);
      const [received, normalized, rejected, blank] = await Promise.all([m('received'), m('normalized'), m('rejected'), m('blank')]);
      assert.equal(normalized + rejected + blank, received);
      console.log(`faults http-flood: ${JSON.stringify(figures)}`);
      assert.equal(await serve.stop(), 0, serve.stderr());
    } finally {
      await serve.stop('SIGKILL');
    }
  });

  it('2,000 idle connections: a new sender is delivered (idle connections make room), evictions counted', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-idle-'));
    const serve = await startServeChild(CHILD, [serveConfig(dir)]);
    const held: Socket[] = [];
    try {
      const port = Number(serve.urls.get('http')!.port);
      const idleCount = size(2000, 300);
      for (let i = 0; i < idleCount; i++) {
        const s = connect({ host: '127.0.0.1', port });
        s.on('error', () => undefined);
        await new Promise<void>((r) => s.once('connect', r));
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 300));
      const t = Date.now();
      const r = await httpRequest(port, { body: dns });
      const ms = Date.now() - t;
      const evicted = await serve.metric('jizo_intake_connections_closed_total', 'reason="evicted"');
      const open = held.filter((s) => !s.destroyed).length;
      console.log(`faults http-idle-connections: ${JSON.stringify({ idle_opened: idleCount, max_connections: 256, still_open: open, evicted, new_sender: r.status, answer_ms: ms })}`);
      assert.equal(r.status, 202, r.body);
      assert.ok(evicted >= idleCount - 256 + 1, `evicted ${evicted}`);
      assert.equal(await serve.stop(), 0, serve.stderr());
    } finally {
      for (const s of held) s.destroy();
      await serve.stop('SIGKILL');
    }
  });
});
