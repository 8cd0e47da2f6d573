import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatabaseReplay } from '../../../src/engine/replay';
import { parseScenarioText } from '../../../src/scenario/load';
import { EngineSession, UnknownRunError } from '../../../src/ui/worker/engine-session';
import { runReadOnlyQuery } from '../../../src/ui/worker/read-only-query';
import { stateChanges, writtenTables } from '../../../src/ui/worker/state-changes';
import { TableHistory } from '../../../src/ui/worker/table-history';
import type { TableSnapshot } from '../../../src/ui/worker/protocol';
import { readPreparedTransactions, readTable, readTableShapes } from '../../../src/ui/worker/tables';
import { useWorld } from '../../support/world';

const world = useWorld();
const scenarioFile = (name: string): unknown => {
  const loaded = parseScenarioText(readFileSync(`scenarios/${name}.yaml`, 'utf8'));
  if (!loaded.ok) throw new Error(name);
  return loaded.scenario;
};

/**
 * Transaction ids count everything the instance ever did, so a replay numbers them differently
 * from the run (and from another replay); every other value must be equal.
 */
function withoutTransactionIds(view: unknown): unknown {
  const { tables, prepared } = view as { tables: TableSnapshot[]; prepared: string[] };
  return {
    prepared,
    tables: tables.map((table) => {
      const kept = table.columnTypes.map((type, i) => (type === 'xid8' ? -1 : i)).filter((i) => i >= 0);
      return { ...table, rows: table.rows.map((row) => kept.map((i) => row[i])) };
    }),
  };
}

/** The tables read straight from a database replayed to the cursor: what the history must equal. */
async function readDirectly(trace: Parameters<DatabaseReplay['seek']>[0], cursor: number) {
  const replay = new DatabaseReplay(world.pg);
  await replay.seek(trace, cursor);
  const shapes = await readTableShapes(world.pg);
  return { tables: await Promise.all(shapes.map((shape) => readTable(world.pg, shape))), prepared: await readPreparedTransactions(world.pg) };
}

describe('table history (time travel for the database panel)', () => {
  it('names the tables a statement writes', () => {
    expect(writtenTables('update outbox.messages set status = $1 where id = any($2)')).toEqual(new Set(['outbox.messages']));
    expect(writtenTables('insert into app.applications (id) values ($1)')).toEqual(new Set(['app.applications']));
    expect(writtenTables('select * from outbox.messages for update skip locked')).toEqual(new Set());
    expect(writtenTables('lock mystery')).toBe('all');
  });

  for (const name of ['outbox-crash-after-publish', 'two-phase-commit-coordinator-in-doubt', 'poller-sequence-gap', 'process-manager-worker-crash']) {
    it(`${name}: every cursor, in any order, shows exactly the tables a fresh replay shows`, async () => {
      const session = new EngineSession(world.pg);
      const outcome = await session.run(scenarioFile(name));
      if (!outcome.ok) throw new Error('scenario invalid');
      const { trace } = outcome.result;
      const changes = stateChanges(trace);
      // Every state change, the cursors just before it, and a walk backwards.
      const cursors = [...new Set([trace.length, ...changes.flatMap((c) => [c.position, c.position - 1]), 0])].filter((_, i) => i % 3 === 0);
      const seen = new Map<number, unknown>();
      for (const cursor of [...cursors].reverse().concat(cursors)) {
        const snapshot = await session.tables(outcome.runId, cursor);
        seen.set(cursor, { tables: snapshot.tables, prepared: snapshot.preparedTransactions });
      }
      for (const cursor of cursors.filter((_, i) => i % 4 === 0)) {
        expect(withoutTransactionIds(seen.get(cursor)), `cursor ${cursor}`).toEqual(withoutTransactionIds(await readDirectly(trace, cursor)));
      }
    });
  }

  it('a history filled in slices answers like one filled on demand', async () => {
    const session = new EngineSession(world.pg);
    const outcome = await session.run(scenarioFile('outbox-broker-outage'));
    if (!outcome.ok) throw new Error('scenario invalid');
    const history = new TableHistory(world.pg, new DatabaseReplay(world.pg), outcome.result.trace);
    while (!history.complete) await history.captureSome(7);
    const middle = Math.floor(outcome.result.trace.length / 2);
    const { tables, prepared } = await history.at(middle);
    expect({ tables, prepared }).toEqual(await readDirectly(outcome.result.trace, middle));
  });

  it('an unknown run is reported as such (the page then hands the trace over)', async () => {
    const session = new EngineSession(world.pg);
    expect(() => session.tables(99, 0)).toThrow(UnknownRunError);
  });

  it('an invalid scenario comes back as problems naming the fields', async () => {
    const session = new EngineSession(world.pg);
    const outcome = await session.run({ name: 'x', title: 'x', strategy: 'outbox', seed: -1 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => p.field)).toContain('seed');
  });
});

describe('the read-only SQL box', () => {
  it('reads, and refuses everything that could change the tables', async () => {
    await world.run({ strategy: 'outbox', workload: { commands: 3, interval: 50 } });
    const ok = await runReadOnlyQuery(world.pg, 'select count(*) as n, 1 as n from outbox.messages;');
    expect(ok).toMatchObject({ ok: true, columns: ['n', 'n'], rows: [['3', '1']] });
    const refused = async (sql: string) => {
      const outcome = await runReadOnlyQuery(world.pg, sql);
      return outcome.ok ? 'ran' : outcome.error;
    };
    expect(await refused('delete from outbox.messages')).toMatch(/^SQL: only statements that read/);
    expect(await refused("prepare transaction 'x'")).toMatch(/^SQL: only statements that read/);
    expect(await refused('set transaction read write')).toMatch(/^SQL: only statements that read/);
    expect(await refused('/* hi */ update outbox.messages set status = $$x$$')).toMatch(/'update'/);
    expect(await refused('select 1; select 2')).toMatch(/one statement at a time/);
    expect(await refused('with gone as (delete from outbox.messages returning 1) select count(*) from gone')).toMatch(/read-only transaction/);
    expect(await refused('select * from outbox.messages for update')).toMatch(/read-only transaction/);
    expect(await refused('selec 1')).toMatch(/^SQL: only statements that read/);
    expect(await refused('select nope from outbox.messages')).toMatch(/^SQL: column "nope" does not exist/);
    expect(await refused('')).toMatch(/^SQL: type a statement/);
    const after = await runReadOnlyQuery(world.pg, 'select count(*) from outbox.messages');
    expect(after).toMatchObject({ ok: true, rows: [['3']] });
    expect((await world.pg.query('select gid from pg_prepared_xacts')).rows).toEqual([]);
  });
});
