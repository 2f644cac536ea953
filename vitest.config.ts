import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    // Statistical tests simulate tens of thousands of trajectories.
    testTimeout: 120_000,
    reporters: ['default'],
  },
});
