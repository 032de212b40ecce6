/**
 * Two settings of V8's garbage collector, for this program's heaps: a few MB
 * live, almost everything dying young (one event, one chunk).
 *
 * - Growth of the old generation: V8 picks the factor from how cheap
 *   collection looks and, for such heaps, picks the largest, 4×, so each
 *   normalization worker's old generation filled to ~32 MB of garbage
 *   between full collections (7-8 MB live): `normalize -p ecs -w 2` on 1.2 GB
 *   peaked at 157 MB. At 2× (`--heap-growing-percent=100`) the same run peaks
 *   at ~125 MB for the same CPU time (a full collection of a small live heap
 *   costs milliseconds).
 * - Young-generation collections on one thread (`--no-parallel-scavenge`):
 *   each copies little, and handing that to helper threads cost more than it
 *   saved, most of all when the other core is busy too: `normalize -w 1`
 *   0.97× the time for both profiles, `-w 2` 0.97×.
 *
 * Flags are process-wide and read at each collection, so they hold for every
 * thread. Setting one changes V8's flag hash, after which each new worker
 * thread starts ~5-10 ms slower (its start-up snapshot no longer matches):
 * callers set them once their workers are running. Loading `node:v8` costs
 * ~6 ms, which a 12-line run would notice: a single-thread run sets them once
 * it has read a few MiB. A flag an operator gives node on its command line is
 * left alone (NODE_OPTIONS refuses these).
 */
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';

const FLAGS: readonly [name: string, setting: string][] = [
  ['heap-growing-percent', '--heap-growing-percent=100'],
  ['parallel-scavenge', '--no-parallel-scavenge'],
];

let done = false;

export function tuneGarbageCollector(): void {
  if (done) return;
  done = true;
  // `require`, not `import`: an ES import of a built-in builds its module facade, which costs the start.
  const v8 = createRequire(import.meta.url)('node:v8') as typeof V8;
  for (const [name, setting] of FLAGS) {
    const given = new RegExp(`^--(no-)?${name.replaceAll('-', '[-_]')}(=|$)`);
    if (!process.execArgv.some((a) => given.test(a))) v8.setFlagsFromString(setting);
  }
}
