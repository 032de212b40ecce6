/**
 * Libraries loaded on first use. tldts (the public suffix list) and
 * ua-parser-js take ~90 ms to load, which every `normalize` run and every
 * worker thread paid at start even when no event needed them (the `sekoia`
 * profile never does). Both ship CommonJS builds, which `require` loads
 * synchronously from the hot path the first time it needs them.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning module `id`, loaded on its first call. */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
