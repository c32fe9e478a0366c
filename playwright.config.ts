/**
 * Playwright: Chromium from Debian (/usr/bin/chromium; Playwright's own download is blocked
 * here, never `npx playwright install`). The global setup starts a fresh local stack with
 * the project's migrations and demo seed, plus `next start` against it, on free ports.
 */
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

const CHROMIUM_PATH = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM_PATH)) {
  throw new Error(
    `Chromium not found at ${CHROMIUM_PATH}: install it with apt-get install -y chromium ` +
      '(or point PLAYWRIGHT_CHROMIUM_PATH at a Chromium binary).',
  );
}

export default defineConfig({
  testDir: './tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: './test-results',
  // One Next server and 2 shared cores: one worker keeps timings honest.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    // baseURL is set per test from the server the global setup started (fixtures/people.ts).
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: { executablePath: CHROMIUM_PATH } },
    },
  ],
});
