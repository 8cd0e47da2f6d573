import type { Cell, TableSnapshot } from '../../worker/protocol';

export type RowChange = 'added' | 'changed' | 'same';

export interface TableDiff {
  /** Per shown row: what happened to it since the previous snapshot. */
  readonly rows: readonly RowChange[];
  /** Per shown row, the columns whose value differs (empty unless changed). */
  readonly changedColumns: readonly (ReadonlySet<number>)[];
  /** Rows of the previous snapshot that are gone. */
  readonly removed: number;
}

const keyOf = (table: TableSnapshot, row: readonly Cell[]): string =>
  JSON.stringify(table.keyColumns.map((column) => row[table.columns.indexOf(column)] ?? null));

/**
 * What changed in a table between two cursors, matching rows by primary key (the first column
 * when there is none). Without a previous snapshot (first view, another run) nothing is marked.
 */
export function diffTable(current: TableSnapshot, previous: TableSnapshot | undefined): TableDiff {
  const none = { rows: current.rows.map((): RowChange => 'same'), changedColumns: current.rows.map(() => new Set<number>()), removed: 0 };
  if (!previous || previous.columns.join() !== current.columns.join()) return none;
  const before = new Map(previous.rows.map((row) => [keyOf(previous, row), row]));
  const seen = new Set<string>();
  const rows: RowChange[] = [];
  const changedColumns: Set<number>[] = [];
  for (const row of current.rows) {
    const key = keyOf(current, row);
    seen.add(key);
    const old = before.get(key);
    const columns = new Set<number>();
    if (old) row.forEach((cell, i) => cell !== old[i] && columns.add(i));
    rows.push(!old ? 'added' : columns.size > 0 ? 'changed' : 'same');
    changedColumns.push(columns);
  }
  // Counts rather than rows: a row cut by the row limit on one side is not "removed".
  const removed = Math.max(0, previous.rowCount - (current.rowCount - rows.filter((r) => r === 'added').length));
  return { rows, changedColumns, removed: [...before.keys()].some((key) => !seen.has(key)) ? removed : 0 };
}

/** Tables by schema, in the worker's (alphabetical) order. */
export function groupBySchema(tables: readonly TableSnapshot[]): Array<{ schema: string; tables: TableSnapshot[] }> {
  const groups = new Map<string, TableSnapshot[]>();
  for (const table of tables) groups.set(table.schema, [...(groups.get(table.schema) ?? []), table]);
  return [...groups].map(([schema, list]) => ({ schema, tables: list }));
}
