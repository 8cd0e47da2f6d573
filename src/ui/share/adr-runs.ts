import { scenarioUnder } from '../../engine/compare';
import type { RunResult } from '../../engine/run';
import type { LabState } from '../store';

/** Runs plain scenario data in the worker (the controller's runScenario). */
export type RunScenario = (scenario: unknown) => Promise<{ ok: true; result: RunResult } | { ok: false; problems: readonly { field: string; message: string }[] }>;

/**
 * The runs an ADR compares: the scenario's own, then the compare view's strategy when it is on
 * (already run), else the scenario's `compareWith` strategies, run now on the same seed and faults.
 */
export async function adrRuns(state: LabState, run: RunScenario): Promise<RunResult[]> {
  const main = state.run?.result;
  if (!main) throw new Error('nothing has run yet');
  if (state.compare.enabled && state.compare.run) return [main, state.compare.run.result];
  const others: RunResult[] = [];
  for (const strategy of main.scenario.compareWith) {
    if (strategy === main.scenario.strategy) continue;
    const outcome = await run(scenarioUnder(main.scenario, strategy).scenario);
    if (!outcome.ok) throw new Error(`${strategy} could not run: ${outcome.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    others.push(outcome.result);
  }
  return [main, ...others];
}
