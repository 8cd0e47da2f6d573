import type { BrokerMessage } from '../world/message-broker';
import { routingKey } from '../infra/domain';
import type { Random } from '../sim/random';
import type { DomainEvent } from '../sim/trace';

export function eventMessage(event: DomainEvent): BrokerMessage {
  return { messageId: event.id, routingKey: routingKey(event.type), event };
}

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half drawn from the run's
 * PRNG, so retries of many rows spread out instead of stampeding the broker together.
 */
export function backoffMs(random: Random, attempt: number, policy: BackoffPolicy): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random.next() * (exponential / 2));
}
