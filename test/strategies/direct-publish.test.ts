import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokerOutage, consumerErrors, lostConfirms, propertyOptions } from '../support/faults';
import { useWorld } from '../support/world';

const world = useWorld();

describe('direct publish', () => {
  it('handler dies after commit → the event is never published: lost', async () => {
    const r = await world.run({ strategy: 'direct-publish', seed: 7, faults: [{ type: 'crash', point: 'after-commit', nth: 3 }] });
    const crash = r.trace.find((e) => e.kind === 'crash');
    expect(crash).toMatchObject({ actor: 'api', point: 'after-commit' });
    expect(r.verdict.counters.lost).toBeGreaterThan(0);
    // The state change is in Postgres all the same: a zombie record nobody hears about.
    const lostEvent = r.verdict.violations.find((v) => v.kind === 'lost')!;
    const commit = r.trace[lostEvent.entry]!;
    expect(commit.kind).toBe('commit');
    const aggregate = commit.kind === 'commit' ? commit.events[0]!.aggregateId : '';
    const rows = await world.pg.query('select id from app.applications where id = $1', [aggregate]);
    expect(rows.rows).toHaveLength(1);
  });

  it('broker down: every event committed during the outage is lost, none before or after', async () => {
    const r = await world.run({ strategy: 'direct-publish', seed: 2, faults: [{ type: 'broker-down', from: 500, to: 1000 }] });
    const failedPublishes = r.trace.filter((e) => e.kind === 'publish' && e.outcome !== 'confirmed');
    expect(failedPublishes.length).toBeGreaterThan(0);
    expect(failedPublishes.every((e) => e.t >= 500 && e.t < 1000)).toBe(true);
    expect(r.verdict.counters.lost).toBeGreaterThan(0);
    expect(r.verdict.counters.phantom).toBe(0);
  });

  it('publish first, then die before commit → consumers act on a change that never happened: phantom', async () => {
    const r = await world.run({
      strategy: 'direct-publish',
      seed: 4,
      options: { order: 'publish-then-commit' },
      faults: [{ type: 'crash', point: 'before-commit', nth: 2 }],
    });
    expect(r.verdict.counters.phantom).toBeGreaterThan(0);
    expect(r.verdict.counters.lost).toBe(0);
    expect(r.trace.some((e) => e.kind === 'sql' && e.actor === 'api' && e.sql === 'rollback')).toBe(true);
  });

  it('publish first with a lost confirm → the handler rolls back, the broker delivers anyway: phantom', async () => {
    const r = await world.run({
      strategy: 'direct-publish',
      seed: 4,
      options: { order: 'publish-then-commit' },
      faults: [{ type: 'lose-publish-confirm', nth: 1 }],
    });
    expect(r.trace.some((e) => e.kind === 'publish' && e.outcome === 'confirm-lost')).toBe(true);
    expect(r.verdict.counters.phantom).toBeGreaterThan(0);
  });

  it('with no faults it is correct and fast', async () => {
    const r = await world.run({ strategy: 'direct-publish', seed: 9 });
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0, duplicateEffects: 0 });
    expect(r.verdict.latency.max).toBeLessThan(100);
  });

  it('property: a crash after commit always loses at least one event, whatever else goes wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.oneof(brokerOutage, consumerErrors, lostConfirms), { maxLength: 3 }),
        fc.boolean(),
        async (seed, nth, otherFaults, idempotent) => {
          const r = await world.run({
            strategy: 'direct-publish',
            seed,
            workload: { commands: 6, interval: 100 },
            consumers: { idempotent },
            faults: [{ type: 'crash', point: 'after-commit', nth }, ...otherFaults],
          });
          expect(r.trace.some((e) => e.kind === 'crash' && e.point === 'after-commit')).toBe(true);
          expect(r.verdict.counters.lost).toBeGreaterThanOrEqual(1);
        },
      ),
      propertyOptions,
    );
  });
});
