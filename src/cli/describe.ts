import { createReadStream } from 'node:fs';
import { describeLine } from '../describe/line.js';
import { LineSplitter, isBlank } from '../io/lines.js';
import { BufferedWriter } from '../io/writer.js';
import type { ProfileName } from '../normalize/types.js';
import { EXIT } from './exit.js';

export interface DescribeCliOptions {
  raw?: boolean;
  profile: ProfileName;
  json?: boolean;
  maxLineBytes: number;
}


export async function runDescribe(files: string[], opts: DescribeCliOptions): Promise<number> {
  const inputs = files.length === 0 ? ['-'] : files;
  const out = new BufferedWriter(process.stdout);
  let failed = 0;
  let toldRaw = opts.raw === true;
  try {
    for (const input of inputs) {
      const splitter = new LineSplitter(opts.maxLineBytes, {
        line(text, lineNo) {
          if (isBlank(text)) return;
          const r = describeLine(text, { raw: opts.raw, profile: opts.profile });
          if (r.ok && r.raw && !toldRaw) {
            // Said once: without it, raw events read as documents give generic sentences.
            toldRaw = true;
            process.stderr.write(
              `jizo-intake describe: ${input}:${lineNo}: raw events (EVE, syslog or envelope), not normalized documents: ` +
                `normalizing them with the ${opts.profile} profile first, as --raw does\n`,
            );
          }
          if (!r.ok) {
            failed++;
            process.stderr.write(`${input}:${lineNo}: ${r.reason}: ${r.message}\n`);
          } else if (opts.json) {
            out.write(JSON.stringify(r.description) + '\n');
          } else {
            out.write(r.description.text + '\n');
          }
        },
        tooLong(_excerpt, bytes, lineNo) {
          failed++;
          process.stderr.write(`${input}:${lineNo}: too_long: line of ${bytes} bytes exceeds the limit of ${opts.maxLineBytes} bytes\n`);
        },
      });
      const stream = input === '-' ? process.stdin : createReadStream(input, { highWaterMark: 1 << 20 });
      for await (const chunk of stream) {
        splitter.push(chunk as Buffer);
        if (out.full) await out.flush();
      }
      splitter.end();
    }
    await out.flush();
  } catch (e) {
    process.stderr.write(`jizo-intake describe: ${(e as Error).message}\n`);
    return EXIT.io;
  }
  return failed > 0 ? EXIT.rejected : EXIT.ok;
}
