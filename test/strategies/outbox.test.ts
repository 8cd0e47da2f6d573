import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brokerOutage, consumerCrashes, consumerErrors, crashAt, lostConfirms, propertyOptions } from '../support/faults';
import { useWorld } from '../support/world';

const world = useWorld();
const outboxPoints = ['after-commit', 'after-fetch', 'after-publish', 'after-mark-sent', 'after-retry-scheduled'];

/** Any mix of faults in which the broker eventually comes back. */
const recoverableFaults = fc.array(
  fc.oneof(brokerOutage, crashAt(outboxPoints), consumerErrors, lostConfirms, consumerCrashes),
  { maxLength: 5 },
);

describe('outbox', () => {
  it('broker down for a second: nothing is lost, the relay retries with backoff', async () => {
    const r = await world.run({
      strategy: 'outbox',
      seed: 3,
      workload: { commands: 20, interval: 100 },
      faults: [{ type: 'broker-down', from: 500, to: 1500 }],
    });
    expect(r.endReason).toBe('quiesced');
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0, duplicateEffects: 0, deadLettered: 0 });
    expect(r.verdict.counters.publishFailures).toBeGreaterThan(0);
    const retries = r.trace.filter((e) => e.kind === 'retry-scheduled');
    expect(retries.length).toBeGreaterThan(0);
    // Exponential: later attempts of one message wait longer.
    const firstId = retries[0]!.kind === 'retry-scheduled' ? retries[0]!.messageId : '';
    const waits = retries.flatMap((e) => (e.kind === 'retry-scheduled' && e.messageId === firstId ? [e.atMs - e.t] : []));
    expect(waits.length).toBeGreaterThan(2);
    expect(waits.at(-1)!).toBeGreaterThan(waits[0]!);
    expect(r.verdict.latency.max).toBeGreaterThan(500);
  });

  it('relay crashes after publish → the batch is published again: duplicates without an inbox', async () => {
    const r = await world.run({ strategy: 'outbox', seed: 7, faults: [{ type: 'crash', point: 'after-publish', nth: 2 }] });
    expect(r.trace.some((e) => e.kind === 'crash' && e.actor === 'relay' && e.point === 'after-publish')).toBe(true);
    expect(r.verdict.counters.lost).toBe(0);
    expect(r.verdict.counters.duplicateDeliveries).toBeGreaterThan(0);
    expect(r.verdict.counters.duplicateEffects).toBeGreaterThan(0);
  });

  it('the same crash with idempotent consumers: the inbox skips the redelivery, zero duplicate effects', async () => {
    const r = await world.run({
      strategy: 'outbox',
      seed: 7,
      consumers: { idempotent: true },
      faults: [{ type: 'crash', point: 'after-publish', nth: 2 }],
    });
    expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateEffects: 0 });
    expect(r.verdict.counters.duplicateDeliveries).toBeGreaterThan(0);
    expect(r.trace.some((e) => e.kind === 'duplicate-skipped')).toBe(true);
    const inbox = await world.pg.query<{ n: number }>('select count(*)::int as n from email_service.inbox');
    expect(inbox.rows[0]!.n).toBeGreaterThan(0);
  });

  it('a broker that never comes back dead-letters every row after max attempts', async () => {
    const r = await world.run({
      strategy: 'outbox',
      seed: 1,
      workload: { commands: 3, interval: 10 },
      options: { maxAttempts: 3, backoffBaseMs: 10 },
      faults: [{ type: 'broker-down', from: 0 }],
    });
    expect(r.endReason).toBe('quiesced');
    expect(r.verdict.counters.deadLettered).toBe(r.verdict.counters.committed);
    expect(r.verdict.counters.lost).toBe(r.verdict.counters.expectedEffects);
    const dead = await world.pg.query<{ n: number }>(`select count(*)::int as n from outbox.messages where status = 'dead'`);
    expect(dead.rows[0]!.n).toBe(r.verdict.counters.committed);
  });

  it('the event row commits with the state change: every committed command has its outbox row', async () => {
    const r = await world.run({ strategy: 'outbox', seed: 11, workload: { commands: 12, interval: 50 }, faults: [{ type: 'crash', point: 'after-commit', nth: 4 }] });
    const rows = await world.pg.query<{ event_id: string }>('select event_id from outbox.messages order by id');
    const committed = r.trace.flatMap((e) => (e.kind === 'commit' ? e.events.map((ev) => ev.id) : []));
    expect(rows.rows.map((row) => row.event_id)).toEqual(committed);
    expect(r.verdict.counters.lost).toBe(0);
  });

  it('a poison message pins the ordered relay until it is dead-lettered; then the line moves', async () => {
    const r = await world.run({
      strategy: 'outbox',
      seed: 5,
      options: { maxAttempts: 4, backoffBaseMs: 100 },
      workload: { commands: 8, interval: 50 },
      faults: [{ type: 'poison-message', message: 'evt-2' }],
    });
    const rejected = r.trace.filter((e) => e.kind === 'publish' && e.outcome === 'rejected');
    expect(rejected).toHaveLength(4); // maxAttempts publishes, then the dead letter
    const deadAt = r.trace.find((e) => e.kind === 'dead-letter')!;
    expect(deadAt).toMatchObject({ where: 'outbox', messageId: 'evt-2' });
    // Nothing behind the poison message was published before it was given up on.
    const laterPublishes = r.trace.filter((e) => e.kind === 'publish' && e.outcome === 'confirmed' && e.messageId !== 'evt-1');
    expect(laterPublishes.length).toBeGreaterThan(0);
    expect(laterPublishes.every((e) => e.i > deadAt.i)).toBe(true);
    expect(r.verdict.counters.lost).toBeGreaterThan(0);
    expect(r.verdict.violations.filter((v) => v.kind === 'lost').every((v) => v.subject.includes('evt-2'))).toBe(true);
  });

  it('LISTEN/NOTIFY wakes the relay at once instead of at the next poll', async () => {
    const polled = await world.run({ strategy: 'outbox', seed: 5, options: { pollIntervalMs: 500 } });
    const notified = await world.run({ strategy: 'outbox', seed: 5, options: { pollIntervalMs: 500, notify: true } });
    expect(notified.trace.some((e) => e.kind === 'sql' && e.sql.includes('pg_notify'))).toBe(true);
    expect(notified.verdict.latency.p50).toBeLessThan(polled.verdict.latency.p50);
    expect(notified.verdict.counters.lost).toBe(0);
  });

  it('property: whenever the broker eventually comes back, nothing is lost; with an inbox, nothing is done twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), recoverableFaults, fc.boolean(), async (seed, faults, idempotent) => {
        const r = await world.run({ strategy: 'outbox', seed, workload: { commands: 6, interval: 120 }, consumers: { idempotent }, faults });
        expect(r.endReason).toBe('quiesced');
        expect(r.verdict.counters.lost).toBe(0);
        expect(r.verdict.counters.phantom).toBe(0);
        if (idempotent) expect(r.verdict.counters.duplicateEffects).toBe(0);
      }),
      propertyOptions,
    );
  });
});
