/**
 * Fault suite, syslog TCP under an operator's and an attacker's hand: a
 * SIGTERM while a sender is held back by backpressure loses nothing the
 * sender handed over (the source drains its connections before closing), and
 * 2,000 idle connections do not lock a new sender out.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { until } from './helpers/ingest.js';
import { tcpSend } from './helpers/net.js';
import { CLI } from './helpers/paths.js';
import { startServeChild } from './helpers/serve-child.js';

const CHILD = fileURLToPath(new URL('./helpers/trickle-serve.js', import.meta.url));

const line = (n: number) =>
  `<14>1 2024-05-01T10:00:00.123456Z sensor suricata - - - {"timestamp":"2024-05-01T10:00:00.123456+0000","flow_id":${n},"event_type":"dns","src_ip":"192.0.2.1","dest_ip":"198.51.100.53","proto":"UDP","dns":{"type":"query","rrname":"host${n}.example.org","rrtype":"A"}}\n`;

const countLines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0);

describe('faults: syslog TCP', () => {
  it('SIGTERM during a burst held back by backpressure: every line the sender handed over is written', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-term-'));
    try {
      const out = join(dir, 'out.ndjson');
      const serve = await startServeChild(CHILD, [
        JSON.stringify({
          data_dir: dir,
          admin: { port: 0 },
          log_level: 'warn',
          pipeline: { max_events: 2000, batch_max_events: 250 },
          sources: { syslog: { type: 'syslog', port: 0, protocols: ['tcp'] } },
          sinks: { slow: { type: 'trickle', path: out, events_per_second: 2000 } },
        }),
      ]);
      const sock: Socket = connect({ host: '127.0.0.1', port: Number(serve.urls.get('tcp')!.port) });
      await new Promise<void>((r) => sock.once('connect', () => r()));
      sock.on('error', () => undefined);
      // Write until the queue is full and the sender is held back, then stop writing.
      let sent = 0;
      const block = (from: number) => Array.from({ length: 100 }, (_, i) => line(from + i)).join('');
      while ((await serve.metric('jizo_intake_queue_waiting_submitters')) === 0 && sent < 1_000_000) {
        for (let i = 0; i < 20; i++, sent += 100) if (!sock.write(block(sent))) await new Promise((r) => sock.once('drain', r));
      }
      // Everything written is handed to the kernel: the sender counts it as delivered.
      await until(() => sock.writableLength === 0, 60_000, 'the sender to hand everything over');
      const inQueue = await serve.metric('jizo_intake_queue_events');
      serve.child.kill('SIGUSR2'); // the sink at full speed, so the drain fits in drain_timeout
      const code = await serve.stop('SIGTERM');
      sock.destroy();
      const written = countLines(out);
      console.log(`faults syslog-sigterm: ${JSON.stringify({ sent_before_signal: sent, queued_at_signal: inQueue, written, lost: sent - written, exit: code })}`);
      assert.equal(code, 0, serve.stderr());
      assert.equal(written, sent);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('2,000 idle connections against the default max_connections: a new sender is delivered', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-slots-'));
    const idle: Socket[] = [];
    try {
      const out = join(dir, 'out.ndjson');
      const cfg = join(dir, 'serve.yaml');
      writeFileSync(cfg, `data_dir: ${dir}\nadmin: { port: 0 }\nlog_level: error\nsources:\n  syslog: { type: syslog, port: 0, protocols: [tcp] }\nsinks:\n  out: { type: file, path: "${out}" }\n`);
      const serve = await startServeChild(CLI, ['serve', '--config', cfg]);
      const port = Number(serve.urls.get('tcp')!.port);
      let reset = 0;
      for (let i = 0; i < 2000; i += 100) {
        await Promise.all(
          Array.from({ length: 100 }, async () => {
            const s = connect({ host: '127.0.0.1', port });
            s.on('error', () => reset++);
            idle.push(s);
            await new Promise<void>((r) => s.once('connect', () => r()).once('error', () => r()));
          }),
        );
      }
      const closedBy = (reason: string) => serve.metric('jizo_intake_connections_closed_total', `reason="${reason}"`);
      // Each attempt past the 1,024 slots was refused (every slot busy) or took the slot of a quiet one.
      await until(async () => 1024 + (await closedBy('refused')) + (await closedBy('evicted')) >= 2000, 10_000, 'every connection seen');
      const evictedBefore = await closedBy('evicted');
      // The held connections sent nothing; past a second they are quiet, and a new sender takes a slot.
      await new Promise((r) => setTimeout(r, 1200));
      const t0 = Date.now();
      await tcpSend(port, line(42));
      await until(() => countLines(out) === 1, 10_000, 'the new sender delivered');
      const figures = {
        idle_attempts: 2000,
        refused_at_accept: await closedBy('refused'),
        evicted_by_idle_attempts: evictedBefore,
        evicted_for_new_sender: (await closedBy('evicted')) - evictedBefore,
        new_sender_delivered_ms: Date.now() - t0,
      };
      console.log(`faults syslog-slots: ${JSON.stringify(figures)}`);
      assert.equal(figures.refused_at_accept + evictedBefore, 2000 - 1024);
      assert.equal(figures.evicted_for_new_sender, 1);
      assert.equal(await serve.stop(), 0, serve.stderr());
    } finally {
      for (const s of idle) s.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
