/**
 * The real OpenSearch node of the tests, started once per test run by
 * scripts/opensearch.sh (fetched from Maven Central on first use). Test
 * files run in separate processes: the script's lock makes the first one
 * start the node, the others find it running; the test runner
 * (scripts/run-tests.mjs) stops it at the end of the run.
 *
 * The node runs with `http.max_content_length` lowered to 1 MiB, so that the
 * sink's 413 path (split the request) is exercised by the real engine.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './paths.js';

const OPENSEARCH_TEST_PORT = Number(process.env.JIZO_TEST_OPENSEARCH_PORT ?? 9250);
export const OPENSEARCH_MAX_CONTENT = 1024 * 1024;
const SCRIPT = join(ROOT, 'scripts', 'opensearch.sh');
const run = promisify(execFile);

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OPENSEARCH_PORT: String(OPENSEARCH_TEST_PORT),
    OPENSEARCH_SETTINGS: `-Ehttp.max_content_length=${OPENSEARCH_MAX_CONTENT}b`,
  };
}

/** Starts the test node (or finds it running) and returns its URL. */
export async function openSearch(): Promise<string> {
  try {
    const { stdout } = await run(SCRIPT, ['start'], { env: env(), timeout: 300_000 });
    return stdout.trim().split('\n').pop()!;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `the OpenSearch tests need a real node, started by scripts/opensearch.sh (Java 17, and Maven on first use to fetch it): ${err.stderr || err.message}`,
      { cause: e },
    );
  }
}

/** Stops the test node (the engine-outage test). */
export async function stopOpenSearch(): Promise<void> {
  await run(SCRIPT, ['stop'], { env: env(), timeout: 60_000 });
}

/** A small client for assertions: JSON in, JSON out. */
export async function os<T = Record<string, unknown>>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const ndjson = Array.isArray(body);
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
    body: body === undefined ? undefined : ndjson ? (body as string[]).join('\n') + '\n' : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok && res.status !== 404) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** Documents in the indices matching `pattern`, after a refresh. */
export async function countDocs(url: string, pattern: string): Promise<number> {
  await os(url, 'POST', `/${pattern}/_refresh`);
  return (await os<{ count: number }>(url, 'GET', `/${pattern}/_count`)).count;
}

export async function deleteIndices(url: string, pattern: string): Promise<void> {
  await os(url, 'DELETE', `/${pattern}?expand_wildcards=all&ignore_unavailable=true`);
}
