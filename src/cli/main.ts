#!/usr/bin/env node
/** Command-line entry: argument wiring only; every command calls the library. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { PROFILES, type ProfileName } from '../normalize/types.js';
// Command modules are imported when their command runs: `normalize` need not
// load the service's clients (Elasticsearch, NATS ...), which would add
// hundreds of milliseconds to every start.
import { FIELDS_FORMATS, TEMPLATE_TARGETS, type FieldsFormat, type TemplateTarget } from '../catalog/choices.js';
import { EXIT } from './exit.js';
import { toUtc } from '../normalize/time.js';
import { packageVersion } from '../io/package.js';

function profileArg(v: string): ProfileName {
  if (!(PROFILES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${PROFILES.join(', ')}`);
  return v as ProfileName;
}

function choiceArg<T extends string>(choices: readonly T[]): (v: string) => T {
  return (v) => {
    if (!(choices as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return v as T;
  };
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonEmpty(v: string): string {
  if (v.trim() === '') throw new InvalidArgumentError('expected a non-empty name');
  return v;
}

function seedArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535 || v.trim() === '') throw new InvalidArgumentError('expected an integer from 0 to 65535');
  return n;
}

function collect(v: string, all: string[]): string[] {
  return [...all, v];
}

function networkList(v: string): string[] {
  const list = v.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (list.length === 0) throw new InvalidArgumentError('expected a comma-separated list of networks');
  return list;
}

function receivedAtArg(v: string): string {
  const utc = toUtc(v);
  if (utc === undefined) throw new InvalidArgumentError('expected an RFC 3339 date-time, e.g. 2024-06-27T12:00:00Z');
  return utc;
}

const program = new Command();
program
  .name('jizo-intake')
  .description('Decode, normalize to ECS and ship the EVE events of Jizo NDR sensors')
  .version(packageVersion())
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

program
  .command('normalize')
  .description('normalize raw events (one per line) from files or stdin to ECS JSON lines')
  .argument('[files...]', 'input files; none or "-" reads stdin')
  .option('-o, --output <file>', 'write documents to FILE instead of stdout')
  .option('--errors <file>', 'write one JSON line per rejected line to FILE (default: report on stderr)')
  .option('--warnings <file>', 'write one JSON line per document written with warnings, e.g. no valid timestamp (default: only counted in the summary)')
  .option('-p, --profile <profile>', `output profile: ${PROFILES.join(' or ')}`, profileArg, 'sekoia')
  .option('--pretty', 'indent output documents')
  .option('--max-line-bytes <n>', 'reject lines longer than N bytes', positiveInt, 1024 * 1024)
  .option('--strict', 'exit with status 3 when any line was rejected')
  .option('-w, --workers <n>', 'worker threads, in input order (1: on the main thread); default: the cores this process may use (a container CPU limit counted), started once the input passes 4 MiB', positiveInt)
  .option('--received-at <time>', 'time of reception (RFC 3339) for events without a valid timestamp; default: now', receivedAtArg)
  .option('--no-progress', 'never show a progress bar')
  .option('-q, --quiet', 'no summary line')
  .option('--describe', 'add a one-sentence description of each event as jizo.description')
  .option('--keep-original', 'ecs profile: keep the raw event in event.original')
  .option('--observer-vendor <name>', 'ecs profile: observer.vendor (default: Sesame IT)', nonEmpty)
  .option('--observer-product <name>', 'ecs profile: observer.product (default: Jizo)', nonEmpty)
  .option('--geoip', 'add geo (country) and AS of public addresses from the embedded databases')
  .option('--geoip-db <file>', 'add geo/AS from a MaxMind DB file (City, Country or ASN; repeatable; with --geoip the embedded data answers what these do not)', collect, [])
  .option('--internal-networks <list>', 'set network.direction from these networks: CIDR ranges, addresses, named networks (private, loopback, unicast ...), comma-separated', networkList)
  .option('--community-id', 'compute network.community_id for events without one')
  .option('--community-id-seed <n>', "seed of the computed Community IDs: the sensor's community-id-seed (default 0)", seedArg)
  .action(async (files: string[], opts) => {
    process.exitCode = await (await import('./normalize.js')).runNormalize(files, opts);
  });

program
  .command('test')
  .description('run intake test files ({input: {message}, expected}) and show field-level differences')
  .argument('<paths...>', 'test files or directories')
  .option('-p, --profile <profile>', 'profile for files that do not name one', profileArg, 'sekoia')
  .option('-v, --verbose', 'list passing files too')
  .action(async (paths: string[], opts) => {
    process.exitCode = await (await import('./test.js')).runTest(paths, opts);
  });

program
  .command('fields')
  .description('print the field catalog: every field a profile can emit, with its type')
  .option('-p, --profile <profile>', `only the fields of a profile: ${PROFILES.join(' or ')}`, profileArg)
  .option('-f, --format <format>', `output format: ${FIELDS_FORMATS.join(' or ')}`, choiceArg<FieldsFormat>(FIELDS_FORMATS), 'markdown')
  .action(async (opts) => {
    process.exitCode = (await import('./catalog.js')).runFields(opts);
  });

program
  .command('template')
  .description('print a composable index template (PUT _index_template/<name>) for the catalogued fields')
  .requiredOption('-t, --target <target>', `${TEMPLATE_TARGETS.join(' or ')}`, choiceArg<TemplateTarget>(TEMPLATE_TARGETS))
  .option('-p, --profile <profile>', `only the fields of a profile: ${PROFILES.join(' or ')}`, profileArg)
  .option('--index-pattern <pattern>', 'index pattern (default jizo-<profile>-*, or jizo-* without a profile)')
  .option('--data-stream', 'make matching indices data streams')
  .option('--date-nanos', 'map @timestamp and event.* dates as date_nanos (keeps sub-millisecond digits)')
  .option('--name <name>', 'template name recorded in _meta')
  .action(async (opts) => {
    process.exitCode = (await import('./catalog.js')).runTemplate(opts);
  });

program
  .command('describe')
  .description('print one readable sentence per normalized document (NDJSON), or per raw event with --raw')
  .argument('[files...]', 'input files; none or "-" reads stdin')
  .option('--raw', 'the input is raw events: normalize them first')
  .option('-p, --profile <profile>', `profile used with --raw: ${PROFILES.join(' or ')}`, profileArg, 'sekoia')
  .option('--json', 'print {text, template, relationships} as JSON lines')
  .option('--max-line-bytes <n>', 'skip lines longer than N bytes', positiveInt, 1024 * 1024)
  .action(async (files: string[], opts) => {
    process.exitCode = await (await import('./describe.js')).runDescribe(files, opts);
  });

program
  .command('serve')
  .description('run the streaming intake: receive (syslog, HTTP, files, stdin, NATS), normalize, ship (files, Elasticsearch/OpenSearch, NATS)')
  .option('-c, --config <file>', 'YAML or JSON configuration (default: syslog and HTTP on 127.0.0.1, files under ./data)')
  .option('--exit-on-eof', 'backfill: read file and stdin sources to their end, exit once every event is delivered (4 when a sink refused some)')
  .action(async (opts) => {
    process.exitCode = await (await import('./serve.js')).runServe(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.stderr.write(`jizo-intake: ${(e as Error).message}\n`);
    process.exitCode = EXIT.io;
  }
}
