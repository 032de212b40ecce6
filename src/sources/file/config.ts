import { z } from 'zod';
import { duration, intRange, path, size } from '../../config/values.js';

/** Configuration of a `file` source (see docs/sources-file.md). */
export const fileSourceSchema = z
  .object({
    /** The component type, when the configuration carries it. */
    type: z.literal('file').optional(),
    /** Files or globs to tail (absolute, or relative to the working directory). */
    paths: z.array(path(), { invalid_type_error: 'expected a list of file paths or globs' }).min(1, 'expected at least one path or glob'),
    /** Globs of files that `paths` globs match but must be left alone (compressed rotations: `*.gz`). */
    exclude: z.array(z.string().min(1)).default([]),
    /**
     * Where to start in a file that has no checkpoint when the source starts
     * for the first time. Files found later (rotation, new files) and files
     * found after a restart are always read from their beginning.
     */
    start_at: z.enum(['beginning', 'end'], { errorMap: () => ({ message: 'expected one of beginning, end' }) }).default('beginning'),
    /** Longest line in bytes; longer lines are skipped (counted, logged) without being buffered whole. */
    max_line_bytes: size(64, '1MiB'),
    /** Size of one read. */
    read_chunk_bytes: size(512, '256KiB').refine((n) => n <= 16 * 1024 * 1024, 'expected a size of at most 16MiB'),
    /** Most lines in one submission to the pipeline. */
    max_batch_events: intRange(1, 1_000_000, 1000),
    /** Polling interval; fs.watch wakes the source earlier when it can. */
    poll_interval: duration(10, '500ms'),
    /** Bytes hashed to fingerprint a file: its first line, cut at this size. */
    fingerprint_bytes: size(16, '1KiB').refine((n) => n <= 65536, 'expected a size of at most 64KiB'),
    /** How long a rotated-away (renamed or deleted) file stays open after its last growth. */
    rotate_grace: duration(0, '5s'),
    /** Shortest time between two checkpoint writes (0: after every durable batch). */
    checkpoint_min_interval: duration(0, '0s'),
    /**
     * Most lines submitted and not yet covered by the checkpoint on disk: what
     * a crash can make the source send again. Reading waits past it.
     */
    max_replay_events: intRange(1, 100_000_000, 4000),
    /** How long stop() waits for submitted lines to become durable before writing the last checkpoint. */
    stop_timeout: duration(0, '10s'),
  })
  .strict();

export type FileSourceConfig = z.output<typeof fileSourceSchema>;
