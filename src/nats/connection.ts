import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { path } from '../config/values.js';
import type * as Nats from 'nats';
import type { ConnectionOptions, NatsConnection } from 'nats';
import { backoffDelay, sleep } from '../io/backoff.js';
import { importOptional } from '../io/optional-package.js';
import { hideUserInfo } from '../io/redact.js';

/** The NATS client: an optional peer dependency, loaded when a NATS source or sink starts. */
export type NatsModule = typeof Nats;

/** Loads the NATS client for `user` (e.g. 'the nats sink "out"'); names the package to install when it is missing. */
export function loadNats(user: string): Promise<NatsModule> {
  return importOptional('nats', user, () => import('nats'));
}

/** Connection settings shared by the NATS source and sink. */
export const natsConnectionSchema = {
  /** Server URLs. */
  servers: z.array(z.string().min(1)).min(1).default(['nats://127.0.0.1:4222']),
  /** User/password or token authentication. */
  auth: z
    .union([
      z.object({ user: z.string().min(1), pass: z.string() }).strict(),
      z.object({ token: z.string().min(1) }).strict(),
    ])
    .optional(),
  tls: z
    .object({
      /** PEM file of the CA that signed the server's certificate. */
      ca_file: path().optional(),
      /** Client certificate and key (PEM files) for mutual TLS. */
      cert_file: path().optional(),
      key_file: path().optional(),
    })
    .strict()
    .optional(),
  /** Connection name shown by the server's monitoring. */
  connection_name: z.string().optional(),
};

// a type, from the schema the sources and sinks spread into theirs
export type NatsConnectionConfig = z.output<z.ZodObject<typeof natsConnectionSchema>>;

/** The servers, each followed by `what` (what is read or written there), for the startup summary. */
export function natsEndpoints(c: NatsConnectionConfig, what: string): string[] {
  return c.servers.map((s) => `${hideUserInfo(s)} ${what}`);
}

/** One connection attempt; once connected, the client reconnects for ever (and buffers meanwhile). */
function connectOnce(nats: NatsModule, c: NatsConnectionConfig, name: string): Promise<NatsConnection> {
  const opts: ConnectionOptions = {
    servers: c.servers,
    name: c.connection_name ?? `jizo-intake ${name}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    timeout: 5000,
  };
  if (c.auth && 'token' in c.auth) opts.token = c.auth.token;
  else if (c.auth) {
    opts.user = c.auth.user;
    opts.pass = c.auth.pass;
  }
  if (c.tls) {
    opts.tls = {
      ca: c.tls.ca_file ? readFileSync(c.tls.ca_file, 'utf8') : undefined,
      cert: c.tls.cert_file ? readFileSync(c.tls.cert_file, 'utf8') : undefined,
      key: c.tls.key_file ? readFileSync(c.tls.key_file, 'utf8') : undefined,
    };
  }
  return nats.connect(opts);
}


/**
 * Connects, retrying with backoff until the server answers, unless `signal`
 * aborts first (then it rejects with "stopping"). The first connection is
 * retried here rather than by the client so that a stop interrupts it.
 */
export async function connectUntil(
  nats: NatsModule,
  c: NatsConnectionConfig,
  name: string,
  signal: AbortSignal,
  onError: (err: Error) => void,
): Promise<NatsConnection> {
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new Error('stopping');
    try {
      const nc = await connectOnce(nats, c, name);
      if (signal.aborted) {
        await nc.close();
        throw new Error('stopping');
      }
      return nc;
    } catch (e) {
      if (signal.aborted) throw new Error('stopping', { cause: e });
      onError(e as Error);
      await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 30000 }), signal);
    }
  }
}
