import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/engine/run';
import { bootPostgres } from '../../src/infra/database';
import { validateScenario } from '../../src/scenario/load';
import { strategies } from '../../src/strategies';
import { useWorld } from '../support/world';

const world = useWorld();

const faultsFor: Record<string, unknown[]> = {
  outbox: [{ type: 'crash', point: 'after-publish', probability: 0.2 }, { type: 'broker-down', from: 300, to: 700 }],
  'direct-publish': [{ type: 'crash', point: 'after-commit', probability: 0.2 }, { type: 'broker-down', from: 300, to: 700 }],
};

const scenarioFor = (strategy: string, seed: number) => {
  const loaded = validateScenario({
    name: 'determinism',
    title: 'determinism',
    strategy,
    seed,
    workload: { commands: 8, interval: 90 },
    faults: [...(faultsFor[strategy] ?? []), { type: 'consumer-error', consumer: 'email', probability: 0.2 }, { type: 'lose-publish-confirm', probability: 0.1 }],
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.scenario;
};

describe('determinism: same scenario + seed ⇒ byte-identical trace', () => {
  for (const strategy of strategies) {
    it(`${strategy.id}: 20 seeds replay to the same hash`, async () => {
      for (let seed = 1; seed <= 20; seed++) {
        const first = await runScenario(world.pg, scenarioFor(strategy.id, seed));
        const second = await runScenario(world.pg, scenarioFor(strategy.id, seed));
        expect(second.traceHash, `${strategy.id} seed ${seed}`).toBe(first.traceHash);
        expect(JSON.stringify(second.trace)).toBe(JSON.stringify(first.trace));
      }
    });
  }

  it('different seeds give different traces', async () => {
    const a = await runScenario(world.pg, scenarioFor('outbox', 1));
    const b = await runScenario(world.pg, scenarioFor('outbox', 2));
    expect(a.traceHash).not.toBe(b.traceHash);
  });

  it('a fresh PGlite and one that has run other scenarios give the same trace', async () => {
    const fresh = await bootPostgres();
    try {
      for (const strategy of strategies) {
        const onFresh = await runScenario(fresh, scenarioFor(strategy.id, 5));
        const onReused = await runScenario(world.pg, scenarioFor(strategy.id, 5));
        expect(onReused.traceHash, strategy.id).toBe(onFresh.traceHash);
      }
    } finally {
      await fresh.close();
    }
  });
});
