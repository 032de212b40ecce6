#!/usr/bin/env node
/** Command-line entry: argument wiring only; every command calls the library. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { PROFILES, type ProfileName } from '../normalize/types.js';
import { runNormalize } from './normalize.js';
import { runTest } from './test.js';
import { runServe } from './serve.js';
import { EXIT } from './exit.js';

function profileArg(v: string): ProfileName {
  if (!(PROFILES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${PROFILES.join(', ')}`);
  return v as ProfileName;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const program = new Command();
program
  .name('jizo-intake')
  .description('Decode, normalize to ECS and ship the EVE events of Jizo NDR sensors')
  .version('0.1.0')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

program
  .command('normalize')
  .description('normalize raw events (one per line) from files or stdin to ECS JSON lines')
  .argument('[files...]', 'input files; none or "-" reads stdin')
  .option('-o, --output <file>', 'write documents to FILE instead of stdout')
  .option('--errors <file>', 'write one JSON line per rejected line to FILE (default: report on stderr)')
  .option('-p, --profile <profile>', `output profile: ${PROFILES.join(' or ')}`, profileArg, 'sekoia')
  .option('--pretty', 'indent output documents')
  .option('--max-line-bytes <n>', 'reject lines longer than N bytes', positiveInt, 1024 * 1024)
  .option('--strict', 'exit with status 3 when any line was rejected')
  .option('--no-progress', 'never show a progress bar')
  .option('-q, --quiet', 'no summary line')
  .action(async (files: string[], opts) => {
    process.exitCode = await runNormalize(files, opts);
  });

program
  .command('test')
  .description('run intake test files ({input: {message}, expected}) and show field-level differences')
  .argument('<paths...>', 'test files or directories')
  .option('-p, --profile <profile>', 'profile for files that do not name one', profileArg, 'sekoia')
  .option('-v, --verbose', 'list passing files too')
  .action(async (paths: string[], opts) => {
    process.exitCode = await runTest(paths, opts);
  });

program
  .command('serve')
  .description('run the streaming intake: receive (syslog, HTTP, stdin), normalize, write to the sinks')
  .option('-c, --config <file>', 'YAML or JSON configuration (default: syslog and HTTP on 127.0.0.1, files under ./data)')
  .action(async (opts) => {
    process.exitCode = await runServe(opts);
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
