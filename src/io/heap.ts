/**
 * How far V8 lets a heap grow past what survived its last full collection.
 *
 * V8 picks the factor from how cheap collection looks: for this program's
 * heaps (a few MB live, almost everything dying young) it picks the largest,
 * 4×, so each normalization worker's old generation filled to ~32 MB of
 * garbage between full collections (7-8 MB live): `normalize -p ecs -w 2` on
 * 1.2 GB peaked at 157 MB. At 2× the same run peaks at ~125 MB for the same
 * CPU time (a full collection of a small live heap costs milliseconds).
 *
 * The flag is process-wide and read at each collection, so it holds for every
 * thread. Setting it changes V8's flag hash, after which each new worker
 * thread starts ~5-10 ms slower (its start-up snapshot no longer matches):
 * callers set it once their workers are running. Loading `node:v8` to set it
 * costs ~6 ms, which a 12-line run would notice: a single-thread run sets it
 * once it has read a few MiB. An operator's own `node
 * --heap-growing-percent=N` is left alone (NODE_OPTIONS refuses that flag).
 */
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';

const GROWING_PERCENT = 100;

let done = false;

export function limitHeapGrowth(): void {
  if (done) return;
  done = true;
  if (process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a))) return;
  // `require`, not `import`: an ES import of a built-in builds its module facade, which costs the start.
  const v8 = createRequire(import.meta.url)('node:v8') as typeof V8;
  v8.setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
}
