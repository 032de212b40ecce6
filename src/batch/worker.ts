/**
 * Worker thread of {@link normalizeLinesParallel}: decodes, normalizes and
 * serializes one chunk of whole lines at a time, and sends back the documents
 * as UTF-8 bytes (transferred, not copied) with the chunk's counters and
 * rejection records (line numbers relative to the chunk).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LineSplitter } from '../io/lines.js';
import { Utf8Chunks } from '../io/utf8-chunks.js';
import { DEFAULT_MAX_LINE_BYTES } from '../decode/index.js';
import { lineHandler, loadDescriptionAdder, newCounters, type RejectionRecord } from './normalize-lines.js';
import { loadNormalizer } from '../normalize/load.js';
import type { ChunkRequest, ChunkResult, WorkerSetup } from './parallel-protocol.js';

const setup = workerData as WorkerSetup;
const max = setup.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
// Only the profile this run uses is loaded (messages wait in the port meanwhile).
const normalize = await loadNormalizer(setup.options, loadDescriptionAdder);

parentPort!.on('message', (req: ChunkRequest) => {
  const counters = newCounters();
  const rejections: RejectionRecord[] = [];
  // Output buffers go back and forth with the main thread: no new memory per chunk.
  const size = 3 * req.data.byteLength + 4096;
  const out = new Utf8Chunks(size, req.output !== undefined && req.output.byteLength >= size ? Buffer.from(req.output) : undefined);
  const sink = lineHandler(
    {
      pretty: setup.pretty,
      onDocument(json) {
        out.line(json);
      },
      onRejection(record) {
        rejections.push(record);
      },
    },
    { ...setup.options, maxLineBytes: max },
    counters,
    normalize,
  );
  const splitter = new LineSplitter(max, sink);
  splitter.push(Buffer.from(req.data.buffer, req.data.byteOffset, req.data.byteLength));
  splitter.end();
  let data = oneBuffer(out.take());
  // No documents: the output buffer goes back unused.
  if (data.length === 0 && req.output !== undefined) data = new Uint8Array(req.output, 0, 0);
  const input = req.data.buffer as ArrayBuffer;
  const result: ChunkResult = { seq: req.seq, data, counters, rejections, input };
  const transfer = [input];
  if (data.buffer !== input) transfer.push(data.buffer as ArrayBuffer);
  parentPort!.postMessage(result, transfer);
});

/** The parts in one buffer that owns its memory (transferable; never a pooled slice). */
function oneBuffer(parts: Buffer[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const all = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  return all;
}
