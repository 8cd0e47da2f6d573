import { directPublish } from './direct-publish';
import { outbox } from './outbox';
import { poller } from './poller';
import { processManager } from './process-manager';
import type { Strategy, StrategyId } from './strategy';
import { twoPhaseCommit } from './two-phase-commit';

/** Every registered strategy, in the order the page and `--list` show them. */
export const strategies: readonly Strategy<any>[] = [poller, outbox, directPublish, processManager, twoPhaseCommit];

export function findStrategy(id: string): Strategy<any> | undefined {
  return strategies.find((s) => s.id === id);
}

export function registeredStrategyIds(): StrategyId[] {
  return strategies.map((s) => s.id);
}
