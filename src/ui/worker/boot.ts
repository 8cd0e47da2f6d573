import { PGlite } from '@electric-sql/pglite';
import pgliteDataUrl from '@electric-sql/pglite/pglite.data?url';
import pgliteWasmUrl from '@electric-sql/pglite/pglite.wasm?url';
import { MAX_PREPARED_TRANSACTIONS } from '../../infra/database';
import type { BootPhase } from './protocol';

export type ReportPhase = (phase: BootPhase, detail?: string) => void;

/**
 * Boots PGlite the way `bootPostgres` does (same start parameters), but fetches and compiles
 * its WASM and file bundle first: that split is what lets the page show real progress, since
 * PGlite.create itself reports nothing until it resolves.
 */
export async function bootPostgresInBrowser(dataDirUrl: string, report: ReportPhase): Promise<PGlite> {
  report('loading Postgres (WASM)', 'fetching and compiling the Postgres WASM, its files and a pre-initialised data directory');
  const [pgliteWasmModule, fsBundle, loadDataDir] = await Promise.all([
    compileWasm(pgliteWasmUrl),
    fetchBlob(pgliteDataUrl),
    fetchDataDir(dataDirUrl),
  ]);
  report('starting', loadDataDir ? 'starting Postgres from the pre-initialised data directory' : 'no pre-initialised data directory: running initdb (slower)');
  return PGlite.create({
    pgliteWasmModule,
    fsBundle,
    ...(loadDataDir ? { loadDataDir } : {}),
    startParams: [...PGlite.defaultStartParams, '-c', `max_prepared_transactions=${MAX_PREPARED_TRANSACTIONS}`],
  });
}

async function compileWasm(url: string): Promise<WebAssembly.Module> {
  const response = await fetchOk(url);
  // Streaming compilation needs the server to say application/wasm; a plain file server may not.
  if (response.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The pre-initialised data dir, if the site has one (a dev server answers a missing file with index.html). */
async function fetchDataDir(url: string): Promise<Blob | undefined> {
  try {
    const blob = await fetchBlob(url);
    const head = new Uint8Array(await blob.slice(0, 262).arrayBuffer());
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    // A server that sends it with Content-Encoding: gzip hands over the tar itself.
    const tar = new TextDecoder().decode(head.slice(257, 262)) === 'ustar';
    return gzip || tar ? blob : undefined;
  } catch {
    return undefined;
  }
}

async function fetchBlob(url: string): Promise<Blob> {
  return (await fetchOk(url)).blob();
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}
