/**
 * Which request bodies the HTTP source reads: the media types it parses and
 * the content codings it undoes. Anything else is answered 415 before the
 * body is read, rather than read as lines and dead-lettered line by line.
 *
 * Accepted media types are those that senders label NDJSON, JSON or plain
 * text with (Vector, Fluent Bit, Logstash and curl with `-H`), and no
 * Content-Type at all (what the source took before it checked). The format
 * itself is still told from the body (`[` starts a JSON array), as before.
 * `application/x-www-form-urlencoded`, the type `curl --data-binary` sends by
 * default, is refused: such a body is not form data, and the answer says
 * which header to send.
 */
import type { IncomingHttpHeaders } from 'node:http';

const MEDIA_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/json-lines',
  'text/plain',
]);

const CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

export type BodyCoding = { ok: true; gzip: boolean } | { ok: false; error: string };

export function bodyCoding(headers: IncomingHttpHeaders): BodyCoding {
  const type = headers['content-type'];
  if (type !== undefined) {
    const [essence, ...params] = type.split(';');
    const media = essence!.trim().toLowerCase();
    if (!MEDIA_TYPES.has(media) && !/^application\/[a-z0-9.+-]+\+json$/.test(media)) {
      return { ok: false, error: `unsupported Content-Type ${JSON.stringify(media)}: send application/x-ndjson, application/json or text/plain` };
    }
    for (const p of params) {
      const [k, v] = p.split('=');
      const charset = v?.trim().replace(/^"|"$/g, '').toLowerCase();
      if (k?.trim().toLowerCase() === 'charset' && charset !== undefined && !CHARSETS.has(charset)) {
        return { ok: false, error: `unsupported charset ${JSON.stringify(charset)}: bodies are read as UTF-8` };
      }
    }
  }
  const coding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return { ok: true, gzip: false };
  if (coding === 'gzip' || coding === 'x-gzip') return { ok: true, gzip: true };
  return { ok: false, error: `unsupported Content-Encoding ${JSON.stringify(coding)}: send gzip or no encoding` };
}
