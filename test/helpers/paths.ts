import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** Repository root (tests run compiled from dist/test/...). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shared material beside the repository. */
export const SHARED = resolve(ROOT, '..', 'shared');
export const SEED = join(SHARED, 'fixtures', 'seed');
export const CORPUS = join(SHARED, 'corpus');
export const GOLDEN = join(ROOT, 'test', 'golden');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
