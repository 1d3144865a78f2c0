import { defineConfig } from 'vitest/config';

// Pure logic runs in Node; anything touching a browser lives in e2e/ and runs in real Chromium.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // A PostgreSQL server for the collector's PostgreSQL test variants (or a note that they are skipped).
    globalSetup: ['src/collector/test-pg-setup.ts'],
  },
});
