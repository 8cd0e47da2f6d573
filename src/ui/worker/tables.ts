import type { PGlite } from '@electric-sql/pglite';
import type { Cell, TableSnapshot } from './protocol';

/** Rows shown per table; the count says when there are more. */
export const TABLE_ROW_LIMIT = 300;

export interface TableShape {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly string[];
  /** SQL types, as Postgres spells them (`bigint`, `xid8`, ...). */
  readonly columnTypes: readonly string[];
  readonly keyColumns: readonly string[];
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Every table of the run's schemas with its columns and primary key. A run never changes its
 * schema, so the catalogue is read once per strategy (pg_catalog: information_schema views are slow).
 */
export async function readTableShapes(pg: PGlite): Promise<TableShape[]> {
  const result = await pg.query<{ schema: string; name: string; columns: string[]; types: string[]; key: string[] | null }>(`
    select n.nspname as schema, c.relname as name,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
      array(select format_type(a.atttypid, a.atttypmod) from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as types,
      (select array(select a.attname::text from unnest(i.indkey) with ordinality k(attnum, position)
                    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum order by k.position)
       from pg_index i where i.indrelid = c.oid and i.indisprimary) as key
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'public')
      and n.nspname not like 'pg_temp%'
    order by n.nspname, c.relname`);
  return result.rows.map((row) => ({
    schema: row.schema,
    name: row.name,
    columns: row.columns,
    columnTypes: row.types,
    keyColumns: row.key && row.key.length > 0 ? row.key : row.columns.slice(0, 1),
  }));
}

/** One table's rows (up to the limit) and its row count, in one round trip. */
export async function readTable(pg: PGlite, shape: TableShape): Promise<TableSnapshot> {
  const from = `${quote(shape.schema)}.${quote(shape.name)}`;
  const order = shape.keyColumns.map(quote).join(', ');
  const columns = shape.columns.map(quote).join(', ');
  const result = await pg.query<unknown[]>(
    `select ${columns}, count(*) over () from ${from} order by ${order} limit ${TABLE_ROW_LIMIT}`,
    [],
    { rowMode: 'array' },
  );
  const width = shape.columns.length;
  return {
    ...shape,
    rows: result.rows.map((row) => row.slice(0, width).map(toCell)),
    rowCount: Number(result.rows[0]?.[width] ?? 0),
  };
}

export async function readPreparedTransactions(pg: PGlite): Promise<string[]> {
  const result = await pg.query<{ gid: string }>('select gid from pg_prepared_xacts order by prepared, gid');
  return result.rows.map((row) => row.gid);
}

/** Values as the page shows them; structured clone would carry them, but bigint and Date read badly in a cell. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  return JSON.stringify(value);
}
