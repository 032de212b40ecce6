/** Syslog source: framing, size limits, TLS, many connections, TCP backpressure, UDP drops. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { pino } from 'pino';
import { SyslogFramer } from '../src/sources/syslog/framing.js';
import { SyslogSource, syslogSourceSchema } from '../src/sources/syslog/index.js';
import { RecordingIngest, testDeps } from './helpers/conformance.js';
import { rawText } from '../src/component/types.js';
import { endpoint, tcpSend, udpSend } from './helpers/net.js';
import { until } from './helpers/ingest.js';

function frame(chunks: Buffer[], max = 1000) {
  const out: string[] = [];
  const long: { excerpt: string; bytes: number }[] = [];
  const f = new SyslogFramer(max, { message: (m) => out.push(m.toString('utf8')), tooLong: (excerpt, bytes) => long.push({ excerpt, bytes }) });
  for (const c of chunks) f.push(c);
  f.end();
  return { out, long, framing: f.framing };
}

/** Every split of `data` into two chunks. */
function splits(data: Buffer): Buffer[][] {
  return Array.from({ length: data.length + 1 }, (_, i) => [data.subarray(0, i), data.subarray(i)]);
}

describe('syslog framing', () => {
  const msgs = ['<14>1 2024-05-01T10:00:00Z h app - - - {"a":"é"}', '<13>May  1 10:00:00 h app: {"b":1}', '{"c":"\u{1F600}"}'];

  it('octet counting, whatever the chunk boundaries (multi-byte UTF-8 included)', () => {
    const data = Buffer.from(msgs.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''));
    for (const chunks of splits(data)) {
      const r = frame(chunks);
      assert.deepEqual(r.out, msgs);
      assert.equal(r.framing, 'octet');
    }
  });

  it('newline framing, whatever the chunk boundaries; CRLF and a last unterminated line', () => {
    const data = Buffer.from(msgs[0] + '\r\n' + msgs[1] + '\n' + msgs[2]);
    for (const chunks of splits(data)) {
      const r = frame(chunks);
      assert.deepEqual(r.out.map((m) => m.replace(/\r$/, '')), msgs);
      assert.equal(r.framing, 'newline');
    }
  });

  it('hands messages on as their exact bytes, in both framings and any chunking', () => {
    const octet = Buffer.from(msgs.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''));
    const newline = Buffer.from(msgs.join('\n'));
    for (const data of [octet, newline]) {
      for (const chunks of splits(data)) {
        const got: Buffer[] = [];
        const f = new SyslogFramer(1000, { message: (b) => got.push(Buffer.from(b)), tooLong: () => assert.fail('not too long') });
        for (const c of chunks) f.push(c);
        f.end();
        assert.deepEqual(got, msgs.map((m) => Buffer.from(m)));
      }
    }
    // An octet frame cut by the end of the connection is handed on as it came.
    const got: string[] = [];
    const f = new SyslogFramer(1000, { message: (b) => got.push(b.toString()), tooLong: () => assert.fail('not too long') });
    f.push(Buffer.from('50 {"cut":'));
    f.end();
    assert.deepEqual(got, ['{"cut":']);
  });

  it('accepts a trailing newline after octet-counted frames', () => {
    const data = Buffer.from(msgs.map((m) => `${Buffer.byteLength(m)} ${m}\n`).join(''));
    assert.deepEqual(frame([data]).out, msgs);
  });

  it('an oversized octet frame is reported with an excerpt and the stream goes on', () => {
    const big = 'x'.repeat(3000);
    const data = Buffer.from(`3000 ${big}${Buffer.byteLength(msgs[0]!)} ${msgs[0]}`);
    for (const size of [1, 7, 100, 4000]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
      const r = frame(chunks, 1000);
      assert.deepEqual(r.out, [msgs[0]]);
      assert.equal(r.long.length, 1);
      assert.equal(r.long[0]!.bytes, 3000);
      assert.ok(r.long[0]!.excerpt.startsWith('xxx'));
    }
  });

  it('an oversized line in newline framing is reported, the next line kept', () => {
    const r = frame([Buffer.from('<14>' + 'y'.repeat(2000) + '\n' + msgs[1] + '\n')], 1000);
    assert.deepEqual(r.out, [msgs[1]]);
    assert.equal(r.long.length, 1);
  });

  it('a malformed octet count falls back to newline framing without losing bytes', () => {
    const r = frame([Buffer.from('12x garbage\n' + msgs[1] + '\n')]);
    assert.deepEqual(r.out, ['12x garbage', msgs[1]]);
  });

  it('a connection closed mid-frame hands on the partial message', () => {
    const r = frame([Buffer.from('100 {"partial":')]);
    assert.deepEqual(r.out, ['{"partial":']);
  });
});

async function started(config: Record<string, unknown>, ingest = new RecordingIngest()) {
  const s = new SyslogSource('syslog', syslogSourceSchema.parse(config), testDeps());
  await s.start(ingest);
  return { s, ingest };
}

describe('syslog source', () => {
  it('listens on TCP and UDP on the same port by default', async () => {
    const { s, ingest } = await started({ port: 0 });
    try {
      const tcp = endpoint(s, 'tcp');
      const udp = endpoint(s, 'udp');
      assert.equal(tcp.host, '127.0.0.1');
      await tcpSend(tcp.port, '<14>1 2024-05-01T10:00:00Z h app - - - {"event_type":"dns"}\n');
      await udpSend(udp.port, ['<14>1 2024-05-01T10:00:00Z h app - - - {"event_type":"tls"}']);
      await ingest.waitFor(2);
      assert.deepEqual(ingest.events.map((e) => e.origin.detail?.split(':')[0]).sort(), ['tcp', 'udp']);
    } finally {
      await s.stop();
    }
  });

  it('dead-letters over-long messages as too_long (TCP and UDP)', async () => {
    const { s, ingest } = await started({ port: 0, max_message_bytes: 100 });
    try {
      await tcpSend(endpoint(s, 'tcp').port, 'a'.repeat(500) + '\nshort\n');
      await udpSend(endpoint(s, 'udp').port, ['b'.repeat(500)]);
      await ingest.waitFor(3);
      const rejected = ingest.events.filter((e) => e.event.reject);
      assert.equal(rejected.length, 2);
      for (const r of rejected) assert.equal(r.event.reject!.reason, 'too_long');
      assert.ok(ingest.raws.includes('short'));
    } finally {
      await s.stop();
    }
  });

  it('serves many concurrent connections, each in order', async () => {
    const { s, ingest } = await started({ port: 0, protocols: ['tcp'] });
    try {
      const port = endpoint(s, 'tcp').port;
      const conns = 40;
      const per = 200;
      await Promise.all(
        Array.from({ length: conns }, (_, c) =>
          tcpSend(port, Array.from({ length: per }, (_, i) => (c % 2 ? `${String(c * 1000 + i).length + 1} c${c * 1000 + i}` : `c${c * 1000 + i}\n`)).join('')),
        ),
      );
      await ingest.waitFor(conns * per);
      const byConn = new Map<string, number[]>();
      for (const e of ingest.events) {
        const n = Number(rawText(e.event).slice(1));
        const list = byConn.get(e.origin.detail!) ?? [];
        list.push(n);
        byConn.set(e.origin.detail!, list);
      }
      assert.equal(byConn.size, conns);
      for (const list of byConn.values()) assert.deepEqual(list, [...list].sort((a, b) => a - b));
    } finally {
      await s.stop();
    }
  });

  it('TCP: stops reading while the pipeline is saturated, resumes after', async () => {
    const ingest = new RecordingIngest();
    ingest.saturated = true;
    const { s } = await started({ port: 0, protocols: ['tcp'] }, ingest);
    try {
      const sock = connect({ host: '127.0.0.1', port: endpoint(s, 'tcp').port });
      await new Promise((r) => sock.once('connect', r));
      const line = '<14>1 2024-05-01T10:00:00Z h app - - - ' + 'z'.repeat(1000) + '\n';
      // Write until the kernel buffers fill: with the source paused, writes stop being accepted.
      let written = 0;
      while (sock.write(line)) written++;
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(sock.writableLength > 0, 'the sender is blocked by TCP flow control');
      assert.equal(ingest.events.length, 0);
      ingest.unsaturate();
      sock.end();
      await new Promise((r) => sock.on('close', r));
      await ingest.waitFor(written + 1);
      assert.equal(ingest.events.length, written + 1);
    } finally {
      await s.stop();
    }
  });

  it('TCP: on stop, reads what open connections already sent (held back by backpressure) before closing', async () => {
    const ingest = new RecordingIngest();
    ingest.saturated = true;
    const { s } = await started({ port: 0, protocols: ['tcp'], drain_timeout: '5s' }, ingest);
    const sock = connect({ host: '127.0.0.1', port: endpoint(s, 'tcp').port });
    await new Promise((r) => sock.once('connect', r));
    sock.on('error', () => undefined);
    const line = '<14>1 2024-05-01T10:00:00Z h app - - - ' + 'z'.repeat(200) + '\n';
    const lines = 2000;
    for (let i = 0; i < lines; i++) sock.write(line);
    // Everything is handed to the kernel (none left in the sender's buffer), none read yet.
    await until(() => sock.writableLength === 0, 5000, 'the sender to hand everything over');
    assert.equal(ingest.events.length, 0);
    const stopped = s.stop();
    // The pipeline keeps running while sources stop: room comes back.
    setTimeout(() => ingest.unsaturate(), 100);
    await stopped;
    assert.equal(ingest.events.length, lines);
    sock.destroy();
  });

  it('UDP: counts datagrams dropped when the pipeline is saturated', async () => {
    const ingest = new RecordingIngest();
    ingest.saturated = true;
    const { s } = await started({ port: 0, protocols: ['udp'] }, ingest);
    try {
      await udpSend(endpoint(s, 'udp').port, ['one', 'two', 'three']);
      const deadline = Date.now() + 3000;
      while (s.counters.dropped < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.equal(s.counters.dropped, 3);
      assert.equal(s.counters.received, 3);
      assert.equal(ingest.events.length, 0);
    } finally {
      await s.stop();
    }
  });

  it('UDP: the socket gets the receive buffer asked (a burst waits there, not dropped by the kernel), or the kernel cap with a warning', async () => {
    // Linux caps SO_RCVBUF at net.core.rmem_max and keeps (and reports) twice the capped value.
    let rmemMax: number | undefined;
    try {
      rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    } catch {
      // not Linux: no cap known
    }
    const start = async (config: Record<string, unknown>) => {
      const warnings: { msg: string; got: number }[] = [];
      const deps = testDeps();
      deps.logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
      const s = new SyslogSource('syslog', syslogSourceSchema.parse({ port: 0, protocols: ['udp'], ...config }), deps);
      await s.start(new RecordingIngest());
      return { s, warnings };
    };
    for (const [config, asked] of [[{}, 4 * 1024 * 1024], [{ udp_receive_buffer: '64KiB' }, 64 * 1024]] as const) {
      const { s, warnings } = await start(config);
      try {
        if (rmemMax === undefined) assert.ok(s.udpReceiveBuffer()! >= asked);
        else {
          assert.equal(s.udpReceiveBuffer(), 2 * Math.min(asked, rmemMax));
          assert.equal(warnings.length, asked > rmemMax ? 1 : 0);
        }
      } finally {
        await s.stop();
      }
    }
    if (rmemMax === undefined) return;
    // Over the cap, even by less than the doubling hides: the source starts, and says what it got.
    for (const asked of [rmemMax + 4096, 4 * rmemMax]) {
      const { s, warnings } = await start({ udp_receive_buffer: asked });
      try {
        assert.equal(warnings.length, 1, `asked ${asked}, rmem_max ${rmemMax}`);
        assert.match(warnings[0]!.msg, /net\.core\.rmem_max/);
        assert.equal(warnings[0]!.got, s.udpReceiveBuffer());
        assert.equal(s.udpReceiveBuffer(), 2 * rmemMax);
      } finally {
        await s.stop();
      }
    }
  });

  it('refuses to start on a port in use, with the reason', async () => {
    const { s } = await started({ port: 0, protocols: ['tcp'] });
    try {
      const other = new SyslogSource('other', syslogSourceSchema.parse({ port: endpoint(s, 'tcp').port, protocols: ['tcp'] }), testDeps());
      await assert.rejects(other.start(new RecordingIngest()), /EADDRINUSE/);
    } finally {
      await s.stop();
    }
  });
});
