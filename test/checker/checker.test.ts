import { describe, expect, it } from 'vitest';
import { check, summarise } from '../../src/checker/checker';
import type { DomainEvent, TraceBody, TraceEntry } from '../../src/sim/trace';

/** Builds a trace from [virtual ms, entry] pairs. */
function trace(...items: Array<[number, TraceBody]>): TraceEntry[] {
  return items.map(([t, body], i) => ({ i, t, ...body }) as TraceEntry);
}

const event = (id: string, aggregateId = 'app-1', version = 1): DomainEvent => ({ id, type: 'ApplicationSubmitted', aggregateId, version, at: 0, payload: {} });
const commit = (id: string, expects: string[], aggregateId = 'app-1', version = 1): TraceBody => ({
  kind: 'commit', actor: 'api', commandId: `cmd-${id}`, events: [event(id, aggregateId, version)], expects,
});
const effect = (key: string, eventId: string, aggregateId = 'app-1', version = 1, consumer = 'email'): TraceBody => ({
  kind: 'effect', consumer, key, eventId, aggregateId, version,
});
const end: TraceBody = { kind: 'run-end', reason: 'quiesced', steps: 1 };

describe('checker', () => {
  it('an effect never performed is awaiting while the run goes on, lost once it has ended', () => {
    const entries = trace([0, commit('e1', ['email:e1:a', 'email:e1:b'])], [5, effect('email:e1:a', 'e1')], [9, end]);
    expect(check(entries, 2).counters).toMatchObject({ awaiting: 1, lost: 0 });
    const final = check(entries);
    expect(final.counters).toMatchObject({ committed: 1, expectedEffects: 2, effects: 1, lost: 1, awaiting: 0 });
    expect(final.violations).toEqual([{ kind: 'lost', subject: 'email:e1:b', entry: 0 }]);
  });

  it('an effect for an event that never committed is a phantom', () => {
    const v = check(trace([3, effect('email:e9:a', 'e9')], [4, end]));
    expect(v.counters.phantom).toBe(1);
    expect(v.violations[0]).toMatchObject({ kind: 'phantom', entry: 0 });
  });

  it('counts an effect performed twice once as duplicate, and a delivery after an ack as duplicate delivery', () => {
    const v = check(trace(
      [0, commit('e1', ['email:e1:a'])],
      [1, { kind: 'deliver', queue: 'q', consumer: 'email', messageId: 'e1', deliveryCount: 1 }],
      [2, effect('email:e1:a', 'e1')],
      [3, { kind: 'ack', consumer: 'email', messageId: 'e1' }],
      [4, { kind: 'deliver', queue: 'q', consumer: 'email', messageId: 'e1', deliveryCount: 1 }],
      [5, effect('email:e1:a', 'e1')],
      [6, end],
    ));
    expect(v.counters).toMatchObject({ duplicateDeliveries: 1, duplicateEffects: 1, effects: 2, lost: 0 });
  });

  it('a redelivery after a nack is not a duplicate delivery', () => {
    const v = check(trace(
      [0, { kind: 'deliver', queue: 'q', consumer: 'email', messageId: 'e1', deliveryCount: 1 }],
      [1, { kind: 'nack', consumer: 'email', messageId: 'e1', reason: 'consumer error' }],
      [2, { kind: 'deliver', queue: 'q', consumer: 'email', messageId: 'e1', deliveryCount: 2 }],
    ));
    expect(v.counters.duplicateDeliveries).toBe(0);
  });

  it('out of order is per consumer and aggregate: a lower version after a higher one', () => {
    const v = check(trace(
      [0, commit('e1', ['email:e1:a'], 'app-1', 1)],
      [0, commit('e2', ['email:e2:a', 'analytics:e2'], 'app-1', 2)],
      [0, commit('e3', ['email:e3:a'], 'app-2', 1)],
      [1, effect('email:e2:a', 'e2', 'app-1', 2)],
      [2, effect('email:e3:a', 'e3', 'app-2', 1)],
      [3, effect('email:e1:a', 'e1', 'app-1', 1)],
      [4, effect('analytics:e2', 'e2', 'app-1', 2, 'analytics')],
      [5, end],
    ));
    expect(v.counters.outOfOrder).toBe(1);
    expect(v.violations.find((x) => x.kind === 'outOfOrder')).toMatchObject({ subject: 'email:e1:a', entry: 5 });
  });

  it('latency is commit → first effect, with nearest-rank percentiles', () => {
    const v = check(trace([10, commit('e1', ['a', 'b'])], [15, effect('a', 'e1')], [40, effect('b', 'e1')], [41, effect('b', 'e1')], [50, end]));
    expect(v.latency).toEqual({ p50: 5, p99: 30, max: 30, count: 2 });
    expect(summarise([1, 2, 3, 4, 100])).toEqual({ p50: 3, p99: 100, max: 100, count: 5 });
    expect(summarise([])).toEqual({ p50: 0, p99: 0, max: 0, count: 0 });
  });

  it('counts dead letters, failed publishes and crashes', () => {
    const v = check(trace(
      [0, { kind: 'publish', actor: 'relay', messageId: 'e1', routingKey: 'k', outcome: 'unavailable', queues: [] }],
      [0, { kind: 'publish', actor: 'relay', messageId: 'e1', routingKey: 'k', outcome: 'confirmed', queues: ['q'] }],
      [1, { kind: 'dead-letter', where: 'outbox', messageId: 'e2', reason: 'x' }],
      [2, { kind: 'crash', actor: 'relay', point: 'after-publish' }],
    ));
    expect(v.counters).toMatchObject({ publishFailures: 1, deadLettered: 1, crashes: 1 });
  });
});

describe('checker: repeated notifications (REMS seed 003)', () => {
  const invited = (id: string, version: number): TraceBody => ({
    kind: 'commit', actor: 'api', commandId: `cmd-${id}`, expects: [`email:${id}:rev`],
    events: [{ id, type: 'ReviewRequested', aggregateId: 'app-1', version, at: 0, payload: { reviewer: 'rev' } }],
  });
  it('the same person told the same thing about the same application twice is counted, once per repeat', () => {
    const v = check(trace([0, invited('e1', 2)], [1, effect('email:e1:rev', 'e1', 'app-1', 2)], [2, invited('e2', 3)], [3, effect('email:e2:rev', 'e2', 'app-1', 3)], [4, end]));
    expect(v.counters.repeatedNotifications).toBe(1);
    expect(v.counters.duplicateEffects).toBe(0);
    expect(v.violations).toContainEqual({ kind: 'repeatedNotification', subject: 'email:e2:rev', entry: 3 });
  });
});
