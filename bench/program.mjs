/**
 * How the benchmark starts the program: with the Node.js options its
 * launcher (the first lines of dist/cli/jizo-intake.js) gives the command
 * (scripts/node-flags.mjs), here with the benchmark's own Node.js binary, and
 * extra options when a case asks (e.g. --cpu-prof, which NODE_OPTIONS refuses).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFlags } from '../scripts/node-flags.mjs';

export const cli = join(fileURLToPath(new URL('..', import.meta.url)), 'dist/cli/jizo-intake.js');

/** Node.js arguments that run the program with `args`. */
export function programArgs(args, nodeOptions = []) {
  return [...nodeFlags(args), ...nodeOptions, cli, ...args];
}
