import { z } from 'zod';

/** Configuration of a `file` source (see docs/sources-file.md). */
export const fileSourceSchema = z
  .object({
    /** The component type, when the configuration carries it. */
    type: z.literal('file').optional(),
    /** Files or globs to tail (absolute, or relative to the working directory). */
    paths: z.array(z.string().min(1)).min(1),
    /** Globs of files that `paths` globs match but must be left alone (compressed rotations: `*.gz`). */
    exclude: z.array(z.string().min(1)).default([]),
    /**
     * Where to start in a file that has no checkpoint when the source starts
     * for the first time. Files found later (rotation, new files) and files
     * found after a restart are always read from their beginning.
     */
    startAt: z.enum(['beginning', 'end']).default('beginning'),
    /** Longest line in bytes; longer lines are skipped (counted, logged) without being buffered whole. */
    maxLineBytes: z.number().int().min(64).default(1024 * 1024),
    /** Size of one read. */
    readChunkBytes: z.number().int().min(512).max(16 * 1024 * 1024).default(256 * 1024),
    /** Most lines in one submission to the pipeline. */
    maxBatchEvents: z.number().int().min(1).default(1000),
    /** Polling interval; fs.watch wakes the source earlier when it can. */
    pollIntervalMs: z.number().int().min(10).default(500),
    /** Bytes hashed to fingerprint a file: its first line, cut at this size. */
    fingerprintBytes: z.number().int().min(16).max(65536).default(1024),
    /** How long a rotated-away (renamed or deleted) file stays open after its last growth. */
    rotateGraceMs: z.number().int().min(0).default(5000),
    /** Shortest time between two checkpoint writes (0: after every durable batch). */
    checkpointMinIntervalMs: z.number().int().min(0).default(100),
    /** How long stop() waits for submitted lines to become durable before writing the last checkpoint. */
    stopTimeoutMs: z.number().int().min(0).default(10000),
  })
  .strict();

export type FileSourceConfig = z.output<typeof fileSourceSchema>;
