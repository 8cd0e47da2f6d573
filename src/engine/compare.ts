import type { ConsumerId } from '../infra/consumers';
import type { Fault, Scenario } from '../scenario/schema';
import { actorsOf, crashPointsOf, findStrategy } from '../strategies';
import type { Strategy } from '../strategies/strategy';

/**
 * Why a fault cannot apply to a strategy — a crash point it does not have, an actor it does
 * not start — or undefined when it can.
 */
export function faultMismatch(fault: Fault, strategy: Strategy<any>, options: unknown, services: readonly ConsumerId[]): string | undefined {
  if (fault.type === 'crash' && !crashPointsOf(strategy).some((p) => p.id === fault.point)) {
    return `crash point '${fault.point}' does not exist in ${strategy.id}`;
  }
  if (fault.type === 'kill' && !actorsOf(strategy, options, services).includes(fault.actor)) {
    return `there is no actor '${fault.actor}' in ${strategy.id}`;
  }
  return undefined;
}

/**
 * The same scenario under another strategy, for side-by-side comparison: same seed, workload,
 * consumers and faults — except crash points (and kills of actors) the other strategy does not
 * have, which are dropped and reported so the page can say so.
 */
export function scenarioUnder(scenario: Scenario, strategyId: Scenario['strategy']): { scenario: Scenario; dropped: Fault[] } {
  const strategy = findStrategy(strategyId);
  if (!strategy) throw new Error(`strategy '${strategyId}' is not registered`);
  const sameStrategy = strategyId === scenario.strategy;
  const options = sameStrategy ? scenario.options : (strategy.options.parse({}) as Record<string, unknown>);
  const kept: Fault[] = [];
  const dropped: Fault[] = [];
  for (const fault of scenario.faults) {
    (faultMismatch(fault, strategy, options, scenario.consumers.services) ? dropped : kept).push(fault);
  }
  return { scenario: { ...scenario, strategy: strategyId, options, faults: kept, compareWith: [] }, dropped };
}
