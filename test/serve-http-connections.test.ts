/**
 * HTTP source connection slots: past max_connections an idle connection makes
 * room (never one with a request in progress), a connection that finds every
 * slot busy is refused with a visible 503, and a trickling sender cannot hold
 * a slot past the absolute header and request timeouts. Each is counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RecordingIngest } from './helpers/conformance.js';
import { startHttpSource } from './helpers/http-source.js';
import { until } from './helpers/ingest.js';
import { makeTestCert } from './helpers/tls-cert.js';
import { httpRequest } from './helpers/net.js';

const dns = '{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns"}';


async function open(port: number): Promise<Socket> {
  const sock = connect({ host: '127.0.0.1', port });
  sock.on('error', () => undefined);
  await new Promise<void>((r) => sock.once('connect', r));
  return sock;
}

function whenClosed(sock: Socket): Promise<{ data: string; ms: number }> {
  const t = Date.now();
  let data = '';
  sock.setEncoding('utf8').on('data', (d) => (data += d));
  return new Promise((r) => sock.once('close', () => r({ data, ms: Date.now() - t })));
}

describe('http source: connection slots', () => {
  it('idle connections filling every slot do not lock a new sender out: the least recently active one makes room', async () => {
    const { s, ingest, port } = await startHttpSource({ max_connections: 3 });
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 3; i++) idle.push(await open(port));
      const oldest = whenClosed(idle[0]!);
      // Let the server see the three connections (today's health detail counts them; wait plainly).
      await new Promise((r) => setTimeout(r, 100));
      const r = await httpRequest(port, { body: dns });
      assert.equal(r.status, 202);
      assert.deepEqual(ingest.raws, [dns]);
      await oldest;
      assert.equal(s.connections.evicted, 1);
      assert.equal(idle[1]!.destroyed || idle[2]!.destroyed, false);
    } finally {
      for (const i of idle) i.destroy();
      await s.stop();
    }
  });

  it('when every slot has a request in progress, a new connection gets 503 with Retry-After, counted', async () => {
    const ingest = new RecordingIngest();
    ingest.hold = true;
    const { s, port } = await startHttpSource({ max_connections: 2 }, ingest);
    try {
      const pending = [httpRequest(port, { body: dns }), httpRequest(port, { body: dns })];
      await ingest.waitFor(2);
      const r = await httpRequest(port, { body: dns });
      assert.equal(r.status, 503);
      assert.equal(r.headers['retry-after'], '1');
      assert.match(r.body, /too many connections/);
      assert.equal(s.connections.refused, 1);
      assert.equal(s.connections.evicted, 0, 'a connection with a request in progress is never closed for room');
      ingest.release();
      for (const p of pending) assert.equal((await p).status, 202);
      assert.equal(ingest.events.length, 2);
    } finally {
      await s.stop();
    }
  });

  it('over TLS, a connection with a request in progress keeps its slot; the extra connection is closed before the handshake', async () => {
    const cert = await makeTestCert(mkdtempSync(join(tmpdir(), 'jizo-tls-')));
    const ingest = new RecordingIngest();
    ingest.hold = true;
    const { s, port } = await startHttpSource({ max_connections: 1, tls: { cert_file: cert.certFile, key_file: cert.keyFile } }, ingest);
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', ca: cert.cert, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.end(dns);
      });
    try {
      const first = post();
      await ingest.waitFor(1);
      await assert.rejects(post(), 'refused: the only slot has a request in progress');
      assert.equal(s.connections.refused, 1);
      assert.equal(s.connections.evicted, 0);
      ingest.release();
      assert.equal(await first, 202);
    } finally {
      await s.stop();
    }
  });

  it('a sender trickling its header one byte at a time is cut at headers_timeout, counted as timed out', async () => {
    const { s, port } = await startHttpSource({ headers_timeout: '500ms', request_timeout: '5s' });
    const sock = await open(port);
    const done = whenClosed(sock);
    const head = 'POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(1000);
    let i = 0;
    const timer = setInterval(() => sock.destroyed || sock.write(head[i++]!), 50);
    try {
      const { data, ms } = await done;
      assert.match(data, /^HTTP\/1\.1 408/);
      assert.ok(ms < 2500, `closed after ${ms} ms although bytes kept coming`);
      await until(() => s.connections.timedOut === 1, 2000, 'the timeout counted');
    } finally {
      clearInterval(timer);
      sock.destroy();
      await s.stop();
    }
  });
});
