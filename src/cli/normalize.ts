import { statSync } from 'node:fs';
import { fileChunks, SyncFileWriter } from '../io/sync-file.js';
import { BufferedWriter } from '../io/writer.js';
import { loadEnricher } from '../enrich/load.js';
import { newCounters, normalizeLines, type BatchOptions, type RejectionRecord, type WarningRecord } from '../batch/normalize-lines.js';
import { normalizeLinesParallel } from '../batch/parallel.js';
import { tuneGarbageCollector } from './gc.js';
import { checkProfileName } from '../normalize/load.js';
import type { ProfileName } from '../normalize/types.js';
import type { Enricher } from '../enrich/enricher.js';
import { formatEnrichStats } from '../enrich/stats.js';
import type { NormalizeOptions } from '../normalize/types.js';
import { EXIT } from './exit.js';
import { Progress } from './progress.js';
import { usableCores } from '../runtime/cores.js';

export interface NormalizeCliOptions {
  output?: string;
  errors?: string;
  /** Write one JSON line per document written with warnings (e.g. no valid timestamp). */
  warnings?: string;
  profile: ProfileName;
  pretty?: boolean;
  maxLineBytes: number;
  strict?: boolean;
  progress: boolean;
  quiet?: boolean;
  /** Add a one-sentence description under jizo.description. */
  describe?: boolean;
  /**
   * Worker threads; 1 normalizes on the main thread. Not given: the number of
   * cores, started only once the input passes {@link SERIAL_BYTES}.
   */
  workers?: number;
  /** Time of reception for events without a valid timestamp (RFC 3339). */
  receivedAt?: string;
  /** `ecs` profile: keep the raw payload in event.original. */
  keepOriginal?: boolean;
  /** `ecs` profile: observer.vendor / observer.product. */
  observerVendor?: string;
  observerProduct?: string;
  /** Embedded GeoIP/ASN data. */
  geoip?: boolean;
  /** MaxMind DB files. */
  geoipDb?: string[];
  internalNetworks?: string[];
  communityId?: boolean;
  communityIdSeed?: number;
}

/** The enrichment options of the command line. */
function enrichOptions(opts: NormalizeCliOptions): Pick<NormalizeOptions, 'geoip' | 'internalNetworks' | 'communityId' | 'communityIdSeed'> {
  const dbs = opts.geoipDb ?? [];
  const geoip = dbs.length > 0 ? { databases: dbs, embedded: opts.geoip === true } : opts.geoip === true;
  return { geoip, internalNetworks: opts.internalNetworks, communityId: opts.communityId, communityIdSeed: opts.communityIdSeed };
}

/**
 * Input normalized on the main thread before default workers start: starting
 * them costs ~0.2 s (threads, and a profile loaded in each), which one thread
 * spends on some 4 MiB of events; the 12 example events took 0.6 s with
 * workers and 0.3 s without. Workers asked for with --workers start at once.
 */
const SERIAL_BYTES = 4 * 1024 * 1024;

export async function runNormalize(files: string[], opts: NormalizeCliOptions): Promise<number> {
  const inputs = files.length === 0 ? ['-'] : files;
  const workers = opts.workers ?? usableCores();
  const serialBytes = opts.workers === undefined ? SERIAL_BYTES : 0;
  try {
    checkProfileName(opts.profile);
  } catch (e) {
    // A profile named by the CLI but not built in: a usage error, before any output.
    process.stderr.write(`jizo-intake normalize: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const enrich = enrichOptions(opts);
  let enricher: Enricher | undefined;
  try {
    // every database is read now: a missing or corrupt one stops the run before any output
    enricher = await loadEnricher(enrich);
  } catch (e) {
    process.stderr.write(`jizo-intake normalize: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const started = process.hrtime.bigint();
  let ioError: Error | undefined;
  const onStreamError = (e: Error) => {
    ioError ??= e;
  };
  // Named files are written synchronously (src/io/sync-file.ts); stdout may be a pipe.
  const out = opts.output ? new SyncFileWriter(opts.output, onStreamError) : new BufferedWriter(process.stdout);
  const errOut = opts.errors ? new SyncFileWriter(opts.errors, onStreamError) : undefined;
  const warnOut = opts.warnings ? new SyncFileWriter(opts.warnings, onStreamError) : undefined;
  const counters = newCounters();
  if (!opts.output) process.stdout.on('error', onStreamError);

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
    if (errOut) errOut.writeLine(JSON.stringify(rec));
    else process.stderr.write(`${rec.input}:${rec.line}: ${rec.reason}: ${rec.error}\n`);
  };
  // Warnings are only counted in the summary unless asked for: a file of
  // events without timestamps would otherwise bury the rejections on stderr.
  const onWarnings = warnOut && ((rec: WarningRecord) => warnOut.writeLine(JSON.stringify(rec)));

  /** The input being read: named in a read error that does not name it (EISDIR does not). */
  let reading: string | undefined;
  try {
    for (const input of inputs) {
      reading = input;
      // 64 KiB synchronous reads into one reused buffer (src/io/sync-file.ts): 1 MiB
      // reads measured the same speed, and buffers allocated per read only added to peak RSS.
      const stream = input === '-' ? process.stdin : fileChunks(input);
      const batch: BatchOptions = {
        profile: opts.profile,
        maxLineBytes: opts.maxLineBytes,
        pretty: opts.pretty,
        describe: opts.describe,
        receivedAt: opts.receivedAt,
        keepOriginal: opts.keepOriginal,
        observer: { vendor: opts.observerVendor, product: opts.observerProduct },
        ...enrich,
        enricher,
        input,
        onDocument: (json) => out.writeLine(json),
        onRejection,
        onWarnings,
        afterChunk: async () => {
          // A long single-thread run only: setting them costs a start ~6 ms (gc.ts).
          if (workers <= 1 && counters.bytes > SERIAL_BYTES) tuneGarbageCollector();
          if (ioError) throw ioError;
          progress?.update(counters.bytes, counters.lines);
          if (out.full) await out.flush();
          if (errOut?.full) await errOut.flush();
          if (warnOut?.full) await warnOut.flush();
        },
      };
      if (workers > 1) {
        await normalizeLinesParallel(
          stream,
          {
            ...batch,
            workers,
            serialBytes,
            onDocuments: (bytes, written) => out.writeBytes(bytes, written),
            // Set before, the flags would slow each worker's start (gc.ts).
            onWorkersRunning: tuneGarbageCollector,
          },
          counters,
        );
      } else {
        await normalizeLines(stream, batch, counters);
      }
    }
    reading = undefined;
    await out.flush();
    await errOut?.flush();
    await warnOut?.flush();
    if (out instanceof SyncFileWriter) out.close();
    errOut?.close();
    warnOut?.close();
    if (ioError) throw ioError;
  } catch (e) {
    progress?.done();
    const message = (e as Error).message;
    const input = e !== ioError && reading !== undefined && reading !== '-' && !message.includes(reading) ? `${reading}: ` : '';
    process.stderr.write(`jizo-intake normalize: ${input}${message}\n`);
    return EXIT.io;
  }
  progress?.done();
  if (!opts.quiet) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = seconds > 0 ? Math.round((counters.documents + counters.rejected) / seconds) : 0;
    process.stderr.write(
      `jizo-intake normalize: ${counters.lines} lines: ${counters.documents} documents, ${counters.rejected} rejected, ` +
        `${counters.blank} blank, ${counters.warned} with warnings in ${seconds.toFixed(2)} s (${rate} events/s)\n`,
    );
    if (enricher !== undefined && counters.enrich !== undefined) {
      process.stderr.write(`jizo-intake normalize: enrichment: ${formatEnrichStats(counters.enrich, enricher.enabled)}\n`);
    }
  }
  return opts.strict && counters.rejected > 0 ? EXIT.rejected : EXIT.ok;
}
