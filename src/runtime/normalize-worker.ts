/**
 * A normalization thread of the `serve` pipeline ({@link NormalizePool}):
 * normalizes one batch at a time and sends back its documents as UTF-8 bytes
 * (transferred, not copied) with what became of each event.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadEnricher } from '../enrich/load.js';
import { loadNormalizer } from '../normalize/load.js';
import { BatchNormalizer } from './normalize-thread.js';
import type { NormalizeWorkerSetup, WorkerRequest } from './normalize-protocol.js';

const setup = workerData as NormalizeWorkerSetup;
// Only the profile the service uses is loaded (messages wait in the port meanwhile),
// and the enrichment databases asked for: each thread reads its own copy.
const enricher = await loadEnricher(setup.options);
// `serve` asks for no descriptions: no description engine is passed (asking would be an error).
const batches = new BatchNormalizer(setup, await loadNormalizer(setup.options, undefined, enricher), enricher);

parentPort!.on('message', (req: WorkerRequest) => {
  if (req.type === 'reload') {
    try {
      enricher?.reload();
    } catch {
      // The service's own reload read the same files a moment ago; on a failure here the databases in use stay.
    }
    return;
  }
  const reply = batches.run(req);
  parentPort!.postMessage(reply, [reply.data.buffer as ArrayBuffer]);
});
parentPort!.postMessage('ready');
