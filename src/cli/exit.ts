/** Exit statuses of the CLI. */
export const EXIT = {
  ok: 0,
  /** I/O failure (unreadable input, unwritable output). */
  io: 1,
  /** Bad usage (unknown option, bad value). */
  usage: 2,
  /** `--strict` and at least one line was rejected. */
  rejected: 3,
  /** `serve --exit-on-eof`: a sink refused events for good (they are in the dead-letter output). */
  undelivered: 4,
  /** `test`: at least one test failed. */
  failed: 1,
} as const;
