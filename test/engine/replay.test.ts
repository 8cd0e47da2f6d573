import { describe, expect, it } from 'vitest';
import { committedBoundary, DatabaseReplay } from '../../src/engine/replay';
import { useWorld } from '../support/world';

const world = useWorld();

async function snapshot(): Promise<string> {
  const tables = await world.pg.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_schema not in ('pg_catalog', 'information_schema', 'public') order by 1, 2`,
  );
  const parts: string[] = [];
  for (const { schema, name } of tables.rows) {
    // Transaction ids depend on everything the instance did before; every other value must match.
    const columns = await world.pg.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = $1 and table_name = $2 and data_type <> 'xid8' order by ordinal_position`,
      [schema, name],
    );
    const list = columns.rows.map((c) => `"${c.column_name}"`).join(', ');
    const rows = await world.pg.query(`select ${list} from "${schema}"."${name}" order by 1`);
    parts.push(`${schema}.${name}: ${JSON.stringify(rows.rows)}`);
  }
  const prepared = await world.pg.query<{ gid: string }>('select gid from pg_prepared_xacts order by gid');
  return [...parts, `prepared: ${prepared.rows.map((r) => r.gid).join(',')}`].join('\n');
}

describe('database replay (time travel for the table views)', () => {
  it('replaying the whole trace rebuilds exactly the tables the run left behind', async () => {
    for (const strategy of ['outbox', 'direct-publish', 'two-phase-commit', 'process-manager', 'poller'] as const) {
      const run = await world.run({ strategy, seed: 3, workload: { commands: 10, interval: 60 } });
      const after = await snapshot();
      const replay = new DatabaseReplay(world.pg);
      await replay.seek(run.trace, run.trace.length);
      expect(await snapshot(), strategy).toBe(after);
    }
  });

  it('seeking back shows an earlier state; seeking forward again catches up', async () => {
    const run = await world.run({ strategy: 'outbox', seed: 5, workload: { commands: 8, interval: 60 } });
    const replay = new DatabaseReplay(world.pg);
    const firstCommit = run.trace.findIndex((e) => e.kind === 'commit');
    await replay.seek(run.trace, firstCommit + 1);
    const early = await world.pg.query<{ n: number }>('select count(*)::int as n from outbox.messages');
    expect(early.rows[0]!.n).toBe(1);
    await replay.seek(run.trace, run.trace.length);
    const late = await world.pg.query<{ n: number }>(`select count(*)::int as n from outbox.messages where status = 'sent'`);
    expect(late.rows[0]!.n).toBe(run.verdict.counters.committed);
    await replay.seek(run.trace, firstCommit + 1);
    const again = await world.pg.query<{ n: number }>('select count(*)::int as n from outbox.messages');
    expect(again.rows[0]!.n).toBe(1);
  });

  it('a transaction open at the cursor is not shown', () => {
    const sql = (i: number, text: string) => ({ i, t: 0, kind: 'sql' as const, actor: 'api', sql: text, rows: 0 });
    const trace = [sql(0, 'begin'), sql(1, 'insert x'), sql(2, 'commit'), sql(3, 'begin'), sql(4, 'insert y')];
    expect(committedBoundary(trace, 2)).toBe(0);
    expect(committedBoundary(trace, 3)).toBe(3);
    expect(committedBoundary(trace, 5)).toBe(3);
  });
});
