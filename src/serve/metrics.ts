/**
 * Prometheus metrics of `serve` (prom-client). Values are read from the
 * component counters and pipeline stats when scraped, so the hot path only
 * bumps plain numbers.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Pipeline } from '../runtime/runner.js';
import type { Component, ComponentCounters } from '../component/types.js';
import type { Enricher } from '../enrich/enricher.js';

export interface MeteredComponent {
  component: Component;
  kind: 'source' | 'sink' | 'dead_letter';
}

const COMPONENT_COUNTERS: { key: keyof ComponentCounters; help: string }[] = [
  { key: 'received', help: 'Events taken in by the component' },
  { key: 'sent', help: 'Events handed on (sources) or made durable (sinks)' },
  { key: 'rejected', help: 'Events refused by the component' },
  { key: 'dropped', help: 'Events knowingly lost (UDP overflow)' },
  { key: 'errors', help: 'Failed operations (I/O errors, refused requests)' },
  { key: 'retried', help: 'Operations retried inside the component' },
  { key: 'duplicates', help: 'Redelivered events a sink found already written under their id (acknowledged, not written twice)' },
];

const PIPELINE_COUNTERS: { name: string; help: string; read(p: Pipeline): number }[] = [
  { name: 'received', help: 'Events accepted by the pipeline', read: (p) => p.stats.received },
  { name: 'normalized', help: 'Events normalized and sent to the sinks', read: (p) => p.stats.normalized },
  { name: 'rejected', help: 'Events rejected as bad input (dead-lettered)', read: (p) => p.stats.rejected },
  { name: 'blank', help: 'Blank lines counted and skipped', read: (p) => p.stats.blank },
  { name: 'refused', help: 'Event and sink pairs refused by a sink (dead-lettered)', read: (p) => p.stats.refused },
  { name: 'dead_lettered', help: 'Records written to the dead-letter output', read: (p) => p.stats.deadLettered },
  { name: 'finished', help: 'Events durable in every sink or dead-lettered', read: (p) => p.stats.finished },
];

export function createMetrics(pipeline: Pipeline, components: MeteredComponent[], enricher?: Enricher): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'jizo_intake_' });
  for (const { key, help } of COMPONENT_COUNTERS) {
    new Counter({
      name: `jizo_intake_component_${key}_total`,
      help,
      labelNames: ['component', 'type', 'kind'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { component: c, kind } of components) this.inc({ component: c.name, type: c.type, kind }, c.counters[key]);
      },
    });
  }
  for (const { name, help, read } of PIPELINE_COUNTERS) {
    new Counter({
      name: `jizo_intake_pipeline_${name}_total`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read(pipeline));
      },
    });
  }
  new Counter({
    name: 'jizo_intake_connections_closed_total',
    help: 'Connections a source closed on its own: refused at accept, evicted (idle, to make room), timed out',
    labelNames: ['component', 'type', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { component: c } of components) {
        const n = c.connections;
        if (!n) continue;
        this.inc({ component: c.name, type: c.type, reason: 'refused' }, n.refused);
        this.inc({ component: c.name, type: c.type, reason: 'evicted' }, n.evicted);
        this.inc({ component: c.name, type: c.type, reason: 'timed_out' }, n.timedOut);
      }
    },
  });
  new Counter({
    name: 'jizo_intake_sink_write_retries_total',
    help: 'Failed sink writes retried by the pipeline (the batch is kept)',
    labelNames: ['sink'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { component: c, kind } of components) if (kind !== 'source') this.inc({ sink: c.name }, pipeline.stats.retries.get(c.name) ?? 0);
    },
  });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  if (enricher !== undefined) enrichMetrics(registry, enricher);
  gauge('jizo_intake_queue_events', 'Events accepted and not yet finished', () => pipeline.depth.events);
  gauge('jizo_intake_queue_bytes', 'Bytes of raw text accepted and not yet finished', () => pipeline.depth.bytes);
  gauge('jizo_intake_queue_max_events', 'Queue bound in events', () => pipeline.capacity.maxEvents);
  gauge('jizo_intake_queue_max_bytes', 'Queue bound in bytes', () => pipeline.capacity.maxBytes);
  gauge('jizo_intake_queue_waiting_submitters', 'Sources waiting for room in the queue', () => pipeline.capacity.waiting);
  return registry;
}

/** Counters of the enrichment (GeoIP lookups and cache, direction, Community ID). */
function enrichMetrics(registry: Registry, enricher: Enricher): void {
  const s = enricher.stats;
  const counters: { name: string; help: string; read(): number }[] = [
    { name: 'geoip_lookups', help: 'Public addresses looked up in the GeoIP databases (cache hits included)', read: () => s.geoip.lookups },
    { name: 'geoip_cache_hits', help: 'GeoIP lookups answered by the cache', read: () => s.geoip.cacheHits },
    { name: 'geoip_misses', help: 'GeoIP lookups found in no database', read: () => s.geoip.misses },
    { name: 'geoip_skipped', help: 'Addresses not looked up: not public (private, loopback, documentation ...)', read: () => s.geoip.skipped },
    { name: 'direction_set', help: 'Events given network.direction', read: () => s.direction.set },
    { name: 'direction_missing', help: 'Events without a source and a destination address (no direction)', read: () => s.direction.missing },
    { name: 'community_id_computed', help: 'Events given a computed network.community_id', read: () => s.communityId.computed },
    { name: 'community_id_kept', help: "Events that carried the sensor's own community_id", read: () => s.communityId.kept },
    { name: 'community_id_unsupported', help: 'Events without a usable 5-tuple for a Community ID', read: () => s.communityId.unsupported },
    { name: 'errors', help: 'Events an enrichment failed on unexpectedly (written without it)', read: () => s.errors },
  ];
  for (const { name, help, read } of counters) {
    new Counter({
      name: `jizo_intake_enrich_${name}_total`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }
}
