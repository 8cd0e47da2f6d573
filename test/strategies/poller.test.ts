import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/engine/run';
import { bootPostgres } from '../../src/infra/database';
import { validateScenario } from '../../src/scenario/load';
import type { Fault, ScenarioInput } from '../../src/scenario/schema';
import type { EntryOf, TraceEntry } from '../../src/sim/trace';
import { consumerErrors, crashAt, propertyOptions } from '../support/faults';
import { useWorld } from '../support/world';

const world = useWorld();

/** Alice's submission (`cmd-1`) takes event row 1 and stays open while Bob's and Carol's commands commit rows 2–4. */
const lateCommitScript: NonNullable<NonNullable<ScenarioInput['workload']>['script']> = [
  { at: 0, command: 'submit', application: 'app-1', person: 'alice' },
  { at: 100, command: 'submit', application: 'app-2', person: 'bob' },
  { at: 250, command: 'approve', application: 'app-2' },
  { at: 400, command: 'submit', application: 'app-3', person: 'carol' },
];
const lateCommit = (gapSafe: boolean) =>
  world.run({
    strategy: 'poller',
    options: { gapSafe, pollIntervalMs: 100, slowCommands: ['cmd-1'], slowCommitMs: 800 },
    workload: { script: lateCommitScript },
  });

const entriesOf = <K extends TraceEntry['kind']>(r: RunResult, kind: K): Array<EntryOf<K>> =>
  r.trace.filter((e): e is EntryOf<K> => e.kind === kind);
const effectsOf = (r: RunResult, consumer: string) => entriesOf(r, 'effect').filter((e) => e.consumer === consumer);
const commitOf = (r: RunResult, commandId: string) => entriesOf(r, 'commit').find((e) => e.commandId === commandId)!;
const positions = async () =>
  (await world.pg.query<{ poller: string; last_id: number }>('select poller, last_id from poller.positions order by poller')).rows;

describe('poller: the sequence gap', () => {
  it('naive poller skips a row committed late → lost', async () => {
    const r = await lateCommit(false);
    expect(r.endReason).toBe('quiesced');
    expect(r.verdict.counters).toMatchObject({ committed: 4, crashes: 0, duplicateEffects: 0 });
    // Every effect cmd-1 promised (three emails, one analytics record), and nothing else, is lost.
    const lost = r.verdict.violations.filter((v) => v.kind === 'lost').map((v) => v.subject).sort();
    expect(lost).toEqual([...commitOf(r, 'cmd-1').expects].sort());
    expect(lost).toHaveLength(4);
    // The pollers read row 2 while row 1 was still in flight and moved past it.
    const commitPrepared = r.trace.find((e) => e.kind === 'sql' && e.sql === `commit prepared 'poller-cmd-1'`)!;
    const bobsEmail = effectsOf(r, 'email').find((e) => e.eventId === 'evt-2')!;
    expect(bobsEmail.i).toBeLessThan(commitPrepared.i);
    // Every poller is past row 1 for good (entitlement passed over the submissions it owes nothing for).
    expect((await positions()).map((p) => p.last_id)).toEqual([4, 4, 4]);
    const sent = await world.pg.query(`select 1 from email_service.sent_emails where event_id = 'evt-1'`);
    expect(sent.rows).toHaveLength(0);
    const stored = await world.pg.query(`select 1 from poller.events where id = 1 and event_id = 'evt-1'`);
    expect(stored.rows).toHaveLength(1);
  });

  it('gapSafe poller loses nothing but waits for the open transaction', async () => {
    const naive = await lateCommit(false);
    const r = await lateCommit(true);
    expect(r.verdict.counters).toMatchObject({ committed: 4, lost: 0, duplicateEffects: 0, outOfOrder: 0 });
    // Nothing committed after row 1's transaction is read before it commits; then row 1 comes first.
    const lateCommitAt = commitOf(r, 'cmd-1').t;
    const emails = effectsOf(r, 'email');
    expect(emails.every((e) => e.t >= lateCommitAt)).toBe(true);
    expect(emails[0]!.eventId).toBe('evt-1');
    expect(r.trace.some((e) => e.kind === 'sql' && e.sql.includes('pg_snapshot_xmin(pg_current_snapshot())'))).toBe(true);
    // The price: Bob's effects wait for Alice's transaction instead of one poll interval.
    expect(r.verdict.latency.max).toBeGreaterThan(600);
    expect(naive.verdict.latency.max).toBeLessThan(100);
    expect(r.verdict.latencyByConsumer.entitlement!.max).toBeGreaterThan(500);
  });

  it('a command on an aggregate with an open transaction is blocked until it commits', async () => {
    const r = await world.run({
      strategy: 'poller',
      options: { gapSafe: true, slowCommands: ['cmd-1'], slowCommitMs: 500 },
      workload: { script: [{ at: 0, command: 'submit', application: 'app-1' }, { at: 100, command: 'approve', application: 'app-1' }] },
    });
    expect(r.trace.some((e) => e.kind === 'activity' && e.actor === 'api' && e.activity === 'blocked')).toBe(true);
    expect(commitOf(r, 'cmd-2').i).toBeGreaterThan(commitOf(r, 'cmd-1').i);
    expect(commitOf(r, 'cmd-2').t).toBeGreaterThanOrEqual(500);
    expect(r.verdict.counters).toMatchObject({ committed: 2, rejected: 0, lost: 0, outOfOrder: 0 });
  });

  it('handler dies with its transaction open → Postgres rolls it back; nothing committed, nothing owed', async () => {
    const r = await world.run({
      strategy: 'poller',
      options: { gapSafe: true, slowCommands: ['cmd-1'], slowCommitMs: 500 },
      workload: { script: lateCommitScript },
      faults: [{ type: 'crash', point: 'after-prepare', nth: 1 }],
    });
    expect(r.trace.some((e) => e.kind === 'sql' && e.actor === 'postgres' && e.sql === `rollback prepared 'poller-cmd-1'`)).toBe(true);
    expect(entriesOf(r, 'command-rejected').map((e) => e.commandId)).toContain('cmd-1');
    expect(r.verdict.counters.lost).toBe(0);
    expect((await world.pg.query('select gid from pg_prepared_xacts')).rows).toEqual([]);
    expect((await world.pg.query(`select 1 from poller.events where event_id = 'evt-1'`)).rows).toEqual([]);
  });
});

describe('poller: one poller per service', () => {
  it('one failing email blocks later emails, entitlement poller carries on', async () => {
    const r = await world.run({
      strategy: 'poller',
      seed: 3,
      options: { pollIntervalMs: 200 },
      workload: { commands: 20, interval: 100 },
      faults: [{ type: 'consumer-error', consumer: 'email', probability: 1, from: 300, to: 1500 }],
    });
    expect(r.verdict.counters).toMatchObject({ committed: 20, lost: 0, duplicateEffects: 0, outOfOrder: 0, deadLettered: 0 });
    const retries = entriesOf(r, 'retry-scheduled');
    expect(retries.length).toBeGreaterThan(2);
    // Head of line: every retry is for the same event, and no email at all goes out meanwhile.
    const head = retries[0]!.messageId;
    expect(retries.every((e) => e.actor === 'email-poller' && e.messageId === head)).toBe(true);
    const blockedFrom = retries[0]!.t, blockedUntil = retries.at(-1)!.atMs;
    expect(effectsOf(r, 'email').some((e) => e.t > blockedFrom && e.t < blockedUntil)).toBe(false);
    expect(effectsOf(r, 'email').find((e) => e.t >= blockedUntil)!.eventId).toBe(head);
    // The other pollers read the same table from their own positions.
    expect(effectsOf(r, 'entitlement').some((e) => e.t > blockedFrom && e.t < blockedUntil)).toBe(true);
    const { email, entitlement, analytics } = r.verdict.latencyByConsumer;
    expect(email!.p99).toBeGreaterThan(1000);
    expect(entitlement!.p99).toBeLessThan(250);
    expect(analytics!.p99).toBeLessThan(250);
  });

  it('the approval commits at once; the entitlement arrives at the next poll', async () => {
    const r = await world.run({
      strategy: 'poller',
      options: { pollIntervalMs: 1000 },
      workload: { script: [{ at: 0, command: 'submit', application: 'app-1' }, { at: 150, command: 'approve', application: 'app-1' }] },
    });
    const approved = commitOf(r, 'cmd-2');
    const [entitlement] = effectsOf(r, 'entitlement');
    expect(entitlement!.t - approved.t).toBeGreaterThan(800);
    expect(r.verdict.latencyByConsumer.entitlement!.max).toBeGreaterThan(800);
    expect(r.verdict.counters.lost).toBe(0);
  });

  it('performs the services itself: no broker queue, no consumer actor', async () => {
    const r = await world.run({ strategy: 'poller', workload: { commands: 5, interval: 100 } });
    expect(r.trace.some((e) => e.kind === 'publish' || e.kind === 'deliver')).toBe(false);
    expect(new Set(effectsOf(r, 'email').map((e) => e.consumer))).toEqual(new Set(['email']));
    expect(r.trace.some((e) => e.kind === 'sql' && e.actor === 'email-service')).toBe(false);
    expect(r.verdict.counters.lost).toBe(0);
  });

  it('maxAttempts dead-letters a poison event and the poller moves past it', async () => {
    const r = await world.run({
      strategy: 'poller',
      options: { pollIntervalMs: 100, maxAttempts: 3, backoffBaseMs: 10 },
      workload: { commands: 4, interval: 100 },
      faults: [{ type: 'consumer-error', consumer: 'email', probability: 1, from: 0, to: 150 }],
    });
    expect(r.endReason).toBe('quiesced');
    expect(entriesOf(r, 'dead-letter')).toEqual([expect.objectContaining({ where: 'email-poller', messageId: 'evt-1' })]);
    expect(r.verdict.counters.deadLettered).toBe(1);
    expect(r.verdict.violations.filter((v) => v.kind === 'lost').every((v) => v.subject.startsWith('email:evt-1:'))).toBe(true);
  });
});

describe('poller: crashes', () => {
  const crashAfterEmail = (options: Record<string, unknown>, idempotent = false) =>
    world.run({
      strategy: 'poller',
      seed: 7,
      options: { pollIntervalMs: 100, ...options },
      workload: { commands: 12, interval: 100 },
      consumers: { idempotent },
      faults: [{ type: 'crash', point: 'email-poller-after-effect', nth: 2 }],
    });

  it('poller dies after sending, before saving its position → the emails go out twice', async () => {
    const r = await crashAfterEmail({ savePosition: 'after-effects' });
    expect(entriesOf(r, 'crash')).toEqual([expect.objectContaining({ actor: 'email-poller', point: 'email-poller-after-effect' })]);
    expect(r.verdict.counters).toMatchObject({ lost: 0, crashes: 1 });
    expect(r.verdict.counters.duplicateEffects).toBeGreaterThan(0);
  });

  it('the same crash with an inbox: the repeat is recognised and skipped', async () => {
    const r = await crashAfterEmail({ savePosition: 'after-effects' }, true);
    expect(r.verdict.counters).toMatchObject({ lost: 0, crashes: 1, duplicateEffects: 0 });
    expect(entriesOf(r, 'duplicate-skipped')).toHaveLength(1);
  });

  it('position saved with the effects: the same crash repeats nothing', async () => {
    const r = await crashAfterEmail({ savePosition: 'with-effects' });
    expect(r.verdict.counters).toMatchObject({ lost: 0, crashes: 1, duplicateEffects: 0 });
  });
});

describe('poller: determinism', () => {
  const gapSafeUnderFaults = (seed: number) => {
    const loaded = validateScenario({
      name: 'poller-determinism',
      title: 'poller determinism',
      strategy: 'poller',
      seed,
      options: { gapSafe: true, pollIntervalMs: 50, slowCommitProbability: 0.4, slowCommitMs: 300 },
      workload: { commands: 10, interval: 60 },
      faults: [
        { type: 'consumer-error', consumer: 'email', probability: 0.3 },
        { type: 'crash', point: 'entitlement-poller-after-fetch', probability: 0.3 },
        { type: 'crash', point: 'after-prepare', nth: 2 },
      ],
    });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    return loaded.scenario;
  };

  it('the same scenario and seed replay to the same trace, on a fresh PGlite and on a reused one', async () => {
    const first = await runScenario(world.pg, gapSafeUnderFaults(11));
    const again = await runScenario(world.pg, gapSafeUnderFaults(11));
    expect(again.traceHash).toBe(first.traceHash);
    expect(first.trace.some((e) => e.kind === 'sql' && e.sql.startsWith('prepare transaction'))).toBe(true);
    expect(first.trace.some((e) => e.kind === 'sql' && e.sql.startsWith('rollback prepared'))).toBe(true);
    const fresh = await bootPostgres();
    try {
      const onFresh = await runScenario(fresh, gapSafeUnderFaults(11));
      expect(onFresh.traceHash).toBe(first.traceHash);
      expect(JSON.stringify(onFresh.trace)).toBe(JSON.stringify(first.trace));
    } finally {
      await fresh.close();
    }
  });
});

const pollerPoints = ['after-commit', 'after-prepare', 'email-poller-after-fetch', 'email-poller-after-effect', 'entitlement-poller-after-fetch', 'entitlement-poller-after-effect'];
/** Crashes anywhere and consumer errors that end: any schedule a gap-safe poller must survive. */
const recoverableFaults = fc.array(fc.oneof(crashAt(pollerPoints), consumerErrors), { maxLength: 4 });

const concurrentWriters = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  commands: fc.integer({ min: 5, max: 10 }),
  interval: fc.integer({ min: 20, max: 150 }),
  pollIntervalMs: fc.integer({ min: 20, max: 300 }),
  slowCommitProbability: fc.double({ min: 0.1, max: 0.8, noNaN: true }),
  slowCommitMs: fc.integer({ min: 20, max: 1500 }),
});

/**
 * A gap made certain: `cmd-1` takes row 1 and stays open until every later command has
 * committed and every poller has polled at least once more.
 */
const certainGap = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
    laterSubmits: fc.integer({ min: 1, max: 6 }),
    interval: fc.integer({ min: 5, max: 100 }),
    pollIntervalMs: fc.integer({ min: 20, max: 200 }),
    extraOpenMs: fc.integer({ min: 0, max: 500 }),
  })
  .map(({ seed, laterSubmits, interval, pollIntervalMs, extraOpenMs }) => ({
    seed,
    pollIntervalMs,
    slowCommitMs: laterSubmits * interval + 2 * pollIntervalMs + 50 + extraOpenMs,
    script: Array.from({ length: laterSubmits + 1 }, (_, n) => ({
      at: n * interval,
      command: 'submit' as const,
      application: `app-${n + 1}`,
    })),
  }));

describe('poller: properties', () => {
  it('gapSafe poller with concurrent writers never loses an effect, whatever crashes and errors', async () => {
    await fc.assert(
      fc.asyncProperty(concurrentWriters, recoverableFaults, async (writers, faults: Fault[]) => {
        const { seed, commands, interval, ...options } = writers;
        const r = await world.run({ strategy: 'poller', seed, options: { gapSafe: true, ...options }, workload: { commands, interval }, faults });
        expect(r.endReason).toBe('quiesced');
        expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0, duplicateEffects: 0, outOfOrder: 0 });
        expect((await world.pg.query('select gid from pg_prepared_xacts')).rows).toEqual([]);
      }),
      propertyOptions,
    );
  });

  it('naive poller with a late-committing writer loses exactly that writer\'s effects', async () => {
    await fc.assert(
      fc.asyncProperty(certainGap, async ({ seed, pollIntervalMs, slowCommitMs, script }) => {
        const r = await world.run({ strategy: 'poller', seed, options: { pollIntervalMs, slowCommitMs, slowCommands: ['cmd-1'] }, workload: { script } });
        const lost = r.verdict.violations.filter((v) => v.kind === 'lost').map((v) => v.subject).sort();
        expect(lost).toEqual([...commitOf(r, 'cmd-1').expects].sort());
        expect(lost.length).toBeGreaterThan(0);
      }),
      propertyOptions,
    );
  });
});
