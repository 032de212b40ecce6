/** Messages between {@link normalizeLinesParallel} and its workers. */
import type { NormalizeOptions } from '../normalize/types.js';
import type { BatchCounters, RejectionRecord, WarningRecord } from './normalize-lines.js';

export interface WorkerSetup {
  /** Normalize options without functions (structured-cloned). */
  options: NormalizeOptions;
  pretty?: boolean;
}

export interface ChunkRequest {
  seq: number;
  /** Whole lines (the last one may lack its LF only at the end of input). */
  data: Uint8Array;
  /** A buffer the worker may write its output into (one it sent before, written and handed back). */
  output?: ArrayBuffer;
}

export interface ChunkResult {
  seq: number;
  /** Output JSON lines, UTF-8. */
  data: Uint8Array;
  counters: BatchCounters;
  /** Rejection records, `line` relative to the chunk (1-based), no `input`. */
  rejections: RejectionRecord[];
  /** Warnings of written documents, `line` relative to the chunk, no `input`. */
  warnings: WarningRecord[];
  /** The request's input buffer, handed back for the next chunk (absent for a chunk done on the main thread). */
  input?: ArrayBuffer;
}
