import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Writes public/pglite-datadir.tar.gz before dev or build, so the page boots Postgres without initdb. */
function pgliteDataDir(): Plugin {
  return {
    name: 'pglite-data-dir',
    async buildStart() {
      // Loaded only when needed: it boots PGlite in Node the first time.
      const { ensureDataDir } = await import('./scripts/data-dir.ts');
      await ensureDataDir(new URL('./public', import.meta.url).pathname);
    },
  };
}

export default defineConfig({
  // Relative URLs: the built site works from any sub-path (GitHub Pages, a wiki embed, a file share).
  base: './',
  plugins: [react(), pgliteDataDir()],
  // Pre-bundling would move PGlite away from its .wasm and .data files, which it finds next to itself.
  optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  preview: { port: 4173, strictPort: true },
});
