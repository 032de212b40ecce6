/** Messages between the pipeline's {@link NormalizePool} and its normalization threads. */
import type { RejectReason } from '../decode/index.js';
import type { EnrichStats } from '../enrich/stats.js';
import type { NormalizeOptions } from '../normalize/types.js';
import type { DocumentSample } from './stats/event-stats.js';

export interface NormalizeWorkerSetup {
  /** Normalize options, enrichment options included (structured-cloned: no functions). */
  options: NormalizeOptions;
}

/** The events of one batch to normalize (those the source had not rejected already). */
export interface NormalizeRequest {
  type: 'batch';
  seq: number;
  /** Each event's received text, UTF-8, back to back (shared memory: the pipeline keeps it until the reply). */
  data: Uint8Array;
  /** Where each event's text ends in `data` (it starts where the previous one ends). */
  ends: Int32Array;
  /** Reception times, as runs: `receivedAt[k]` is that of the events before `runEnds[k]`. */
  receivedAt: string[];
  runEnds: Int32Array;
  /** A buffer the documents may be written into (one that came back before, written and released). */
  output?: ArrayBuffer;
  /** Draw samples of the documents for the status page at this rate (one in N); 0: none. */
  sampling: number;
  /** JSON of the last this many documents is sent back (the status page's recent documents). */
  recent: number;
  /** Send each document's `@timestamp` back (a sink routes by time). */
  timestamps: boolean;
}

export interface NormalizeReply {
  seq: number;
  /** The documents, UTF-8, each followed by a LF. */
  data: Uint8Array;
  /** Per event: what it became. */
  outcomes: Uint8Array;
  /** Per document: its start and end (before its LF) in `data`. */
  spans: Int32Array;
  rejections: { index: number; reason: RejectReason; error: string }[];
  /** Per document, when asked. */
  timestamps?: (string | undefined)[];
  samples: DocumentSample[];
  /** What the enrichment did in this batch. */
  enrich?: EnrichStats;
}

/** What an event became ({@link NormalizeReply.outcomes}). */
export const OUTCOME_DOCUMENT = 0;
export const OUTCOME_REJECTED = 1;
export const OUTCOME_BLANK = 2;

/** Reads the GeoIP databases again (the service got a SIGHUP and its own reload succeeded). */
interface ReloadRequest {
  type: 'reload';
}

export type WorkerRequest = NormalizeRequest | ReloadRequest;
