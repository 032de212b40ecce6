/** End to end on loopback: the service in process (100,000 events over TCP syslog) and the CLI as a child process. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { validateConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { Service } from '../src/serve/service.js';
import { endpoint, httpRequest, tcpSend } from './helpers/net.js';

const line = (i: number) =>
  `<134>1 2024-05-01T10:00:00.${String(i % 1e6).padStart(6, '0')}Z sensor-1 suricata 1234 - - {"timestamp":"2024-05-01T10:00:00.${String(i % 1e6).padStart(6, '0')}+0000","flow_id":${1e15 + i},"event_type":"alert","src_ip":"192.0.2.${i % 250}","src_port":${1024 + (i % 60000)},"dest_ip":"198.51.100.7","dest_port":443,"proto":"TCP","alert":{"signature_id":${2000000 + (i % 1000)},"signature":"ET TEST ${i}","severity":2}}`;

/** Waits for `cond` (which may throw to stop waiting); `what` is read when the wait times out. */
async function until(cond: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('serve end to end', () => {
  it('100,000 events over TCP syslog arrive normalized in the file sink, counts equal', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-e2e-'));
    const registry = defaultRegistry();
    const config = validateConfig(
      {
        data_dir: dir,
        admin: { port: 0 },
        sources: { syslog: { type: 'syslog', port: 0, protocols: ['tcp'] } },
        sinks: { file: { type: 'file', fsync: 'interval', fsync_interval: '50ms', max_bytes: '16MiB' } },
      },
      registry,
    );
    const service = new Service(config, registry, pino({ level: 'silent' }));
    await service.start();
    const total = 100_000;
    const conns = 4;
    const per = total / conns;
    const port = endpoint(service.sources.get('syslog')!, 'tcp').port;
    await Promise.all(
      Array.from({ length: conns }, (_, c) => {
        const parts: string[] = [];
        for (let i = c * per; i < (c + 1) * per; i++) {
          const l = line(i);
          // Half the connections use octet counting, half newline framing.
          parts.push(c % 2 === 0 ? `${Buffer.byteLength(l)} ${l}` : `${l}\n`);
        }
        return tcpSend(port, parts.join(''));
      }),
    );
    await until(() => service.pipeline.stats.finished === total, 45_000, 'every event to be written');
    const admin = service.summary().find((l) => l.startsWith('metrics:'))!;
    const adminPort = Number(/:(\d+)\/metrics/.exec(admin)![1]);
    const metrics = (await httpRequest(adminPort, { method: 'GET', path: '/metrics' })).body;
    assert.match(metrics, /^jizo_intake_pipeline_normalized_total 100000$/m);
    assert.match(metrics, /^jizo_intake_component_sent_total\{component="file",type="file",kind="sink"\} 100000$/m);
    assert.match(metrics, /^jizo_intake_queue_events 0$/m);
    const health = await httpRequest(adminPort, { method: 'GET', path: '/healthz' });
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).ok, true);
    const result = await service.stop();
    assert.deepEqual(result, { clean: true, unfinished: 0 });

    const sink = service.sinks.get('file') as unknown as { path: string; rotated: string[] };
    const files = [...sink.rotated, sink.path];
    const seen = new Set<number>();
    let count = 0;
    for (const f of files) {
      for (const l of readFileSync(f, 'utf8').split('\n')) {
        if (l === '') continue;
        count++;
        const m = /ET TEST (\d+)/.exec(l);
        assert.ok(m, `a normalized alert: ${l.slice(0, 200)}`);
        seen.add(Number(m[1]));
      }
    }
    assert.equal(count, total);
    assert.equal(seen.size, total, 'every event exactly once');
    const first = JSON.parse(readFileSync(files[0]!, 'utf8').split('\n')[0]!);
    assert.match(first['@timestamp'], /^2024-05-01T10:00:00\.\d{6}Z$/, 'sub-millisecond digits kept');
    assert.equal(service.pipeline.stats.rejected, 0);
    assert.equal(readFileSync(join(dir, 'dead-letter.ndjson'), 'utf8'), '');
  });

  it('`serve` without a config prints where it listens, takes a syslog line, reopens on SIGHUP, exits 0 on SIGTERM after flushing', { timeout: 30_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'jizo-cli-'));
    const main = fileURLToPath(new URL('../cli/jizo-intake.js', import.meta.url));
    const child = spawn(process.execPath, [main, 'serve'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r((exitCode = code))));
    try {
      // A default port taken (another service on 5514, 8080 or 8081): the child exits at once, and its stderr says why.
      await until(
        () => {
          if (exitCode !== undefined) throw new Error(`serve exited with ${exitCode} before its startup summary; stderr:\n${stderr}`);
          return stderr.includes('metrics: http://127.0.0.1:8081/metrics');
        },
        15_000,
        () => `the startup summary; stderr:\n${stderr}`,
      );
      assert.match(stderr, /source syslog \(syslog\): tcp:\/\/127\.0\.0\.1:5514, udp:\/\/127\.0\.0\.1:5514/);
      assert.match(stderr, /source http \(http\): http:\/\/127\.0\.0\.1:8080\//);
      assert.match(stderr, new RegExp(`sink file \\(file\\): ${join(cwd, 'data', 'events.ndjson').replace(/[/.]/g, '\\$&')}`));
      assert.match(stderr, /dead letters \(file\): .*data\/dead-letter\.ndjson/);

      const metric = async (name: string) => {
        const body = (await httpRequest(8081, { method: 'GET', path: '/metrics' })).body;
        return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(body)?.[1]);
      };
      await tcpSend(5514, line(1) + '\n');
      for (let t = Date.now(); (await metric('jizo_intake_pipeline_finished_total')) < 1; ) {
        if (Date.now() - t > 5000) throw new Error('line not written');
        await new Promise((r) => setTimeout(r, 20));
      }
      renameSync(join(cwd, 'data', 'events.ndjson'), join(cwd, 'data', 'events.ndjson.1'));
      child.kill('SIGHUP');
      await until(() => stderr.includes('output files reopened'), 5000, 'the reopen');
      await tcpSend(5514, line(2) + '\n');
      for (let t = Date.now(); (await metric('jizo_intake_pipeline_received_total')) < 2; ) {
        if (Date.now() - t > 5000) throw new Error('second line not received');
        await new Promise((r) => setTimeout(r, 5));
      }
      // SIGTERM right away: the line still in the batch window must be flushed before exit.
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.match(readFileSync(join(cwd, 'data', 'events.ndjson.1'), 'utf8'), /ET TEST 1\b/);
      const after = readFileSync(join(cwd, 'data', 'events.ndjson'), 'utf8').trim().split('\n');
      assert.equal(after.length, 1);
      const doc = JSON.parse(after[0]!);
      assert.match(JSON.stringify(doc), /ET TEST 2\b/);
      assert.match(stderr, /"msg":"stopped"/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('`serve` whose port is taken exits 1 naming the address, and leaves no empty data directory behind', { timeout: 30_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'jizo-cli-'));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as AddressInfo).port;
      writeFileSync(join(cwd, 'serve.yaml'), `admin: false\nsources:\n  syslog:\n    type: syslog\n    protocols: [tcp]\n    port: ${port}\n`);
      const main = fileURLToPath(new URL('../cli/jizo-intake.js', import.meta.url));
      const r = spawnSync(process.execPath, [main, 'serve', '--config', 'serve.yaml'], { cwd, encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`jizo-intake serve: cannot start syslog syslog: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port}`));
      assert.deepEqual(readdirSync(cwd), ['serve.yaml']);
    } finally {
      taken.close();
    }
  });
});
