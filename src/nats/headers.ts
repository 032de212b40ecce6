/**
 * Headers of a raw relay message (a `nats` sink with `payload: raw`): the
 * body is the exact line received at the edge; these carry what a worker
 * needs to normalize it as the edge would have (see docs/nats.md).
 */

/** Time of reception at the edge, RFC 3339 UTC: the worker's receivedAt (@timestamp fallback). */
export const RECEIVED_AT = 'Jizo-Received-At';
/** Name of the edge source that received the line: the worker computes event ids under it. */
export const SOURCE = 'Jizo-Source';
/** Where the edge source got the line (peer address, file path): kept in dead letters. */
export const ORIGIN = 'Jizo-Origin';

/** JetStream's de-duplication header: the stream drops a second message with the same id inside its duplicate window. */
export const MSG_ID = 'Nats-Msg-Id';
/** JetStream refuses the message unless the stream capturing the subject has this name. */
export const EXPECTED_STREAM = 'Nats-Expected-Stream';
