/**
 * One chunk of whole lines to UTF-8 JSON lines: the work of a normalization
 * worker, also done on the main thread for input too small to pay for
 * starting workers ({@link normalizeLinesParallel}).
 */
import { LineSplitter } from '../io/lines.js';
import { Utf8Chunks } from '../io/utf8-chunks.js';
import { DEFAULT_MAX_LINE_BYTES } from '../decode/index.js';
import { lineHandler, newCounters, takeEnrichStats, type RejectionRecord, type WarningRecord } from './normalize-lines.js';
import type { Enricher } from '../enrich/enricher.js';
import type { LineNormalizer } from '../normalize/load.js';
import type { ChunkResult, WorkerSetup } from './parallel-protocol.js';

/**
 * Normalizes `data` (whole lines); `output` is a buffer it may write into
 * (one handed back after an earlier chunk). Line numbers of the rejection
 * records are relative to the chunk. The counters carry what `enricher` (the
 * one `normalize` runs) did in this chunk.
 */
export function normalizeChunk(
  data: Uint8Array,
  setup: WorkerSetup,
  normalize: LineNormalizer,
  output?: ArrayBuffer,
  enricher?: Enricher,
): Pick<ChunkResult, 'data' | 'counters' | 'rejections' | 'warnings'> {
  const max = setup.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const counters = newCounters();
  const rejections: RejectionRecord[] = [];
  const warnings: WarningRecord[] = [];
  const size = 3 * data.byteLength + 4096;
  const out = new Utf8Chunks(size, output !== undefined && output.byteLength >= size ? Buffer.from(output) : undefined);
  const sink = lineHandler(
    {
      pretty: setup.pretty,
      onDocument(json) {
        out.line(json);
      },
      onRejection(record) {
        rejections.push(record);
      },
      onWarnings(record) {
        warnings.push(record);
      },
    },
    { ...setup.options, maxLineBytes: max },
    counters,
    normalize,
  );
  const splitter = new LineSplitter(max, sink);
  splitter.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  splitter.end();
  takeEnrichStats(counters, enricher);
  let result = oneBuffer(out.take());
  // No documents: the output buffer goes back unused.
  if (result.length === 0 && output !== undefined) result = new Uint8Array(output, 0, 0);
  return { data: result, counters, rejections, warnings };
}

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
