/**
 * Reads a file in chunks into two buffers used in turn, one read ahead.
 *
 * A read stream allocates a new buffer for every read; on a thread that makes
 * little other garbage (the main thread while workers normalize) those
 * buffers wait for a garbage collection that comes late, and peak RSS grows by
 * tens of MB. Here the memory is two buffers whatever the file size.
 *
 * A yielded chunk is valid until the consumer asks for the next one: a
 * consumer that keeps bytes must copy them.
 */
import { open } from 'node:fs/promises';

export async function* readChunks(path: string, size = 64 * 1024): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  const buffers = [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)];
  let turn = 0;
  let next: Promise<{ bytesRead: number }> | undefined = fh.read(buffers[0]!, 0, size, null);
  try {
    for (;;) {
      const { bytesRead } = await next;
      next = undefined;
      if (bytesRead === 0) return;
      const chunk = buffers[turn]!.subarray(0, bytesRead);
      turn ^= 1;
      // The other buffer is free: the consumer asked for this chunk, so it is done with the previous one.
      next = fh.read(buffers[turn]!, 0, size, null);
      yield chunk;
    }
  } finally {
    // A read still in flight (the consumer stopped early) must end before the file is closed.
    await next?.catch(() => undefined);
    await fh.close();
  }
}
