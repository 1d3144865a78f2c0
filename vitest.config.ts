import { defineConfig } from 'vitest/config';

// Pure logic runs in Node; anything touching a browser lives in e2e/ and runs in real Chromium.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
