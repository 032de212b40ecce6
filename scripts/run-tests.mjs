#!/usr/bin/env node
// Runs the test suite (compiled tests under dist/test) and, when the run
// started the real OpenSearch node of the tests, stops it afterwards.
// Arguments go to `node --test` (options, test files); without files: every dist/test/*.test.js.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.JIZO_TEST_OPENSEARCH_PORT ?? '9250';
const script = join(root, 'scripts', 'opensearch.sh');
const env = { ...process.env, OPENSEARCH_PORT: port };
const wasRunning = spawnSync(script, ['status'], { env, stdio: 'ignore' }).status === 0;

const args = process.argv.slice(2);
if (!args.some((a) => !a.startsWith('-'))) {
  const dir = join(root, 'dist', 'test');
  args.push(...readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => join('dist', 'test', f)));
}
const res = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...args], { cwd: root, stdio: 'inherit' });
if (!wasRunning) spawnSync(script, ['stop'], { env, stdio: 'inherit' });
process.exit(res.status ?? 1);
