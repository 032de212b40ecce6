/**
 * One request body, read as it arrives: decompressed when gzip (the limit
 * applies to the decompressed bytes, so a gzip bomb is cut at
 * `max_body_bytes` of output), parsed in small pieces, and taken into the
 * pipeline part by part (./submit.ts). Reading stops while a part waits for
 * room in the queue, which slows the sender through TCP flow control.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Ingest, Origin } from '../../pipeline/types.js';
import { BodyParser } from './body.js';
import { PartedSubmission, type PartLimits } from './submit.js';

export interface BodyOptions extends PartLimits {
  maxBodyBytes: number;
  maxLineBytes: number;
}

export interface Answer {
  status: number;
  body: object;
  headers: Record<string, string>;
}

/**
 * Bytes parsed at a time: the events of one piece are cut into parts before
 * the next is parsed, so a 64 KiB read of two-byte lines never becomes 32,000
 * events waiting at once.
 */
const PIECE_BYTES = 16 * 1024;

class BodyTooLarge extends Error {}

/** The decompressed body; the compressed bytes are limited too. */
function gunzip(req: IncomingMessage, maxBytes: number): Readable {
  const z = createGunzip();
  let wire = 0;
  const tooLarge = () => new BodyTooLarge(`compressed body exceeds the limit of ${maxBytes} bytes`);
  req.on('data', (c: Buffer) => {
    wire += c.length;
    if (wire > maxBytes) z.destroy(tooLarge());
  });
  req.once('error', (e) => z.destroy(e));
  req.once('close', () => {
    if (!req.complete) z.destroy(new Error('the sender closed the connection before the end of the body'));
  });
  req.pipe(z);
  return z;
}

/** Reads and takes the body of `req`; undefined when there is no one left to answer (connection lost). */
export async function takeBody(req: IncomingMessage, gzip: boolean, ingest: Ingest, origin: Origin, o: BodyOptions, onTaken: (events: number, blank: number) => void): Promise<Answer | undefined> {
  const parts = new PartedSubmission(ingest, origin, o, onTaken);
  const parser = new BodyParser(new Date().toISOString(), o.maxLineBytes, parts);
  const body = gzip ? gunzip(req, o.maxBodyBytes) : req;
  let size = 0;
  let lost = false;
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > o.maxBodyBytes) {
        parts.refuse({ status: 413, error: `body exceeds the limit of ${o.maxBodyBytes} bytes${gzip ? ' once decompressed' : ''}` });
        break;
      }
      for (let i = 0; i < chunk.length && !parts.refusal; i += PIECE_BYTES) {
        parser.push(chunk.subarray(i, i + PIECE_BYTES));
        if (parser.error !== undefined) parts.refuse({ status: 400, error: parser.error });
        if (parts.pending > 0) await parts.flush();
      }
      if (parts.refusal) break;
    }
    if (!parts.refusal) {
      const error = parser.end();
      if (error !== undefined) parts.refuse({ status: 400, error });
      else await parts.finish();
    }
  } catch (e) {
    if (e instanceof BodyTooLarge) parts.refuse({ status: 413, error: e.message });
    else if (gzip && typeof (e as { code?: unknown }).code === 'string' && (e as { code: string }).code.startsWith('Z_')) {
      parts.refuse({ status: 400, error: `body is not valid gzip: ${(e as Error).message}` });
    } else lost = true;
  }
  if (!req.complete) {
    // The rest of the body is read and thrown away (never kept) so that the sender sees the answer.
    if (gzip) {
      req.unpipe();
      body.destroy();
    }
    req.resume();
  }
  const { counts, parts: taken } = await parts.settled();
  if (lost) return undefined;
  const headers: Record<string, string> = req.complete ? {} : { connection: 'close' };
  const r = parts.refusal;
  if (!r) return { status: 202, body: counts, headers };
  if (r.retryAfter !== undefined) headers['retry-after'] = r.retryAfter;
  // What was taken before the refusal is durable: the sender may resend from there.
  return { status: r.status, body: taken > 0 || counts.received > 0 ? { error: r.error, accepted: counts } : { error: r.error }, headers };
}
