/**
 * The status page as a person sees it: `jizo-intake serve` (the bundled
 * program, as installed) takes a known mix of alerts, flows and bad lines over
 * syslog and HTTP, and headless Chromium opens http://…/ on its admin
 * listener. The test reads what a person would read (counts, the rejection
 * reason and its line, the top signature, a description sentence), checks
 * that the browser logged no error, and saves a screenshot under
 * test-artifacts/. Hostile content (markup in a signature and in a rejected
 * line) must show as text.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { describe as describeDoc } from '../src/describe/index.js';
import { normalize } from '../src/index.js';
import { chromiumSkip, launchChromium } from './helpers/chromium.js';
import { httpRequest } from './helpers/net.js';
import { ROOT } from './helpers/paths.js';
import { startServeChild, type ServeChild } from './helpers/serve-child.js';
import { alert, knownMix, sendMix, SCAN, type Mix } from './helpers/status-traffic.js';

const CLI = join(ROOT, 'dist', 'cli', 'jizo-intake.js');
const ARTIFACTS = join(ROOT, 'test-artifacts');

async function startServe(adminExtra = '', env: NodeJS.ProcessEnv = process.env): Promise<ServeChild> {
  const dir = mkdtempSync(join(tmpdir(), 'jizo-page-'));
  writeFileSync(
    join(dir, 'serve.yaml'),
    `data_dir: ${dir}
log_level: warn
admin: { port: 0${adminExtra} }
pipeline: { batch_max_wait: 10ms }
sources:
  syslog: { type: syslog, port: 0, protocols: [tcp] }
  http: { type: http, port: 0 }
sinks:
  file: { type: file, fsync: never }
`,
  );
  return startServeChild(CLI, ['serve', '--config', join(dir, 'serve.yaml')], undefined, env);
}

async function send(serve: ServeChild, mix: Mix, headers: Record<string, string> = {}): Promise<void> {
  await sendMix(mix, { syslog: Number(serve.urls.get('tcp')!.port), http: Number(serve.urls.get('http')!.port) });
  // everything durable or dead-lettered before the page is opened
  const admin = serve.urls.get('status')!;
  const total = mix.syslog.length + mix.http.length;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = JSON.parse((await httpRequest(Number(admin.port), { method: 'GET', path: '/status.json', headers })).body) as { pipeline: { finished: number } };
    if (s.pipeline.finished === total) return;
    if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(s.pipeline)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens the page, collects console errors and page errors, waits for the first data. */
async function open(browser: Browser, url: URL, options: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url.href);
  await page.locator('#state', { hasText: /Healthy|Degraded/ }).waitFor({ timeout: 10_000 });
  return { page, errors };
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();
/** The words of each row of a table body. */
const rows = async (page: Page, selector: string) => (await page.locator(`${selector} tbody tr`).allInnerTexts()).map((t) => t.trim().split(/\s+/));
const tileValue = (page: Page, label: string) => page.locator('.tile', { has: page.locator('.label', { hasText: label }) }).locator('.value').innerText();

describe('serve: the status page in a browser', { skip: chromiumSkip() }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('shows the counts, the rejection reason and its line, the top signature and the events described; no console error', { timeout: 60_000 }, async () => {
    const serve = await startServe();
    try {
      const mix = knownMix();
      await send(serve, mix);
      const { page, errors } = await open(browser, serve.urls.get('status')!);
      assert.equal(await text(page, '#state'), 'Healthy');
      assert.match(await text(page, '#meta'), /^version \d+\.\d+\.\d+\S* · profile sekoia · up \d+ s · updated/);
      assert.deepEqual(
        [await tileValue(page, 'Received'), await tileValue(page, 'Normalized'), await tileValue(page, 'Rejected'), await tileValue(page, 'Backpressure')],
        ['21', '18', '3', 'off'],
      );
      const syslog = await page.locator('#sources .card', { hasText: 'syslog' }).innerText();
      assert.match(syslog, /received\s+13\b/);
      assert.match(syslog, /rejected\s+0\b/);
      assert.match(await page.locator('#sources .card', { hasText: 'http' }).innerText(), /received\s+8\b/);
      const file = await page.locator('#sinks .card', { hasText: 'events.ndjson' }).innerText();
      assert.match(file, /\bok\b/);
      assert.match(file, /written\s+18\b/);
      assert.match(file, /retries\s+0\b/);
      assert.deepEqual(await rows(page, '#reasons'), [['not_json', '2'], ['truncated_json', '1']]);
      const lines = await text(page, '#rejected-lines');
      assert.match(lines, /not_json .*syslog/);
      assert.ok(lines.includes('this is not json at all'), lines);
      const top = await page.locator('#signatures tbody tr').first().innerText();
      assert.match(top, new RegExp(`^sev 2\\s+${SCAN}\\s+6$`));
      assert.deepEqual(await rows(page, '#types'), [['alert', '9'], ['flow', '9']]);
      const r = normalize(mix.http[0]!);
      assert.ok(r.ok);
      const sentence = describeDoc(r.document).text;
      assert.ok((await text(page, '#latest')).includes(sentence), `"${sentence}" in the latest events`);
      assert.match(await text(page, '#config'), /admin token\s+none \(loopback only\)/);
      await screenshot(page, 'status-page.png');
      assert.deepEqual(errors, []);
    } finally {
      await serve.stop();
    }
  });

  it('markup in a signature and in a rejected line shows as text, runs nothing, loads nothing (with the admin token, typed in as a browser would)', { timeout: 60_000 }, async () => {
    const token = 'page-t0ken';
    const serve = await startServe(', token_env: JIZO_TEST_PAGE_TOKEN', { ...process.env, JIZO_TEST_PAGE_TOKEN: token });
    try {
      const signature = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">';
      const line = '"><img src=x onerror="window.__pwned=3"><script>window.__pwned=4</script>';
      await send(serve, { syslog: [alert(0, signature, 1), line], http: [alert(1, signature, 1)] }, { authorization: `Bearer ${token}` });
      // without the token, the browser is asked for credentials (playwright then cancels: none were given)
      const context = await browser.newContext();
      await assert.rejects((await context.newPage()).goto(serve.urls.get('status')!.href), /ERR_INVALID_AUTH_CREDENTIALS/);
      await context.close();
      const { page, errors } = await open(browser, serve.urls.get('status')!, { httpCredentials: { username: 'operator', password: token } });
      assert.match(await page.locator('#signatures tbody tr').first().innerText(), new RegExp(`^sev 1\\s+${signature.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+2$`));
      assert.ok((await text(page, '#rejected-lines')).includes(line));
      assert.ok((await text(page, '#latest')).includes(signature));
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('main script').count(), 0);
      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned), undefined);
      assert.match(await text(page, '#config'), /admin token\s+required/);
      await screenshot(page, 'status-page-hostile.png');
      assert.deepEqual(errors, []);
    } finally {
      await serve.stop();
    }
  });
});
