import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file boots PGlite once (3–5 s cold); files run in parallel on the two cores.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
