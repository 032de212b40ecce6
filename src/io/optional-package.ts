/**
 * Loads a package that jizo-intake lists as an optional peer dependency: the
 * cluster clients and the NATS client weigh tens of megabytes that someone
 * who only calls `normalize()` should not install. A component that needs
 * one imports it when it starts, and a missing package becomes one error
 * that says what to install, instead of a resolver stack trace.
 */
export class MissingPackageError extends Error {
  constructor(
    readonly packageName: string,
    user: string,
  ) {
    super(`${user} needs the package ${packageName}, which is not installed: npm install ${packageName}`);
    this.name = 'MissingPackageError';
  }
}

/**
 * `import(name)`, with a {@link MissingPackageError} naming `name` and its
 * `user` (e.g. 'the opensearch sink') when the package itself cannot be found.
 * Other failures (a broken install of one of its own dependencies) are
 * rethrown as they are.
 */
export async function importOptional<T>(name: string, user: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isNotFound(e, name)) throw new MissingPackageError(name, user);
    throw e;
  }
}

function isNotFound(e: unknown, name: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // "Cannot find package 'nats' imported from ...": the package, not one of its files.
  return (e as Error).message.includes(`'${name}'`);
}
