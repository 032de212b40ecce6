/** Every line of the shared corpus becomes a document, a rejection or a counted blank line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from '../src/index.js';
import { corpusLines } from './helpers/corpus.js';
import { CORPUS } from './helpers/paths.js';

test('corpus: documents + rejections + blank lines = lines; rejections only for lines that are not EVE JSON', () => {
  const lines = corpusLines();
  let documents = 0;
  let rejected = 0;
  let blank = 0;
  const reasons = new Map<string, number>();
  for (const { file, line, text } of lines) {
    if (text.trim() === '') {
      blank++;
      continue;
    }
    const r = normalize(text, { receivedAt: '2025-01-01T00:00:00Z' });
    if (r.ok) {
      documents++;
      continue;
    }
    rejected++;
    reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    assert.notEqual(r.reason, 'internal_error', `${file}:${line}: ${r.message}`);
    // A rejected line must really not be a usable EVE object.
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    const o = parsed as Record<string, unknown>;
    assert.ok(
      typeof o !== 'object' || o === null || Array.isArray(o) || (o.event_type === undefined && o.timestamp === undefined),
      `${file}:${line} is an EVE object but was rejected: ${r.message}`,
    );
  }
  assert.equal(documents + rejected + blank, lines.length);
  // The manifest counts 2825 lines; the broken and non-EVE ones are rejected.
  assert.equal(lines.length, 2825);
  assert.ok(documents >= 2800, `documents: ${documents}`);
  assert.ok(rejected > 0 && rejected < 25, `rejected: ${rejected}`);
});

test('corpus: the Jizo lines normalize to the documented values', () => {
  const text = readFileSync(join(CORPUS, 'sekoia-intake-formats_jizo.ndjson'), 'utf8').trim().split('\n');
  for (const line of text) {
    const r = normalize(line);
    assert.ok(r.ok);
    assert.equal(r.document.event?.kind, 'alert');
    assert.equal(r.document.message, line);
    assert.match(String(r.document['@timestamp']), /^2024-06-27T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  }
});
