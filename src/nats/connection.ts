import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { connect, type ConnectionOptions, type NatsConnection } from 'nats';

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
      caFile: z.string().optional(),
      certFile: z.string().optional(),
      keyFile: z.string().optional(),
    })
    .strict()
    .optional(),
  /** Connection name shown by the server's monitoring. */
  connectionName: z.string().optional(),
};

const connectionObject = z.object(natsConnectionSchema);
export type NatsConnectionConfig = z.output<typeof connectionObject>;

/** Connects and keeps reconnecting for ever (the client buffers while disconnected). */
export function connectNats(c: NatsConnectionConfig, name: string): Promise<NatsConnection> {
  const opts: ConnectionOptions = {
    servers: c.servers,
    name: c.connectionName ?? `jizo-intake ${name}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
  };
  if (c.auth && 'token' in c.auth) opts.token = c.auth.token;
  else if (c.auth) {
    opts.user = c.auth.user;
    opts.pass = c.auth.pass;
  }
  if (c.tls) {
    opts.tls = {
      ca: c.tls.caFile ? readFileSync(c.tls.caFile, 'utf8') : undefined,
      cert: c.tls.certFile ? readFileSync(c.tls.certFile, 'utf8') : undefined,
      key: c.tls.keyFile ? readFileSync(c.tls.keyFile, 'utf8') : undefined,
    };
  }
  return connect(opts);
}
