import { PGlite } from '@electric-sql/pglite';
import type { Kernel } from '../sim/kernel';
import type { Database, Row, Sql } from '../world/database';

export type { Row, Sql } from '../world/database';

/** Enough in-doubt slots for two-phase commit scenarios with several commands in flight. */
export const MAX_PREPARED_TRANSACTIONS = 64;

export async function bootPostgres(options: { loadDataDir?: Blob | File } = {}): Promise<PGlite> {
  return PGlite.create({
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    startParams: [...PGlite.defaultStartParams, '-c', `max_prepared_transactions=${MAX_PREPARED_TRANSACTIONS}`],
  });
}

const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'public', 'pg_toast')`;

interface WorldLayout {
  readonly schemaKey: string;
  /** Every table of the world, quoted, for one TRUNCATE. */
  readonly tables: readonly string[];
  /** Tables that start with rows (e.g. a lease row): [table, its rows as JSON], kept out of the database. */
  readonly seeded: ReadonlyArray<readonly [string, string]>;
}

/** What each database instance was last reset to; a reset to the same world can truncate instead of rebuild. */
const layouts = new WeakMap<PGlite, WorldLayout>();

/**
 * Brings a (possibly reused) database back to a blank world: no prepared transactions, no
 * listeners, no advisory locks, every table as its schema SQL creates it, sequences restarted.
 * Runs before every simulation, so a run on a reused instance sees the same rows and ids as a
 * run on a fresh one. Rebuilding the schemas costs tens of ms; when the world is the same as
 * last time, truncating and restoring the starting rows gives the same state for a fraction.
 */
export async function resetDatabase(pg: PGlite, schemaSql: readonly string[]): Promise<void> {
  const prepared = await pg.query<{ gid: string }>('select gid from pg_prepared_xacts');
  for (const { gid } of prepared.rows) await pg.exec(`rollback prepared '${gid.replaceAll("'", "''")}'`);
  await pg.exec('unlisten *; select pg_advisory_unlock_all();');
  const schemaKey = schemaSql.join('\n');
  const layout = layouts.get(pg);
  if (layout?.schemaKey === schemaKey) {
    await pg.exec(`truncate ${layout.tables.join(', ')} restart identity cascade`);
    for (const [table, rows] of layout.seeded) {
      await pg.query(`insert into ${table} select * from json_populate_recordset(null::${table}, $1)`, [rows]);
    }
    return;
  }
  layouts.delete(pg);
  const schemas = await pg.query<{ nspname: string }>(
    `select nspname from pg_namespace where nspname not in ${SYSTEM_SCHEMAS} and nspname not like 'pg_%' order by nspname`,
  );
  const drops = schemas.rows.map((r) => `drop schema "${r.nspname}" cascade;`).join('\n');
  await pg.exec(drops + '\n' + schemaKey);
  layouts.set(pg, await recordLayout(pg, schemaKey));
}

async function recordLayout(pg: PGlite, schemaKey: string): Promise<WorldLayout> {
  const found = await pg.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ${SYSTEM_SCHEMAS} order by 1, 2`,
  );
  const tables = found.rows.map((t) => `"${t.schema}"."${t.name}"`);
  const seeded: Array<readonly [string, string]> = [];
  for (const table of tables) {
    const rows = await pg.query<{ rows: string | null }>(`select json_agg(t)::text as rows from ${table} t`);
    const json = rows.rows[0]?.rows;
    if (json) seeded.push([table, json]);
  }
  return { schemaKey, tables, seeded };
}

export interface SqlCosts {
  /** Virtual ms one statement costs the actor that runs it. */
  readonly statementMs: number;
}

const normalise = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

/**
 * Statements come from a few dozen templates, so each one's normalised text is remembered: a
 * map lookup costs a fraction of the regex replace it saves on every statement. Bounded,
 * because texts with values baked in (`prepare transaction 'gid'`) would otherwise pile up.
 */
const NORMALISED_LIMIT = 4096;
const normalisedTexts = new Map<string, string>();
function normalised(sql: string): string {
  let text = normalisedTexts.get(sql);
  if (text === undefined) {
    text = normalise(sql);
    if (normalisedTexts.size >= NORMALISED_LIMIT) normalisedTexts.clear();
    normalisedTexts.set(sql, text);
  }
  return text;
}

/**
 * The simulated world's view of Postgres: every statement an actor runs goes through here, is
 * charged virtual time and lands in the trace with its parameters and row count.
 */
export class SimDatabase implements Database {
  constructor(
    readonly pg: PGlite,
    private readonly kernel: Kernel,
    private readonly costs: SqlCosts,
  ) {}

  /** One statement in its own implicit transaction. */
  async query<R extends Row = Row>(actor: string, sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.run<R>(actor, sql, params);
  }

  /**
   * One step's transaction. Anything thrown inside (including a crash signal) rolls it back,
   * as Postgres does when the client gives up or its connection dies.
   */
  async transaction<T>(actor: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    await this.run(actor, 'begin');
    let result: T;
    try {
      result = await work(this.sqlFor(actor));
    } catch (error) {
      await this.run(actor, 'rollback');
      throw error;
    }
    await this.run(actor, 'commit');
    return result;
  }

  /**
   * Runs `work` and leaves its transaction prepared under `gid` (PREPARE TRANSACTION): its
   * locks stay held and its rows stay invisible while other actors go on.
   */
  async prepare(actor: string, gid: string, work: (sql: Sql) => Promise<void>): Promise<void> {
    await this.run(actor, 'begin');
    try {
      await work(this.sqlFor(actor));
    } catch (error) {
      await this.run(actor, 'rollback');
      throw error;
    }
    await this.run(actor, `prepare transaction '${gid}'`);
  }

  /** LISTEN on PGlite; the callback runs inside the step whose transaction notified. */
  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    return this.pg.listen(channel, onNotify);
  }

  /**
   * The `Sql` a step's transaction works with. A method rather than an arrow property: under
   * tsx/esbuild's keepNames every arrow assigned to a property is renamed with
   * Object.defineProperty, once per transaction.
   */
  private sqlFor(actor: string): Sql {
    const db = this;
    return {
      query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
        return db.run<R>(actor, sql, params ?? []);
      },
    };
  }

  private async run<R extends Row>(actor: string, sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const text = normalised(sql);
    this.kernel.spend(this.costs.statementMs);
    try {
      const result = await this.pg.query<R>(text, params as unknown[]);
      const rows = result.affectedRows && result.rows.length === 0 ? result.affectedRows : result.rows.length;
      this.kernel.trace.append(
        params.length > 0 ? { kind: 'sql', actor, sql: text, params: [...params], rows } : { kind: 'sql', actor, sql: text, rows },
      );
      return result.rows;
    } catch (error) {
      this.kernel.trace.append({ kind: 'sql-error', actor, sql: text, error: sqlErrorMessage(error) });
      throw error;
    }
  }
}

export function sqlErrorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    return `${String(error.message)}${code}`;
  }
  return String(error);
}
