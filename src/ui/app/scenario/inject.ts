import type { ConsumerId } from '../../../infra/consumers';
import type { Fault } from '../../../scenario/schema';

/**
 * The faults the toolbar adds, each starting at the virtual time on screen. Faults only act
 * from their start, and each draws from its own random stream, so re-running with one more
 * fault reproduces the run up to now exactly.
 */
export const CONSUMER_FAILURE_MS = 1_000;

export const crashActorNow = (actor: string, nowMs: number): Fault => ({ type: 'kill', actor, at: nowMs });

export const armCrashPoint = (point: string, nowMs: number): Fault => ({ type: 'crash', point, nth: 1, from: nowMs });

export const brokerDownNow = (nowMs: number): Fault => ({ type: 'broker-down', from: nowMs, mode: 'refuse' });

export const consumerFailsForAWhile = (consumer: ConsumerId, nowMs: number): Fault => ({
  type: 'consumer-error',
  consumer,
  probability: 1,
  from: nowMs,
  to: nowMs + CONSUMER_FAILURE_MS,
});

export const loseNextPublishConfirm = (nowMs: number): Fault => ({ type: 'lose-publish-confirm', nth: 1, from: nowMs });

/** The outage still open at `nowMs` (down, with no end yet), by its index in `faults`. */
export function openBrokerOutage(faults: readonly Fault[], nowMs: number): number {
  return faults.findIndex((f) => f.type === 'broker-down' && f.from <= nowMs && f.to === undefined);
}

/** Ends an open outage now; `to` must come after `from`, so an outage ended at once lasts 1 ms. */
export function bringBrokerUp(faults: readonly Fault[], index: number, nowMs: number): Fault[] {
  return faults.map((fault, i) => (i === index && fault.type === 'broker-down' ? { ...fault, to: Math.max(nowMs, fault.from + 1) } : fault));
}

/** Whether any fault keeps the broker down at `nowMs`. */
export function brokerDownAt(faults: readonly Fault[], nowMs: number): boolean {
  return faults.some((f) => f.type === 'broker-down' && f.from <= nowMs && (f.to === undefined || nowMs < f.to));
}
