import { directPublish } from './direct-publish';
import { outbox } from './outbox';
import { poller } from './poller';
import { processManager } from './process-manager';
import { CONSUMER_IDS, CONSUMERS, afterEffectPoint, consumerActor, type ConsumerId } from '../infra/consumers';
import { API_ACTOR, type CrashPoint, type Strategy, type StrategyId } from './strategy';
import { twoPhaseCommit } from './two-phase-commit';

/** Every registered strategy, in the order the page and `--list` show them. */
export const strategies: readonly Strategy<any>[] = [poller, outbox, directPublish, processManager, twoPhaseCommit];

export function findStrategy(id: string): Strategy<any> | undefined {
  return strategies.find((s) => s.id === id);
}

export function registeredStrategyIds(): StrategyId[] {
  return strategies.map((s) => s.id);
}

/** Crash points every strategy has: the consumer services' own. */
export function infrastructureCrashPoints(): CrashPoint[] {
  return (Object.keys(CONSUMERS) as ConsumerId[]).map((id) => ({
    id: afterEffectPoint(id),
    actor: consumerActor(id),
    description: `The ${id} service performed its effects and dies before acknowledging: the message is redelivered.`,
  }));
}

/** Every crash point a run of this strategy can reach: its own and the consumer services'. */
export function crashPointsOf(strategy: Strategy<any>): CrashPoint[] {
  return [...strategy.crashPoints, ...infrastructureCrashPoints()];
}

/** Every actor a run of this strategy starts: the command handler, the strategy's own, the consumer services. */
export function actorsOf(strategy: Strategy<any>, options: unknown, services: readonly ConsumerId[]): string[] {
  return [...new Set([API_ACTOR, ...strategy.actorIds(options, services), ...CONSUMER_IDS.map(consumerActor)])];
}
