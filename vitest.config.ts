import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file boots PGlite once (3–5 s cold) and then keeps one core busy. Vitest's default
    // leaves a core free, which on a 2-core machine means one file at a time: use both.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
