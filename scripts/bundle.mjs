/**
 * Bundles the command-line program into dist/cli/ (run after `tsc`).
 *
 * Node.js 20's ES module loader resolves, reads and links every module of the
 * graph one by one (an asynchronous open, read and close each): the ~80
 * modules of `jizo-intake normalize` cost ~90 ms of a 240 ms start, and even
 * the 20 chunks of one split bundle cost ~16 ms more than one file.
 *
 * So the paths that every run takes are each one file, without chunks:
 *
 * dist/cli/jizo-intake.js  the program (package.json "bin"; its first lines
 *                          are a launcher that starts `serve` with Node.js
 *                          options, scripts/node-flags.mjs): commander, the
 *                          commands' wiring and everything `normalize -p
 *                          sekoia` runs (the command itself and the sekoia
 *                          profile are still evaluated only when used)
 * dist/cli/worker.js       the normalization worker: the pool starts
 *                          `new URL('./worker.js', import.meta.url)`, next to
 *                          the program
 * dist/cli/normalize-worker.js  a normalization thread of `serve`'s pipeline
 *                          (`new URL('./normalize-worker.js', import.meta.url)`)
 *
 * and what only some runs need is a second, split bundle next to them:
 *
 * dist/cli/{test,catalog,describe,serve}.js   the other commands
 * dist/cli/ecs.js           the ecs profile (tldts, ua-parser-js)
 * dist/cli/enricher.js      GeoIP/ASN, direction, Community ID (maxmind ...)
 * dist/cli/describe-index.js  the description engine
 *
 * The two files of the first kind import these by those names. They stay
 * out of the one-file bundles because a bundle without chunks imports every
 * external package statically, at its top, even for a module it reaches only
 * through `import()`: tldts or maxmind would load at every start. The price:
 * a module that both bundles hold (the normalize helpers, time, IP texts,
 * the JSON decoder) is two copies, so such a module must keep no state but
 * caches; and the build checks that the one-file bundles import no package.
 *
 * Packages that are large, load lazily or locate files of their own at run
 * time (the cluster clients, NATS, pino's transports, tldts, ua-parser-js, the
 * service's configuration libraries) stay external: they are imported from
 * node_modules as before.
 */
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild-wasm';
import { launcher } from './node-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/cli');
const src = join(root, 'dist/src');

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

/** Modules that only some runs load: the entries of the split bundle, by output name. */
const LAZY = {
  test: 'cli/test.js',
  catalog: 'cli/catalog.js',
  describe: 'cli/describe.js',
  serve: 'cli/serve.js',
  ecs: 'normalize/ecs/index.js',
  enricher: 'enrich/enricher.js',
  'describe-index': 'describe/index.js',
};
const lazyByPath = new Map(Object.entries(LAZY).map(([name, path]) => [join(src, path), `./${name}.js`]));

/** In the one-file bundles, an import of a lazy module is an import of its file in the split bundle. */
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const to = lazyByPath.get(join(args.resolveDir, args.path));
      return to === undefined ? undefined : { path: to, external: true };
    });
  },
};

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

const common = {
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS packages in the bundle (commander, ipaddr.js) call `require` for
  // Node.js built-ins: an ES module has none, so each output file makes one.
  banner: { js: "import { createRequire as __jizoCreateRequire } from 'node:module'; const require = __jizoCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { 'jizo-intake': join(src, 'cli/main.js'), worker: join(src, 'batch/worker.js'), 'normalize-worker': join(src, 'runtime/normalize-worker.js') },
  splitting: false,
  plugins: [lazyModules, lazyChildProcess],
});
await build({
  ...common,
  entryPoints: Object.fromEntries(Object.entries(LAZY).map(([name, path]) => [name, join(src, path)])),
  splitting: true,
  plugins: [lazyChildProcess],
});

// A one-file bundle that imported a package statically would load it at every start.
for (const file of ['jizo-intake.js', 'worker.js', 'normalize-worker.js']) {
  const text = readFileSync(join(outdir, file), 'utf8');
  const bad = EXTERNAL.filter((name) => new RegExp(`^import[^;]*from\\s*["']${name.replace(/[/.]/g, '\\$&')}["']`, 'm').test(text));
  if (bad.length > 0) throw new Error(`dist/cli/${file} imports ${bad.join(', ')} at its top: make the module that needs it lazy`);
}
// The program's first line: the launcher that starts Node.js with the program's options (scripts/node-flags.mjs).
const main = join(outdir, 'jizo-intake.js');
const text = readFileSync(main, 'utf8');
if (!text.startsWith('#!/usr/bin/env node\n')) throw new Error(`${main}: no "#!/usr/bin/env node" line to replace with the launcher`);
writeFileSync(main, launcher() + text.slice(text.indexOf('\n')));
// one line more at the top: its source map starts with an empty line
const mapFile = `${main}.map`;
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
map.mappings = `;${map.mappings}`;
writeFileSync(mapFile, JSON.stringify(map));
chmodSync(main, 0o755);
