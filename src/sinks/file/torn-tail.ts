/**
 * Repair of an output file after a crash (kill -9, power cut) in the middle
 * of an append: the bytes after the last newline are a line cut short. They
 * were never acknowledged (a batch is acknowledged only once all of it was
 * written), so the source sends them again; appending after them would glue
 * the next line to the cut one and leave one line that is not JSON.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Bytes read per step while looking for the last newline from the end. */
const STEP = 64 * 1024;

/**
 * Truncates `path` just after its last newline (to 0 when it has none).
 * Returns the bytes cut off; a missing file is left alone.
 */
export async function cutTornTail(path: string): Promise<number> {
  let fh;
  try {
    fh = await open(path, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    const keep = await lastNewlineEnd(fh, size);
    if (keep === size) return 0;
    await fh.truncate(keep);
    await fh.datasync();
    return size - keep;
  } finally {
    await fh.close();
  }
}

/** Offset just past the last LF of the file's first `size` bytes (0 when there is none). */
async function lastNewlineEnd(fh: FileHandle, size: number): Promise<number> {
  const buf = Buffer.allocUnsafe(Math.min(STEP, size));
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - buf.length);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    const i = buf.subarray(0, bytesRead).lastIndexOf(10);
    if (i !== -1) return start + i + 1;
    end = start;
  }
  return 0;
}
