/**
 * Golden pairs: the documented samples (../shared/fixtures/seed, never
 * rewritten) and test/golden/** (profile from each file). UPDATE_GOLDEN=1
 * rewrites the `expected` of test/golden files from the current output:
 * review the diff before committing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { findTestFiles, runIntakeTest } from '../src/testing/intake-test.js';
import { normalize } from '../src/index.js';
import { toJson } from '../src/serialize.js';
import { parseJson } from '../src/eve/json.js';
import { GOLDEN, SEED } from './helpers/paths.js';

const update = process.env.UPDATE_GOLDEN === '1';

const seedFiles = await findTestFiles([SEED]);
const goldenFiles = await findTestFiles([GOLDEN]);

test('the documented samples are all present', () => {
  assert.deepEqual(
    seedFiles.map((f) => f.split('/').pop()),
    ['event.json', 'http_event.json', 'rule.json'],
  );
});

for (const file of [...seedFiles, ...goldenFiles]) {
  const isSeed = seedFiles.includes(file);
  test(`golden ${file.slice(file.lastIndexOf(isSeed ? '/seed/' : '/golden/') + 1)}`, () => {
    const text = readFileSync(file, 'utf8');
    if (update && !isSeed) {
      const spec = JSON.parse(text) as { profile?: 'sekoia' | 'ecs'; input: { message: string }; expected: unknown };
      const r = normalize(spec.input.message, { profile: spec.profile ?? 'sekoia' });
      assert.ok(r.ok, `input rejected: ${!r.ok ? r.message : ''}`);
      const expected = parseJson(toJson(r.document, r.lossless)).value;
      writeFileSync(file, toJson({ ...spec, expected }, true, 2) + '\n');
      return;
    }
    const result = runIntakeTest(file, text);
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(result.diffs, [], `field differences in ${file}`);
    assert.ok(result.ok);
  });
}
