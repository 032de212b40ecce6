import { runIntakeTests } from '../testing/intake-test.js';
import type { ProfileName } from '../normalize/types.js';
import { EXIT } from './exit.js';

export interface TestCliOptions {
  profile: ProfileName;
  verbose?: boolean;
}

export async function runTest(paths: string[], opts: TestCliOptions): Promise<number> {
  let results;
  try {
    results = await runIntakeTests(paths, { profile: opts.profile });
  } catch (e) {
    process.stderr.write(`jizo-intake test: ${(e as Error).message}\n`);
    return EXIT.io;
  }
  const out: string[] = [];
  let failed = 0;
  for (const r of results) {
    if (r.ok) {
      out.push(`PASS ${r.file}`);
      continue;
    }
    failed++;
    out.push(`FAIL ${r.file} (profile ${r.profile})`);
    if (r.error) out.push(`  ${r.error}`);
    for (const d of r.diffs) {
      if (d.kind === 'missing') out.push(`  - ${d.path}: ${d.expected}   (missing)`);
      else if (d.kind === 'unexpected') out.push(`  + ${d.path}: ${d.actual}   (unexpected)`);
      else out.push(`  ~ ${d.path}: expected ${d.expected}, got ${d.actual}`);
    }
  }
  if (!opts.verbose) {
    for (const line of out) if (!line.startsWith('PASS ')) process.stdout.write(line + '\n');
  } else process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  if (results.length === 0) {
    process.stderr.write('jizo-intake test: no test files found\n');
    return EXIT.failed;
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
