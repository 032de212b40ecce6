/**
 * The `serve` service: builds the components of a validated configuration,
 * starts them (sinks first, sources last), and stops them in the reverse
 * order: sources stop accepting, the pipeline drains, sinks flush and close.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { Pipeline } from '../runtime/runner.js';
import { NormalizePool } from '../runtime/normalize-pool.js';
import type { Component, ComponentDeps, Sink, Source } from '../component/types.js';
import { AdminServer, type HealthReport } from './admin.js';
import { enrichOptions, type AdminConfig, type ServeConfig } from './config.js';
import { Enricher, enrichmentAsked } from '../enrich/enricher.js';
import { createMetrics, type MeteredComponent } from './metrics.js';
import type { Registry } from './registry.js';
import { EventStats } from '../runtime/stats/event-stats.js';
import { BearerAuth } from '../io/token-auth.js';
import { resolveToken } from '../config/token.js';
import { StatusPage } from './status-page.js';
import { StatusBoard } from './status-board.js';
import { usableCores } from '../runtime/cores.js';

export interface StopResult {
  /** Everything accepted was delivered or dead-lettered. */
  clean: boolean;
  /** Events accepted and not finished when the drain timed out. */
  unfinished: number;
}

/**
 * Threads that normalize beside the event loop's, for `pipeline.workers`:
 * `auto` is one per core this process may use (a cgroup CPU quota counted).
 * The event loop's thread (sources, queue, sinks) is idle about 70 % of the
 * time at full rate, so leaving it a core of its own left most of that core
 * unused (docs/serve.md#throughput).
 */
export function normalizationThreads(setting: 'auto' | number, cores = usableCores()): number {
  return setting === 'auto' ? cores : setting;
}

export class Service {
  readonly sources = new Map<string, Source>();
  readonly sinks = new Map<string, Sink>();
  readonly deadLetter: Sink;
  readonly pipeline: Pipeline;
  /** The enrichment of the `enrich` section, when it asks for any. */
  readonly enricher: Enricher | undefined;
  /** The normalization threads (`pipeline.workers`), when there are any. */
  readonly pool: NormalizePool | undefined;
  private readonly admin: AdminServer | undefined;
  /** The status page's statistics (with the admin listener, unless `admin.status_page` is false). */
  readonly status: StatusBoard | undefined;
  private started: Component[] = [];
  private stopping: Promise<StopResult> | undefined;

  constructor(
    readonly config: ServeConfig,
    registry: Registry,
    private readonly logger: Logger,
  ) {
    const enrich = enrichOptions(config.enrich);
    // Databases are read now: a missing or corrupt one is an error at start (thrown, with the file named).
    this.enricher = enrichmentAsked(enrich) ? new Enricher(enrich) : undefined;
    const dataDir = resolve(config.data_dir);
    const deps = (name: string): ComponentDeps => ({ logger: logger.child({ component: name }), dataDir });
    for (const s of config.sinks) this.sinks.set(s.name, registry.sinks.get(s.type)!.create(s.name, s.config, deps(s.name)));
    const dl = config.deadLetter;
    // The file type writes dead letters to dead-letter.ndjson by default, not to events.ndjson.
    const dlFactory = dl.type === 'file' && registry.deadLetterFile ? registry.deadLetterFile : registry.sinks.get(dl.type)!;
    this.deadLetter = dlFactory.create(dl.name, dl.config, deps(dl.name));
    for (const s of config.sources) this.sources.set(s.name, registry.sources.get(s.type)!.create(s.name, s.config, deps(s.name)));
    const p = config.pipeline;
    const admin = config.admin;
    const events = admin !== false && admin.status_page ? new EventStats() : undefined;
    const normalize = { profile: config.profile, maxLineBytes: p.max_line_bytes, observer: config.observer, keepOriginal: config.keep_original };
    const threads = normalizationThreads(p.workers);
    if (threads > 0) {
      this.pool = new NormalizePool(threads, { options: { ...normalize, ...enrich } }, logger.child({ component: 'normalize' }));
    }
    this.pipeline = new Pipeline(
      {
        normalize,
        enrich: this.enricher,
        pool: this.pool,
        enrichStats: this.enricher,
        maxEvents: p.max_events,
        maxBytes: p.max_bytes,
        batchMaxEvents: p.batch_max_events,
        batchMaxBytes: p.batch_max_bytes,
        batchMaxWaitMs: p.batch_max_wait,
        maxInFlight: p.max_in_flight,
        retryInitialMs: p.retry_initial,
        retryMaxMs: p.retry_max,
        observer: events,
      },
      [...this.sinks.values()],
      this.deadLetter,
      logger.child({ component: 'pipeline' }),
    );
    const metered: MeteredComponent[] = [
      ...[...this.sources.values()].map((component) => ({ component, kind: 'source' as const })),
      ...[...this.sinks.values()].map((component) => ({ component, kind: 'sink' as const })),
      { component: this.deadLetter, kind: 'dead_letter' },
    ];
    if (admin === false) return;
    if (events) this.status = new StatusBoard(config, this.pipeline, metered, events, () => this.health());
    this.admin = new AdminServer(createMetrics(this.pipeline, metered, this.enricher), () => this.health(), this.status && { page: new StatusPage(), snapshot: () => this.status!.snapshot() });
  }

  /** Starts every component; on a failure, stops those already started and rethrows. */
  async start(): Promise<void> {
    try {
      if (this.pool !== undefined) {
        try {
          await this.pool.start();
        } catch (e) {
          throw new Error(`cannot start the normalization threads: ${(e as Error).message}`, { cause: e });
        }
      }
      for (const s of [...this.sinks.values(), this.deadLetter]) {
        await this.startOne(s, () => s.start());
      }
      if (this.admin && this.config.admin !== false) await this.startAdmin(this.admin, this.config.admin);
      for (const s of this.sources.values()) await this.startOne(s, () => s.start(this.pipeline));
    } catch (e) {
      this.status?.stop();
      await this.admin?.stop();
      for (const c of this.started.reverse()) await c.stop().then(() => c.discardIfUnused?.()).catch(() => undefined);
      this.started = [];
      await this.pool?.close();
      throw e;
    }
  }

  private async startAdmin(server: AdminServer, admin: AdminConfig): Promise<void> {
    const token = resolveToken(admin, 'admin');
    if (token === undefined && !isLoopback(admin.host)) {
      this.logger.warn({ host: admin.host }, 'the admin listener is not on loopback and has no token: whoever reaches it reads the status page and the metrics (set admin.token_env)');
    }
    await server.start(admin.host, admin.port, token === undefined ? undefined : new BearerAuth(token, true));
    this.status?.start();
  }

  private async startOne(c: Component, start: () => Promise<void>): Promise<void> {
    try {
      await start();
    } catch (e) {
      throw new Error(`cannot start ${c.type} ${c.name}: ${(e as Error).message}`, { cause: e });
    }
    this.started.push(c);
  }

  /**
   * Backfill: file sources read to their end and finish (stdin finishes at
   * its end anyway), so that `finished` resolves once all input is read.
   * Call before start(). Throws when a source can never end (syslog, HTTP, NATS).
   */
  endAtEof(): void {
    const endless = [...this.sources.values()].filter((s) => s.endAtEof === undefined && s.finished === undefined);
    if (endless.length > 0) {
      const names = endless.map((s) => `${s.name} (${s.type})`).join(', ');
      throw new Error(`--exit-on-eof reads file and stdin sources to their end; these never end: ${names}`);
    }
    for (const s of this.sources.values()) s.endAtEof?.();
  }

  /** Resolves when every source is finite (stdin, or files with endAtEof) and has finished; never otherwise. */
  get finished(): Promise<void> {
    const all = [...this.sources.values()];
    if (all.some((s) => s.finished === undefined)) return new Promise(() => undefined);
    return Promise.all(all.map((s) => s.finished)).then(() => undefined);
  }

  /** Lines saying where the service listens and writes. */
  summary(): string[] {
    const lines: string[] = [];
    for (const s of this.sources.values()) lines.push(`source ${s.name} (${s.type}): ${(s.endpoints?.() ?? []).join(', ')}`);
    for (const s of this.sinks.values()) lines.push(`sink ${s.name} (${s.type}): ${(s.endpoints?.() ?? []).join(', ')}`);
    lines.push(`dead letters (${this.deadLetter.type}): ${(this.deadLetter.endpoints?.() ?? []).join(', ')}`);
    if (this.pool !== undefined) lines.push(`normalization: ${this.pool.size} thread${this.pool.size === 1 ? '' : 's'} beside the event loop's`);
    const admin = this.admin?.endpoint();
    if (admin) lines.push(`metrics: ${admin}/metrics, health: ${admin}/healthz${this.status ? `, status page: ${admin}/` : ''}`);
    const e = this.enricher?.enabled;
    if (e !== undefined) {
      const parts = [e.geoip ? `geoip (${this.enricher!.geoSources.join('; ')})` : '', e.direction ? 'network direction' : '', e.communityId ? 'community id' : ''];
      lines.push(`enrichment: ${parts.filter((p) => p !== '').join(', ')}`);
    }
    return lines;
  }

  health(): HealthReport {
    const components = [
      ...[...this.sources.values()].map((c) => ({ c, kind: 'source' })),
      ...[...this.sinks.values()].map((c) => ({ c, kind: 'sink' })),
      { c: this.deadLetter, kind: 'dead_letter' },
    ].map(({ c, kind }) => {
      const h = c.health();
      const failing = kind !== 'source' && this.pipeline.failing.has(c.name);
      return { name: c.name, type: c.type, kind, ok: h.ok && !failing, detail: failing ? 'writes failing, retrying' : h.detail };
    });
    const d = this.pipeline.depth;
    return {
      ok: components.every((c) => c.ok),
      queue: { events: d.events, bytes: d.bytes, max_events: this.pipeline.capacity.maxEvents, max_bytes: this.pipeline.capacity.maxBytes },
      components,
    };
  }

  /** Reopens the output files (SIGHUP). */
  async reopen(): Promise<void> {
    for (const s of [...this.sinks.values(), this.deadLetter]) await s.reopen?.();
  }

  /**
   * Reads the GeoIP databases again (SIGHUP, after an update replaced the
   * files). On an error the databases in use stay and the error is thrown.
   */
  reloadEnrichment(): void {
    this.enricher?.reload();
    // Read without an error here: each normalization thread reads them too.
    this.pool?.reload();
  }

  /** Graceful stop; calling it again returns the same result. */
  stop(): Promise<StopResult> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<StopResult> {
    // Sources stop first (an HTTP source waits for the answers it owes, file and nats sources for
    // their last submissions to become durable) while the pipeline and the sinks keep running, with
    // batches sent at once; then the pipeline drains and the sinks close. shutdown_timeout bounds both.
    this.pipeline.hurry();
    const sourcesStopped = Promise.all(
      [...this.sources.values()].map((s) => s.stop().catch((e: Error) => this.logger.error({ source: s.name, error: e.message }, 'stop failed'))),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), this.config.shutdown_timeout)));
    const drained = await Promise.race([sourcesStopped.then(() => this.pipeline.drain()).then(() => true), timeout]);
    clearTimeout(timer);
    const unfinished = this.pipeline.depth.events;
    if (!drained) {
      this.logger.error({ unfinished }, 'shutdown timeout: events accepted but not delivered (not acknowledged to at-least-once sources)');
      this.pipeline.abortRetries();
    }
    for (const s of [...this.sinks.values(), this.deadLetter]) {
      await s.stop().catch((e: Error) => this.logger.error({ sink: s.name, error: e.message }, 'stop failed'));
    }
    await this.pool?.close();
    this.status?.stop();
    await this.admin?.stop();
    return { clean: drained, unfinished: drained ? 0 : unfinished };
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
