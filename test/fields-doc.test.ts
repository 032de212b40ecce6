import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { profileFields } from '../src/catalog/catalog.js';
import { fieldsMarkdown } from '../src/catalog/format.js';
import { ROOT } from './helpers/documents.js';

const cli = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'dist/cli/jizo-intake.js'), ...args], { encoding: 'utf8' });

describe('docs/fields.md and jizo-intake fields', () => {
  it('docs/fields.md is current', () => {
    const committed = readFileSync(join(ROOT, 'docs/fields.md'), 'utf8');
    assert.ok(committed === fieldsMarkdown(), 'docs/fields.md is stale: regenerate it with `npm run docs:fields` and commit it');
  });

  it('lists one row per field with its type', () => {
    const md = fieldsMarkdown('sekoia');
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    assert.equal(rows.length, profileFields('sekoia').length);
    assert.ok(rows.includes('| `url.original` | wildcard | keyword |  | ECS | sekoia, ecs | Unmodified original url as seen in the event source. |'), rows.join('\n'));
  });

  it('prints JSON for a profile', () => {
    const fields = JSON.parse(cli('fields', '--profile', 'sekoia', '--format', 'json')) as { name: string; type: string; profiles: string[] }[];
    assert.deepEqual(
      fields.map((f) => f.name),
      profileFields('sekoia').map((f) => f.name),
    );
    assert.ok(fields.every((f) => f.profiles.includes('sekoia')));
  });

  it('refuses an unknown format', () => {
    assert.throws(() => cli('fields', '--format', 'yaml'), (e: { status: number }) => e.status === 2);
  });
});
