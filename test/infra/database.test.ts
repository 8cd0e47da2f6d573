import { describe, expect, it } from 'vitest';
import { worldSchemaSql } from '../../src/engine/run';
import { resetDatabase } from '../../src/infra/database';
import { outbox } from '../../src/strategies/outbox';
import { useWorld } from '../support/world';

const world = useWorld();

describe('resetDatabase', () => {
  it('a reset to the same world truncates, yet leaves exactly what a rebuild would', async () => {
    const schema = worldSchemaSql(outbox);
    await resetDatabase(world.pg, schema);
    const fresh = await world.pg.query('select * from outbox.relay_lease');
    await world.run({ strategy: 'outbox', seed: 2, options: { relays: 2, coordination: 'leader-lease' }, workload: { commands: 4, interval: 50 } });
    expect((await world.pg.query('select * from outbox.relay_lease')).rows).not.toEqual(fresh.rows);
    await world.pg.exec("begin; insert into app.applications values ('x', 'y', 'submitted', 1, 0); prepare transaction 'left-over'");

    await resetDatabase(world.pg, schema);
    expect((await world.pg.query('select * from outbox.relay_lease')).rows).toEqual(fresh.rows);
    expect((await world.pg.query('select count(*)::int as n from outbox.messages')).rows).toEqual([{ n: 0 }]);
    expect((await world.pg.query('select gid from pg_prepared_xacts')).rows).toEqual([]);
    const id = await world.pg.query<{ id: number }>(
      `insert into outbox.messages (event_id, aggregate_id, type, routing_key, payload, next_attempt_at, created_at) values ('e', 'a', 't', 'k', '{}', 0, 0) returning id`,
    );
    expect(Number(id.rows[0]!.id)).toBe(1);
    const schemas = await world.pg.query<{ nspname: string }>(`select nspname from pg_namespace where nspname not like 'pg_%' and nspname not in ('information_schema', 'public') order by 1`);
    expect(schemas.rows.map((r) => r.nspname)).toEqual(['analytics_service', 'app', 'email_service', 'entitlement_service', 'outbox']);
  });
});
