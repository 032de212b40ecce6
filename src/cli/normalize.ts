import { createReadStream, createWriteStream, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BufferedWriter } from '../io/writer.js';
import { newCounters, normalizeLines, type RejectionRecord } from '../pipeline/batch.js';
import type { ProfileName } from '../normalize/types.js';
import { EXIT } from './exit.js';
import { Progress } from './progress.js';

export interface NormalizeCliOptions {
  output?: string;
  errors?: string;
  profile: ProfileName;
  pretty?: boolean;
  maxLineBytes: number;
  strict?: boolean;
  progress: boolean;
  quiet?: boolean;
  describe?: boolean;
}

export async function runNormalize(files: string[], opts: NormalizeCliOptions): Promise<number> {
  const inputs = files.length === 0 ? ['-'] : files;
  const started = process.hrtime.bigint();
  const outStream: Writable = opts.output ? createWriteStream(opts.output) : process.stdout;
  const errStream: Writable | undefined = opts.errors ? createWriteStream(opts.errors) : undefined;
  const out = new BufferedWriter(outStream);
  const errOut = errStream ? new BufferedWriter(errStream) : undefined;
  const counters = newCounters();
  let ioError: Error | undefined;
  const onStreamError = (e: Error) => {
    ioError ??= e;
  };
  outStream.on('error', onStreamError);
  errStream?.on('error', onStreamError);

  let progress: Progress | undefined;
  if (opts.progress && process.stderr.isTTY && !inputs.includes('-')) {
    let total = 0;
    for (const f of inputs) {
      try {
        total += statSync(f).size;
      } catch {
        // reported when opened
      }
    }
    progress = new Progress(total, process.stderr);
  }

  const onRejection = (rec: RejectionRecord) => {
    if (errOut) errOut.write(JSON.stringify(rec) + '\n');
    else process.stderr.write(`${rec.input}:${rec.line}: ${rec.reason}: ${rec.error}\n`);
  };

  try {
    for (const input of inputs) {
      const stream = input === '-' ? process.stdin : createReadStream(input, { highWaterMark: 1 << 20 });
      await normalizeLines(
        stream,
        {
          profile: opts.profile,
          maxLineBytes: opts.maxLineBytes,
          pretty: opts.pretty,
          describe: opts.describe,
          input,
          onDocument: (json) => out.write(json + '\n'),
          onRejection,
          afterChunk: async () => {
            if (ioError) throw ioError;
            progress?.update(counters.bytes, counters.lines);
            if (out.full) await out.flush();
            if (errOut?.full) await errOut.flush();
          },
        },
        counters,
      );
    }
    await out.flush();
    await errOut?.flush();
    if (ioError) throw ioError;
    if (opts.output) {
      outStream.end();
      await finished(outStream);
    }
    if (errStream) {
      errStream.end();
      await finished(errStream);
    }
  } catch (e) {
    progress?.done();
    process.stderr.write(`jizo-intake normalize: ${(e as Error).message}\n`);
    return EXIT.io;
  }
  progress?.done();
  if (!opts.quiet) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = seconds > 0 ? Math.round((counters.documents + counters.rejected) / seconds) : 0;
    process.stderr.write(
      `jizo-intake normalize: ${counters.lines} lines: ${counters.documents} documents, ${counters.rejected} rejected, ` +
        `${counters.blank} blank in ${seconds.toFixed(2)} s (${rate} events/s)\n`,
    );
  }
  return opts.strict && counters.rejected > 0 ? EXIT.rejected : EXIT.ok;
}
