import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/engine/run';
import { summarize } from '../../src/engine/report';
import { parseScenarioText } from '../../src/scenario/load';
import { useWorld } from '../support/world';

/**
 * Every file in scenarios/ must validate and still demonstrate what its `expect` block claims,
 * so a change to the engine or a strategy cannot silently turn a story into a different one.
 */
const SCENARIO_DIR = join(import.meta.dirname, '../../scenarios');
const files = readdirSync(SCENARIO_DIR)
  .filter((file) => /\.(ya?ml|json)$/.test(file))
  .sort();

describe('scenarios/', () => {
  const world = useWorld();

  it('holds scenario files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s validates, claims something, and its expect holds', async (file) => {
    const loaded = parseScenarioText(readFileSync(join(SCENARIO_DIR, file), 'utf8'));
    if (!loaded.ok) {
      expect.fail(`${file} is not a valid scenario:\n${loaded.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`);
    }
    const { scenario } = loaded;
    expect(Object.keys(scenario.expect), `${file} has no expect block: say what the scenario demonstrates`).not.toHaveLength(0);
    expect(scenario.description.trim(), `${file} has no description`).not.toBe('');

    const report = summarize(await runScenario(world.pg, scenario));
    expect(report.expectFailures.map((f) => f.message), `${file}: expect does not hold`).toEqual([]);
  });
});
