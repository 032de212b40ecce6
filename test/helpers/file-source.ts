import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSourceFactory, type FileSource } from '../../src/sources/file/index.js';
import { testDeps } from './ingest.js';

/** A file source with fast polling for tests. */
export function makeFileSource(dataDir: string, config: Record<string, unknown>, name = 'tail'): FileSource {
  const parsed = fileSourceFactory.schema.parse({ poll_interval: 20, rotate_grace: 200, checkpoint_min_interval: 0, ...config });
  return fileSourceFactory.create(name, parsed, testDeps(dataDir)) as FileSource;
}

/** The checkpoint offsets on disk, by path. */
export async function checkpointOffsets(dataDir: string, name = 'tail'): Promise<Record<string, number>> {
  try {
    const text = await readFile(join(dataDir, 'checkpoints', `file-${name}.json`), 'utf8');
    const out: Record<string, number> = {};
    for (const f of (JSON.parse(text) as { files: { path: string; offset: number }[] }).files) out[f.path] = f.offset;
    return out;
  } catch {
    return {};
  }
}

/** `n` distinct EVE-like lines, numbered from `from`. */
export function eveLines(n: number, from = 0, tag = 'a'): string[] {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) {
    out.push(`{"timestamp":"2024-01-01T00:00:00.${String(i).padStart(6, '0')}+0000","event_type":"flow","tag":"${tag}","n":${i}}`);
  }
  return out;
}
