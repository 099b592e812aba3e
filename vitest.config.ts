import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The store suites share one PostgreSQL server; each file makes its own database.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
