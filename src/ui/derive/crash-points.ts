import { CONSUMER_IDS, afterEffectPoint, consumerActor } from '../../infra/consumers';
import { findStrategy } from '../../strategies';
import type { CrashPoint } from '../../strategies/strategy';

/**
 * The crash points a run of this strategy can reach: the strategy's own and the consumer
 * services'. The same list as `crashPointsOf` in src/engine/run.ts, rebuilt here because that
 * module pulls PGlite into whatever imports it, and these functions run on the page's main thread.
 */
export function crashPointsFor(strategyId: string): CrashPoint[] {
  const strategy = findStrategy(strategyId);
  return [...(strategy?.crashPoints ?? []), ...consumerCrashPoints()];
}

function consumerCrashPoints(): CrashPoint[] {
  return CONSUMER_IDS.map((id) => ({
    id: afterEffectPoint(id),
    actor: consumerActor(id),
    description: `The ${id} service performed its effects and dies before acknowledging: the message is redelivered.`,
  }));
}

/** Services whose effects the strategy's own actors perform (no queue, no consumer actor for them). */
export function servicesPerformedBy(strategyId: string): readonly string[] {
  switch (strategyId) {
    case 'poller':
      return CONSUMER_IDS;
    case 'process-manager':
      return ['email', 'entitlement'];
    default:
      return [];
  }
}
