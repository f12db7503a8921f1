import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.reliability.test.ts'],
    globalSetup: ['server/src/test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each file runs server processes and times their answers; one file at a time keeps the timings honest on a small machine.
    fileParallelism: false,
  },
});
