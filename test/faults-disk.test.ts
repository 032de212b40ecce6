/**
 * Fault suite, disk trouble: the file sink writes to a 256 KiB tmpfs that
 * fills up. The service reports it (log, /healthz, metrics), acknowledges
 * nothing it could not write (HTTP answers wait), and once the file system
 * is grown every event is in the file exactly once, with no torn line.
 * Needs root (mount); CI runs as root.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { validateConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { Service } from '../src/serve/service.js';
import { size } from './helpers/fuzz.js';
import { until } from './helpers/ingest.js';
import { endpoint, httpRequest } from './helpers/net.js';

function event(n: number): string {
  return `{"timestamp":"2024-05-01T10:00:00.000001+0000","flow_id":${n},"event_type":"alert","src_ip":"192.0.2.1","dest_ip":"198.51.100.2","proto":"TCP","alert":{"signature_id":1,"signature":"disk trouble ${'x'.repeat(300)}"}}`;
}

describe('faults: disk trouble', () => {
  it('a full file system: reported, nothing acknowledged that was not written, recovered when space returns, nothing lost or doubled', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-disk-'));
    const mnt = join(dir, 'out');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logs.push(c.toString()), cb()) }));
    const registry = defaultRegistry();
    const config = validateConfig(
      {
        data_dir: dir,
        admin: { port: 0 },
        shutdown_timeout: '2s',
        pipeline: { batch_max_wait: '5ms', retry_initial: '20ms', retry_max: '200ms' },
        sources: { http: { type: 'http', port: 0 } },
        sinks: { file: { type: 'file', path: join(mnt, 'events.ndjson'), max_bytes: 0 } },
      },
      registry,
    );
    const service = new Service(config, registry, logger);
    const posts = size(100, 20);
    const per = 50;
    let acked = 0;
    try {
      await service.start();
      const port = endpoint(service.sources.get('http')!, 'http').port;
      const admin = Number(/:(\d+)\/metrics/.exec(service.summary().join('\n'))![1]);
      const answers: Promise<number>[] = [];
      for (let p = 0; p < posts; p++) {
        const body = Array.from({ length: per }, (_, i) => event(p * per + i)).join('\n');
        answers.push(
          httpRequest(port, { body }).then((r) => {
            assert.equal(r.status, 202, r.body);
            acked += per;
            return r.status;
          }),
        );
      }
      await until(() => (service.pipeline.stats.retries.get('file') ?? 0) >= 3, 20_000, 'the disk to fill');
      // While full: what was acknowledged is in the file, whole; the health and metrics say so.
      const ackedWhileFull = acked;
      const whileFull = readFileSync(join(mnt, 'events.ndjson'), 'utf8');
      assert.ok(whileFull.split('\n').filter(Boolean).length >= ackedWhileFull, 'every acknowledged event is in the file');
      assert.ok(ackedWhileFull < posts * per, 'not everything was acknowledged while the disk was full');
      // The sink is unhealthy while its writes fail (polled: between two attempts the state may be read mid-retry).
      let health = await httpRequest(admin, { method: 'GET', path: '/healthz' });
      const healthDeadline = Date.now() + 10_000;
      while (health.status !== 503 && Date.now() < healthDeadline) {
        await new Promise((r) => setTimeout(r, 20));
        health = await httpRequest(admin, { method: 'GET', path: '/healthz' });
      }
      assert.equal(health.status, 503);
      assert.match(health.body, /"name":"file","type":"file","kind":"sink","ok":false/);
      const metrics = (await httpRequest(admin, { method: 'GET', path: '/metrics' })).body;
      assert.match(metrics, /jizo_intake_sink_write_retries_total\{sink="file"\} [1-9]/);
      assert.match(metrics, /jizo_intake_component_errors_total\{component="file",type="file",kind="sink"\} [1-9]/);
      assert.ok(logs.some((l) => /sink write failed, retrying/.test(l) && /ENOSPC/.test(l)), 'logged');
      const retriesWhileFull = service.pipeline.stats.retries.get('file');
      // Space returns.
      execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
      await Promise.all(answers);
      assert.equal(acked, posts * per);
      assert.equal((await httpRequest(admin, { method: 'GET', path: '/healthz' })).status, 200);
      await service.stop();
      const lines = readFileSync(join(mnt, 'events.ndjson'), 'utf8').split('\n');
      assert.equal(lines.pop(), '');
      const ids = lines.map((l) => JSON.parse(l).jizo.flow.id as string);
      const unique = new Set(ids);
      const figures = { events_sent: posts * per, acknowledged_while_full: ackedWhileFull, write_retries_while_full: retriesWhileFull, written: lines.length, lost: posts * per - unique.size, duplicated: ids.length - unique.size };
      console.log(`faults disk-full: ${JSON.stringify(figures)}`);
      assert.deepEqual([figures.lost, figures.duplicated, figures.written], [0, 0, posts * per]);
    } finally {
      await service.stop();
      execFileSync('umount', ['-l', mnt]);
    }
  });

  it('a full checkpoint directory: reported in health and logs, nothing lost, the checkpoint catches up when space returns', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-cpdisk-'));
    const cps = join(dir, 'checkpoints');
    mkdirSync(cps);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', cps]);
    const input = join(dir, 'eve.json');
    const out = join(dir, 'out.ndjson');
    const n = size(50_000, 5_000);
    writeFileSync(input, Array.from({ length: n }, (_, i) => event(i) + '\n').join(''));
    writeFileSync(join(cps, 'filler'), Buffer.alloc(64 * 1024 - 1));
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logs.push(c.toString()), cb()) }));
    const registry = defaultRegistry();
    const config = validateConfig(
      {
        data_dir: dir,
        admin: false,
        sources: { tail: { type: 'file', paths: [input], poll_interval: '50ms', checkpoint_min_interval: '0s' } },
        sinks: { out: { type: 'file', path: out, max_bytes: 0 } },
      },
      registry,
    );
    const service = new Service(config, registry, logger);
    try {
      await service.start();
      const tail = service.sources.get('tail')!;
      await until(() => /checkpoint write failed/.test(tail.health().detail ?? ''), 20_000, 'the checkpoint write to fail');
      assert.match(tail.health().detail!, /ENOSPC/);
      assert.ok(logs.some((l) => /checkpoint write failed/.test(l)), 'logged');
      rmSync(join(cps, 'filler'));
      appendFileSync(input, Array.from({ length: 10 }, (_, i) => event(n + i) + '\n').join(''));
      await until(() => {
        try {
          return JSON.parse(readFileSync(join(cps, 'file-tail.json'), 'utf8')).files[0].offset === statSync(input).size;
        } catch {
          return false;
        }
      }, 20_000, 'the checkpoint to catch up');
      await until(() => tail.health().ok, 5000, 'the source healthy again');
      await service.stop();
      const ids = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).jizo.flow.id as string);
      const unique = new Set(ids);
      const figures = { lines: n + 10, written: ids.length, lost: n + 10 - unique.size, duplicated: ids.length - unique.size };
      console.log(`faults checkpoint-dir-full: ${JSON.stringify(figures)}`);
      assert.deepEqual([figures.lost, figures.duplicated], [0, 0]);
    } finally {
      await service.stop();
      execFileSync('umount', ['-l', cps]);
    }
  });
});
