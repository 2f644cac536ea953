import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests (test/e2e): the built app driven by playwright-core, in
 * web mode (Debian's Chromium against `sciope serve`) and in Electron where
 * its binary is installed. Run after `npm run build`: `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // Each test starts an app or a server and runs a small inference.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One app at a time: they compete for the cores the worker pools use.
    fileParallelism: false,
    reporters: ['default'],
  },
});
