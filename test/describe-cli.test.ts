import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeLine } from '../src/describe/line.js';
import { normalize } from '../src/index.js';
import { diffDocuments } from '../src/testing/intake-test.js';
import { validateDocument } from '../src/catalog/validate.js';
import { ROOT, SHARED } from './helpers/documents.js';

const seed = JSON.parse(readFileSync(join(SHARED, 'fixtures/seed/http_event.json'), 'utf8')) as { input: { message: string }; expected: object };
const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(ROOT, 'dist/cli/jizo-intake.js'), ...args], { encoding: 'utf8', input });

describe('describe command and normalize --describe', () => {
  it('normalize adds jizo.description only when asked; the sekoia output stays exact otherwise', () => {
    const plain = normalize(seed.input.message);
    assert.ok(plain.ok);
    assert.deepEqual(diffDocuments(seed.expected, plain.document), []);
    const described = normalize(seed.input.message, { describe: true });
    assert.ok(described.ok);
    const jizo = described.document.jizo as { description: string; flow: { id: string } };
    assert.equal(
      jizo.description,
      'Alert "GPL ATTACK_RESPONSE command completed" (signature 2100494), category "Potentially Bad Traffic", severity 2, allowed ' +
        'from 10.20.30.101:49778 to 203.176.135.102:8082 over TCP/http, HTTP status 200 for /libhtp::request_uri_not_seen.',
    );
    assert.equal(jizo.flow.id, '1017644745558273');
    assert.deepEqual(validateDocument(described.document, 'sekoia'), []);
  });

  it('describeLine reads documents and raw events, and reports bad lines', () => {
    const doc = JSON.stringify(seed.expected);
    const a = describeLine(doc);
    const b = describeLine(seed.input.message, { raw: true });
    assert.ok(a.ok && b.ok);
    assert.deepEqual(a.description, b.description);
    // the reasons are the documented rejection codes
    assert.equal((describeLine('{"x":') as { reason: string }).reason, 'not_json');
    assert.equal((describeLine('[1]') as { reason: string }).reason, 'not_object');
    assert.equal((describeLine('not eve', { raw: true }) as { ok: boolean }).ok, false);
    assert.equal(a.raw, undefined);
  });

  it('describeLine detects raw events given without raw, and says so', () => {
    const told = describeLine(seed.input.message, { raw: true });
    const detected = describeLine(seed.input.message);
    assert.ok(told.ok && detected.ok);
    assert.equal(detected.raw, true);
    assert.deepEqual(detected.description, told.description);
    // a syslog line (not JSON) carrying an event
    const syslog = describeLine(`<134>1 2024-06-27T12:56:49Z sensor jizo - - - ${seed.input.message}`);
    assert.ok(syslog.ok && syslog.raw === true);
    assert.deepEqual(syslog.description, told.description);
    // raw: false means a document, whatever it looks like
    const asDocument = describeLine(seed.input.message, { raw: false });
    assert.ok(asDocument.ok);
    assert.equal(asDocument.raw, undefined);
    assert.notDeepEqual(asDocument.description, told.description);
    // a document without @timestamp that is no EVE event is described as a document
    const partial = describeLine('{"source":{"ip":"192.0.2.1"}}');
    assert.ok(partial.ok);
    assert.equal(partial.raw, undefined);
  });

  it('jizo-intake describe on raw events without --raw says so once and describes them as --raw does', () => {
    const example = join(ROOT, 'examples', 'jizo-events.ndjson');
    const detected = cli(['describe', example]);
    const told = cli(['describe', '--raw', example]);
    assert.equal(detected.status, 0, detected.stderr);
    assert.equal(detected.stdout, told.stdout);
    assert.equal(told.stderr, '');
    assert.equal(detected.stderr.split('\n').filter(Boolean).length, 1);
    assert.match(detected.stderr, /jizo-events\.ndjson:1: raw events \(EVE, syslog or envelope\), not normalized documents: normalizing them with the sekoia profile first, as --raw does/);
  });

  it('jizo-intake describe prints one sentence per line, JSON with --json, and reports bad lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-describe-'));
    const file = join(dir, 'docs.ndjson');
    writeFileSync(file, `${JSON.stringify(seed.expected)}\n\n{broken\n`);
    const r = cli(['describe', file]);
    assert.equal(r.status, 3);
    assert.equal(r.stdout.split('\n').length, 2);
    assert.match(r.stdout, /^Alert "GPL ATTACK_RESPONSE command completed"/);
    assert.match(r.stderr, /docs\.ndjson:3: not_json/);
    const j = cli(['describe', '--json', '--raw', '-'], seed.input.message + '\n');
    assert.equal(j.status, 0, j.stderr);
    const out = JSON.parse(j.stdout) as { template: string; relationships: { verb: string }[] };
    assert.equal(out.template, 'alert-sekoia');
    assert.deepEqual(out.relationships.map((x) => x.verb), ['connected to', 'triggered']);
  });

  it('jizo-intake normalize --describe writes jizo.description', () => {
    const r = cli(['normalize', '--describe', '-q'], seed.input.message + '\n');
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { jizo: { description: string } };
    assert.match(doc.jizo.description, /^Alert "GPL ATTACK_RESPONSE/);
    const plain = JSON.parse(cli(['normalize', '-q'], seed.input.message + '\n').stdout) as { jizo: object };
    assert.deepEqual(plain.jizo, { flow: { id: '1017644745558273' } });
  });
});
