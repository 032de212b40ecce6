/**
 * A nats-server with JetStream for the benchmark scripts: loopback, a port
 * from `base` and the pid, storage in `dir`. Resolves once it is ready, with
 * the child process (for its pid, its CPU time, to stop it) and its URL.
 * Needs nats-server on the PATH (apt-get install -y nats-server).
 */
import { spawn } from 'node:child_process';

export async function startNatsServer(dir, base) {
  const port = base + (process.pid % 1000);
  const server = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise((resolve, reject) => {
    let log = '';
    server.stderr.on('data', (d) => {
      log += d;
      if (log.includes('Server is ready')) resolve();
    });
    server.once('exit', (c) => reject(new Error(`nats-server exited ${c}: ${log}`)));
  });
  return {
    server,
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    },
  };
}
