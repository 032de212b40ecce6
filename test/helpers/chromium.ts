/**
 * Headless Chromium for the page tests, from Debian's `chromium` package,
 * driven by playwright-core (which downloads no browser of its own). When the
 * binary is missing the page tests are skipped with the install command; CI
 * sets JIZO_REQUIRE_SERVICES=1, and a missing browser is then a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const BINARY = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const INSTALL = 'install it with: apt-get update && apt-get install -y chromium';

/** The reason to skip the page tests, or false when they run (the browser is there, or JIZO_REQUIRE_SERVICES=1 asks for it). */
export function chromiumSkip(env: NodeJS.ProcessEnv = process.env): string | false {
  if (env.JIZO_REQUIRE_SERVICES === '1' || existsSync(BINARY)) return false;
  return `${BINARY} not found: the page tests are skipped (${INSTALL}; JIZO_REQUIRE_SERVICES=1 makes this a failure)`;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(BINARY)) throw new Error(`Chromium is required by the page tests and was not found at ${BINARY}; ${INSTALL}`);
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: BINARY, headless: true, args: ['--no-sandbox'] });
}
