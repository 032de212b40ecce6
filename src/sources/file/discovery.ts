import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** A matched path and the identity of the file it points to now. */
export interface Found {
  path: string;
  dev: number;
  ino: number;
  size: number;
}

/** Lists the regular files the patterns match now (a missing directory matches nothing); `exclude` filters glob matches. */
export async function findFiles(patterns: readonly string[], exclude: readonly string[] = []): Promise<Found[]> {
  const fixed: string[] = [];
  const dynamic: string[] = [];
  for (const p of patterns) (isDynamicPattern(p) ? dynamic : fixed).push(resolve(p));
  const paths = new Set(fixed);
  const ignore = exclude.map((p) => resolve(p));
  if (dynamic.length > 0) {
    for (const p of await glob(dynamic, { absolute: true, onlyFiles: true, dot: true, expandDirectories: false, ignore })) {
      paths.add(resolve(p));
    }
  }
  const found: Found[] = [];
  for (const path of paths) {
    try {
      const st = await stat(path);
      if (st.isFile()) found.push({ path, dev: st.dev, ino: st.ino, size: st.size });
    } catch {
      // not there (yet): the next scan looks again
    }
  }
  return found;
}

/** The deepest directory of a pattern that holds no glob character. */
export function baseDir(pattern: string): string {
  const abs = resolve(pattern);
  const parts = abs.split(sep);
  const out: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (isDynamicPattern(part)) break;
    out.push(part);
  }
  return out.join(sep) || sep;
}

/**
 * Watches the base directories of the patterns and calls `wake` on any change.
 * fs.watch is only a hint (it misses events on some file systems and cannot
 * watch a directory that does not exist yet): the source also polls.
 */
export class DirWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly dirs: readonly string[],
    private readonly wake: () => void,
  ) {}

  /** (Re)installs the watchers that are missing; cheap, called on every scan. */
  refresh(): void {
    for (const dir of this.dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this.wake());
        w.on('error', () => {
          w.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, w);
      } catch {
        // directory missing or not watchable: polling covers it
      }
    }
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
