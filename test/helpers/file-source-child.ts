/**
 * Runs a file source in its own process with every submission durable at
 * once; prints a line per submission. The parent kills it with SIGKILL to
 * check that the checkpoints on disk survive a crash.
 */
import { TestIngest } from './ingest.js';
import { makeFileSource } from './file-source.js';

const [dataDir, path] = process.argv.slice(2);
// `node --test dist/test/` also loads this file, without arguments: then it does nothing
if (dataDir !== undefined && path !== undefined) {
  const ingest = new TestIngest(true);
  const real = ingest.submit.bind(ingest);
  ingest.submit = async (events, origin) => {
    const sub = await real(events, origin);
    process.stdout.write(`${events.length}\n`);
    return sub;
  };
  await makeFileSource(dataDir, { paths: [path], max_batch_events: 100 }).start(ingest);
}
