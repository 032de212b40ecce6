// What the published package holds and asks for: a library user installs no
// cluster client, no NATS client and no ECS type package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
