/**
 * A `serve` process for the fault suite: the real Service with the built-in
 * components plus a `trickle` sink that writes NDJSON to a file at a fixed
 * rate (a sink slowed to a trickle). SIGUSR2 lifts the rate limit (to drain
 * quickly at the end of a scenario). Config: JSON in argv[2]. Prints the
 * service summary on stderr like `jizo-intake serve`.
 */
import { appendFile } from 'node:fs/promises';
import { pino } from 'pino';
import { z } from 'zod';
import { newComponentCounters, type OutputEvent, type Sink, type WriteResult } from '../../src/component/types.js';
import { validateConfig } from '../../src/serve/config.js';
import { defaultRegistry } from '../../src/serve/registry.js';
import { Service } from '../../src/serve/service.js';

let unlimited = false;
process.on('SIGUSR2', () => (unlimited = true));

class TrickleSink implements Sink {
  readonly type = 'trickle';
  readonly counters = newComponentCounters();
  constructor(
    readonly name: string,
    private readonly config: { path: string; events_per_second: number },
  ) {}
  async start(): Promise<void> {}
  health() {
    return { ok: true };
  }
  async write(batch: OutputEvent[]): Promise<WriteResult> {
    this.counters.received += batch.length;
    if (!unlimited) await new Promise((r) => setTimeout(r, (1000 * batch.length) / this.config.events_per_second));
    await appendFile(this.config.path, batch.map((e) => e.json + '\n').join(''));
    this.counters.sent += batch.length;
    return { refused: [] };
  }
  async stop(): Promise<void> {}
}

const registry = defaultRegistry();
registry.sinks.set('trickle', {
  type: 'trickle',
  schema: z.object({ path: z.string(), events_per_second: z.number().positive() }).strict(),
  create: (name, config: { path: string; events_per_second: number }) => new TrickleSink(name, config),
});
const config = validateConfig(JSON.parse(process.argv[2]!), registry);
const service = new Service(config, registry, pino({ level: config.log_level }, pino.destination({ dest: 2, sync: true })));
await service.start();
for (const line of service.summary()) process.stderr.write(`jizo-intake serve: ${line}\n`);
process.stderr.write('jizo-intake serve: ready\n');
await new Promise((r) => process.once('SIGTERM', r));
const result = await service.stop();
process.exit(result.clean ? 0 : 1);
