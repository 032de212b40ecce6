/**
 * What the sensors are seeing, kept as events pass through the pipeline:
 * event types, alert signatures (with severity), source and destination
 * addresses over a sliding window (space-saving top-k per slice), rejections
 * by reason since start with the last few rejected lines, and the last
 * documents (described only when read). Memory is fixed whatever the traffic,
 * and so is the time: past `samplesPerSecond` events a second, the window
 * counts a random one event in N (N from the last second's rate), each
 * standing for N, so that its cost stays a fixed slice of a second while the
 * rest of the pipeline's grows with the traffic. The counts are then estimates
 * (the snapshot says so); totals exact to the event are the components'
 * counters. Nothing is allocated per event.
 */
import { describe } from '../../describe/index.js';
import type { DeadLetter } from '../../component/types.js';
import { parseJson, type JsonObject } from '../../eve/json.js';
import type { JizoDocument, Normalized } from '../../normalize/types.js';
import { Recent } from './ring.js';
import { TopK, WindowTopK, type TopEntry } from './top-k.js';

/**
 * What the pipeline tells an observer: each document made (on the event
 * loop's thread, or counted and sampled by a normalization thread), each
 * dead letter written.
 */
export interface PipelineObserver {
  document(result: Normalized, source: string, receivedAt: string): void;
  /** `count` documents made on a normalization thread, with the samples its {@link DocumentSampler} drew at {@link sampling}. */
  sampled(count: number, samples: readonly DocumentSample[]): void;
  /** A document made on a normalization thread, as its JSON: one of the last of its batch. */
  recentJson(json: string, source: string, receivedAt: string): void;
  /** How many documents a sample stands for at the moment (what a normalization thread samples at). */
  readonly sampling: number;
  /** Documents kept for their descriptions (how many of a batch's last a normalization thread's results offer). */
  readonly recentDocuments: number;
  deadLetter(record: DeadLetter): void;
}

/** What the window counts of one document, and how many documents it stands for. */
export interface DocumentSample {
  type: string;
  signature?: string;
  /** The alert's severity, 0 when it has none. */
  severity: number;
  source?: string;
  destination?: string;
  weight: number;
}

/**
 * Draws a random one document in `every` (on average), each standing for
 * `every`: the window's cost stays a fixed slice of a second whatever the
 * rate. The event loop's thread and each normalization thread have one.
 */
export class DocumentSampler {
  private every = 1;
  private countdown = 1;

  /** Samples one document in `every` from now on. */
  setEvery(every: number): void {
    this.every = every;
    if (this.countdown > every) this.countdown = 1;
  }

  get sampling(): number {
    return this.every;
  }

  /** The sample of `r`, when it is drawn. */
  offer(r: Normalized): DocumentSample | undefined {
    if (--this.countdown > 0) return undefined;
    const w = this.every;
    // a random gap of mean `every`: no aliasing with a periodic traffic pattern
    this.countdown = w === 1 ? 1 : 1 + Math.floor(Math.random() * (2 * w - 1));
    const eve: JsonObject = r.eve;
    const type = eve.event_type;
    const s: DocumentSample = { type: typeof type === 'string' ? type : '(none)', severity: 0, weight: w };
    if (type === 'alert') {
      const alert = eve.alert;
      if (typeof alert === 'object' && alert !== null && !Array.isArray(alert)) {
        const a = alert as JsonObject;
        if (typeof a.signature === 'string') {
          s.signature = a.signature;
          if (typeof a.severity === 'number') s.severity = a.severity;
        }
      }
    }
    const src = ipOf(r.document.source);
    if (src !== undefined) s.source = src;
    const dst = ipOf(r.document.destination);
    if (dst !== undefined) s.destination = dst;
    return s;
  }
}

export interface EventStatsOptions {
  /** Slices of the window (each `rotate()` starts a new one). */
  slices: number;
  /** Keys counted per slice and dimension. */
  capacity: number;
  /** Documents kept for their descriptions. */
  recentDocuments: number;
  /** Rejected lines kept, and how much of each. */
  recentRejections: number;
  excerptChars: number;
  /** Events a second counted one by one; past it, one in N. */
  samplesPerSecond: number;
}

const DEFAULTS: EventStatsOptions = { slices: 15, capacity: 64, recentDocuments: 20, recentRejections: 10, excerptChars: 300, samplesPerSecond: 2000 };

interface RecentRejection {
  kind: DeadLetter['kind'];
  at: string;
  source: string;
  sink: string | undefined;
  reason: string;
  error: string;
  /** The line's start, as received (escaped when read). */
  raw: string;
}

/** A count by key. */
interface Counted {
  key: string;
  count: number;
}

export interface EventStatsSnapshot {
  types: Counted[];
  signatures: (Counted & { severity: number | null })[];
  sources: Counted[];
  destinations: Counted[];
  recent: { at: string; source: string; text: string }[];
  /** The window counts one event in this many (1: every event). */
  sampling: number;
  rejections: {
    byReason: Counted[];
    recent: { kind: string; at: string; source: string; sink?: string; reason: string; error: string; excerpt: string }[];
  };
}

function ipOf(fields: unknown): string | undefined {
  const ip = typeof fields === 'object' && fields !== null ? (fields as { ip?: unknown }).ip : undefined;
  return typeof ip === 'string' ? ip : undefined;
}

export class EventStats implements PipelineObserver {
  readonly options: EventStatsOptions;
  private readonly types: WindowTopK;
  private readonly signatures: WindowTopK;
  private readonly sources: WindowTopK;
  private readonly destinations: WindowTopK;
  /** Since start: reasons are a short list (the codes of bad input, the sinks' error types); the rest fall out. */
  private readonly reasons = new TopK(64, 128);
  private readonly rejected: Recent<RecentRejection>;
  // the last documents (or their JSON, from a normalization thread), in parallel rings: no object made per event
  private readonly docs: (JizoDocument | string | undefined)[];
  private readonly docSources: string[];
  private readonly docTimes: string[];
  private nextDoc = 0;
  /** Documents seen since the last tick. */
  private seen = 0;
  /** Draws the documents the window counts (one in N, each for N). */
  private readonly sampler = new DocumentSampler();

  constructor(options: Partial<EventStatsOptions> = {}) {
    const o = (this.options = { ...DEFAULTS, ...options });
    this.types = new WindowTopK(o.slices, o.capacity, 64);
    this.signatures = new WindowTopK(o.slices, o.capacity, 256);
    this.sources = new WindowTopK(o.slices, o.capacity, 64);
    this.destinations = new WindowTopK(o.slices, o.capacity, 64);
    this.rejected = new Recent(o.recentRejections);
    this.docs = new Array<JizoDocument | string | undefined>(o.recentDocuments);
    this.docSources = new Array<string>(o.recentDocuments);
    this.docTimes = new Array<string>(o.recentDocuments);
  }

  document(r: Normalized, source: string, receivedAt: string): void {
    this.keep(r.document, source, receivedAt);
    this.seen++;
    const sample = this.sampler.offer(r);
    if (sample !== undefined) this.count(sample);
  }

  sampled(count: number, samples: readonly DocumentSample[]): void {
    this.seen += count;
    for (const s of samples) this.count(s);
  }

  recentJson(json: string, source: string, receivedAt: string): void {
    this.keep(json, source, receivedAt);
  }

  get sampling(): number {
    return this.sampler.sampling;
  }

  get recentDocuments(): number {
    return this.options.recentDocuments;
  }

  private keep(doc: JizoDocument | string, source: string, receivedAt: string): void {
    const i = this.nextDoc;
    this.docs[i] = doc;
    this.docSources[i] = source;
    this.docTimes[i] = receivedAt;
    this.nextDoc = i + 1 === this.docs.length ? 0 : i + 1;
  }

  private count(s: DocumentSample): void {
    const w = s.weight;
    this.types.add(s.type, w);
    if (s.signature !== undefined) this.signatures.add(s.signature, w, s.severity);
    if (s.source !== undefined) this.sources.add(s.source, w);
    if (s.destination !== undefined) this.destinations.add(s.destination, w);
  }

  /** Called every second: sets the sampling from the last second's rate. */
  tick(): void {
    this.sampler.setEvery(Math.max(1, Math.ceil(this.seen / this.options.samplesPerSecond)));
    this.seen = 0;
  }

  deadLetter(d: DeadLetter): void {
    this.reasons.add(d.reason);
    this.rejected.push({
      kind: d.kind,
      at: d.at,
      source: d.source,
      sink: d.sink,
      reason: d.reason,
      error: d.error.slice(0, this.options.excerptChars),
      raw: d.raw.slice(0, this.options.excerptChars + 1),
    });
  }

  /** Ends the current slice of the window (a timer calls it every window / slices). */
  rotate(): void {
    for (const w of [this.types, this.signatures, this.sources, this.destinations]) w.rotate();
  }

  /** The window's tops (`n` of each), the rejections, and the last documents described. */
  snapshot(n = 10): EventStatsSnapshot {
    const counted = (e: TopEntry): Counted => ({ key: e.key, count: e.count });
    const recent: EventStatsSnapshot['recent'] = [];
    const len = this.docs.length;
    for (let k = 1; k <= len; k++) {
      const i = (this.nextDoc - k + len) % len;
      const kept = this.docs[i];
      if (kept === undefined) break;
      // JSON from a normalization thread is read only now, when shown (its large integers kept)
      const doc = typeof kept === 'string' ? (parseJson(kept).value as JizoDocument) : kept;
      recent.push({ at: this.docTimes[i]!, source: this.docSources[i]!, text: describe(doc).text });
    }
    return {
      types: this.types.top(2 * n).map(counted),
      signatures: this.signatures.top(n).map((e) => ({ key: e.key, count: e.count, severity: e.tag === 0 ? null : e.tag })),
      sources: this.sources.top(n).map(counted),
      destinations: this.destinations.top(n).map(counted),
      recent,
      sampling: this.sampler.sampling,
      rejections: {
        byReason: this.reasons.entries().map(counted),
        recent: this.rejected
          .toArray()
          .reverse()
          .map((r) => ({
            kind: r.kind,
            at: r.at,
            source: r.source,
            ...(r.sink === undefined ? {} : { sink: r.sink }),
            reason: r.reason,
            error: r.error,
            excerpt: excerpt(r.raw, this.options.excerptChars),
          })),
      },
    };
  }
}

/**
 * The start of a line as plain, visible text: control characters and
 * separators written as escapes (`\n`, `\u001b`), cut to `max` characters
 * with `…` when longer. Shown with textContent, never as HTML.
 */
export function excerpt(raw: string, max: number): string {
  const cut = raw.length > max;
  const text = cut ? raw.slice(0, max) : raw;
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return cut ? `${escaped}…` : escaped;
}
