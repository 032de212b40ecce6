/**
 * The state the status page shows (GET /status.json): per-component rates
 * over the last 15 minutes (one number per second, sampled from the
 * counters the components keep anyway), totals, health, queue and
 * backpressure, what the sensors see (runtime/stats/event-stats.ts) and a
 * summary of the configuration that holds no secret: components are named by
 * their endpoints, which hide URL user information, and tokens, passwords
 * and keys are never read here.
 */
import { resolve } from 'node:path';
import type { Component } from '../component/types.js';
import { packageVersion } from '../io/package.js';
import type { Pipeline } from '../runtime/runner.js';
import type { EventStats } from '../runtime/stats/event-stats.js';
import { RateSeries } from '../runtime/stats/ring.js';
import type { HealthReport } from './admin.js';
import type { ServeConfig } from './config.js';
import type { MeteredComponent } from './metrics.js';

/** Seconds of rates kept (15 minutes) and the slices of the window of event statistics. */
const WINDOW_SECONDS = 900;
const SLICE_SECONDS = 60;

interface Tracked {
  component: Component;
  kind: MeteredComponent['kind'];
  in: RateSeries;
  out: RateSeries;
}

export class StatusBoard {
  private readonly startedAt = Date.now();
  private readonly tracked: Tracked[];
  private readonly pipelineIn = new RateSeries(WINDOW_SECONDS);
  private readonly pipelineOut = new RateSeries(WINDOW_SECONDS);
  private readonly pipelineRejected = new RateSeries(WINDOW_SECONDS);
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;

  constructor(
    private readonly config: ServeConfig,
    private readonly pipeline: Pipeline,
    components: MeteredComponent[],
    private readonly events: EventStats,
    private readonly health: () => HealthReport,
  ) {
    this.tracked = components.map(({ component, kind }) => ({ component, kind, in: new RateSeries(WINDOW_SECONDS), out: new RateSeries(WINDOW_SECONDS) }));
  }

  /** Samples the counters every second from now on (the timer does not keep the process alive). */
  start(): void {
    if (this.timer) return;
    this.sample();
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.sample();
    this.events.tick();
    if (++this.ticks % SLICE_SECONDS === 0) this.events.rotate();
  }

  private sample(): void {
    const s = this.pipeline.stats;
    this.pipelineIn.sample(s.received);
    this.pipelineOut.sample(s.normalized);
    this.pipelineRejected.sample(s.rejected);
    for (const t of this.tracked) {
      t.in.sample(t.component.counters.received);
      t.out.sample(t.component.counters.sent);
    }
  }

  snapshot(): object {
    const health = this.health();
    const healthOf = new Map(health.components.map((h) => [`${h.kind}/${h.name}`, h]));
    const s = this.pipeline.stats;
    const cap = this.pipeline.capacity;
    const events = this.events.snapshot();
    const now = Date.now();
    return {
      service: {
        version: packageVersion(),
        profile: this.config.profile,
        ok: health.ok,
        started_at: new Date(this.startedAt).toISOString(),
        now: new Date(now).toISOString(),
        uptime_seconds: Math.floor((now - this.startedAt) / 1000),
      },
      pipeline: {
        received: s.received,
        normalized: s.normalized,
        rejected: s.rejected,
        blank: s.blank,
        refused: s.refused,
        dead_lettered: s.deadLettered,
        finished: s.finished,
        rates: { in: this.pipelineIn.toArray(), out: this.pipelineOut.toArray(), rejected: this.pipelineRejected.toArray() },
      },
      queue: {
        events: cap.events,
        bytes: cap.bytes,
        max_events: cap.maxEvents,
        max_bytes: cap.maxBytes,
        waiting_sources: cap.waiting,
        backpressure: cap.waiting > 0,
      },
      components: this.tracked.map((t) => {
        const c = t.component;
        const h = healthOf.get(`${t.kind}/${c.name}`);
        const n = c.connections;
        return {
          name: c.name,
          type: c.type,
          kind: t.kind,
          ok: h?.ok ?? true,
          detail: h?.detail ?? null,
          endpoints: c.endpoints?.() ?? [],
          counters: { ...c.counters },
          connections: n ? { open: c.openConnections?.() ?? null, refused: n.refused, evicted: n.evicted, timed_out: n.timedOut } : null,
          retries: t.kind === 'source' ? null : (this.pipeline.stats.retries.get(c.name) ?? 0) + c.counters.retried,
          rates: { in: t.in.toArray(), out: t.out.toArray() },
        };
      }),
      window: {
        minutes: WINDOW_SECONDS / 60,
        types: events.types,
        signatures: events.signatures,
        sources: events.sources,
        destinations: events.destinations,
        recent: events.recent,
        sampling: events.sampling,
      },
      rejections: { by_reason: events.rejections.byReason, recent: events.rejections.recent },
      config: this.configSummary(),
    };
  }

  private configSummary(): object {
    const c = this.config;
    const p = c.pipeline;
    const admin = c.admin;
    return {
      profile: c.profile,
      data_dir: resolve(c.data_dir),
      pipeline: {
        max_events: p.max_events,
        max_bytes: p.max_bytes,
        batch_max_events: p.batch_max_events,
        batch_max_bytes: p.batch_max_bytes,
        batch_max_wait_ms: p.batch_max_wait,
        max_in_flight: p.max_in_flight,
        max_line_bytes: p.max_line_bytes,
      },
      admin_token: admin !== false && (admin.token !== undefined || admin.token_env !== undefined),
    };
  }
}
