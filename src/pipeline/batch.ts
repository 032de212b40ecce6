/**
 * Batch normalization of a stream of raw lines: every line ends up as exactly
 * one document, one rejection record, or one counted blank line.
 */
import type { RejectReason } from '../decode/index.js';
import { EXCERPT_CHARS, LineSplitter } from '../io/lines.js';
import { DEFAULT_MAX_LINE_BYTES } from '../decode/index.js';
import { normalize } from '../normalize/index.js';
import type { NormalizeOptions } from '../normalize/types.js';
import { toJson } from '../serialize.js';

/** What a rejected line becomes in the dead-letter output. */
export interface RejectionRecord {
  /** Input name (file path, or "-" for stdin). */
  input?: string;
  /** 1-based line number in its input. */
  line: number;
  reason: RejectReason;
  /** Human message. */
  error: string;
  /** The line, cut to a few KB. */
  raw: string;
}

export interface BatchCounters {
  lines: number;
  documents: number;
  rejected: number;
  blank: number;
  bytes: number;
}

export interface BatchOptions extends NormalizeOptions {
  /** Input name reported in rejection records. */
  input?: string;
  /** Indent output documents. */
  pretty?: boolean;
  /** Called with each output document line (JSON text without newline). */
  onDocument(json: string): void;
  onRejection(record: RejectionRecord): void;
  /** Called after each input chunk: the place to apply backpressure. */
  afterChunk?(): Promise<void> | void;
}

export function newCounters(): BatchCounters {
  return { lines: 0, documents: 0, rejected: 0, blank: 0, bytes: 0 };
}

const BLANK = /^[ \t\r\n\uFEFF]*$/;

/** Normalizes every line of `input`, adding to `counters`. */
export async function normalizeLines(
  input: AsyncIterable<Buffer | string>,
  options: BatchOptions,
  counters: BatchCounters = newCounters(),
): Promise<BatchCounters> {
  const indent = options.pretty ? 2 : undefined;
  const normOptions: NormalizeOptions = { ...options, maxLineBytes: Infinity };
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const splitter = new LineSplitter(max, {
    line(text, lineNo) {
      counters.lines++;
      if (BLANK.test(text)) {
        counters.blank++;
        return;
      }
      const r = normalize(text, normOptions);
      if (r.ok) {
        counters.documents++;
        options.onDocument(toJson(r.document, r.lossless, indent));
      } else {
        counters.rejected++;
        options.onRejection({
          input: options.input,
          line: lineNo,
          reason: r.reason,
          error: r.message,
          raw: text.length > EXCERPT_CHARS ? text.slice(0, EXCERPT_CHARS) : text,
        });
      }
    },
    tooLong(excerpt, bytes, lineNo) {
      counters.lines++;
      counters.rejected++;
      options.onRejection({
        input: options.input,
        line: lineNo,
        reason: 'too_long',
        error: `line of ${bytes} bytes exceeds the limit of ${max} bytes`,
        raw: excerpt,
      });
    },
  });
  for await (const chunk of input) {
    counters.bytes += chunk.length;
    splitter.push(chunk);
    if (options.afterChunk) await options.afterChunk();
  }
  splitter.end();
  return counters;
}
