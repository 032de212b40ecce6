/**
 * Starts a real `nats-server` with JetStream on a free loopback port, storing
 * in a temporary directory. The binary comes from the Debian package
 * (`apt-get install -y nats-server`); when it is missing the NATS tests are
 * skipped with that instruction ({@link natsSkip}), and the other tests of
 * their files still run. CI sets JIZO_REQUIRE_SERVICES=1: a missing server is
 * then a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL) and starts it again on the same port and storage. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}


async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const DEFAULT_BINARY = process.env.NATS_SERVER_BIN ?? 'nats-server';
const INSTALL = 'install it with: apt-get update && apt-get install -y nats-server';

/**
 * The reason to skip the NATS tests (for `describe(name, { skip: natsSkip() })`
 * and for not starting the server in a shared `before` hook), or false when
 * they run: the server is there, or JIZO_REQUIRE_SERVICES=1 asks for it (then
 * {@link startNatsServer} fails with the install command).
 */
export function natsSkip(binary = DEFAULT_BINARY, env: NodeJS.ProcessEnv = process.env): string | false {
  if (env.JIZO_REQUIRE_SERVICES === '1') return false;
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (!probe.error && probe.status === 0) return false;
  return `${binary} not found: the NATS tests are skipped (${INSTALL}; JIZO_REQUIRE_SERVICES=1 makes this a failure)`;
}

/** Where and how the server runs. */
export interface NatsServerOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Command prefix, e.g. `ip netns exec <ns>` to run it on another (namespace) host. */
  prefix?: string[];
  /** Server configuration file text (e.g. `ping_interval: "1s"`). */
  config?: string;
}

/** `binary` defaults to $NATS_SERVER_BIN, then `nats-server` on the PATH. */
export async function startNatsServer(binary = DEFAULT_BINARY, opts: NatsServerOptions = {}): Promise<NatsServer> {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `nats-server is required by the NATS tests and was not found (${probe.error?.message ?? probe.stderr}); ` +
        INSTALL,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'jizo-nats-'));
  const port = await freePort();
  const args = ['-js', '-a', opts.host ?? '127.0.0.1', '-p', String(port), '-sd', dir];
  if (opts.config !== undefined) {
    writeFileSync(join(dir, 'nats.conf'), opts.config);
    args.push('-c', join(dir, 'nats.conf'));
  }
  const [cmd, ...pre] = [...(opts.prefix ?? []), binary];
  const run = () => spawnServer(cmd!, [...pre, ...args]);
  let child = await run();
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  return {
    url: `nats://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    async restart() {
      await kill('SIGKILL');
      child = await run();
    },
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the server command; resolves once it is ready. */
async function spawnServer(cmd: string, args: string[]): Promise<ChildProcess> {
  const child: ChildProcess = spawn(cmd, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 10 s:\n${log}`)), 10000);
    const exit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}:\n${log}`));
    };
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready')) {
        clearTimeout(timer);
        child.off('exit', exit);
        resolve();
      }
    });
    child.once('exit', exit);
  });
  child.stderr!.resume();
  return child;
}
