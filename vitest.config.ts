import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    // The corpus test takes minutes on 2 cores; it runs in its own worker beside the rest.
    fileParallelism: true,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
