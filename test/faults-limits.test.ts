/**
 * Fault suite, limits: oversized frames, lines and bodies; senders that never
 * finish a frame or a request (timeouts); too many connections; HTTPS. Each is
 * bounded by a documented key and answered cleanly (dead letter, 413, 408,
 * connection closed and counted).
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpSource, httpSourceSchema } from '../src/sources/http/index.js';
import { SyslogSource, syslogSourceSchema } from '../src/sources/syslog/index.js';
import { RecordingIngest, testDeps } from './helpers/conformance.js';
import { rawText } from '../src/pipeline/types.js';
import { endpoint, httpRequest, tcpSend, tlsSend } from './helpers/net.js';
import { makeTestCert } from './helpers/tls-cert.js';
import { until } from './helpers/ingest.js';

const dns = '<14>1 2024-05-01T10:00:00Z h jizo - - - {"timestamp":"2024-05-01T10:00:00Z","event_type":"dns"}';

async function open(port: number): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port });
  await new Promise<void>((r, j) => s.once('connect', r).once('error', j));
  return s;
}

/** Resolves with what the server sent and how long it took to close the connection. */
function closed(s: Socket): Promise<{ data: string; ms: number }> {
  const t = Date.now();
  let data = '';
  s.setEncoding('utf8').on('data', (d) => (data += d));
  s.on('error', () => undefined);
  return new Promise((r) => s.on('close', () => r({ data, ms: Date.now() - t })));
}

async function syslog(config: Record<string, unknown>) {
  const ingest = new RecordingIngest();
  const s = new SyslogSource('syslog', syslogSourceSchema.parse({ port: 0, protocols: ['tcp'], ...config }), testDeps());
  await s.start(ingest);
  return { s, ingest, port: endpoint(s, 'tcp').port };
}

async function http(config: Record<string, unknown>) {
  const ingest = new RecordingIngest();
  const s = new HttpSource('http', httpSourceSchema.parse({ port: 0, ...config }), testDeps());
  await s.start(ingest);
  return { s, ingest };
}

describe('faults: limits', () => {
  it('syslog: an oversized frame (octet and newline) is dead-lettered as too_long and the stream goes on', async () => {
    const { s, ingest, port } = await syslog({ max_message_bytes: 1024 });
    try {
      const big = 'x'.repeat(200_000);
      await tcpSend(port, `${big.length} ${big}${dns.length} ${dns}`);
      await tcpSend(port, `${big}\n${dns}\n`);
      await ingest.waitFor(4);
      const kinds = ingest.events.map((e) => e.event.reject?.reason ?? 'ok');
      assert.deepEqual(kinds, ['too_long', 'ok', 'too_long', 'ok']);
      assert.ok(ingest.events.every((e) => rawText(e.event).length <= 4096), 'only an excerpt is kept');
    } finally {
      await s.stop();
    }
  });

  it('syslog: a sender that stops mid-frame is cut after idle_timeout; its complete messages go on, the cut frame is handed on', async () => {
    const { s, ingest, port } = await syslog({ idle_timeout: '300ms' });
    try {
      const sock = await open(port);
      const done = closed(sock);
      sock.write(`${dns.length} ${dns}500 <14>1 never finished`);
      const { ms } = await done;
      assert.ok(ms >= 250 && ms < 3000, `closed after ${ms} ms`);
      await ingest.waitFor(2);
      assert.deepEqual(ingest.raws, [dns, '<14>1 never finished']);
      assert.equal(s.counters.errors, 1);
      await until(() => s.health().detail === '0 connections', 2000, 'the connection slot freed');
    } finally {
      await s.stop();
    }
  });

  it('syslog: with every slot held by quiet connections, a new sender takes the least recently active one and is delivered', async () => {
    const { s, ingest, port } = await syslog({ max_connections: 3 });
    try {
      const held = [await open(port), await open(port), await open(port)];
      const firstClosed = closed(held[0]!);
      await until(() => s.health().detail === '3 connections', 3000, 'three connections');
      // Quiet for longer than EVICT_QUIET_MS (1 s): the slots are idle, not busy.
      await new Promise((r) => setTimeout(r, 1100));
      await tcpSend(port, dns + '\n');
      await ingest.waitFor(1);
      assert.deepEqual(ingest.raws, [dns]);
      await firstClosed; // the oldest held connection made room
      assert.deepEqual(s.connections, { refused: 0, evicted: 1, timedOut: 0 });
      for (const h of held) h.destroy();
    } finally {
      await s.stop();
    }
  });

  it('syslog: with every slot busy, a new connection is reset at accept (the sender gets an error) and counted', async () => {
    const { s, ingest, port } = await syslog({ max_connections: 2 });
    try {
      const held = [await open(port), await open(port)];
      for (const h of held) h.write(dns + '\n');
      await ingest.waitFor(2);
      const extra = connect({ host: '127.0.0.1', port });
      const error = await new Promise<NodeJS.ErrnoException | undefined>((r) => {
        extra.once('error', r).once('close', () => r(undefined));
        extra.write(dns + '\n');
      });
      assert.equal(error?.code, 'ECONNRESET');
      assert.deepEqual(s.connections, { refused: 1, evicted: 0, timedOut: 0 });
      assert.equal(ingest.events.length, 2);
      for (const h of held) h.destroy();
    } finally {
      await s.stop();
    }
  });

  it('syslog TLS: a slot is taken at TCP accept; a busy listener resets a new sender, a quiet one gives its slot to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-tls-slots-'));
    const cert = await makeTestCert(dir);
    const ingest = new RecordingIngest();
    const s = new SyslogSource('syslog', syslogSourceSchema.parse({ port: 0, protocols: ['tcp'], max_connections: 1, tls: { cert_file: cert.certFile, key_file: cert.keyFile } }), testDeps());
    await s.start(ingest);
    try {
      const port = endpoint(s, 'tls').port;
      const ca = cert.cert.toString();
      const held = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
      await new Promise<void>((r, j) => held.once('secureConnect', () => r()).once('error', j));
      held.on('error', () => undefined);
      held.write(dns + '\n');
      await ingest.waitFor(1);
      // Busy (a message within the last second): the new TLS sender fails.
      await assert.rejects(tlsSend(port, ca, dns + '\n'));
      assert.equal(s.connections?.refused, 1);
      // Quiet: the new sender takes the slot and is delivered.
      await new Promise((r) => setTimeout(r, 1100));
      await tlsSend(port, ca, dns + '\n');
      await ingest.waitFor(2);
      assert.equal(s.connections?.evicted, 1);
      held.destroy();
    } finally {
      await s.stop();
    }
  });

  it('syslog: a 1 byte trickle that never completes a message is closed after idle_timeout', async () => {
    const { s, port } = await syslog({ idle_timeout: '500ms' });
    try {
      const sock = await open(port);
      const done = closed(sock);
      sock.write('<14>1 2024-05-01T10:00:00Z h app - - - {"x":"');
      const trickle = setInterval(() => !sock.destroyed && sock.write('y'), 50);
      const { ms } = await Promise.race([done, new Promise<{ ms: number }>((r) => setTimeout(() => r({ ms: -1 }), 3000))]);
      clearInterval(trickle);
      sock.destroy();
      assert.ok(ms >= 400, `closed after ${ms} ms (-1: still open after 3 s)`);
      assert.equal(s.connections?.timedOut, 1);
    } finally {
      await s.stop();
    }
  });

  it('http: a body over max_body_bytes gets 413 without being kept; a line over max_line_bytes is dead-lettered', async () => {
    const { s, ingest } = await http({ max_body_bytes: 100_000, max_line_bytes: 1000 });
    try {
      const port = endpoint(s, 'http').port;
      const chunks = Array.from({ length: 40 }, () => Buffer.alloc(10_000, 'y'));
      const r = await httpRequest(port, { chunks });
      assert.equal(r.status, 413);
      const r2 = await httpRequest(port, { body: `${'z'.repeat(5000)}\n${dns}\n` });
      assert.equal(r2.status, 202);
      assert.deepEqual(ingest.events.map((e) => e.event.reject?.reason ?? 'ok'), ['too_long', 'ok']);
    } finally {
      await s.stop();
    }
  });

  it('http: headers never finished get 408 after headers_timeout; a body never finished gets 408 after request_timeout', async () => {
    const { s, ingest } = await http({ headers_timeout: '400ms', request_timeout: '800ms' });
    try {
      const port = endpoint(s, 'http').port;
      const a = await open(port);
      const doneA = closed(a);
      a.write('POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      const b = await open(port);
      const doneB = closed(b);
      b.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"half":');
      const [ra, rb] = await Promise.all([doneA, doneB]);
      assert.match(ra.data, /^HTTP\/1\.1 408/);
      assert.match(rb.data, /^HTTP\/1\.1 408/);
      assert.ok(ra.ms < 3000 && rb.ms < 3000, `closed after ${ra.ms} and ${rb.ms} ms`);
      assert.equal(ingest.events.length, 0, 'nothing accepted from the cut request');
    } finally {
      await s.stop();
    }
  });

  it('http: past max_connections the least recently active idle connection is closed to make room, and counted', async () => {
    const { s, ingest } = await http({ max_connections: 2 });
    try {
      const port = endpoint(s, 'http').port;
      const first = await open(port);
      const firstClosed = closed(first);
      const second = await open(port);
      await until(() => s.health().detail === '2 connections', 2000, 'two connections');
      const r = await httpRequest(port, { body: dns });
      assert.equal(r.status, 202, 'the new sender is served');
      const { ms } = await firstClosed;
      assert.ok(ms < 2000);
      assert.equal(s.connections.evicted, 1);
      assert.equal(second.destroyed, false, 'the more recent idle connection is kept');
      assert.deepEqual(ingest.raws, [dns]);
      second.destroy();
    } finally {
      await s.stop();
    }
  });

  it('http: HTTPS with a generated certificate; a token over TLS; plain HTTP on the TLS port gets nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-tls-'));
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    writeFileSync(join(dir, 'cert.pem'), pems.cert);
    writeFileSync(join(dir, 'key.pem'), pems.private);
    const { s, ingest } = await http({ token: 's3cret-token', tls: { cert_file: join(dir, 'cert.pem'), key_file: join(dir, 'key.pem') } });
    try {
      const { port } = endpoint(s, 'https');
      const post = (token: string) =>
        new Promise<number>((resolve, reject) => {
          const req = httpsRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', ca: pems.cert, headers: { authorization: `Bearer ${token}` } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', reject);
          req.end(dns + '\n');
        });
      assert.equal(await post('wrong'), 401);
      assert.equal(await post('s3cret-token'), 202);
      assert.deepEqual(ingest.raws, [dns]);
      await assert.rejects(httpRequest(port, { body: dns }));
    } finally {
      await s.stop();
    }
  });
});
