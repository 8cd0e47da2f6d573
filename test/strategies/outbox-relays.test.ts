import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyOptions } from '../support/faults';
import { useWorld } from '../support/world';

const world = useWorld();
const burst = { commands: 30, interval: 5 };

describe('outbox with several relays (seed 004: stateless vs coordinated workers)', () => {
  it('uncoordinated relays never publish a row twice, but an aggregate\'s events overtake each other', async () => {
    const r = await world.run({ strategy: 'outbox', seed: 4, workload: burst, options: { relays: 2, batchSize: 3 } });
    expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateDeliveries: 0, duplicateEffects: 0 });
    expect(r.verdict.counters.outOfOrder).toBeGreaterThan(0);
    const publishers = new Set(r.trace.flatMap((e) => (e.kind === 'publish' ? [e.actor] : [])));
    expect([...publishers].sort()).toEqual(['relay', 'relay-2']);
  });

  it('a leader lease lets one relay work; the standby takes over when the leader dies', async () => {
    const r = await world.run({
      strategy: 'outbox',
      seed: 4,
      workload: { commands: 30, interval: 50 },
      options: { relays: 2, coordination: 'leader-lease', leaseMs: 300 },
      faults: [{ type: 'kill', actor: 'relay', at: 400, downMs: 1_000 }],
    });
    expect(r.verdict.counters).toMatchObject({ lost: 0, outOfOrder: 0 });
    const publishers = r.trace.flatMap((e) => (e.kind === 'publish' ? [{ actor: e.actor, t: e.t }] : []));
    expect(publishers.filter((p) => p.t < 400).every((p) => p.actor === 'relay')).toBe(true);
    // The leader's lease lapses 300 ms after its last renewal; the standby takes it long before the leader is back.
    expect(publishers.some((p) => p.t > 400 && p.actor === 'relay-2')).toBe(true);
    const byTime = new Map<number, Set<string>>();
    for (const p of publishers) byTime.set(p.t, (byTime.get(p.t) ?? new Set()).add(p.actor));
    expect([...byTime.values()].every((actors) => actors.size === 1)).toBe(true);
  });

  it('property: per-aggregate claims keep every aggregate in order, whatever crashes the relays', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 2, max: 3 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        async (seed, relays, crashProbability) => {
          const r = await world.run({
            strategy: 'outbox',
            seed,
            workload: { commands: 8, interval: 5 },
            consumers: { idempotent: true },
            options: { relays, coordination: 'per-aggregate', batchSize: 2, leaseMs: 200 },
            faults: [{ type: 'crash', point: 'after-publish', probability: crashProbability }],
          });
          expect(r.endReason).toBe('quiesced');
          expect(r.verdict.counters.lost).toBe(0);
          expect(r.verdict.counters.outOfOrder).toBe(0);
          expect(r.verdict.counters.duplicateEffects).toBe(0);
        },
      ),
      propertyOptions,
    );
  });
});
