import { memo, type ReactElement } from 'react';
import type { Cell, TableSnapshot } from '../../worker/protocol';
import { diffTable } from './table-diff';

const CellText = ({ value }: { value: Cell }): ReactElement =>
  value === null ? <span className="db-null">null</span> : <>{value.length > 80 ? `${value.slice(0, 77)}…` : value}</>;

function columnTitle(table: TableSnapshot, column: string, index: number): string {
  const type = table.columnTypes[index] ?? '';
  const key = table.keyColumns.includes(column) ? ', primary key' : '';
  // Honest about the one thing replay cannot reproduce.
  const xid = type === 'xid8' ? '. Transaction ids count everything this database instance did, so the rebuilt tables number them differently from the run; their order is what matters' : '';
  return `${column}: ${type}${key}${xid}`;
}

/** One real table at the cursor, with rows the last step added or changed highlighted. */
export const TableView = memo(function TableView({ table, previous }: { table: TableSnapshot; previous?: TableSnapshot }): ReactElement {
  const diff = diffTable(table, previous);
  const qualified = `${table.schema}.${table.name}`;
  const changed = diff.rows.filter((r) => r !== 'same').length;
  return (
    <div className="db-table" data-testid={`table-${qualified}`} data-rows={table.rowCount}>
      <h4 className="db-table-name">
        {table.name}{' '}
        <span className="db-count">
          {table.rowCount} {table.rowCount === 1 ? 'row' : 'rows'}
          {table.rowCount > table.rows.length && ` (first ${table.rows.length} shown)`}
          {changed > 0 && <span className="db-changes"> · {changed} changed by this step</span>}
          {diff.removed > 0 && <span className="db-changes"> · {diff.removed} deleted</span>}
        </span>
      </h4>
      <div className="db-scroll">
        <table>
          <thead>
            <tr>
              {table.columns.map((column, i) => (
                <th key={column} scope="col" className={table.keyColumns.includes(column) ? 'db-key' : undefined} title={columnTitle(table, column, i)}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r} className={diff.rows[r] === 'same' ? undefined : `db-row-${diff.rows[r]}`}>
                {row.map((cell, c) => (
                  <td key={c} className={diff.changedColumns[r]?.has(c) ? 'db-cell-changed' : undefined} title={cell ?? 'null'}>
                    <CellText value={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
