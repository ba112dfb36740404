import { defineConfig } from 'vitest/config';

/** Files that measure load and must not share the CPU with another test file: run on their own, after the rest. */
const ALONE = ['test/bench-smoke.test.ts', 'test/cluster/replicas.test.ts'];

export default defineConfig({
  test: {
    // One real PostgreSQL per project, started here (or FERRY_TEST_POSTGRES_URL).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // expect.poll waits for something to converge (a page to render, a job to run); 1 s (the default) is too
    // short on a loaded CI machine. A poll stops as soon as it passes.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'ui/src/**/*.test.{ts,tsx}'],
          exclude: ALONE,
          // Two test files at a time (vitest would run one here): most of the suite waits on servers, subprocesses
          // and timers rather than the CPU. Every test owns its ports, temp dirs and database. FERRY_TEST_WORKERS overrides.
          maxWorkers: Number(process.env['FERRY_TEST_WORKERS'] ?? 2),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
