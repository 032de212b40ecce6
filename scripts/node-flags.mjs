/**
 * The Node.js options of `jizo-intake serve`. scripts/bundle.mjs writes them
 * into the launcher line of dist/cli/jizo-intake.js (the package's "bin");
 * the benchmark starts the service with them.
 *
 * --max-semi-space-size=4: V8 lets the young generation of the main thread
 * grow to 16 MB per semi-space. The service keeps its queued events alive
 * across collections, so they are copied again and again in a large young
 * generation: capped at 4 MB, its peak RSS on the benchmark went from 157 to
 * 130 MB and its rate up by 9 % (docs/benchmarks.md). Only for `serve`: any
 * V8 option given at start makes Node.js start ~15 ms slower (and each worker
 * thread too), which a short `normalize` run would notice, and `normalize`
 * runs at the same speed with or without it. A NODE_OPTIONS that sets it wins.
 */
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=4'];

/** Node.js options for a command line of the program (its first argument is the command). */
export function nodeFlags(args) {
  return args[0] === 'serve' ? SERVE_NODE_FLAGS : [];
}

/**
 * The launcher: a POSIX shell line that is also a JavaScript no-op (a string
 * and a comment), so the program stays one file, run by `sh` through its
 * `#!/bin/sh` line or by `node` directly. `exec` replaces the shell: no extra
 * process.
 */
export function launcher(flags = SERVE_NODE_FLAGS) {
  const own = flags.map((f) => `*${f.replace(/=.*/, '')}*`).join('|');
  return [
    '#!/bin/sh',
    `':' //; case "$1" in serve) case " $NODE_OPTIONS " in ${own}) ;; *) exec node ${flags.join(' ')} "$0" "$@";; esac;; esac; exec node "$0" "$@"`,
  ].join('\n');
}
