import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bootPostgres } from '../src/infra/database.ts';

/**
 * A pre-initialised Postgres data directory for the page: booting from it skips initdb, which
 * is most of PGlite's cold start in the browser (4–5 s → about 1 s). It is rebuilt when the
 * PGlite version changes, since a data directory only fits the binary that wrote it.
 */
export const DATA_DIR_FILE = 'pglite-datadir.tar.gz';

function pgliteVersion(): string {
  const manifest = new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export async function ensureDataDir(publicDir: string): Promise<string> {
  const target = `${publicDir}/${DATA_DIR_FILE}`;
  // Outside public/, so the stamp is not shipped with the site.
  const stamp = new URL('../node_modules/.cache/outbox-lab/data-dir.version', import.meta.url);
  const version = pgliteVersion();
  if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return target;
  mkdirSync(dirname(target), { recursive: true });
  const pg = await bootPostgres();
  try {
    const dump = await pg.dumpDataDir('gzip');
    writeFileSync(target, new Uint8Array(await dump.arrayBuffer()));
    mkdirSync(dirname(stamp.pathname), { recursive: true });
    writeFileSync(stamp, version);
  } finally {
    await pg.close();
  }
  return target;
}
