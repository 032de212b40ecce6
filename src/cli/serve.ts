/** `jizo-intake serve`: runs the streaming intake until SIGTERM/SIGINT. */
import { pino } from 'pino';
import { ConfigError, loadConfig, validateConfig, type ServeConfig } from '../serve/config.js';
import { defaultRegistry } from '../serve/registry.js';
import { Service } from '../serve/service.js';
import { EXIT } from './exit.js';
import { tuneGarbageCollector } from './gc.js';

export interface ServeCliOptions {
  config?: string;
  /** Backfill: read file and stdin sources to their end, deliver everything, exit. */
  exitOnEof?: boolean;
}

export async function runServe(opts: ServeCliOptions): Promise<number> {
  const registry = defaultRegistry();
  let config: ServeConfig;
  try {
    config = opts.config ? await loadConfig(opts.config, registry) : validateConfig({}, registry);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`jizo-intake serve: ${e.message}\n`);
    return EXIT.usage;
  }
  tuneGarbageCollector();
  // Logs go to stderr: stdout may carry events (stdout sink).
  const logger = pino({ level: config.log_level, base: { service: 'jizo-intake' } }, pino.destination({ dest: 2, sync: true }));
  let service: Service;
  try {
    service = new Service(config, registry, logger);
  } catch (e) {
    // a GeoIP database that cannot be read: said at start, not later
    process.stderr.write(`jizo-intake serve: enrich: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  if (opts.exitOnEof) {
    try {
      service.endAtEof();
    } catch (e) {
      process.stderr.write(`jizo-intake serve: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const began = process.hrtime.bigint();
  try {
    await service.start();
  } catch (e) {
    logger.fatal({ error: (e as Error).message }, 'start failed');
    process.stderr.write(`jizo-intake serve: ${(e as Error).message}\n`);
    return EXIT.io;
  }
  for (const line of service.summary()) process.stderr.write(`jizo-intake serve: ${line}\n`);
  logger.info({ profile: config.profile }, 'started');

  const onHup = () => {
    if (service.enricher?.enabled.geoip === true) {
      try {
        service.reloadEnrichment();
        logger.info({ databases: service.enricher.geoSources }, 'GeoIP databases reloaded');
      } catch (e) {
        logger.error({ error: (e as Error).message }, 'reloading the GeoIP databases failed: the databases in use stay');
      }
    }
    service.reopen().then(
      () => logger.info('output files reopened'),
      (e: Error) => logger.error({ error: e.message }, 'reopening output files failed'),
    );
  };
  process.on('SIGHUP', onHup);
  const stopSignal = await new Promise<string>((resolve) => {
    const onSignal = (sig: string) => resolve(sig);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    void service.finished.then(() => resolve('end of input'));
  });
  logger.info({ reason: stopSignal }, 'stopping: draining the pipeline');
  // A second signal while draining stops at once.
  const force = () => {
    logger.error('second signal: stopping without draining');
    process.exit(EXIT.io);
  };
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  const result = await service.stop();
  process.off('SIGHUP', onHup);
  const s = service.pipeline.stats;
  logger.info(
    { received: s.received, normalized: s.normalized, rejected: s.rejected, blank: s.blank, refused: s.refused, deadLettered: s.deadLettered },
    result.clean ? 'stopped' : 'stopped before everything was delivered',
  );
  process.off('SIGTERM', force);
  process.off('SIGINT', force);
  if (opts.exitOnEof) {
    const secs = Number(process.hrtime.bigint() - began) / 1e9;
    let duplicates = 0;
    for (const sink of service.sinks.values()) duplicates += sink.counters.duplicates;
    process.stderr.write(
      `jizo-intake serve: ${s.received} lines: ${s.normalized} documents, ${s.rejected} rejected, ${s.blank} blank; ` +
        `${s.refused} refused by a sink, ${duplicates} already delivered; ${s.deadLettered} dead letters in ${secs.toFixed(2)} s\n`,
    );
  }
  // Not clean: connections still waiting for an answer that will not come would keep the process alive.
  if (!result.clean) process.exit(EXIT.io);
  if (opts.exitOnEof && (s.refused > 0 || s.deadLetterLost > 0)) return EXIT.undelivered;
  return EXIT.ok;
}
