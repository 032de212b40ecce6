// What the published package holds and asks for: a library user installs no
// cluster client, no NATS client and no ECS type package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MissingPackageError, importOptional } from '../src/io/optional-package.js';
import { ROOT } from './helpers/paths.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};
const OPTIONAL = ['@elastic/elasticsearch', '@opensearch-project/opensearch', 'nats'];

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

test('package.json: the clients are optional peers (and dev dependencies for the tests), no @elastic/ecs', () => {
  for (const name of OPTIONAL) {
    assert.equal(pkg.dependencies[name], undefined, name);
    assert.ok(pkg.peerDependencies[name], name);
    assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, name);
    assert.equal(pkg.devDependencies[name], pkg.peerDependencies[name], name);
  }
  assert.equal(pkg.dependencies['@elastic/ecs'], undefined);
});

test('published declarations do not import @elastic/ecs', () => {
  const offenders = files(join(ROOT, 'dist', 'src'), '.d.ts').filter((f) =>
    /(from\s+|import\()\s*['"]@elastic\/ecs['"]/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(offenders, []);
});

test('the optional clients are only imported dynamically (when their component starts)', () => {
  const roots = [join(ROOT, 'dist', 'src'), join(ROOT, 'dist', 'cli')];
  const offenders: string[] = [];
  for (const f of roots.flatMap((d) => files(d, '.js'))) {
    const text = readFileSync(f, 'utf8');
    for (const name of OPTIONAL) {
      const escaped = name.replace(/[/.]/g, '\\$&');
      if (new RegExp(`(from\\s*|^import\\s*)['"]${escaped}['"]`, 'm').test(text)) offenders.push(`${f}: ${name}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('a missing optional package is an error that says what to install', async () => {
  const name = 'jizo-intake-no-such-package';
  await assert.rejects(
    importOptional(name, 'the test sink', () => import(name)),
    (e: unknown) => e instanceof MissingPackageError && e.message === `the test sink needs the package ${name}, which is not installed: npm install ${name}`,
  );
  // present: loaded as it is
  const nats = await importOptional('nats', 'the test sink', () => import('nats'));
  assert.equal(typeof nats.connect, 'function');
});

test('source maps are not published without their sources', () => {
  assert.ok(!pkg.files.some((f) => f === 'src' || f.startsWith('src/')), 'sources are not shipped');
  assert.ok(pkg.files.includes('!dist/**/*.map'));
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [packed] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
  assert.deepEqual(packed.files.map((f) => f.path).filter((p) => p.endsWith('.map')), []);
  assert.ok(packed.files.some((f) => f.path === 'dist/cli/jizo-intake.js'));
  // the status page's files, found from the package root by the compiled and the bundled program
  for (const f of ['index.html', 'status.js', 'status.css', 'favicon.svg']) assert.ok(packed.files.some((p) => p.path === `assets/status/${f}`), f);
});

test('--version prints the version of package.json (bundled and compiled program)', () => {
  for (const program of [join(ROOT, 'dist', 'cli', 'jizo-intake.js'), join(ROOT, 'dist', 'src', 'cli', 'main.js')]) {
    const r = spawnSync(process.execPath, [program, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
  }
});

test('the program runs as a command: its launcher line starts Node.js with the service options for serve, unless NODE_OPTIONS sets them', (t) => {
  const program = join(ROOT, 'dist', 'cli', 'jizo-intake.js');
  const dir = mkdtempSync(join(tmpdir(), 'jizo-launcher-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // the real Node.js: a preload reports the options it was started with
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, "process.stderr.write('execArgv=' + JSON.stringify(process.execArgv) + '\\n');");
  const run = (args: string[], nodeOptions: string) => {
    const r = spawnSync(program, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${probe} ${nodeOptions}` } });
    assert.equal(r.status, 0, r.stderr);
    return { stdout: r.stdout, execArgv: JSON.parse(/execArgv=(.*)/.exec(r.stderr)![1]!) as string[] };
  };
  assert.deepEqual(run(['serve', '--help'], '').execArgv, ['--max-semi-space-size=4']);
  // an operator's own choice wins
  assert.deepEqual(run(['serve', '--help'], '--max-semi-space-size=32').execArgv, []);
  // other commands start without (a V8 option costs every start)
  const version = run(['--version'], '');
  assert.equal(version.stdout.trim(), pkg.version);
  assert.deepEqual(version.execArgv, []);
  assert.deepEqual(run(['normalize', '--help'], '').execArgv, []);
  // arguments reach the program as given (a stand-in node prints what it gets)
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'node'), '#!/bin/sh\nfor a in "$@"; do echo "[$a]"; done\n');
  chmodSync(join(bin, 'node'), 0o755);
  const args = spawnSync(program, ['serve', 'a b', '$HOME', ''], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', PATH: `${bin}${delimiter}${process.env.PATH}` } });
  assert.equal(args.stdout, `[--max-semi-space-size=4]\n[${program}]\n[serve]\n[a b]\n[$HOME]\n[]\n`);
});
