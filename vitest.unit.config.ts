import { defineConfig } from 'vitest/config';

// Pure tests only (core logic, lint rules): no Temporal server or databases needed.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    pool: 'forks',
    setupFiles: ['test/support/fast-check-seed.ts'],
    testTimeout: 60_000,
  },
});
