import { readFileSync } from 'node:fs';

/**
 * The root of the installed package (the directory of its own package.json),
 * looked for from this module upward: the same code runs compiled
 * (dist/src/...) and bundled (dist/cli/), at different depths below it.
 */
function packageRoot(): { dir: URL; version: string } | undefined {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'jizo-intake' && typeof pkg.version === 'string') return { dir, version: pkg.version };
    } catch {
      // no package.json at this level: look one up
    }
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return undefined;
    dir = parent;
  }
}

let root: ReturnType<typeof packageRoot> | null = null;

function cachedRoot(): ReturnType<typeof packageRoot> {
  if (root === null) root = packageRoot();
  return root;
}

/** The version of the installed package, read from its package.json so that there is no second copy to keep in step. */
export function packageVersion(): string {
  return cachedRoot()?.version ?? 'unknown';
}

/** A file shipped with the package (`assets/status/index.html`), or undefined when the package root is not found. */
export function packageFile(path: string): URL | undefined {
  const r = cachedRoot();
  return r === undefined ? undefined : new URL(path, r.dir);
}
