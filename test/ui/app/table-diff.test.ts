import { describe, expect, it } from 'vitest';
import { diffTable, groupBySchema } from '../../../src/ui/app/database/table-diff';
import type { TableSnapshot } from '../../../src/ui/worker/protocol';

const table = (rows: string[][], keyColumns = ['id']): TableSnapshot => ({
  schema: 'outbox', name: 'messages', columns: ['id', 'status'], columnTypes: ['bigint', 'text'], keyColumns, rows, rowCount: rows.length,
});

describe('table diff between two cursors', () => {
  it('marks a new row and a changed cell by primary key', () => {
    const before = table([['1', 'pending']]);
    const after = table([['1', 'sent'], ['2', 'pending']]);
    const diff = diffTable(after, before);
    expect(diff.rows).toEqual(['changed', 'added']);
    expect([...diff.changedColumns[0]!]).toEqual([1]);
    expect(diff.removed).toBe(0);
  });

  it('counts deleted rows', () => {
    const diff = diffTable(table([['2', 'x']]), table([['1', 'x'], ['2', 'x']]));
    expect(diff.rows).toEqual(['same']);
    expect(diff.removed).toBe(1);
  });

  it('marks nothing without a previous snapshot', () => {
    expect(diffTable(table([['1', 'x']]), undefined).rows).toEqual(['same']);
  });

  it('matches on a composite key', () => {
    const snapshot = (rows: string[][]): TableSnapshot => ({ ...table(rows, ['id', 'status']) });
    expect(diffTable(snapshot([['1', 'b']]), snapshot([['1', 'a']])).rows).toEqual(['added']);
  });

  it('groups tables by schema', () => {
    const other = { ...table([]), schema: 'email_service', name: 'inbox' };
    expect(groupBySchema([other, table([])]).map((g) => g.schema)).toEqual(['email_service', 'outbox']);
  });
});
