import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/run';
import type { EntryOf, TraceEntry, TraceKind } from '../../src/sim/trace';
import { brokerOutage, consumerCrashes, consumerErrors, crashAt, lostConfirms, propertyOptions } from '../support/faults';
import { useWorld } from '../support/world';

const world = useWorld();
const strategy = 'process-manager' as const;
const workerPoints = ['after-claim', 'after-effect', 'after-mark-done', 'after-retry-scheduled'];
const handlerPoints = ['before-commit', 'after-commit'];
const submitAlice = { script: [{ at: 0, command: 'submit' as const, application: 'app-1', person: 'alice' }] };

const entries = <K extends TraceKind>(r: RunResult, kind: K): EntryOf<K>[] =>
  r.trace.filter((e: TraceEntry): e is EntryOf<K> => e.kind === kind);
const timesPerformed = (r: RunResult, key: string) => entries(r, 'effect').filter((e) => e.key === key).length;
const rowsOf = async (where = 'true') =>
  (await world.pg.query<{ key: string; status: string; attempts: number; last_error: string | null }>(
    `select key, status, attempts, last_error from pm.outbox where ${where} order by id`,
  )).rows;

describe('process manager + generic outbox', () => {
  it('one failing email is retried alone; the other two are sent once', async () => {
    const r = await world.run({ strategy, workload: submitAlice, faults: [{ type: 'consumer-error', consumer: 'email', nth: 2 }] });

    expect(r.endReason).toBe('quiesced');
    expect(r.verdict.counters).toMatchObject({ committed: 1, expectedEffects: 4, effects: 4, lost: 0, duplicateEffects: 0, deadLettered: 0 });
    const emails = ['email:evt-1:alice', 'email:evt-1:handler-ann', 'email:evt-1:handler-bo'];
    for (const key of emails) expect(timesPerformed(r, key), key).toBe(1);
    const retries = entries(r, 'retry-scheduled');
    expect(retries.map((e) => [e.messageId, e.attempt, e.error])).toEqual([['email:evt-1:handler-ann', 1, 'email service error']]);
    // The failed row's siblings went out before it was tried again.
    const retriedAt = entries(r, 'effect').find((e) => e.key === 'email:evt-1:handler-ann')!.i;
    const siblingsAt = entries(r, 'effect').filter((e) => e.key !== 'email:evt-1:handler-ann' && e.consumer === 'email').map((e) => e.i);
    expect(Math.max(...siblingsAt)).toBeLessThan(retriedAt);

    expect(await rowsOf(`kind = 'email'`)).toEqual([
      { key: 'email:evt-1:alice', status: 'done', attempts: 0, last_error: null },
      { key: 'email:evt-1:handler-ann', status: 'done', attempts: 1, last_error: 'email service error' },
      { key: 'email:evt-1:handler-bo', status: 'done', attempts: 0, last_error: null },
    ]);
  });

  it('the process managers write one row per email, one per grant and one publish for the broker', async () => {
    const r = await world.run({
      strategy,
      workload: { script: [...submitAlice.script, { at: 50, command: 'approve', application: 'app-1' }] },
    });
    expect(r.verdict.counters).toMatchObject({ committed: 2, lost: 0, duplicateEffects: 0 });
    expect((await rowsOf()).map((row) => row.key)).toEqual([
      'email:evt-1:alice', 'email:evt-1:handler-ann', 'email:evt-1:handler-bo', 'publish:evt-1',
      'email:evt-2:alice', 'entitlement:evt-2', 'publish:evt-2',
    ]);
    // Analytics still takes its events from the broker; email and entitlement never see a queue.
    expect(entries(r, 'publish').map((e) => [e.messageId, e.queues])).toEqual([['evt-1', ['analytics-queue']], ['evt-2', ['analytics-queue']]]);
  });

  it('approver bot approves on submit: approval email and entitlement follow', async () => {
    const r = await world.run({
      strategy,
      options: { autoApprove: true },
      workload: { script: [...submitAlice.script, { at: 500, command: 'reject', application: 'app-1' }] },
    });

    expect(r.verdict.counters).toMatchObject({ commands: 3, committed: 2, rejected: 1, lost: 0, duplicateEffects: 0 });
    const [submitted, approved] = entries(r, 'commit');
    expect(submitted!.commandId).toBe('cmd-1');
    expect(approved!.commandId).toBe('cmd-1-approver-bot');
    // One transaction: the bot's approval is durable at the very instant the submission is.
    expect(approved!.t).toBe(submitted!.t);
    expect(approved!.events.map((e) => [e.type, e.version])).toEqual([['ApplicationApproved', 2]]);
    expect(timesPerformed(r, 'email:evt-1-approver-bot:alice')).toBe(1);
    expect(timesPerformed(r, 'entitlement:evt-1-approver-bot')).toBe(1);
    expect(entries(r, 'command-rejected').map((e) => e.commandId)).toEqual(['cmd-2']);
    const app = await world.pg.query<{ state: string; version: number }>(`select state, version from app.applications where id = 'app-1'`);
    expect(app.rows).toEqual([{ state: 'approved', version: 2 }]);
  });

  it('the handler dies before COMMIT: the submission, the bot’s approval and their outbox rows roll back together', async () => {
    const r = await world.run({
      strategy,
      options: { autoApprove: true },
      workload: submitAlice,
      faults: [{ type: 'crash', point: 'before-commit' }],
    });
    expect(entries(r, 'crash').map((e) => [e.actor, e.point])).toEqual([['api', 'before-commit']]);
    expect(r.verdict.counters).toMatchObject({ committed: 0, expectedEffects: 0, effects: 0, lost: 0, phantom: 0 });
    expect(await rowsOf()).toEqual([]);
    expect((await world.pg.query('select * from app.applications')).rows).toEqual([]);
  });

  it('two workers never send the same row twice', async () => {
    const r = await world.run({
      strategy,
      options: { workers: 2, batchSize: 1, autoApprove: true },
      workload: { commands: 12, interval: 5 },
    });

    expect(r.endReason).toBe('quiesced');
    expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateEffects: 0, duplicateDeliveries: 0 });
    const published = entries(r, 'publish').map((e) => e.messageId);
    expect(new Set(published).size).toBe(published.length);
    // Both took their share: the scheduler interleaved their claims.
    const claimsBy = (actor: string) =>
      entries(r, 'sql').filter((e) => e.actor === actor && e.sql.startsWith('update pm.outbox set claimed_by') && e.rows > 0).length;
    expect(claimsBy('outbox-worker-1')).toBeGreaterThan(5);
    expect(claimsBy('outbox-worker-2')).toBeGreaterThan(5);
    expect(claimsBy('outbox-worker-1') + claimsBy('outbox-worker-2')).toBe((await rowsOf()).length);
    expect((await rowsOf(`status <> 'done' or attempts <> 0`))).toEqual([]);
  });

  it('a worker dies after sending: the lease expires and the row is retried', async () => {
    const leaseMs = 1_000;
    const r = await world.run({ strategy, options: { leaseMs }, workload: submitAlice, faults: [{ type: 'crash', point: 'after-effect', nth: 2 }] });

    const [crash] = entries(r, 'crash');
    expect(crash!.point).toBe('after-effect');
    expect(crash!.actor).toMatch(/^outbox-worker-\d$/);
    expect(entries(r, 'restart').map((e) => e.actor)).toEqual([crash!.actor]);
    const twice = entries(r, 'effect').filter((e) => e.key === 'email:evt-1:handler-ann');
    expect(twice).toHaveLength(2);
    // Not before the dead worker's lease ran out, though the worker itself was back long before.
    expect(twice[1]!.t - twice[0]!.t).toBeGreaterThanOrEqual(leaseMs - 10);
    expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateEffects: 1, crashes: 1 });
    expect(await rowsOf(`status <> 'done'`)).toEqual([]);
  });

  it('the same crash with idempotent consumers: the inbox recognises the repeat, nothing is sent twice', async () => {
    const r = await world.run({
      strategy,
      consumers: { idempotent: true },
      workload: submitAlice,
      faults: [{ type: 'crash', point: 'after-effect', nth: 2 }],
    });
    expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateEffects: 0, crashes: 1, effects: 4 });
    expect(entries(r, 'duplicate-skipped').map((e) => [e.consumer, e.messageId])).toEqual([['email', 'email:evt-1:handler-ann']]);
    const inbox = await world.pg.query<{ message_id: string }>('select message_id from email_service.inbox order by message_id');
    expect(inbox.rows.map((row) => row.message_id)).toEqual(['email:evt-1:alice', 'email:evt-1:handler-ann', 'email:evt-1:handler-bo']);
  });

  it('a worker dies right after claiming: its batch waits out the lease, then is worked once', async () => {
    const r = await world.run({
      strategy,
      options: { workers: 1, batchSize: 10, leaseMs: 600 },
      workload: submitAlice,
      faults: [{ type: 'crash', point: 'after-claim' }],
    });
    const [crash] = entries(r, 'crash');
    expect([crash!.actor, crash!.point]).toEqual(['outbox-worker-1', 'after-claim']);
    const effects = entries(r, 'effect').filter((e) => e.consumer !== 'analytics');
    expect(effects).toHaveLength(3);
    for (const effect of effects) expect(effect.t).toBeGreaterThanOrEqual(crash!.t + 600);
    expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateEffects: 0 });
  });

  it('a lease shorter than the service call: a second worker takes the row mid-call and grants again, unless idempotent', async () => {
    const slowGrant = (idempotent: boolean) =>
      world.run({
        strategy,
        options: { leaseMs: 100 },
        consumers: { idempotent, latencyMs: { entitlement: 300 } },
        workload: { script: [...submitAlice.script, { at: 10, command: 'approve', application: 'app-1' }] },
      });

    const bare = await slowGrant(false);
    const grants = entries(bare, 'effect').filter((e) => e.key === 'entitlement:evt-2');
    const grantingWorkers = grants.map((grant) => entries(bare, 'sql').findLast((e) => e.i < grant.i)!.actor);
    expect(new Set(grantingWorkers).size).toBe(2);
    expect(bare.verdict.counters).toMatchObject({ duplicateEffects: 1, lost: 0, crashes: 0 });

    const guarded = await slowGrant(true);
    expect(guarded.verdict.counters).toMatchObject({ duplicateEffects: 0, lost: 0 });
    expect(entries(guarded, 'duplicate-skipped').map((e) => e.messageId)).toEqual(['entitlement:evt-2']);
  });

  it('a grant that always fails backs off exponentially and is dead-lettered after max attempts; the rest is delivered', async () => {
    const r = await world.run({
      strategy,
      options: { maxAttempts: 4, backoffBaseMs: 100 },
      workload: { script: [...submitAlice.script, { at: 50, command: 'approve', application: 'app-1' }] },
      faults: [{ type: 'consumer-error', consumer: 'entitlement', probability: 1 }],
    });

    expect(r.endReason).toBe('quiesced');
    const retries = entries(r, 'retry-scheduled');
    expect(retries.map((e) => [e.messageId, e.attempt])).toEqual([1, 2, 3].map((n) => ['entitlement:evt-2', n]));
    const waits = retries.map((e) => e.atMs - e.t);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    expect(waits[2]!).toBeGreaterThan(waits[1]!);
    expect(entries(r, 'dead-letter').map((e) => [e.where, e.messageId, e.reason])).toEqual([
      ['pm.outbox', 'entitlement:evt-2', 'entitlement service error after 4 attempts'],
    ]);
    expect(r.verdict.counters).toMatchObject({ deadLettered: 1, lost: 1, effects: r.verdict.counters.expectedEffects - 1 });
    expect(await rowsOf(`status = 'dead'`)).toEqual([
      { key: 'entitlement:evt-2', status: 'dead', attempts: 4, last_error: 'entitlement service error' },
    ]);
  });

  it('a broker outage holds back only the publish rows: emails go out meanwhile', async () => {
    const r = await world.run({ strategy, workload: submitAlice, faults: [{ type: 'broker-down', from: 0, to: 1_000 }] });
    const emailTimes = entries(r, 'effect').filter((e) => e.consumer === 'email').map((e) => e.t);
    const analytics = entries(r, 'effect').filter((e) => e.consumer === 'analytics');
    expect(Math.max(...emailTimes)).toBeLessThan(100);
    expect(analytics).toHaveLength(1);
    expect(analytics[0]!.t).toBeGreaterThanOrEqual(1_000);
    expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateEffects: 0 });
    expect(entries(r, 'retry-scheduled').every((e) => e.messageId === 'publish:evt-1')).toBe(true);
  });

  it('same scenario and seed give the same trace', async () => {
    const scenario = {
      strategy,
      seed: 42,
      options: { autoApprove: true },
      workload: { commands: 8, interval: 60 },
      faults: [
        { type: 'crash' as const, point: 'after-effect', probability: 0.3 },
        { type: 'consumer-error' as const, consumer: 'email' as const, probability: 0.3 },
        { type: 'broker-down' as const, from: 100, to: 600 },
      ],
    };
    const first = await world.run(scenario);
    const second = await world.run(scenario);
    expect(second.traceHash).toBe(first.traceHash);
    expect(first.verdict.counters.crashes).toBeGreaterThan(0);
  });

  it('property: with idempotent consumers, no fault schedule that ends loses or repeats an effect', async () => {
    const schedule = fc.array(
      fc.oneof(crashAt(workerPoints), crashAt(handlerPoints), consumerErrors, brokerOutage, lostConfirms, consumerCrashes),
      { maxLength: 5 },
    );
    const shape = fc.record({
      workers: fc.integer({ min: 1, max: 3 }),
      batchSize: fc.integer({ min: 1, max: 3 }),
      leaseMs: fc.constantFrom(100, 1_000),
      autoApprove: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), schedule, shape, async (seed, faults, options) => {
        const r = await world.run({ strategy, seed, options, workload: { commands: 5, interval: 120 }, consumers: { idempotent: true }, faults });
        expect(r.endReason).toBe('quiesced');
        // A publish row may still be dead-lettered after lost confirms; its message was stored, so nothing is lost.
        expect(r.verdict.counters).toMatchObject({ lost: 0, duplicateEffects: 0, phantom: 0 });
      }),
      propertyOptions,
    );
  });
});
