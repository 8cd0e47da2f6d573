import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { runScenario, type RunResult } from '../../src/engine/run';
import { bootPostgres } from '../../src/infra/database';
import { validateScenario } from '../../src/scenario/load';
import type { ScenarioInput } from '../../src/scenario/schema';

/**
 * One PGlite per test file (a cold boot costs seconds); every run resets it to a blank world.
 * Call at the top of a test file, then `await world.run({...})`.
 */
export function useWorld() {
  let pg: PGlite | undefined;
  beforeAll(async () => {
    pg = await bootPostgres();
  });
  afterAll(async () => {
    await pg?.close();
  });
  return {
    get pg(): PGlite {
      if (!pg) throw new Error('PGlite not booted yet');
      return pg;
    },
    async run(input: Partial<ScenarioInput> & Pick<ScenarioInput, 'strategy'>): Promise<RunResult> {
      const loaded = validateScenario({ name: 'test', title: 'test', seed: 1, ...input });
      if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
      return runScenario(this.pg, loaded.scenario);
    },
  };
}
