import { readFileSync } from 'node:fs';
import { runScenario, type RunResult } from '../../src/engine/run';
import { loadScenarioOrThrow } from '../../src/scenario/load';
import type { useWorld } from '../support/world';

/** Runs one of the shipped scenario files (scenarios/<name>.yaml) on the test file's PGlite. */
export async function runScenarioFile(world: ReturnType<typeof useWorld>, name: string): Promise<RunResult> {
  const text = readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), 'utf8');
  return runScenario(world.pg, loadScenarioOrThrow(text, name));
}
