/**
 * Starts a real `nats-server` with JetStream on a free loopback port, storing
 * in a temporary directory. The binary comes from the Debian package
 * (`apt-get install -y nats-server`); when it is missing the NATS tests are
 * skipped with that instruction ({@link natsSkip}), and the other tests of
 * their files still run. CI sets JIZO_REQUIRE_SERVICES=1: a missing server is
 * then a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServer {
  url: string;
  port: number;
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

/** `binary` defaults to $NATS_SERVER_BIN, then `nats-server` on the PATH. */
export async function startNatsServer(binary = DEFAULT_BINARY): Promise<NatsServer> {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `nats-server is required by the NATS tests and was not found (${probe.error?.message ?? probe.stderr}); ` +
        INSTALL,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'jizo-nats-'));
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 10 s:\n${log}`)), 10000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}:\n${log}`));
    });
  });
  child.stderr!.resume();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
