// A real Chromium for the end-to-end page tests, driven by playwright-core (no bundled browser: we use
// the distribution's /usr/bin/chromium). A laptop without it skips those tests and says so; in CI
// (CI=true) a missing Chromium is a failure, as a missing PostgreSQL is in ./stores.ts.

import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM_PATH = process.env.LATCHKEY_TEST_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumAvailable: boolean = existsSync(CHROMIUM_PATH);

const MISSING = `Chromium is not installed at ${CHROMIUM_PATH}: skipping the browser tests.`;

if (!chromiumAvailable && process.env.CI !== 'true') console.warn(MISSING);

/** A headless Chromium, or null when it is missing outside CI. Close it in afterAll. */
export async function launchChromium(): Promise<Browser | null> {
  if (!chromiumAvailable) {
    if (process.env.CI === 'true') {
      throw new Error(`Chromium is required in CI (CI=true) but ${CHROMIUM_PATH} does not exist.`);
    }
    return null;
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * describe() for a suite that needs Chromium: skipped with a warning when it is missing, and run
 * anyway in CI so that launchChromium() fails loudly there.
 */
export const describeWithChromium: typeof describe.skip =
  chromiumAvailable || process.env.CI === 'true' ? describe : describe.skip;
