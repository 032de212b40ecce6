/**
 * The component contract shared by every source and sink of `serve`.
 *
 * Data flows source -> decode/normalize -> sinks; acknowledgements flow back:
 * a source forgets an event (advances a checkpoint, acks a NATS message,
 * answers an HTTP request) only once every sink has made it durable or it has
 * been written to the dead-letter output.
 */
import type { Logger } from 'pino';
import type { ZodType, ZodTypeDef } from 'zod';
import type { RejectReason } from '../decode/index.js';
import type { RejectedLine } from '../normalize/outcome.js';

/** Standard counters every component keeps (exported as Prometheus metrics). */
export interface ComponentCounters {
  /** Events (lines, messages) taken in. */
  received: number;
  /** Events made durable (sinks) or handed on (sources). */
  sent: number;
  /** Events refused as bad input (sources) or as permanently failed (sinks). */
  rejected: number;
  /** Events knowingly lost (UDP receive overflow, for example). */
  dropped: number;
  /** Failed operations (I/O errors, failed requests). */
  errors: number;
  /** Retried operations (sinks). */
  retried: number;
  /**
   * Events a sink found already delivered (sinks that write under event ids:
   * a redelivery answered 409 by the index or flagged duplicate by JetStream).
   * Counted apart from `sent`: they are acknowledged, not written twice.
   */
  duplicates: number;
}

export function newComponentCounters(): ComponentCounters {
  return { received: 0, sent: 0, rejected: 0, dropped: 0, errors: 0, retried: 0, duplicates: 0 };
}

export interface Health {
  ok: boolean;
  /** Why not ok, or a short status. */
  detail?: string;
}

/** Connections a connection-oriented source closed on its own initiative (metrics). */
export interface ConnectionCounters {
  /** Refused at accept time: every slot held by a connection with a request in progress. */
  refused: number;
  /** Closed to make room for a new connection: the least recently active idle one. */
  evicted: number;
  /** Closed because a request (HTTP) or a complete message (syslog) did not arrive in time. */
  timedOut: number;
}

export interface Component {
  /** Instance name from the configuration (`syslog`, `es-main` ...). */
  readonly name: string;
  /** Component type (`syslog`, `http`, `file`, `stdin`, `nats`, `elasticsearch` ...). */
  readonly type: string;
  readonly counters: ComponentCounters;
  health(): Health;
  /** Stops taking work and releases resources; resolves when done. */
  stop(): Promise<void>;
  /** Connection-oriented sources: connections closed by the source (metrics). */
  readonly connections?: ConnectionCounters;
  /** Connection-oriented sources: connections open now. */
  openConnections?(): number;
  /** Where the component listens or writes (URLs, paths), for the startup summary; valid after start. */
  endpoints?(): string[];
  /** After stop() on a failed service start: removes what start() created and nothing used (an empty output file). */
  discardIfUnused?(): Promise<void>;
}

/** One raw event as received, before decoding. */
export interface RawEvent {
  /** The raw line (without its terminator); empty when `bytes` holds it. */
  raw: string;
  /**
   * The raw line as received (UTF-8), decoded when the event is normalized:
   * a source that queues many events gives them as bytes, which wait outside
   * the JavaScript heap (see rawText).
   */
  bytes?: Buffer;
  /** Time of reception, RFC 3339 UTC. */
  receivedAt: string;
  /**
   * Set when the source already knows the event is unusable (a line or frame
   * over the size limit, of which it kept only an excerpt in `raw`): the
   * pipeline writes it to the dead-letter output with this reason, without
   * decoding it.
   */
  reject?: { reason: RejectReason; message: string };
}

/** Where a raw event came from, for dead letters and metrics. */
export interface Origin {
  /** Source instance name. */
  source: string;
  /** Free-form locator: file path and line, peer address ... */
  detail?: string;
}

/** A normalized event on its way to the sinks. */
export interface OutputEvent {
  /**
   * The document's JSON text, serialized once and shared by the sinks. The
   * document object itself is not kept: a batch in flight holds one string
   * per event instead of a tree of objects (less memory, less GC work).
   * Empty when every sink forwards the received form (`wantsRaw`): nothing
   * reads it then.
   */
  json: string;
  /** The document's `@timestamp`, set for a sink that asks for it (`wantsTimestamps`: index names by time). */
  timestamp: string | undefined;
  /**
   * Deterministic id of the raw event (see event-id.ts), set when a sink asks
   * for ids (`wantsIds`): the index document `_id`, the JetStream `Nats-Msg-Id`.
   */
  id?: string;
  /**
   * Set only when a sink asks for raw events (`wantsRaw`): the exact bytes
   * (or text) received, when they were received and where from, so that a
   * relay can forward the event itself rather than its document.
   */
  raw?: RawOutput;
}

/** The received form of an output event (see OutputEvent.raw). */
export interface RawOutput {
  /** The exact line as received (without its terminator). */
  data: Buffer | string;
  /** Time of reception, RFC 3339 UTC. */
  receivedAt: string;
  origin: Origin;
}

/** A record of the dead-letter output: a rejected line (bad input) or a refused document. */
export interface DeadLetter extends RejectedLine {
  /** `rejected`: bad input; `refused`: a sink refused the event permanently. */
  kind: 'rejected' | 'refused';
  source: string;
  detail?: string;
  sink?: string;
  at: string;
}

/** What a sink says about a written batch. */
export interface WriteResult {
  /** Events the sink refused for good (mapping error ...), with the reason: they go to the dead-letter output. */
  refused: { index: number; reason: string; error: string }[];
}

/**
 * A sink. `write` resolves only once the batch is durable (fsynced as
 * configured, acknowledged by the server); transient failures are retried
 * inside `write`, permanent per-event failures are returned in `refused`. It
 * rejects only when the sink is stopping or cannot make progress at all; the
 * pipeline then keeps the batch and retries. Once its promise has settled, a
 * write keeps nothing of the batch (the memory of its documents is reused).
 */
export interface Sink extends Component {
  start(): Promise<void>;
  write(batch: OutputEvent[]): Promise<WriteResult>;
  /** Reopen output files (SIGHUP). */
  reopen?(): Promise<void>;
  /**
   * True when `write` may be called again before the previous call resolved:
   * the sink keeps the call order itself (a file sink waiting for a group
   * fsync) or order does not matter to it (an index). Otherwise the pipeline
   * waits for each write before the next.
   */
  readonly pipelined?: boolean;
  /** True when the sink writes each event under its deterministic id: the pipeline then computes `OutputEvent.id`. */
  readonly wantsIds?: boolean;
  /** True when the sink forwards the received events themselves: the pipeline then sets `OutputEvent.raw`. */
  readonly wantsRaw?: boolean;
  /** True when the sink reads `OutputEvent.timestamp` (routing by time): the pipeline then sets it. */
  readonly wantsTimestamps?: boolean;
}

/** What became of the events of one submission (filled in as the pipeline works). */
export interface SubmissionCounts {
  /** Events in the submission. */
  received: number;
  /** Normalized and sent to the sinks. */
  normalized: number;
  /** Rejected as bad input (dead-lettered). */
  rejected: number;
  /** Blank lines (counted, not forwarded). */
  blank: number;
}

/** A submission accepted by the pipeline. */
export interface Submission {
  /**
   * Resolves when every event of the submission is durable in every sink or
   * dead-lettered. Submissions of one pipeline resolve in the order they were
   * accepted, so a source may advance a checkpoint to the last resolved one.
   * Never rejects; it stays pending if the service is stopped before the
   * events could be delivered (the source then must not checkpoint them).
   */
  durable: Promise<void>;
  /** Final once `durable` has resolved. */
  counts?: SubmissionCounts;
}

/** Bounds of the pipeline's queue: events accepted and not yet durable everywhere, and their raw bytes. */
export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * The queue's default bounds (`pipeline.max_events`, `max_bytes`): with a
 * normalization thread per core, 4,000 events kept `serve` at ~135 MB where
 * 8,000 took it to ~150 MB at the same speed, and held as much of a UDP
 * burst (docs/serve.md#throughput).
 */
export const DEFAULT_QUEUE_LIMITS: Readonly<QueueLimits> = { maxEvents: 4000, maxBytes: 8 * 1024 * 1024 };

/** What the pipeline offers to sources. */
export interface Ingest {
  /**
   * Enqueues events, waiting for room when the queue is full (backpressure).
   * Resolves once enqueued.
   */
  submit(events: RawEvent[], origin: Origin): Promise<Submission>;
  /** Enqueues events only if there is room now; undefined when saturated (HTTP answers 503). */
  trySubmit(events: RawEvent[], origin: Origin): Submission | undefined;
  /** The queue's bounds, for a source that cuts a large input into submissions (HTTP bodies). */
  readonly limits?: QueueLimits;
  /**
   * Counts blank lines a source skipped instead of submitting them: they take
   * no room in the queue but are still accounted for.
   */
  countBlank?(n: number): void;
}

export interface Source extends Component {
  start(ingest: Ingest): Promise<void>;
  /**
   * Finite sources (stdin) resolve this once they have submitted their last
   * event; when every source of the service has finished, the service stops.
   */
  readonly finished?: Promise<void>;
  /**
   * Sources that can be read to an end (files) finish there instead of
   * waiting for more once this is called before start (`serve --exit-on-eof`).
   */
  endAtEof?(): void;
}

/** What the service hands to every component it creates. */
export interface ComponentDeps {
  /** Structured JSON logger (pino), already bound to the component name. */
  logger: Logger;
  /** Directory for state (checkpoints) and default outputs. */
  dataDir: string;
}

/**
 * A component type known to `serve`: its configuration schema (zod, with the
 * defaults) and how to create an instance. The registry maps `type` to these.
 */
export interface SourceFactory<C = unknown> {
  type: string;
  schema: ZodType<C, ZodTypeDef, unknown>;
  create(name: string, config: C, deps: ComponentDeps): Source;
}

export interface SinkFactory<C = unknown> {
  type: string;
  schema: ZodType<C, ZodTypeDef, unknown>;
  create(name: string, config: C, deps: ComponentDeps): Sink;
}

/** The raw line of an event, decoded from its bytes when it came as bytes. */
export function rawText(ev: RawEvent): string {
  return ev.bytes !== undefined ? ev.bytes.toString('utf8') : ev.raw;
}

/** Size of the raw line: UTF-8 bytes when it came as bytes, else UTF-16 units (what the queue bound counts). */
export function rawSize(ev: RawEvent): number {
  return ev.bytes !== undefined ? ev.bytes.length : ev.raw.length;
}
