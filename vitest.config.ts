import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: integration tests hash big files and spawn tools; keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
