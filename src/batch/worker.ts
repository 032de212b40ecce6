/**
 * Worker thread of {@link normalizeLinesParallel}: decodes, normalizes and
 * serializes one chunk of whole lines at a time, and sends back the documents
 * as UTF-8 bytes (transferred, not copied) with the chunk's counters and
 * rejection records (line numbers relative to the chunk).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDescriptionAdder } from './normalize-lines.js';
import { loadEnricher } from '../enrich/load.js';
import { loadNormalizer } from '../normalize/load.js';
import { normalizeChunk } from './chunk.js';
import type { ChunkRequest, ChunkResult, WorkerSetup } from './parallel-protocol.js';

const setup = workerData as WorkerSetup;
// Only the profile this run uses is loaded (messages wait in the port meanwhile),
// and the enrichment databases asked for: each worker reads its own copy.
const enricher = await loadEnricher(setup.options);
const normalize = await loadNormalizer(setup.options, loadDescriptionAdder, enricher);

parentPort!.on('message', (req: ChunkRequest) => {
  // Output buffers go back and forth with the main thread: no new memory per chunk.
  const done = normalizeChunk(req.data, setup, normalize, req.output, enricher);
  const input = req.data.buffer as ArrayBuffer;
  const result: ChunkResult = { seq: req.seq, ...done, input };
  const transfer = [input];
  if (done.data.buffer !== input) transfer.push(done.data.buffer as ArrayBuffer);
  parentPort!.postMessage(result, transfer);
});
