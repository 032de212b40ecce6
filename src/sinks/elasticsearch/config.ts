import { z } from 'zod';
import { PROFILES, type ProfileName } from '../../normalize/types.js';

const retry = z
  .object({
    /** First backoff delay. */
    initialMs: z.number().int().min(1).default(200),
    /** Longest backoff delay. */
    maxMs: z.number().int().min(1).default(30000),
    /** Attempts per batch before write() gives the batch back to the pipeline (0: retry until stopped). */
    maxAttempts: z.number().int().min(0).default(0),
  })
  .strict();

const auth = z.union([
  z.object({ username: z.string().min(1), password: z.string() }).strict(),
  z.object({ apiKey: z.string().min(1) }).strict(),
]);

const tls = z
  .object({
    /** PEM file of the CA that signed the cluster's certificate. */
    caFile: z.string().optional(),
    /** Client certificate and key (PEM files) for mutual TLS. */
    certFile: z.string().optional(),
    keyFile: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
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
    opType: z.enum(['create', 'index']).default('create'),
    /** The target is a data stream (passed to the index template). */
    dataStream: z.boolean().default(false),
    /** Most events in one `_bulk` request. */
    maxBatchEvents: z.number().int().min(1).default(1000),
    /** Most bytes of one `_bulk` body (a single larger event is still sent alone). */
    maxBatchBytes: z.number().int().min(1024).default(5 * 1024 * 1024),
    requestTimeoutMs: z.number().int().min(100).default(30000),
    /** Gzip request bodies (EVE JSON compresses about tenfold; costs CPU). */
    compression: z.boolean().default(false),
    retry: retry.default({}),
    auth: auth.optional(),
    tls: tls.optional(),
    template: z
      .object({
        install: z.boolean().default(false),
        name: z.string().min(1).default('jizo'),
        /** Only the fields of this profile (default: every catalogued field). */
        profile: z.enum(PROFILES as [ProfileName, ...ProfileName[]]).optional(),
        /** Map @timestamp and event dates as date_nanos (keeps sub-millisecond digits). */
        dateNanos: z.boolean().default(true),
      })
      .strict()
      .default({}),
  })
  .strict()
  .refine((c) => !c.dataStream || c.opType === 'create', {
    message: 'a data stream accepts only opType "create"',
    path: ['opType'],
  });

export type ElasticsearchSinkConfig = z.output<typeof elasticsearchSinkSchema>;
