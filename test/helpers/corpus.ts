import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from './paths.js';

export interface CorpusLine {
  file: string;
  line: number;
  text: string;
}

/** Every line of every corpus file (split on LF, as the CLI does). */
export function corpusLines(): CorpusLine[] {
  const out: CorpusLine[] = [];
  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.ndjson')).sort()) {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((t, i) => out.push({ file, line: i + 1, text: t }));
  }
  return out;
}
