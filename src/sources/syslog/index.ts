/**
 * Syslog source: UDP, TCP and TCP over TLS on one address. The whole syslog
 * message (header included) is handed to the pipeline, whose decoder reads
 * RFC 3164 and RFC 5424 headers and the EVE JSON they carry.
 */
import { listen } from '../listen.js';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { z } from 'zod';
import { EXCERPT_CHARS } from '../../io/lines.js';
import { duration, host, intRange, path, port, size } from '../../config/values.js';
import { newComponentCounters, type ComponentDeps, type ConnectionCounters, type Health, type Ingest, type RawEvent, type Source, type SourceFactory } from '../../component/types.js';
import { ConnectionSlots } from './connections.js';
import { handleConnection, type Connection, type StreamContext } from './stream.js';

/** How much the kernel reports per byte of receive buffer set: Linux doubles SO_RCVBUF (socket(7)). */
const KERNEL_RCVBUF_FACTOR = process.platform === 'linux' ? 2 : 1;

export const syslogSourceSchema = z
  .object({
    host: host('127.0.0.1'),
    port: port(5514),
    /** Transports to listen on; `tcp` speaks TLS when `tls` is set. */
    protocols: z
      .array(z.enum(['tcp', 'udp'], { errorMap: () => ({ message: 'expected "tcp" or "udp"' }) }), {
        invalid_type_error: 'expected a list of "tcp" and "udp"',
      })
      .min(1, 'expected at least one of "tcp" and "udp"')
      .default(['tcp', 'udp']),
    tls: z
      .object({
        cert_file: path(),
        key_file: path(),
        /** CA bundle to verify client certificates (with `client_auth`). */
        ca_file: path().optional(),
        client_auth: z.boolean({ invalid_type_error: 'expected true or false' }).default(false),
      })
      .strict()
      .optional(),
    /** Longest message accepted (longer ones are dead-lettered as `too_long`). */
    max_message_bytes: size(1, '1MiB'),
    /**
     * Open TCP/TLS connections. Past it, a new connection takes the slot of the
     * least recently active one when that one is quiet, else it is reset.
     */
    max_connections: intRange(1, 100_000, 1024),
    /**
     * A TCP/TLS connection that completes no message for this long is closed
     * (a sender that stalls mid-frame or trickles bytes must not hold a slot
     * and its partial frame forever); complete messages are kept, a cut frame
     * is dead-lettered.
     */
    idle_timeout: duration(1, '10m'),
    /** On stop, how long open connections are still read (until each sender pauses) before they are closed. */
    drain_timeout: duration(0, '5s'),
    /**
     * Receive buffer of the UDP socket (SO_RCVBUF): the datagrams of a burst that
     * arrive faster than the service reads them wait there, and past it the
     * kernel drops them unseen. Linux caps it at net.core.rmem_max.
     */
    udp_receive_buffer: size(4096, '4MiB'),
  })
  .strict();
export type SyslogSourceConfig = z.output<typeof syslogSourceSchema>;

export class SyslogSource implements Source {
  readonly type = 'syslog';
  readonly counters = newComponentCounters();
  private tcp: Server | undefined;
  private udp: UdpSocket | undefined;
  private readonly open = new Set<Connection>();
  private slots: ConnectionSlots | undefined;
  private readonly inProgress = new Set<Promise<unknown>>();
  private udpBatch: RawEvent[] = [];
  private udpFlushScheduled = false;
  private lastError: string | undefined;
  private running = false;
  /** Set from listening until stop: connections are admitted. */
  private accepting = false;

  constructor(
    readonly name: string,
    private readonly config: SyslogSourceConfig,
    private readonly deps: ComponentDeps,
  ) {}

  async start(ingest: Ingest): Promise<void> {
    if (this.running) return;
    const c = this.config;
    if (c.protocols.includes('tcp')) await this.startStream(ingest);
    if (c.protocols.includes('udp')) await this.startUdp(ingest);
    this.running = true;
  }

  private async startStream(ingest: Ingest): Promise<void> {
    const c = this.config;
    const slots = new ConnectionSlots(c.max_connections, c.idle_timeout);
    this.slots = slots;
    const ctx: StreamContext = {
      ingest,
      counters: this.counters,
      maxMessageBytes: c.max_message_bytes,
      slots,
      inProgress: this.inProgress,
      onError: (e, peer) => this.deps.logger.debug({ peer, error: e.message }, 'connection error'),
    };
    const scheme = c.tls ? 'tls' : 'tcp';
    const onConnection = (socket: Socket) => {
      if (socket.destroyed) return; // refused at accept
      const conn = handleConnection(socket, ctx, scheme, this.name);
      this.open.add(conn);
      socket.on('close', () => this.open.delete(conn));
    };
    this.accepting = true;
    const server = c.tls
      ? createTlsServer(
          {
            cert: readFileSync(c.tls.cert_file),
            key: readFileSync(c.tls.key_file),
            ca: c.tls.ca_file ? readFileSync(c.tls.ca_file) : undefined,
            requestCert: c.tls.client_auth,
            rejectUnauthorized: c.tls.client_auth,
          },
          onConnection,
        )
      : createServer(onConnection);
    // Slots are taken at TCP accept, before a TLS handshake (a handshake also holds one). Prepended:
    // runs before the server's own handler, which then skips a refused (destroyed) socket.
    server.prependListener('connection', (socket: Socket) => {
      if (!this.accepting) return void socket.destroy();
      if (slots.admit(socket)) return;
      this.counters.errors++;
      // debug, not warn: a flood of connections must not become a flood of log lines (the metric counts them).
      this.deps.logger.debug({ max_connections: c.max_connections }, 'connection refused: every slot is held by an active connection');
    });
    server.on('tlsClientError', (e: Error) => {
      this.counters.errors++;
      this.deps.logger.debug({ error: e.message }, 'TLS handshake failed');
    });
    await listen(server, c.port, c.host, (e) => {
      this.counters.errors++;
      this.lastError = e.message;
    });
    this.tcp = server;
  }

  private async startUdp(ingest: Ingest): Promise<void> {
    const c = this.config;
    const sock = createSocket({ type: c.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: c.udp_receive_buffer });
    const max = c.max_message_bytes;
    const flush = () => {
      this.udpFlushScheduled = false;
      const events = this.udpBatch;
      this.udpBatch = [];
      // UDP has no flow control: what the pipeline cannot take now is dropped, and counted.
      if (ingest.trySubmit(events, { source: this.name, detail: 'udp' })) this.counters.sent += events.length;
      else this.counters.dropped += events.length;
    };
    sock.on('message', (msg: Buffer) => {
      this.counters.received++;
      const receivedAt = new Date().toISOString();
      if (msg.length > max) {
        const reject = { reason: 'too_long' as const, message: `message of ${msg.length} bytes exceeds the limit of ${max} bytes` };
        this.udpBatch.push({ raw: msg.toString('utf8', 0, EXCERPT_CHARS), receivedAt, reject });
      } else {
        this.udpBatch.push({ raw: msg.toString('utf8'), receivedAt });
      }
      if (!this.udpFlushScheduled) {
        this.udpFlushScheduled = true;
        setImmediate(flush);
      }
    });
    sock.on('error', (e) => {
      this.counters.errors++;
      this.lastError = e.message;
    });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(c.port, c.host, () => {
        sock.off('error', reject);
        // Linux keeps (and reports) twice the value set, after capping that value at net.core.rmem_max:
        // a capped buffer can still read as more than was asked, so compare with what an uncapped one reads.
        const got = sock.getRecvBufferSize();
        if (got < c.udp_receive_buffer * KERNEL_RCVBUF_FACTOR) {
          this.deps.logger.warn(
            { asked: c.udp_receive_buffer, got },
            'UDP receive buffer smaller than udp_receive_buffer (capped by the kernel: raise net.core.rmem_max to absorb larger bursts)',
          );
        }
        resolve();
      });
    });
    this.udp = sock;
  }

  openConnections(): number {
    return this.slots?.size ?? 0;
  }

  /** Receive buffer of the UDP socket as the kernel reports it (Linux: twice what was set), when listening on UDP. */
  udpReceiveBuffer(): number | undefined {
    return this.udp?.getRecvBufferSize();
  }

  endpoints(): string[] {
    const out: string[] = [];
    const fmt = (a: AddressInfo) => (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);
    if (this.tcp) out.push(`${this.config.tls ? 'tls' : 'tcp'}://${fmt(this.tcp.address() as AddressInfo)}`);
    if (this.udp) out.push(`udp://${fmt(this.udp.address())}`);
    return out;
  }

  /** Connections refused, evicted and timed out (exported as metrics). */
  get connections(): ConnectionCounters | undefined {
    return this.slots?.counters;
  }

  health(): Health {
    if (!this.running) return { ok: false, detail: 'not running' };
    return this.lastError === undefined ? { ok: true, detail: `${this.slots?.size ?? 0} connections` } : { ok: false, detail: this.lastError };
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.accepting = false;
    // Stop accepting, then read what open connections already sent (it is in our buffers and the
    // kernel's, and the sender counts it as delivered) until each sender pauses or drain_timeout ends.
    // A message cut by the close was never complete. UDP cannot do this: datagrams are not retained.
    const closed = this.tcp ? new Promise<void>((r) => this.tcp!.close(() => r())) : Promise.resolve();
    const deadline = Date.now() + this.config.drain_timeout;
    await Promise.all([...this.open].map((conn) => conn.drain(deadline)));
    this.slots?.stop();
    await closed;
    if (this.udp) {
      const u = this.udp;
      await new Promise<void>((r) => u.close(() => r()));
      // A datagram batch already scheduled is submitted on the next tick.
      await new Promise((r) => setImmediate(r));
    }
    await Promise.allSettled([...this.inProgress]);
    this.tcp = undefined;
    this.udp = undefined;
  }
}

export const syslogSourceFactory: SourceFactory<SyslogSourceConfig> = {
  type: 'syslog',
  schema: syslogSourceSchema,
  create: (name, config, deps) => new SyslogSource(name, config, deps),
};
