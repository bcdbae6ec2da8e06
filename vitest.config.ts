import { defineConfig } from 'vitest/config';

// Temporal's native runtime is a per-process singleton: run test files in forked processes,
// and start one dev server (and the databases) for the whole run in the global setup.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    setupFiles: ['test/support/fast-check-seed.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
