/**
 * Batch normalization of a stream of raw lines: every line ends up as exactly
 * one document, one rejection record, or one counted blank line.
 */
import type { RejectReason } from '../decode/index.js';
import { EXCERPT_CHARS, LineSplitter, type LineSink } from '../io/lines.js';
import { routeLine, type LineRoutes, type RejectedLine } from '../normalize/outcome.js';
import { DEFAULT_MAX_LINE_BYTES } from '../decode/index.js';
import { loadNormalizer, type LineNormalizer } from '../normalize/load.js';
import type { DescriptionAdder } from '../normalize/core.js';
import type { Enricher } from '../enrich/enricher.js';
import { loadEnricher } from '../enrich/load.js';
import { addEnrichStats, newEnrichStats, type EnrichStats } from '../enrich/stats.js';
import type { NormalizeOptions } from '../normalize/types.js';
import { toJson } from '../serialize.js';

/** What a rejected line becomes in the `--errors` output (its raw line cut to a few KB). */
export interface RejectionRecord extends RejectedLine {
  /** Input name (file path, or "-" for stdin). */
  input?: string;
  /** 1-based line number in its input. */
  line: number;
  reason: RejectReason;
}

/** A document that was written but carries warnings (e.g. no valid timestamp). */
export interface WarningRecord {
  /** Input name (file path, or "-" for stdin). */
  input?: string;
  /** 1-based line number in its input. */
  line: number;
  warnings: string[];
}

export interface BatchCounters {
  lines: number;
  documents: number;
  rejected: number;
  blank: number;
  bytes: number;
  /** Documents written with warnings (counted among `documents`). */
  warned: number;
  /** What the enrichment did, when it ran. */
  enrich?: EnrichStats;
}

export interface BatchOptions extends NormalizeOptions {
  /** Input name reported in rejection records. */
  input?: string;
  /** Indent output documents. */
  pretty?: boolean;
  /** Called with each output document line (JSON text without newline). */
  onDocument(json: string): void;
  onRejection(record: RejectionRecord): void;
  /** Called for each document that carries warnings. */
  onWarnings?(record: WarningRecord): void;
  /** Called after each input chunk: the place to apply backpressure. */
  afterChunk?(): Promise<void> | void;
  /**
   * The enricher of the enrichment options, loaded by the caller (so that a
   * wrong database is an error before any output); loaded here when absent.
   * Worker threads load their own.
   */
  enricher?: Enricher;
}

export function newCounters(): BatchCounters {
  return { lines: 0, documents: 0, rejected: 0, blank: 0, bytes: 0, warned: 0 };
}


/** What happens to each line: shared by the in-thread path and the workers. */
export interface LineHandling {
  input?: string;
  pretty?: boolean;
  onDocument(json: string): void;
  onRejection(record: RejectionRecord): void;
  onWarnings?(record: WarningRecord): void;
}

/**
 * The line sink that turns each line into a document, a rejection record or a
 * counted blank line, adding to `counters`. `normOptions.maxLineBytes` is the
 * limit applied by the splitter feeding it.
 */
export function lineHandler(
  handling: LineHandling,
  normOptions: NormalizeOptions,
  counters: BatchCounters,
  normalize: LineNormalizer,
): LineSink {
  const indent = handling.pretty ? 2 : undefined;
  const max = normOptions.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  // The splitter already enforced the limit: decode need not measure again.
  const options: NormalizeOptions = { ...normOptions, maxLineBytes: Infinity };
  // the routes read the line being handled from here: no closure per line
  let text = '';
  let lineNo = 0;
  const routes: LineRoutes = {
    blank() {
      counters.blank++;
    },
    document(r) {
      counters.documents++;
      handling.onDocument(toJson(r.document, r.lossless, indent));
      if (r.warnings.length > 0) {
        counters.warned++;
        handling.onWarnings?.({ input: handling.input, line: lineNo, warnings: r.warnings });
      }
    },
    rejected(reason, error) {
      counters.rejected++;
      handling.onRejection({ input: handling.input, line: lineNo, reason, error, raw: text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text });
    },
  };
  return {
    line(t, n) {
      counters.lines++;
      text = t;
      lineNo = n;
      routeLine(t, normalize, options, routes);
    },
    tooLong(excerpt, bytes, lineNo) {
      counters.lines++;
      counters.rejected++;
      handling.onRejection({
        input: handling.input,
        line: lineNo,
        reason: 'too_long',
        error: `line of ${bytes} bytes exceeds the limit of ${max} bytes`,
        raw: excerpt,
      });
    },
  };
}

/** Adds an enricher's counts since the last call into `counters`. */
export function takeEnrichStats(counters: BatchCounters, enricher: Enricher | undefined): void {
  if (enricher === undefined) return;
  addEnrichStats((counters.enrich ??= newEnrichStats()), enricher.takeStats());
}

/** The describe module's adder, loaded only by runs that ask for descriptions. */
export async function loadDescriptionAdder(): Promise<DescriptionAdder> {
  return (await import('../describe/index.js')).addDescription;
}

/** Normalizes every line of `input`, adding to `counters`. */
export async function normalizeLines(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: BatchOptions,
  counters: BatchCounters = newCounters(),
): Promise<BatchCounters> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const enricher = options.enricher ?? (await loadEnricher(options));
  const normalize = await loadNormalizer(options, loadDescriptionAdder, enricher);
  const splitter = new LineSplitter(max, lineHandler(options, { ...options, maxLineBytes: max }, counters, normalize));
  for await (const chunk of input) {
    counters.bytes += chunk.length;
    splitter.push(chunk);
    if (options.afterChunk) await options.afterChunk();
  }
  splitter.end();
  takeEnrichStats(counters, enricher);
  return counters;
}
