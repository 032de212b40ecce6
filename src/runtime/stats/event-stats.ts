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
import type { JsonObject } from '../../eve/json.js';
import type { JizoDocument, Normalized } from '../../normalize/types.js';
import { Recent } from './ring.js';
import { TopK, WindowTopK, type TopEntry } from './top-k.js';

/** What the pipeline tells an observer: each document made, each dead letter written. */
export interface PipelineObserver {
  document(result: Normalized, source: string, receivedAt: string): void;
  deadLetter(record: DeadLetter): void;
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
  // the last documents, in parallel rings: no object made per event
  private readonly docs: (JizoDocument | undefined)[];
  private readonly docSources: string[];
  private readonly docTimes: string[];
  private nextDoc = 0;
  /** Documents seen since the last tick. */
  private seen = 0;
  /** The window counts one document in `every` (on average), each for `every`. */
  private every = 1;
  private countdown = 1;

  constructor(options: Partial<EventStatsOptions> = {}) {
    const o = (this.options = { ...DEFAULTS, ...options });
    this.types = new WindowTopK(o.slices, o.capacity, 64);
    this.signatures = new WindowTopK(o.slices, o.capacity, 256);
    this.sources = new WindowTopK(o.slices, o.capacity, 64);
    this.destinations = new WindowTopK(o.slices, o.capacity, 64);
    this.rejected = new Recent(o.recentRejections);
    this.docs = new Array<JizoDocument | undefined>(o.recentDocuments);
    this.docSources = new Array<string>(o.recentDocuments);
    this.docTimes = new Array<string>(o.recentDocuments);
  }

  document(r: Normalized, source: string, receivedAt: string): void {
    const doc = r.document;
    const i = this.nextDoc;
    this.docs[i] = doc;
    this.docSources[i] = source;
    this.docTimes[i] = receivedAt;
    this.nextDoc = i + 1 === this.docs.length ? 0 : i + 1;
    this.seen++;
    if (--this.countdown > 0) return;
    const w = this.every;
    // a random gap of mean `every`: no aliasing with a periodic traffic pattern
    this.countdown = w === 1 ? 1 : 1 + Math.floor(Math.random() * (2 * w - 1));
    const eve: JsonObject = r.eve;
    const type = eve.event_type;
    this.types.add(typeof type === 'string' ? type : '(none)', w);
    if (type === 'alert') {
      const alert = eve.alert;
      if (typeof alert === 'object' && alert !== null && !Array.isArray(alert)) {
        const a = alert as JsonObject;
        const sig = a.signature;
        if (typeof sig === 'string') this.signatures.add(sig, w, typeof a.severity === 'number' ? a.severity : 0);
      }
    }
    const src = ipOf(doc.source);
    if (src !== undefined) this.sources.add(src, w);
    const dst = ipOf(doc.destination);
    if (dst !== undefined) this.destinations.add(dst, w);
  }

  /** Called every second: sets the sampling from the last second's rate. */
  tick(): void {
    this.every = Math.max(1, Math.ceil(this.seen / this.options.samplesPerSecond));
    if (this.countdown > this.every) this.countdown = 1;
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
      const doc = this.docs[i];
      if (doc === undefined) break;
      recent.push({ at: this.docTimes[i]!, source: this.docSources[i]!, text: describe(doc).text });
    }
    return {
      types: this.types.top(2 * n).map(counted),
      signatures: this.signatures.top(n).map((e) => ({ key: e.key, count: e.count, severity: e.tag === 0 ? null : e.tag })),
      sources: this.sources.top(n).map(counted),
      destinations: this.destinations.top(n).map(counted),
      recent,
      sampling: this.every,
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
