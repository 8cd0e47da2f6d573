import type { PGlite } from '@electric-sql/pglite';
import { sqlErrorMessage } from '../../infra/database';
import type { QueryOutcome } from './protocol';
import { toCell } from './tables';

export const QUERY_ROW_LIMIT = 500;

/** Statements that only read. Anything else (set, prepare transaction, lock, ...) could outlive the rollback. */
const READING_KEYWORDS = ['select', 'with', 'table', 'values', 'explain', 'show'] as const;

/** The first keyword, after comments and opening parentheses. */
export function leadingKeyword(sql: string): string {
  const withoutComments = sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
  return /^[\s(]*([a-z_]+)/i.exec(withoutComments)?.[1]?.toLowerCase() ?? '';
}

/**
 * Runs one statement of the learner's inside a read-only transaction that is always rolled
 * back: the tables are rebuilt from the trace, and a write would make them lie about the run.
 * PGlite's extended protocol refuses several statements at once, which keeps it to one.
 */
export async function runReadOnlyQuery(pg: PGlite, sql: string): Promise<QueryOutcome> {
  const text = sql.trim().replace(/;\s*$/, '');
  if (text === '') return { ok: false, error: 'SQL: type a statement, e.g. select * from outbox.messages' };
  const keyword = leadingKeyword(text);
  if (!(READING_KEYWORDS as readonly string[]).includes(keyword)) {
    return {
      ok: false,
      error: `SQL: only statements that read can run here (${READING_KEYWORDS.join(', ')}); '${keyword || text.slice(0, 20)}' could change the tables, which are rebuilt from the run's trace`,
    };
  }
  const started = performance.now();
  await pg.exec('begin transaction read only');
  try {
    // Arrays, not objects: `select 1 as n, 2 as n` has two columns of the same name.
    const result = await pg.query<unknown[]>(text, [], { rowMode: 'array' });
    return {
      ok: true,
      columns: result.fields.map((field) => field.name),
      rows: result.rows.slice(0, QUERY_ROW_LIMIT).map((row) => row.map(toCell)),
      rowCount: result.rows.length,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    return { ok: false, error: `SQL: ${describeSqlError(error)}` };
  } finally {
    await pg.exec('rollback');
  }
}

function describeSqlError(error: unknown): string {
  const message = sqlErrorMessage(error);
  if (message.includes('multiple commands')) return 'one statement at a time, please (remove the extra ";")';
  if (message.includes('read-only transaction')) return `${message}: the tables only show what the run wrote`;
  return message;
}
