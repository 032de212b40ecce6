/** An HTTP source on a free loopback port, for the HTTP source tests. */
import { HttpSource, httpSourceSchema } from '../../src/sources/http/index.js';
import type { Ingest } from '../../src/pipeline/types.js';
import { RecordingIngest, testDeps } from './conformance.js';
import { endpoint } from './net.js';

export async function startHttpSource<I extends Ingest = RecordingIngest>(config: Record<string, unknown>, ingest?: I): Promise<{ s: HttpSource; port: number; ingest: I }> {
  const into = ingest ?? (new RecordingIngest() as unknown as I);
  const s = new HttpSource('http', httpSourceSchema.parse({ port: 0, ...config }), testDeps());
  await s.start(into);
  return { s, port: endpoint(s, config.tls ? 'https' : 'http').port, ingest: into };
}
