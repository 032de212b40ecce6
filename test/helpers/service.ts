/** A `serve` service in the test process, from a YAML configuration written to `dir`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/serve/config.js';
import { defaultRegistry } from '../../src/serve/registry.js';
import { Service } from '../../src/serve/service.js';

export async function serveFromYaml(dir: string, yaml: string): Promise<Service> {
  const file = join(dir, 'serve.yaml');
  writeFileSync(file, yaml);
  const registry = defaultRegistry();
  const service = new Service(await loadConfig(file, registry), registry, pino({ level: 'silent' }));
  await service.start();
  return service;
}
