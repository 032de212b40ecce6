/** `jizo-intake serve`: runs the streaming intake until SIGTERM/SIGINT. */
import { pino } from 'pino';
import { ConfigError, loadConfig, validateConfig, type ServeConfig } from '../serve/config.js';
import { defaultRegistry } from '../serve/registry.js';
import { Service } from '../serve/service.js';
import { EXIT } from './exit.js';

export interface ServeCliOptions {
  config?: string;
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
  // Logs go to stderr: stdout may carry events (stdout sink).
  const logger = pino({ level: config.log_level, base: { service: 'jizo-intake' } }, pino.destination({ dest: 2, sync: true }));
  const service = new Service(config, registry, logger);
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
  // Not clean: connections still waiting for an answer that will not come would keep the process alive.
  if (!result.clean) process.exit(EXIT.io);
  return EXIT.ok;
}
