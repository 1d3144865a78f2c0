import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { ADMIN_TOKEN, COLLECTOR_PORT, FIXTURE_PORT } from './e2e/ports.ts';

// Debian's Chromium when it is installed (CI, this machine); Playwright's own browser otherwise.
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

export default defineConfig({
  testDir: 'e2e',
  // React chat kits for the preset tests are built once into .tmp/fixture-apps (skipped when fresh).
  globalSetup: './e2e/build-fixture-apps.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      ...(systemChromium ? { executablePath: systemChromium } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'off',
  },
  projects: [
    { name: 'browser', testIgnore: /dashboard\.spec\.ts/ },
    // The dashboard test reads the newest conversations: it runs once nothing else writes any.
    { name: 'dashboard', testMatch: /dashboard\.spec\.ts/, dependencies: ['browser'] },
  ],
  webServer: [
    {
      // The real collector with a fresh in-memory database for every run.
      command: 'tsx src/collector/main.ts',
      env: { PORT: String(COLLECTOR_PORT), HOST: '127.0.0.1', CHATPULSE_DB: ':memory:', CHATPULSE_ADMIN_TOKEN: ADMIN_TOKEN },
      url: `http://127.0.0.1:${COLLECTOR_PORT}/healthz`,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // Host pages on another origin than the collector, as a site owner's pages would be.
      command: 'tsx e2e/fixture-server.ts',
      env: { PORT: String(FIXTURE_PORT) },
      url: `http://127.0.0.1:${FIXTURE_PORT}/healthz`,
      reuseExistingServer: false,
    },
  ],
});
