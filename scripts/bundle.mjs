/**
 * Bundles the command-line program into dist/cli/ (run after `tsc`).
 *
 * Node.js 20's ES module loader resolves, reads and links every module of the
 * graph one by one: the ~80 modules of `jizo-intake normalize` cost ~90 ms of
 * a 240 ms start. One bundle (with the commands and profiles split into
 * chunks that load on demand, as in the sources) starts in ~150 ms.
 *
 * dist/cli/jizo-intake.js  the program (package.json "bin")
 * dist/cli/worker.js       the normalization worker: the bundled pool starts
 *                          `new URL('./worker.js', import.meta.url)`, which is
 *                          this file, next to the chunk that holds the pool
 *
 * Packages that are large, load lazily or locate files of their own at run
 * time (the cluster clients, NATS, pino's transports, tldts, ua-parser-js, the
 * service's configuration libraries) stay external: they are imported from
 * node_modules as before.
 */
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild-wasm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/cli');

const EXTERNAL = [
  '@elastic/elasticsearch',
  '@opensearch-project/opensearch',
  'nats',
  'pino',
  'prom-client',
  'tinyglobby',
  'tldts',
  'ua-parser-js',
  'maxmind',
  'countries-list',
  'yaml',
  'zod',
];

/**
 * commander requires `node:child_process` when it loads, for executable
 * subcommands (`spawn`), which this program does not have: loading it (and
 * `net`, `dgram` behind it) cost every start ~3 ms. Its one use, `spawn`,
 * now loads it when called. The build fails if commander changes that line.
 */
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const line = "const childProcess = require('node:child_process');";
      if (!source.includes(line)) throw new Error(`${args.path}: no "${line}" to make lazy`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(line, lazy), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    'jizo-intake': join(root, 'dist/src/cli/main.js'),
    worker: join(root, 'dist/src/batch/worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  plugins: [lazyChildProcess],
  // CommonJS packages in the bundle (commander, ipaddr.js) call `require` for
  // Node.js built-ins: an ES module has none, so each output file makes one.
  banner: { js: "import { createRequire as __jizoCreateRequire } from 'node:module'; const require = __jizoCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
chmodSync(join(outdir, 'jizo-intake.js'), 0o755);
