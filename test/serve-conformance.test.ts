/** Every source and sink of serve-core through the shared conformance tests. */
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { after, before } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sinkConformance, sourceConformance } from './helpers/conformance.js';
import { endpoint, httpRequest, tcpSend, tlsSend, udpSend } from './helpers/net.js';
import { makeTestCert } from './helpers/tls-cert.js';
import { syslogSourceFactory } from '../src/sources/syslog/index.js';
import { httpSourceFactory } from '../src/sources/http/index.js';
import { StdinSource, stdinSourceFactory } from '../src/sources/stdin/index.js';
import { fileSinkFactory, type FileSink } from '../src/sinks/file/index.js';
import { StdoutSink, stdoutSinkFactory } from '../src/sinks/stdout/index.js';
import type { Sink } from '../src/pipeline/types.js';


sourceConformance('syslog tcp, newline framing', {
  factory: syslogSourceFactory,
  config: { port: 0, protocols: ['tcp'] },
  send: (s, lines) => tcpSend(endpoint(s, 'tcp').port, lines.map((l) => l + '\n').join('')),
});

sourceConformance('syslog tcp, octet counting', {
  factory: syslogSourceFactory,
  config: { port: 0, protocols: ['tcp'] },
  send: (s, lines) => tcpSend(endpoint(s, 'tcp').port, lines.map((l) => `${Buffer.byteLength(l)} ${l}`).join('')),
});

sourceConformance('syslog udp', {
  factory: syslogSourceFactory,
  config: { port: 0, protocols: ['udp'] },
  ordered: false,
  send: (s, lines) => udpSend(endpoint(s, 'udp').port, lines),
});

const tlsDir = mkdtempSync(join(tmpdir(), 'jizo-tls-'));
let ca = '';
before(async () => {
  ca = (await makeTestCert(tlsDir)).cert.toString('utf8');
});

sourceConformance('syslog tls', {
  factory: syslogSourceFactory,
  config: { port: 0, protocols: ['tcp'], tls: { cert_file: join(tlsDir, 'cert.pem'), key_file: join(tlsDir, 'key.pem') } },
  send: (s, lines) => tlsSend(endpoint(s, 'tls').port, ca, lines.map((l) => l + '\n').join('')),
});

sourceConformance('http', {
  factory: httpSourceFactory,
  config: { port: 0, token: 's3cret-token' },
  acknowledges: true,
  async send(s, lines) {
    const r = await httpRequest(endpoint(s, 'http').port, { headers: { authorization: 'Bearer s3cret-token' }, body: lines.join('\n') + '\n' });
    if (r.status !== 202) throw new Error(`HTTP ${r.status}: ${r.body}`);
  },
});

const stdinInputs = new Map<string, PassThrough>();
sourceConformance('stdin', {
  factory: stdinSourceFactory,
  config: {},
  create(name, config) {
    const input = new PassThrough();
    const s = new StdinSource(name, config as never, input);
    stdinInputs.set(name, input);
    return s;
  },
  async send(_s, lines) {
    stdinInputs.get('conf')!.end(lines.join('\n'));
  },
});

sinkConformance('file (fsync always)', {
  factory: fileSinkFactory,
  config: { fsync: 'always' },
  readBack: async (s) => lines(await readFile((s as FileSink).path, 'utf8')),
});

sinkConformance('file (fsync interval)', {
  factory: fileSinkFactory,
  config: { fsync: 'interval', fsync_interval: '20ms' },
  readBack: async (s) => lines(await readFile((s as FileSink).path, 'utf8')),
});

const stdoutCaptures = new Map<Sink, string[]>();
sinkConformance('stdout', {
  factory: stdoutSinkFactory,
  config: {},
  create(name) {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
    const s = new StdoutSink(name, out);
    stdoutCaptures.set(s, chunks);
    return s;
  },
  readBack: async (s) => lines(stdoutCaptures.get(s)!.join('')),
});

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

after(() => stdinInputs.clear());
