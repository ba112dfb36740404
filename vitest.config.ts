import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'ui/src/**/*.test.{ts,tsx}'],
    // One real PostgreSQL for the whole run, started here (or FERRY_TEST_POSTGRES_URL).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // expect.poll waits for something to converge (a page to render, a job to run); 1 s (the default) is too
    // short on a loaded CI machine. A poll stops as soon as it passes.
    expect: { poll: { timeout: 10_000 } },
  },
});
