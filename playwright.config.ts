import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the built site, served from a sub-path as it would be on GitHub Pages
 * (the build uses relative URLs). Debian's Chromium: Playwright cannot download browsers here.
 */
/** `E2E_PORT` lets two checkouts run their suites side by side. */
const PORT = Number(process.env.E2E_PORT ?? 4317);
export const SUB_PATH = '/outbox-lab/';
/** Its own build directory and preview lock: another session's `vite build` or preview of dist/ cannot pull the site away mid-suite. */
const SITE_DIR = 'test-results/site';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}${SUB_PATH}`,
    headless: true,
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `npm run build -- --outDir ${SITE_DIR} --emptyOutDir && npx vite preview --outDir ${SITE_DIR} --port ${PORT} --strictPort --base ${SUB_PATH} --bypass-lock`,
    url: `http://localhost:${PORT}${SUB_PATH}`,
    // Always our own build: a server already on the port may be serving something else.
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
