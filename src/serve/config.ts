/**
 * The `serve` configuration: YAML or JSON, validated at start. Every default
 * lives in the schemas below and in the component schemas (documented in
 * docs/configuration.md). Errors name the key path and what is expected; they
 * never echo the values given (a token could be among them).
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isObject } from '../eve/json.js';
import { DEFAULT_MAX_LINE_BYTES } from '../decode/index.js';
import { getProfile } from '../normalize/index.js';
import { PROFILES, type ProfileName } from '../normalize/types.js';
import type { Registry } from './registry.js';
import { InternalNetworks } from '../enrich/networks.js';
import type { EnrichOptions } from '../enrich/enricher.js';
import { duration, host, intRange, path, port, size } from '../config/values.js';
import { ConfigError, formatIssues } from '../config/errors.js';
import { oneTokenForm, tokenKeys } from '../config/token.js';
import { DEFAULT_QUEUE_LIMITS } from '../component/types.js';

export { ConfigError } from '../config/errors.js';

const pipelineSchema = z
  .object({
    /** Events accepted and not yet durable everywhere: past this, sources wait (TCP, stdin) or are refused (HTTP 503, UDP drops). */
    max_events: intRange(1, 100_000_000, DEFAULT_QUEUE_LIMITS.maxEvents),
    /** Same bound in bytes of raw text. */
    max_bytes: size(1024, DEFAULT_QUEUE_LIMITS.maxBytes),
    batch_max_events: intRange(1, 1_000_000, 500),
    batch_max_bytes: size(1, '2MiB'),
    /** A batch that is not full is sent after this long. */
    batch_max_wait: duration(1, '100ms'),
    /** Batches being written at once (each sink still sees them in order). */
    max_in_flight: intRange(1, 256, 8),
    /** First delay before retrying a failed sink write; it doubles up to `retry_max`. */
    retry_initial: duration(1, '100ms'),
    retry_max: duration(1, '30s'),
    /** Longest raw event accepted, in bytes. */
    max_line_bytes: size(1, DEFAULT_MAX_LINE_BYTES),
    /** Threads that normalize sealed batches beside the event loop's (`auto`: see normalizationThreads); 0: on admission, on the event loop's thread. */
    workers: z
      .union([z.literal('auto'), z.number().int().min(0).max(64)], { errorMap: () => ({ message: 'expected auto or an integer from 0 to 64' }) })
      .default('auto'),
  })
  .strict();

const adminSchema = oneTokenForm(
  z
    .object({
      host: host('127.0.0.1'),
      port: port(8081),
      ...tokenKeys,
      /** The status page (GET /) and the statistics it shows; `false`: /metrics and /healthz only. */
      status_page: z.boolean({ invalid_type_error: 'expected true or false' }).default(true),
    })
    .strict(),
);
export type AdminConfig = z.output<typeof adminSchema>;

/** Enrichment (docs/enrichment.md): each part off unless asked for. */
const enrichSchema = z
  .object({
    geoip: z
      .object({
        /** Add geo and AS of public addresses. */
        enabled: z.boolean().default(false),
        /** MaxMind DB files (City, Country, ASN), first ones answering first. */
        databases: z.array(path()).default([]),
        /** Use the embedded country and ASN data after the databases (default: only when no database is given). */
        embedded: z.boolean().optional(),
        /** Addresses whose answers are kept in memory. */
        cache_size: intRange(1, 10_000_000, 10_000),
      })
      .strict()
      .default({}),
    /** CIDR ranges, addresses and named networks (private, loopback ...): set network.direction. Empty: no direction. */
    internal_networks: z.array(z.string().min(1, 'expected a network')).default([]),
    /** Compute network.community_id for events without one. */
    community_id: z.boolean().default(false),
    /** Seed of the computed Community IDs: the sensor's community-id-seed. */
    community_id_seed: intRange(0, 65535, 0),
  })
  .strict();

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const serveSchema = z
  .object({
    /** Default directory of the file outputs and of state. */
    data_dir: path().default('./data'),
    profile: z
      .enum(PROFILES as [ProfileName, ...ProfileName[]], { errorMap: () => ({ message: `expected one of ${PROFILES.join(', ')}` }) })
      .default('sekoia'),
    /** `ecs` profile: observer.vendor / observer.product of the documents (any Suricata sensor, not only Jizo). */
    observer: z
      .object({ vendor: z.string().min(1).default('Sesame IT'), product: z.string().min(1).default('Jizo') })
      .strict()
      .default({}),
    /** `ecs` profile: keep the raw payload in event.original. */
    keep_original: z.boolean().default(false),
    log_level: z.enum(LEVELS, { errorMap: () => ({ message: `expected one of ${LEVELS.join(', ')}` }) }).default('info'),
    /** Listener of the status page, GET /metrics and GET /healthz; `false` turns it off. */
    admin: z
      .union([z.literal(false), adminSchema], {
        errorMap: () => ({ message: 'expected false or an object with host and port' }),
      })
      .default({}),
    /** How long SIGTERM waits for the pipeline to drain before giving up (exit status 1). */
    shutdown_timeout: duration(0, '30s'),
    pipeline: pipelineSchema.default({}),
    enrich: enrichSchema.default({}),
    sources: z.unknown().optional(),
    sinks: z.unknown().optional(),
    dead_letter: z.unknown().optional(),
  })
  .strict();

interface ComponentSpec {
  name: string;
  type: string;
  config: unknown;
}

type ServeSettings = Omit<z.output<typeof serveSchema>, 'sources' | 'sinks' | 'dead_letter'>;

export interface ServeConfig extends ServeSettings {
  sources: ComponentSpec[];
  sinks: ComponentSpec[];
  deadLetter: ComponentSpec;
}

/** The components of a configuration that names none. */
const DEFAULT_SOURCES = { syslog: { type: 'syslog' }, http: { type: 'http' } };
const DEFAULT_SINKS = { file: { type: 'file' } };
const DEFAULT_DEAD_LETTER = { type: 'file' };


const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;


function component(
  key: string,
  name: string,
  value: unknown,
  factories: Map<string, { schema: z.ZodTypeAny }>,
  issues: string[],
): ComponentSpec | undefined {
  const at = name === '' ? key : `${key}.${name}`;
  if (!isObject(value)) {
    issues.push(`${at}: expected an object with a "type" key`);
    return undefined;
  }
  const { type, ...rest } = value;
  const types = [...factories.keys()].join(', ');
  if (typeof type !== 'string' || !factories.has(type)) {
    issues.push(`${at}.type: expected one of ${types}`);
    return undefined;
  }
  const r = factories.get(type)!.schema.safeParse(rest);
  if (!r.success) {
    issues.push(...formatIssues(r.error.issues, at));
    return undefined;
  }
  return { name: name === '' ? 'dead_letter' : name, type, config: r.data };
}

function components(key: string, value: unknown, factories: Map<string, { schema: z.ZodTypeAny }>, issues: string[]): ComponentSpec[] {
  if (!isObject(value)) {
    issues.push(`${key}: expected a map of component names to components`);
    return [];
  }
  const names = Object.keys(value);
  if (names.length === 0) issues.push(`${key}: expected at least one component`);
  const out: ComponentSpec[] = [];
  for (const name of names) {
    if (!NAME.test(name)) {
      issues.push(`${key}.${name}: expected a name of letters, digits, "_", "." or "-" (at most 64)`);
      continue;
    }
    const spec = component(key, name, value[name], factories, issues);
    if (spec) out.push(spec);
  }
  return out;
}

/** Validates a parsed configuration document; throws a ConfigError listing every problem. */
export function validateConfig(doc: unknown, registry: Registry, where = ''): ServeConfig {
  const issues: string[] = [];
  const top = serveSchema.safeParse(doc ?? {});
  if (!top.success) throw new ConfigError(formatIssues(top.error.issues, ''), where);
  const { sources, sinks, dead_letter, ...settings } = top.data;
  try {
    getProfile(settings.profile);
  } catch (e) {
    issues.push(`profile: ${(e as Error).message}`);
  }
  const nets = settings.enrich.internal_networks;
  if (nets.length > 0) {
    try {
      new InternalNetworks(nets);
    } catch (e) {
      issues.push(`enrich.internal_networks: ${(e as Error).message}`);
    }
  }
  const srcs = components('sources', sources ?? DEFAULT_SOURCES, registry.sources, issues);
  const snks = components('sinks', sinks ?? DEFAULT_SINKS, registry.sinks, issues);
  const dl = component('dead_letter', '', dead_letter ?? DEFAULT_DEAD_LETTER, registry.sinks, issues);
  const sinkNames = new Set(snks.map((s) => s.name));
  if (sinkNames.has('dead_letter')) issues.push('sinks.dead_letter: this name is reserved for the dead-letter output');
  if (issues.length > 0 || !dl) throw new ConfigError(issues, where);
  return { ...settings, sources: srcs, sinks: snks, deadLetter: dl };
}

/** Reads and validates a YAML or JSON configuration file. */
export async function loadConfig(file: string, registry: Registry): Promise<ServeConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError([`cannot read the file: ${(e as Error).message}`], ` in ${file}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (e) {
    throw new ConfigError([`not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`], ` in ${file}`);
  }
  return validateConfig(doc, registry, ` in ${file}`);
}

/** The library's enrichment options of a configuration's `enrich` section. */
export function enrichOptions(e: ServeConfig['enrich']): EnrichOptions {
  const g = e.geoip;
  return {
    geoip: g.enabled ? { databases: g.databases, embedded: g.embedded, cacheSize: g.cache_size } : false,
    internalNetworks: e.internal_networks,
    communityId: e.community_id,
    communityIdSeed: e.community_id_seed,
  };
}
