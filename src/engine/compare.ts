import type { Fault, Scenario } from '../scenario/schema';
import { crashPointsOf, findStrategy } from '../strategies';

/**
 * The same scenario under another strategy, for side-by-side comparison: same seed, workload,
 * consumers and faults — except crash points (and kills of actors) the other strategy does not
 * have, which are dropped and reported so the page can say so.
 */
export function scenarioUnder(scenario: Scenario, strategyId: Scenario['strategy']): { scenario: Scenario; dropped: Fault[] } {
  const strategy = findStrategy(strategyId);
  if (!strategy) throw new Error(`strategy '${strategyId}' is not registered`);
  const points = new Set(crashPointsOf(strategy).map((p) => p.id));
  const options = strategy.options.parse({}) as Record<string, unknown>;
  const actors = new Set(['api', ...strategy.actorIds(options, scenario.consumers.services), ...crashPointsOf(strategy).map((p) => p.actor)]);
  const kept: Fault[] = [];
  const dropped: Fault[] = [];
  for (const fault of scenario.faults) {
    const fits = fault.type === 'crash' ? points.has(fault.point) : fault.type === 'kill' ? actors.has(fault.actor) || fault.actor.endsWith('-service') : true;
    (fits ? kept : dropped).push(fault);
  }
  const sameStrategy = strategyId === scenario.strategy;
  return {
    scenario: { ...scenario, strategy: strategyId, options: sameStrategy ? scenario.options : options, faults: kept, compareWith: [] },
    dropped,
  };
}
