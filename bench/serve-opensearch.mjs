#!/usr/bin/env node
/**
 * Throughput of a backfill into a real OpenSearch node: `serve --exit-on-eof`
 * with a file source and the `opensearch` sink (catalog template installed,
 * deterministic ids, op_type create), against `normalize --workers 1` of the
 * same file to /dev/null, interleaved, in the same run.
 *
 *   node bench/serve-opensearch.mjs [--lines N] [--rounds R] [--profile sekoia|ecs] [--port P]
 *
 * Starts the node with scripts/opensearch.sh (on --port, default 9260) unless
 * one answers there, deletes the index before each round, and prints the
 * median wall time of each case, events/s and the ratio serve/normalize (in
 * events/s). The node runs on the same two cores: the ratio includes the
 * engine's own indexing cost, which a separate cluster would not take from
 * the intake. Not part of the test suite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFile } from './generate.mjs';
import { programArgs } from './program.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? def : process.argv[i + 1];
};
const lines = Number(arg('--lines', '200000'));
const rounds = Number(arg('--rounds', '5'));
const profile = arg('--profile', 'sekoia');
const port = arg('--port', '9260');
const url = `http://127.0.0.1:${port}`;
const env = { ...process.env, OPENSEARCH_PORT: port, OPENSEARCH_HEAP: process.env.OPENSEARCH_HEAP ?? '1g' };

const script = join(root, 'scripts/opensearch.sh');
const wasRunning = spawnSync(script, ['status'], { env, stdio: 'ignore' }).status === 0;
if (!wasRunning && spawnSync(script, ['start'], { env, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) process.exit(1);

const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-os-'));
const input = join(dir, 'eve.json');
await generateFile(input, lines);
const index = 'bench-os';

function time(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(-2000)}`);
  return { s, stderr: r.stderr.toString() };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { normalize: [], serve: [], ratio: [] };
for (let r = 0; r < rounds; r++) {
  await fetch(`${url}/${index}*?expand_wildcards=all`, { method: 'DELETE' });
  const data = join(dir, `data-${r}`);
  const config = join(dir, `serve-${r}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      data_dir: data,
      admin: false,
      profile,
      log_level: 'warn',
      sources: { eve: { type: 'file', paths: [input] } },
      sinks: { os: { type: 'opensearch', nodes: [url], index, template: { install: true, name: index, profile } } },
    }),
  );
  const n = time(process.execPath, programArgs(['normalize', '-p', profile, '-w', '1', '-q', '-o', '/dev/null', input]));
  const s = time(process.execPath, programArgs(['serve', '-c', config, '--exit-on-eof']));
  // the generated file holds blank and bad lines too: compare with the documents serve made
  const docs = Number(/(\d+) documents/.exec(s.stderr)?.[1]);
  await fetch(`${url}/${index}/_refresh`, { method: 'POST' });
  const count = await (await fetch(`${url}/${index}/_count`)).json();
  if (count.count !== docs) throw new Error(`round ${r}: _count ${count.count}, serve made ${docs} documents`);
  results.normalize.push(n.s);
  results.serve.push(s.s);
  results.ratio.push(n.s / s.s);
  rmSync(data, { recursive: true, force: true });
  process.stderr.write(`round ${r + 1}/${rounds}: normalize ${n.s.toFixed(2)} s, serve -> opensearch ${s.s.toFixed(2)} s\n`);
}
const nm = median(results.normalize);
const sm = median(results.serve);
console.log(`${lines} lines, profile ${profile}, ${rounds} rounds (medians)`);
console.log(`normalize --workers 1 -> /dev/null   ${nm.toFixed(2)} s  ${Math.round(lines / nm)} events/s`);
console.log(`serve file -> opensearch (ids)      ${sm.toFixed(2)} s  ${Math.round(lines / sm)} events/s`);
console.log(`ratio serve/normalize (events/s)    ${median(results.ratio).toFixed(2)}`);
await fetch(`${url}/${index}*?expand_wildcards=all`, { method: 'DELETE' });
rmSync(dir, { recursive: true, force: true });
if (!wasRunning) spawnSync(script, ['stop'], { env, stdio: 'inherit' });
