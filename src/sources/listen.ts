import type { Server } from 'node:net';

/**
 * Starts a server listening; rejects on a start error (port in use ...), and
 * afterwards reports later errors to `onError` instead of crashing the process.
 */
export async function listen(server: Server, port: number, host: string, onError: (e: Error) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', onError);
}
