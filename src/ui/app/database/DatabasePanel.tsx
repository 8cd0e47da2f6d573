import type { ReactElement } from 'react';
import { mainCursor, useLab } from '../../store';
import { SqlBox } from './SqlBox';
import { groupBySchema } from './table-diff';
import { TableView } from './TableView';

/** The run's real tables, read from PGlite at the cursor; empty tables are listed by name only. */
export function DatabasePanel(): ReactElement {
  const tables = useLab((s) => s.tables);
  const cursor = useLab(mainCursor);
  const { snapshot, previous } = tables;
  const previousOf = (schema: string, name: string) => previous?.tables.find((t) => t.schema === schema && t.name === name);
  const stale = tables.status === 'loading' || (snapshot !== undefined && snapshot.cursor !== cursor);
  return (
    <section className="db-root panel" aria-label="Database" aria-busy={stale}>
      <header className="panel-header">
        <h2>Database</h2>
        <span className="db-status" data-testid="tables-status" data-status={stale ? 'loading' : tables.status}>
          {tables.status === 'error'
            ? `could not read the tables: ${tables.error}`
            : stale
              ? 'loading…'
              : snapshot
                ? `at step ${snapshot.cursor}${snapshot.position < snapshot.cursor ? ` (an open transaction is not shown: as of step ${snapshot.position})` : ''} · ${tables.answeredInMs ?? 0} ms`
                : 'waiting for the first run'}
        </span>
      </header>
      {snapshot && (
        <div className={stale ? 'db-body db-stale' : 'db-body'}>
          <p className="db-prepared" data-testid="prepared-xacts">
            <code>pg_prepared_xacts</code>:{' '}
            {snapshot.preparedTransactions.length === 0 ? 'none in doubt' : snapshot.preparedTransactions.map((gid) => <code key={gid} className="db-gid">{gid}</code>)}
          </p>
          {groupBySchema(snapshot.tables).map(({ schema, tables: list }) => {
            const filled = list.filter((t) => t.rowCount > 0);
            const empty = list.filter((t) => t.rowCount === 0);
            return (
              <div key={schema} className="db-schema">
                <h3 className="db-schema-name">{schema}</h3>
                {filled.map((table) => (
                  <TableView key={table.name} table={table} previous={previousOf(table.schema, table.name)} />
                ))}
                {empty.length > 0 && (
                  <p className="db-empty">
                    Empty:{' '}
                    {empty.map((t) => (
                      <code key={t.name} data-testid={`table-${t.schema}.${t.name}`} data-rows={0}>
                        {t.name}
                      </code>
                    ))}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      )}
      <SqlBox />
    </section>
  );
}
