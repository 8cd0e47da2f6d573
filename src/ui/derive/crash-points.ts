import { CONSUMER_IDS } from '../../infra/consumers';
import { crashPointsOf, findStrategy } from '../../strategies';
import type { CrashPoint } from '../../strategies/strategy';

/** The crash points a run of this strategy can reach: the strategy's own and the consumer services'. */
export function crashPointsFor(strategyId: string): CrashPoint[] {
  const strategy = findStrategy(strategyId);
  return strategy ? crashPointsOf(strategy) : [];
}

/** Services whose effects the strategy's own actors perform (no queue, no consumer actor for them). */
export function servicesPerformedBy(strategyId: string): readonly string[] {
  return findStrategy(strategyId)?.performsEffectsOf?.(CONSUMER_IDS) ?? [];
}
