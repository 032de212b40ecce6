/**
 * The work of one of the pipeline's normalization threads: the events of a
 * batch (received bytes) to documents (UTF-8 JSON lines in one buffer), with
 * one outcome per event, the rejections, and the status page's samples.
 */
import { routeLine, type LineRoutes } from '../normalize/outcome.js';
import type { LineNormalizer } from '../normalize/load.js';
import type { NormalizeOptions } from '../normalize/types.js';
import type { Enricher } from '../enrich/enricher.js';
import { toJson } from '../serialize.js';
import { EncodedBatch } from '../component/encoded-batch.js';
import { DocumentSampler, type DocumentSample } from './stats/event-stats.js';
import { OUTCOME_BLANK, OUTCOME_DOCUMENT, OUTCOME_REJECTED, type NormalizeReply, type NormalizeRequest, type NormalizeWorkerSetup } from './normalize-protocol.js';

export class BatchNormalizer {
  private readonly sampler = new DocumentSampler();
  private readonly opts: NormalizeOptions;

  constructor(
    private readonly setup: NormalizeWorkerSetup,
    private readonly normalize: LineNormalizer,
    private readonly enricher?: Enricher,
  ) {
    this.opts = { ...setup.options };
  }

  run(req: NormalizeRequest): NormalizeReply {
    const { data, ends, receivedAt, runEnds } = req;
    const count = ends.length;
    const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const encoded = new EncodedBatch(req.output !== undefined ? Buffer.from(req.output) : undefined);
    const outcomes = new Uint8Array(count);
    const spans: number[] = [];
    const rejections: NormalizeReply['rejections'] = [];
    const timestamps: (string | undefined)[] | undefined = req.timestamps ? [] : undefined;
    const samples: DocumentSample[] = [];
    const sampler = req.sampling > 0 ? this.sampler : undefined;
    sampler?.setEvery(req.sampling);
    let index = 0;
    const routes: LineRoutes = {
      blank() {
        outcomes[index] = OUTCOME_BLANK;
      },
      document(r) {
        outcomes[index] = OUTCOME_DOCUMENT;
        const start = encoded.line(toJson(r.document, r.lossless));
        spans.push(start, encoded.length - 1);
        if (timestamps !== undefined) {
          const ts = r.document['@timestamp'];
          timestamps.push(typeof ts === 'string' ? ts : undefined);
        }
        if (sampler !== undefined) {
          const s = sampler.offer(r);
          if (s !== undefined) samples.push(s);
        }
      },
      rejected(reason, error) {
        outcomes[index] = OUTCOME_REJECTED;
        rejections.push({ index, reason, error });
      },
    };
    const opts = this.opts;
    let start = 0;
    let run = 0;
    for (; index < count; index++) {
      while (index >= runEnds[run]!) run++;
      opts.receivedAt = receivedAt[run];
      const end = ends[index]!;
      routeLine(input.toString('utf8', start, end), this.normalize, opts, routes);
      start = end;
    }
    const reply: NormalizeReply = {
      seq: req.seq,
      data: new Uint8Array(encoded.buffer.buffer, encoded.buffer.byteOffset, encoded.length),
      outcomes,
      spans: Int32Array.from(spans),
      rejections,
      samples,
    };
    if (timestamps !== undefined) reply.timestamps = timestamps;
    if (this.enricher !== undefined) reply.enrich = this.enricher.takeStats();
    return reply;
  }
}
