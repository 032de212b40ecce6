import { readFileSync } from 'node:fs';

/**
 * The version of the installed package, read from its own package.json so
 * that there is no second copy to keep in step. Looked for from this module
 * upward: the same code runs compiled (dist/src/cli/) and bundled (dist/cli/),
 * at different depths below the package root.
 */
export function packageVersion(): string {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'jizo-intake' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json at this level: look one up
    }
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return 'unknown';
    dir = parent;
  }
}
