import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * Content fingerprint of a file: SHA-256 of its first line (newline included),
 * cut at `maxBytes`. Like Vector's `checksum` fingerprint, it identifies a file
 * across renames and tells a rewritten file from the one it replaced; inode
 * numbers alone do neither reliably (they are reused, and a copy gets a new one).
 * Undefined while the file holds neither a full line nor `maxBytes` bytes.
 */
export async function fingerprint(fh: FileHandle, maxBytes: number): Promise<string | undefined> {
  const buf = Buffer.allocUnsafe(maxBytes);
  const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
  const nl = buf.subarray(0, bytesRead).indexOf(10);
  let end: number;
  if (nl !== -1) end = nl + 1;
  else if (bytesRead === maxBytes) end = maxBytes;
  else return undefined;
  return createHash('sha256').update(buf.subarray(0, end)).digest('hex').slice(0, 32);
}

/** Offset just past the last newline in the file's last `window` bytes (0 when none): where "start at end" begins. */
export async function lastLineBoundary(fh: FileHandle, size: number, window = 65536): Promise<number> {
  const start = Math.max(0, size - window);
  const buf = Buffer.allocUnsafe(size - start);
  const { bytesRead } = await fh.read(buf, 0, buf.length, start);
  const nl = buf.subarray(0, bytesRead).lastIndexOf(10);
  return nl === -1 ? (start === 0 ? 0 : size) : start + nl + 1;
}
