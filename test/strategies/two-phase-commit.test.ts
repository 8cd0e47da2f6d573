import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/engine/run';
import { bootPostgres } from '../../src/infra/database';
import { evaluateExpectations } from '../../src/scenario/expect';
import { parseScenarioText, validateScenario } from '../../src/scenario/load';
import type { Fault, ScenarioInput } from '../../src/scenario/schema';
import type { EntryOf, TraceKind } from '../../src/sim/trace';
import { brokerOutage, crashAt, PROPERTY_RUNS, propertyOptions } from '../support/faults';
import { useWorld } from '../support/world';

const world = useWorld();

const entries = <K extends TraceKind>(r: RunResult, kind: K): EntryOf<K>[] =>
  r.trace.filter((e): e is EntryOf<K> => e.kind === kind);

const only = <T>(items: readonly T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};

/** submit app-1 and app-2, then a third command on app-1 that the fault plan catches, then a fourth on app-1. */
const crashOnThirdCommand = (point: string, extra: Partial<ScenarioInput> = {}): Partial<ScenarioInput> & Pick<ScenarioInput, 'strategy'> => ({
  strategy: 'two-phase-commit',
  seed: 1,
  workload: {
    script: [
      { at: 0, command: 'submit', application: 'app-1' },
      { at: 50, command: 'submit', application: 'app-2' },
      { at: 100, command: 'approve', application: 'app-1' },
      { at: 400, command: 'reject', application: 'app-1' },
    ],
  },
  faults: [{ type: 'crash', point, nth: 3 }],
  ...extra,
});

const preparedGids = async () =>
  (await world.pg.query<{ gid: string }>(`select gid from pg_prepared_xacts order by gid`)).rows.map((row) => row.gid);

describe('two-phase commit', () => {
  it('commits the state change and the message as one: every commit is published, nothing stays prepared', async () => {
    const r = await world.run({ strategy: 'two-phase-commit', seed: 3, workload: { commands: 8, interval: 100 } });
    expect(r.endReason).toBe('quiesced');
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0, duplicateEffects: 0, inDoubtMax: 1, blockedMs: 0 });
    expect(r.verdict.counters.committed).toBeGreaterThan(0);
    // Each transaction is in doubt only between its votes and the outcome: a few ms.
    expect(r.verdict.counters.inDoubtMs).toBeLessThan(10 * r.verdict.counters.committed);
    // The command counts as committed exactly when Postgres runs COMMIT PREPARED.
    for (const commit of entries(r, 'commit')) {
      const before = r.trace[commit.i - 1]!;
      expect(before).toMatchObject({ kind: 'resolved', participant: 'postgres', gid: `tpc:${commit.commandId}`, decision: 'commit' });
      expect(r.trace[commit.i - 2]).toMatchObject({ kind: 'sql', sql: `commit prepared 'tpc:${commit.commandId}'` });
    }
    expect(await preparedGids()).toEqual([]);
    const log = await world.pg.query<{ open: number }>(`select count(*)::int as open from tpc.decisions where completed_at is null`);
    expect(log.rows[0]!.open).toBe(0);
  });

  it('a broker that cannot prepare votes no: the database branch is rolled back and the command rejected', async () => {
    const r = await world.run({
      strategy: 'two-phase-commit',
      seed: 7,
      workload: { commands: 10, interval: 100 },
      faults: [{ type: 'broker-down', from: 250, to: 650 }],
    });
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0, blockedMs: 0 });
    const noVotes = entries(r, 'prepare-failed');
    expect(noVotes.length).toBeGreaterThan(0);
    const committed = new Set(entries(r, 'commit').map((e) => `tpc:${e.commandId}`));
    for (const vote of noVotes) {
      expect(vote).toMatchObject({ participant: 'broker', reason: 'unavailable' });
      expect(r.trace.find((e) => e.kind === 'decided' && e.gid === vote.gid)).toMatchObject({ decision: 'abort' });
      expect(r.trace.find((e) => e.kind === 'resolved' && e.gid === vote.gid)).toMatchObject({ participant: 'postgres', decision: 'abort' });
      expect(r.trace.some((e) => e.kind === 'sql' && e.sql === `rollback prepared '${vote.gid}'`)).toBe(true);
      const commandId = vote.gid.replace('tpc:', '');
      expect(r.trace.find((e) => e.kind === 'command-rejected' && e.commandId === commandId)).toMatchObject({
        reason: expect.stringContaining('rolled back everywhere'),
      });
      expect(committed.has(vote.gid)).toBe(false);
    }
    expect(await preparedGids()).toEqual([]);
  });

  it('a coordinator crash after the votes leaves the transaction in doubt; a command on the same application blocks until recovery presumes abort', async () => {
    const r = await world.run(crashOnThirdCommand('after-all-prepared'));
    const crash = only(entries(r, 'crash'));
    const restart = only(entries(r, 'restart'));
    expect(crash).toMatchObject({ actor: 'coordinator', point: 'after-all-prepared', t: 100 });
    expect(restart.t).toBe(1_100);

    // While the coordinator is down, Postgres itself names the in-doubt transaction holding app-1.
    const blocked = only(entries(r, 'blocked'));
    expect(blocked).toMatchObject({ commandId: 'cmd-4', aggregateId: 'app-1', heldBy: ['tpc:cmd-3'] });
    expect(blocked.t).toBeGreaterThan(crash.t);
    expect(blocked.t).toBeLessThan(restart.t);
    expect(r.trace.some((e) => e.kind === 'activity' && e.actor === 'api' && e.activity === 'blocked')).toBe(true);

    // Recovery finds it in pg_prepared_xacts and at the broker, with no decision logged.
    const found = entries(r, 'in-doubt').filter((e) => e.t === restart.t);
    expect(found.map((e) => [e.participant, e.gids])).toEqual([
      ['postgres', ['tpc:cmd-3']],
      ['broker', ['tpc:cmd-3']],
    ]);
    expect(r.trace.find((e) => e.kind === 'decided' && e.gid === 'tpc:cmd-3')).toMatchObject({
      decision: 'abort',
      reason: 'no decision in the log: presumed abort',
    });
    const resolutions = entries(r, 'resolved').filter((e) => e.gid === 'tpc:cmd-3');
    expect(resolutions.map((e) => [e.participant, e.decision])).toEqual([
      ['postgres', 'abort'],
      ['broker', 'abort'],
    ]);

    const unblocked = only(entries(r, 'unblocked'));
    expect(unblocked).toMatchObject({ commandId: 'cmd-4', outcome: 'acquired' });
    expect(unblocked.t).toBeGreaterThanOrEqual(restart.t);
    expect(r.verdict.counters.blockedMs).toBe(unblocked.t - blocked.t);
    expect(r.verdict.counters.inDoubtMs).toBeGreaterThanOrEqual(1_000);
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0, committed: 3, inDoubtMax: 1 });
    expect(entries(r, 'commit').map((e) => e.commandId)).toEqual(['cmd-1', 'cmd-2', 'cmd-4']);
    const app = await world.pg.query<{ state: string }>(`select state from app.applications where id = 'app-1'`);
    expect(app.rows[0]!.state).toBe('rejected');
  });

  it('stopped while the coordinator is down, Postgres holds the transaction prepared and the change invisible', async () => {
    const r = await world.run(crashOnThirdCommand('after-all-prepared', { limits: { maxVirtualMs: 600, maxSteps: 100_000 } }));
    expect(r.endReason).toBe('time-limit');
    expect(entries(r, 'restart')).toHaveLength(0);
    expect(await preparedGids()).toEqual(['tpc:cmd-3']);
    const app = await world.pg.query<{ state: string }>(`select state from app.applications where id = 'app-1'`);
    expect(app.rows[0]!.state).toBe('submitted');
    expect(r.verdict.counters.inDoubtMax).toBe(1);
    // Still in doubt when the run stopped: counted up to the end (plus the earlier commands' few ms).
    expect(r.verdict.counters.inDoubtMs).toBeGreaterThanOrEqual(r.verdict.virtualMs - 100);
    expect(r.verdict.counters.inDoubtMs).toBeLessThan(r.verdict.virtualMs - 100 + 20);
    expect(r.verdict.counters.blockedMs).toBeGreaterThan(0);
  });

  it('a coordinator crash after deciding commit: recovery finishes the commit from its log', async () => {
    const r = await world.run(crashOnThirdCommand('after-decision'));
    const crash = only(entries(r, 'crash'));
    const restart = only(entries(r, 'restart'));
    expect(r.trace.find((e) => e.kind === 'decided' && e.gid === 'tpc:cmd-3')).toMatchObject({ decision: 'commit', t: crash.t });
    const approval = only(entries(r, 'commit').filter((e) => e.commandId === 'cmd-3'));
    expect(approval.t).toBeGreaterThanOrEqual(restart.t);
    const resolutions = entries(r, 'resolved').filter((e) => e.gid === 'tpc:cmd-3');
    expect(resolutions.map((e) => [e.participant, e.decision, e.t >= restart.t])).toEqual([
      ['postgres', 'commit', true],
      ['broker', 'commit', true],
    ]);
    // The blocked rejection sees the approval it waited for.
    expect(r.trace.find((e) => e.kind === 'command-rejected' && e.commandId === 'cmd-4')).toMatchObject({
      reason: 'application app-1 is not awaiting a decision',
    });
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0, committed: 3 });
    expect(r.verdict.counters.blockedMs).toBeGreaterThan(0);
    const log = await world.pg.query<{ gid: string; completed_at: string | null }>(`select gid, completed_at from tpc.decisions order by gid`);
    expect(log.rows.map((row) => row.gid)).toEqual(['tpc:cmd-1', 'tpc:cmd-2', 'tpc:cmd-3']);
    expect(log.rows.every((row) => row.completed_at !== null)).toBe(true);
  });

  it('a crash after the database committed: the message stays staged until recovery releases it', async () => {
    const r = await world.run(crashOnThirdCommand('after-db-commit'));
    const crash = only(entries(r, 'crash'));
    const restart = only(entries(r, 'restart'));
    const approval = only(entries(r, 'commit').filter((e) => e.commandId === 'cmd-3'));
    expect(approval.t).toBeLessThanOrEqual(crash.t);
    const published = only(entries(r, 'publish').filter((e) => e.messageId === 'evt-3'));
    expect(published.t).toBeGreaterThanOrEqual(restart.t);
    // The database lock went with the commit: the rejection did not block, it was refused at once.
    expect(r.verdict.counters.blockedMs).toBe(0);
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0 });
    expect(r.verdict.latency.max).toBeGreaterThanOrEqual(restart.t - approval.t);
  });

  it('recovery that cannot reach the broker commits the database branch and retries the broker until it is back', async () => {
    const r = await world.run(crashOnThirdCommand('after-decision', { faults: [{ type: 'crash', point: 'after-decision', nth: 3 }, { type: 'broker-down', from: 900, to: 2_000 }] }));
    const restart = only(entries(r, 'restart'));
    expect(r.trace.some((e) => e.kind === 'participant-unreachable' && e.call === 'recover' && e.t >= restart.t)).toBe(true);
    const approval = only(entries(r, 'commit').filter((e) => e.commandId === 'cmd-3'));
    expect(approval.t).toBeGreaterThanOrEqual(restart.t);
    expect(approval.t).toBeLessThan(2_000);
    const brokerCommit = only(entries(r, 'resolved').filter((e) => e.gid === 'tpc:cmd-3' && e.participant === 'broker'));
    expect(brokerCommit).toMatchObject({ decision: 'commit' });
    expect(brokerCommit.t).toBeGreaterThanOrEqual(2_000);
    expect(r.endReason).toBe('quiesced');
    expect(r.verdict.counters).toMatchObject({ lost: 0, phantom: 0 });
  });

  it('a command blocked longer than lockTimeoutMs gives up and is rejected', async () => {
    const r = await world.run(crashOnThirdCommand('after-all-prepared', { options: { lockTimeoutMs: 300 } }));
    const unblocked = only(entries(r, 'unblocked'));
    expect(unblocked).toMatchObject({ commandId: 'cmd-4', outcome: 'timed-out' });
    expect(r.trace.find((e) => e.kind === 'command-rejected' && e.commandId === 'cmd-4')).toMatchObject({
      reason: expect.stringContaining('lock timeout'),
    });
    expect(r.verdict.counters.blockedMs).toBeGreaterThanOrEqual(300);
    expect(r.verdict.counters.blockedMs).toBeLessThan(500);
  });

  it('while the coordinator is down no transaction can start: commands on other applications are rejected', async () => {
    const r = await world.run(
      crashOnThirdCommand('after-all-prepared', {
        workload: {
          script: [
            { at: 0, command: 'submit', application: 'app-1' },
            { at: 50, command: 'submit', application: 'app-2' },
            { at: 100, command: 'approve', application: 'app-1' },
            { at: 300, command: 'approve', application: 'app-2' },
          ],
        },
      }),
    );
    expect(r.trace.find((e) => e.kind === 'command-rejected' && e.commandId === 'cmd-4')).toMatchObject({
      reason: 'the transaction coordinator is down',
    });
    expect(r.verdict.counters.blockedMs).toBe(0);
  });

  it.each(['participant-fails', 'coordinator-in-doubt', 'crash-after-decision'])(
    'scenarios/two-phase-commit-%s.yaml holds its expect',
    async (name) => {
      const text = readFileSync(join(import.meta.dirname, `../../scenarios/two-phase-commit-${name}.yaml`), 'utf8');
      const loaded = parseScenarioText(text);
      if (!loaded.ok) expect.fail(JSON.stringify(loaded.problems));
      const r = await runScenario(world.pg, loaded.scenario);
      expect(evaluateExpectations(loaded.scenario.expect, r.verdict.counters)).toEqual([]);
    },
  );
});

const COORDINATOR_POINTS = [
  'after-broker-vote-no',
  'after-all-prepared',
  'after-decision',
  'after-db-commit',
  'after-broker-commit',
  'recovery-after-scan',
  'recovery-after-resolve',
];

const coordinatorKill = fc.integer({ min: 0, max: 1_500 }).map((at): Fault => ({ type: 'kill', actor: 'coordinator', at }));

/** Coordinator crashes at its points and at any instant, and broker outages that end. */
const recoverableFaults = fc.array(fc.oneof(crashAt(COORDINATOR_POINTS), coordinatorKill, brokerOutage), { maxLength: 5 });

const scenarioWith = (seed: number, faults: Fault[]) => {
  const loaded = validateScenario({
    name: 'two-phase-commit-property',
    title: 'property',
    strategy: 'two-phase-commit',
    seed,
    workload: { commands: 6, interval: 80 },
    options: { coordinatorRestartMs: 300 },
    faults,
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.scenario;
};

describe('two-phase commit under random faults', () => {
  it('never leaves a committed command without its message once the coordinator has recovered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), recoverableFaults, async (seed, faults) => {
        const r = await runScenario(world.pg, scenarioWith(seed, faults));
        expect(r.endReason).toBe('quiesced');
        expect(r.verdict.counters.lost).toBe(0);
        expect(r.verdict.counters.phantom).toBe(0);
        // Recovered everywhere: nothing prepared in Postgres, every commit decision completed.
        const resolved = new Set(entries(r, 'resolved').map((e) => `${e.participant}|${e.gid}`));
        for (const prepared of entries(r, 'prepared')) expect(resolved.has(`${prepared.participant}|${prepared.gid}`)).toBe(true);
        expect(await preparedGids()).toEqual([]);
        // Every committed event was published.
        const published = new Set(entries(r, 'publish').map((e) => e.messageId));
        for (const commit of entries(r, 'commit')) for (const event of commit.events) expect(published.has(event.id)).toBe(true);
      }),
      propertyOptions,
    );
    // Each case resets and runs a small world (~0.2 s); more runs need more time.
  }, 60_000 + PROPERTY_RUNS * 400);
});

describe('two-phase commit replays deterministically', () => {
  const faults: Fault[] = [
    { type: 'crash', point: 'after-all-prepared', probability: 0.3 },
    { type: 'crash', point: 'after-decision', probability: 0.3 },
    { type: 'broker-down', from: 300, to: 700, mode: 'timeout' },
  ];

  it('same scenario and seed give the same trace hash, on a reused PGlite and on a fresh one', async () => {
    const hashes = new Map<number, string>();
    for (const seed of [1, 2, 3, 4, 5]) {
      const first = await runScenario(world.pg, scenarioWith(seed, faults));
      const second = await runScenario(world.pg, scenarioWith(seed, faults));
      expect(second.traceHash, `seed ${seed}`).toBe(first.traceHash);
      hashes.set(seed, first.traceHash);
    }
    expect(new Set(hashes.values()).size).toBeGreaterThan(1);
    // Leave a prepared transaction behind, then replay on the dirty instance and on a fresh one.
    await world.run(crashOnThirdCommand('after-all-prepared', { limits: { maxVirtualMs: 600, maxSteps: 100_000 } }));
    expect(await preparedGids()).toEqual(['tpc:cmd-3']);
    const fresh = await bootPostgres();
    try {
      for (const seed of [1, 3]) {
        const onFresh = await runScenario(fresh, scenarioWith(seed, faults));
        const onReused = await runScenario(world.pg, scenarioWith(seed, faults));
        expect(onFresh.traceHash, `seed ${seed}`).toBe(hashes.get(seed));
        expect(onReused.traceHash, `seed ${seed}`).toBe(hashes.get(seed));
      }
    } finally {
      await fresh.close();
    }
  });
});
