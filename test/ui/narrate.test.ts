import { describe, expect, it } from 'vitest';
import type { EntryOf, TraceEntry, TraceKind } from '../../src/sim/trace';
import { STRATEGY_IDS } from '../../src/strategies/strategy';
import { crashPointsFor } from '../../src/ui/derive/crash-points';
import { TRACE_KINDS } from '../../src/ui/derive/names';
import { narrate } from '../../src/ui/derive/narrate';
import { useWorld } from '../support/world';
import { runScenarioFile } from './scenario-traces';

const world = useWorld();
const event = { id: 'evt-5', type: 'ApplicationApproved', aggregateId: 'app-2', version: 2, at: 300, payload: { applicant: 'bob' } };
const at = { i: 0, t: 300 };

/** One entry of every kind: the mapped type makes this fail to compile when the trace gains a kind. */
const SAMPLES: { readonly [K in TraceKind]: EntryOf<K> } = {
  'run-start': { ...at, kind: 'run-start', scenario: 'demo', strategy: 'outbox', seed: 7, options: {} },
  command: { ...at, kind: 'command', commandId: 'cmd-3', command: 'approve', aggregateId: 'app-2' },
  'command-rejected': { ...at, kind: 'command-rejected', commandId: 'cmd-3', reason: 'command handler is down' },
  sql: { ...at, kind: 'sql', actor: 'relay', sql: "update outbox.messages set status = 'sent', sent_at = $2 where id = any($1::bigint[])", params: [[1, 2, 3], 300], rows: 3 },
  'sql-error': { ...at, kind: 'sql-error', actor: 'api', sql: 'select 1', error: 'boom (XX000)' },
  commit: { ...at, kind: 'commit', actor: 'api', commandId: 'cmd-3', events: [event], expects: ['email:evt-5:bob', 'entitlement:evt-5', 'analytics:evt-5'] },
  publish: { ...at, kind: 'publish', actor: 'relay', messageId: 'evt-5', routingKey: 'application.approved', outcome: 'confirmed', queues: ['email-queue', 'analytics-queue'] },
  deliver: { ...at, kind: 'deliver', queue: 'email-queue', consumer: 'email-service', messageId: 'evt-5', deliveryCount: 2 },
  ack: { ...at, kind: 'ack', consumer: 'email-service', messageId: 'evt-5' },
  nack: { ...at, kind: 'nack', consumer: 'email-service', messageId: 'evt-5', reason: 'consumer error' },
  effect: { ...at, kind: 'effect', consumer: 'email', key: 'email:evt-5:bob', eventId: 'evt-5', aggregateId: 'app-2', version: 2 },
  'duplicate-skipped': { ...at, kind: 'duplicate-skipped', consumer: 'email', messageId: 'evt-5' },
  'retry-scheduled': { ...at, kind: 'retry-scheduled', actor: 'relay', messageId: 'evt-5', attempt: 2, atMs: 900, error: 'publish unavailable' },
  'dead-letter': { ...at, kind: 'dead-letter', where: 'queue:email-queue', messageId: 'evt-5', reason: 'consumer error after 10 deliveries' },
  activity: { ...at, kind: 'activity', actor: 'relay', activity: 'backing-off' },
  crash: { ...at, kind: 'crash', actor: 'relay', point: 'after-publish' },
  restart: { ...at, kind: 'restart', actor: 'relay' },
  fault: { ...at, kind: 'fault', fault: 'broker-down', state: 'on', detail: 'broker down (connections refused)' },
  prepared: { ...at, kind: 'prepared', actor: 'api', participant: 'postgres', gid: 'tpc:cmd-3' },
  'prepare-failed': { ...at, kind: 'prepare-failed', actor: 'coordinator', participant: 'broker', gid: 'tpc:cmd-3', reason: 'unavailable' },
  decided: { ...at, kind: 'decided', actor: 'coordinator', gid: 'tpc:cmd-3', decision: 'commit', reason: 'both participants prepared' },
  resolved: { ...at, kind: 'resolved', actor: 'coordinator', participant: 'broker', gid: 'tpc:cmd-3', decision: 'commit' },
  'participant-unreachable': { ...at, kind: 'participant-unreachable', actor: 'coordinator', participant: 'broker', call: 'commit', gid: 'tpc:cmd-3', reason: 'timeout' },
  'in-doubt': { ...at, kind: 'in-doubt', actor: 'coordinator', participant: 'postgres', gids: ['tpc:cmd-3', 'tpc:cmd-4'] },
  blocked: { ...at, kind: 'blocked', actor: 'api', commandId: 'cmd-5', aggregateId: 'app-1', heldBy: ['tpc:cmd-3'] },
  unblocked: { ...at, kind: 'unblocked', actor: 'api', commandId: 'cmd-5', aggregateId: 'app-1', outcome: 'acquired' },
  'run-end': { ...at, kind: 'run-end', reason: 'quiesced', steps: 135 },
  verdict: { ...at, kind: 'verdict', counters: { lost: 2, duplicateDeliveries: 4, phantom: 0 } },
};

/** A sentence a person can read: no leaked placeholders, not the fallback. */
function expectReadable(sentence: string): void {
  expect(sentence).not.toMatch(/undefined|\[object|NaN|null/);
  expect(sentence).not.toMatch(/entry was recorded$/);
  expect(sentence.length).toBeGreaterThan(10);
}

describe('narrate: one plain sentence per entry', () => {
  it('speaks every kind of trace entry', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...TRACE_KINDS].sort());
    for (const sample of Object.values(SAMPLES)) expectReadable(narrate(sample as TraceEntry, { strategyId: 'outbox' }));
  });

  it('says what the sample entries mean', () => {
    expect(narrate(SAMPLES.commit)).toBe('The command handler committed cmd-3 (ApplicationApproved for app-2); 3 effects are now owed');
    expect(narrate(SAMPLES.fault)).toBe('The broker is down: publishes are refused');
    expect(narrate(SAMPLES.sql)).toBe('The relay marked 3 outbox rows sent');
    expect(narrate(SAMPLES.deliver)).toBe('The broker delivered evt-5 from email-queue to the email service (its 2nd delivery)');
    expect(narrate(SAMPLES.verdict)).toBe("The checker's verdict: 2 lost and 4 duplicate deliveries");
    expect(narrate(SAMPLES.crash, { strategyId: 'outbox' })).toBe(
      'The relay crashed after publishing a message and before marking it sent; on restart it will publish it again',
    );
  });

  it('never throws: an entry of an unknown kind or shape gets a fallback sentence', () => {
    const unknown = { i: 1, t: 2, kind: 'teleport' } as unknown as TraceEntry;
    expect(narrate(unknown)).toBe('A teleport entry was recorded');
    const broken = { i: 1, t: 2, kind: 'commit', actor: 'api' } as unknown as TraceEntry;
    expect(() => narrate(broken)).not.toThrow();
  });

  it('has its own sentence for every crash point of every strategy', () => {
    for (const strategyId of STRATEGY_IDS) {
      for (const point of crashPointsFor(strategyId)) {
        const sentence = narrate({ i: 0, t: 0, kind: 'crash', actor: point.actor, point: point.id }, { strategyId });
        expectReadable(sentence);
        expect(sentence, `${strategyId}:${point.id}`).not.toContain(`crashed at ${point.id}`);
      }
    }
  });
});

describe('narrate on real traces', () => {
  async function crashSentences(scenario: string): Promise<string[]> {
    const { trace } = await runScenarioFile(world, scenario);
    for (const entry of trace) expectReadable(narrate(entry, { trace }));
    return trace.filter((e) => e.kind === 'crash').map((e) => narrate(e, { trace }));
  }

  it('outbox: the relay dies between publish and mark-sent and will publish again', async () => {
    expect(await crashSentences('outbox-crash-after-publish')).toEqual([
      'The relay crashed after publishing evt-2 and before marking it sent; on restart it will publish it again',
    ]);
  });

  it('direct publish: a crash after commit loses the event; before commit it leaves a phantom', async () => {
    expect(await crashSentences('direct-publish-crash-after-commit')).toEqual([
      'The command handler crashed after committing cmd-3 and before publishing evt-3: nothing will ever publish it, so it is lost',
    ]);
    const [phantom] = await crashSentences('direct-publish-phantom');
    expect(phantom).toMatch(/^The command handler crashed after publishing evt-\d+ and before committing: .*a phantom\)$/);
  });

  it('poller: dying after the effect with the position saved afterwards repeats the event', async () => {
    expect(await crashSentences('poller-crash-before-position')).toEqual([
      "The email poller crashed after performing evt-2's email effects; its position was not saved yet, so it performs them again after restart",
    ]);
  });

  it('process manager: a worker dies after the effect and before marking the row done', async () => {
    const [sentence] = await crashSentences('process-manager-worker-crash');
    expect(sentence).toMatch(/^Outbox worker \d crashed after performing the email effect for evt-\d+ and before marking it done; once the lease expires/);
  });

  it('two-phase commit: coordinator deaths before and after the decision', async () => {
    expect(await crashSentences('two-phase-commit-coordinator-in-doubt')).toEqual([
      'The coordinator crashed after both participants voted yes and before logging a decision: tpc:cmd-3 is in doubt, its locks held, until recovery presumes abort',
    ]);
    expect(await crashSentences('two-phase-commit-crash-after-decision')).toEqual([
      'The coordinator crashed after logging its commit decision for tpc:cmd-3 and before telling anyone: recovery will commit it at both participants',
    ]);
  });

  it('a consumer dies after its effects and before the ack: redelivery', async () => {
    const { trace } = await world.run({ strategy: 'outbox', seed: 2, workload: { commands: 3 }, faults: [{ type: 'crash', point: 'email-after-effect' }] });
    const crash = trace.find((e) => e.kind === 'crash')!;
    expect(narrate(crash, { trace })).toMatch(
      /^The email service crashed after performing the effects of evt-\d+ and before acknowledging it; the broker will deliver it again$/,
    );
  });
});
