import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'shared/src/**/*.test.ts', 'web/src/**/*.test.ts'],
    // `npm run test:security` and `npm run test:reliability` run these (their own configs).
    exclude: ['**/node_modules/**', 'server/src/**/*.security.test.ts', 'server/src/**/*.reliability.test.ts'],
    globalSetup: ['server/src/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
