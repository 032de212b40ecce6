import { z } from 'zod';
import { duration, intRange, path, secret, size } from '../../config/values.js';
import { retrySchema } from '../../config/retry.js';
import { PROFILES, type ProfileName } from '../../normalize/types.js';


const auth = z.union([
  z.object({ username: z.string().min(1), password: z.string() }).strict(),
  z.object({ api_key: secret() }).strict(),
]);

const tls = z
  .object({
    /** PEM file of the CA that signed the cluster's certificate. */
    ca_file: path().optional(),
    /** Client certificate and key (PEM files) for mutual TLS. */
    cert_file: path().optional(),
    key_file: path().optional(),
    reject_unauthorized: z.boolean().default(true),
  })
  .strict();

/** Configuration of an `elasticsearch` or `opensearch` sink (see docs/elasticsearch.md). */
export const elasticsearchSinkSchema = z
  .object({
    /** The sink type, when the configuration carries it. */
    type: z.enum(['elasticsearch', 'opensearch']).optional(),
    /** Cluster URLs. */
    nodes: z.array(z.string().url()).min(1).default(['http://127.0.0.1:9200']),
    /**
     * Target index, data stream or alias. `%{+yyyy.MM.dd}` style patterns
     * (yyyy, yy, MM, dd, HH) are filled from the event's @timestamp (UTC).
     */
    index: z.string().min(1).default('jizo-%{+yyyy.MM.dd}'),
    /** `create` works for indices and is required for data streams. */
    op_type: z.enum(['create', 'index']).default('create'),
    /**
     * Document `_id`: `hash` (a 128-bit hash of the source name and the exact
     * bytes received) makes a redelivered event a 409 conflict, counted as
     * already delivered, instead of a second document; `none` lets the
     * cluster choose ids (redeliveries become duplicates).
     */
    id: z.enum(['hash', 'none']).default('hash'),
    /** The target is a data stream (passed to the index template). */
    data_stream: z.boolean().default(false),
    /**
     * `_bulk` requests in flight at once (the pipeline's batches are written
     * concurrently: the index does not depend on their order, the pipeline
     * still acknowledges them in order). A cluster indexes several requests on
     * its write threads at once; one at a time leaves them idle.
     */
    max_in_flight: intRange(1, 64, 4),
    /** Most events in one `_bulk` request. */
    max_batch_events: intRange(1, 1_000_000, 1000),
    /** Most bytes of one `_bulk` body (a single larger event is still sent alone). */
    max_batch_bytes: size(1024, '5MiB'),
    request_timeout: duration(100, '30s'),
    /** Gzip request bodies (EVE JSON compresses about tenfold; costs CPU). */
    compression: z.boolean().default(false),
    retry: retrySchema.default({}),
    auth: auth.optional(),
    tls: tls.optional(),
    template: z
      .object({
        install: z.boolean().default(false),
        name: z.string().min(1).default('jizo'),
        /** Only the fields of this profile (default: every catalogued field). */
        profile: z.enum(PROFILES as [ProfileName, ...ProfileName[]]).optional(),
        /** Map @timestamp and event dates as date_nanos (keeps sub-millisecond digits). */
        date_nanos: z.boolean().default(true),
      })
      .strict()
      .default({}),
  })
  .strict()
  .refine((c) => !c.data_stream || c.op_type === 'create', {
    message: 'a data stream accepts only op_type "create"',
    path: ['op_type'],
  });

export type ElasticsearchSinkConfig = z.output<typeof elasticsearchSinkSchema>;
