import { useId, type ReactElement } from 'react';
import { mainCursor, useLab } from '../../store';
import { useController } from '../controller-context';

/** The learner's own read-only SELECT against the tables as they are at the cursor. */
export function SqlBox(): ReactElement {
  const controller = useController();
  const query = useLab((s) => s.query);
  const cursor = useLab(mainCursor);
  const hasRun = useLab((s) => s.run !== undefined);
  const errorId = useId();
  const { outcome } = query;
  return (
    <form
      className="sql-root"
      aria-label="Read-only SQL"
      onSubmit={(e) => {
        e.preventDefault();
        void controller.runQuery();
      }}
    >
      <label className="sql-label" htmlFor={`${errorId}-input`}>
        Your own query (read-only, at step {cursor}) — Ctrl+Enter runs it
      </label>
      <div className="sql-row">
        <textarea
          id={`${errorId}-input`}
          data-testid="sql-input"
          className="sql-input"
          rows={2}
          spellCheck={false}
          value={query.sql}
          aria-invalid={outcome && !outcome.ok ? true : undefined}
          aria-describedby={outcome && !outcome.ok ? errorId : undefined}
          onChange={(e) => controller.setQueryText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void controller.runQuery();
            }
          }}
        />
        <button type="submit" className="btn" disabled={!hasRun || query.running}>
          {query.running ? 'Running…' : 'Run query'}
        </button>
      </div>
      {outcome && !outcome.ok && (
        <p id={errorId} className="sql-error" role="alert" data-testid="sql-error">
          {outcome.error}
        </p>
      )}
      {outcome?.ok && (
        <div className="sql-result" data-testid="sql-result">
          <p className="sql-meta">
            {outcome.rowCount} {outcome.rowCount === 1 ? 'row' : 'rows'} at step {query.atCursor}
            {outcome.rowCount > outcome.rows.length && ` (first ${outcome.rows.length} shown)`} · {outcome.elapsedMs.toFixed(1)} ms
          </p>
          {outcome.columns.length > 0 && (
            <div className="db-scroll">
              <table>
                <thead>
                  <tr>
                    {outcome.columns.map((c, i) => (
                      <th key={i} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {outcome.rows.map((row, r) => (
                    <tr key={r}>
                      {row.map((cell, c) => (
                        <td key={c}>{cell === null ? <span className="db-null">null</span> : cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </form>
  );
}
