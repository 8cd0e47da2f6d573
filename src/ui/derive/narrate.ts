import type { EntryOf, TraceEntry } from '../../sim/trace';
import { findStrategy } from '../../strategies';
import { crashPointsFor } from './crash-points';
import { actorInSentence, capitalise, listJoin, ordinal, plural, serviceActor } from './names';
import { sqlSentence } from './sql-sentence';

export interface NarrationContext {
  /** The run's strategy: the same crash point means different things in different strategies. */
  readonly strategyId?: string;
  /**
   * The trace the entry belongs to. With it a sentence can name what an actor was handling
   * ("after publishing evt-12") by looking back a little from the entry.
   */
  readonly trace?: readonly TraceEntry[];
}

/** One plain English sentence for one trace entry. Never throws: an entry it cannot read gets a plain fallback. */
export function narrate(entry: TraceEntry, context: NarrationContext = {}): string {
  try {
    return sentenceFor(entry, context);
  } catch {
    return fallbackSentence(entry);
  }
}

function fallbackSentence(entry: { kind: string }): string {
  return `A ${String(entry.kind)} entry was recorded`;
}

function sentenceFor(entry: TraceEntry, context: NarrationContext): string {
  switch (entry.kind) {
    case 'run-start':
      return `Scenario ${entry.scenario} starts: ${findStrategy(entry.strategy)?.title ?? entry.strategy}, seed ${entry.seed}`;
    case 'command':
      return `The client sent ${entry.commandId}: ${entry.command} ${entry.aggregateId}`;
    case 'command-rejected':
      return `${entry.commandId} was rejected: ${entry.reason}`;
    case 'sql':
      return sqlSentence(entry);
    case 'sql-error':
      return `${capitalise(actorInSentence(entry.actor))}'s statement failed: ${entry.error}`;
    case 'commit':
      return commitSentence(entry);
    case 'publish':
      return publishSentence(entry, strategyOf(entry, context));
    case 'deliver':
      return `The broker delivered ${entry.messageId} from ${entry.queue} to ${actorInSentence(entry.consumer)}${
        entry.deliveryCount > 1 ? ` (its ${ordinal(entry.deliveryCount)} delivery)` : ''}`;
    case 'ack':
      return `${capitalise(actorInSentence(entry.consumer))} acknowledged ${entry.messageId}; the broker forgets it`;
    case 'nack':
      return nackSentence(entry);
    case 'effect':
      return effectSentence(entry);
    case 'duplicate-skipped':
      return `${capitalise(actorInSentence(serviceActor(entry.consumer)))} had already handled ${entry.messageId} (its inbox says so) and skipped it`;
    case 'retry-scheduled':
      return `${capitalise(actorInSentence(entry.actor))} will try ${entry.messageId} again at ${entry.atMs} ms (attempt ${entry.attempt} failed: ${entry.error})`;
    case 'dead-letter':
      return deadLetterSentence(entry);
    case 'activity':
      return `${capitalise(actorInSentence(entry.actor))} ${ACTIVITY_PHRASES[entry.activity]}`;
    case 'crash':
      return crashSentence(entry, context);
    case 'restart':
      return restartSentence(entry.actor);
    case 'fault':
      return faultSentence(entry);
    case 'prepared':
      return entry.participant === 'postgres'
        ? `${capitalise(actorInSentence(entry.actor))} prepared ${entry.gid} in Postgres (PREPARE TRANSACTION): its locks stay held until the coordinator decides`
        : `The broker staged the messages of ${entry.gid} and voted yes`;
    case 'prepare-failed':
      return `${participantName(entry.participant)} could not prepare ${entry.gid} (${entry.reason}): its vote is no`;
    case 'decided':
      return `${capitalise(actorInSentence(entry.actor))} decided to ${entry.decision} ${entry.gid} (${entry.reason})`;
    case 'resolved':
      return resolvedSentence(entry);
    case 'participant-unreachable':
      return `${capitalise(actorInSentence(entry.actor))} could not reach the ${entry.participant} to ${entry.call}${entry.gid ? ` ${entry.gid}` : ''} (${entry.reason}); it will try again`;
    case 'in-doubt':
      return entry.gids.length === 0
        ? `Recovery found nothing in doubt at ${participantName(entry.participant, false)}`
        : `Recovery found ${plural(entry.gids.length, 'transaction')} in doubt at ${participantName(entry.participant, false)}: ${listJoin(entry.gids)}`;
    case 'blocked':
      return `${entry.commandId} waits: ${entry.aggregateId} is locked by ${entry.heldBy.length > 0 ? listJoin(entry.heldBy) : 'another transaction'}`;
    case 'unblocked':
      return entry.outcome === 'acquired'
        ? `${entry.commandId} got the lock on ${entry.aggregateId} and goes on`
        : `${entry.commandId} gave up waiting for the lock on ${entry.aggregateId}`;
    case 'run-end':
      return runEndSentence(entry);
    case 'verdict':
      return verdictSentence(entry.counters);
    default:
      return fallbackSentence(entry satisfies never);
  }
}

const ACTIVITY_PHRASES: Record<EntryOf<'activity'>['activity'], string> = {
  idle: 'has nothing to do and waits',
  working: 'is working',
  'backing-off': 'backs off before trying again',
  waiting: 'waits',
  blocked: 'is blocked, waiting for a lock',
};

function strategyOf(entry: TraceEntry, context: NarrationContext): string | undefined {
  if (context.strategyId) return context.strategyId;
  const first = context.trace?.[0];
  if (first?.kind === 'run-start') return first.strategy;
  return entry.kind === 'run-start' ? entry.strategy : undefined;
}

function commitSentence(entry: EntryOf<'commit'>): string {
  const events = entry.events.map((event) => `${event.type} for ${event.aggregateId}`);
  const what = events.length > 0 ? ` (${listJoin(events)})` : '';
  const owed = entry.expects.length === 0 ? 'no effects are owed' : `${plural(entry.expects.length, 'effect')} ${entry.expects.length === 1 ? 'is' : 'are'} now owed`;
  return `${capitalise(actorInSentence(entry.actor))} committed ${entry.commandId}${what}; ${owed}`;
}

function publishSentence(entry: EntryOf<'publish'>, strategyId: string | undefined): string {
  const who = capitalise(actorInSentence(entry.actor));
  switch (entry.outcome) {
    case 'confirmed':
      return entry.queues.length > 0
        ? `${who} published ${entry.messageId} (${entry.routingKey}) to ${listJoin(entry.queues)}`
        : `${who} published ${entry.messageId} (${entry.routingKey}), but no queue is bound to it`;
    case 'confirm-lost': {
      const retries = strategyId === 'outbox' || strategyId === 'process-manager';
      return `${who} published ${entry.messageId}, but the confirm got lost: the broker stored it and the publisher thinks it failed${
        retries ? ', so it will publish it again' : ''}`;
    }
    case 'unavailable':
      return `${who} could not publish ${entry.messageId}: the broker refused the connection`;
    case 'timeout':
      return `${who} waited for the broker to confirm ${entry.messageId} and gave up: it timed out`;
    default:
      // Compared as a string so this reads the same whether or not the trace's outcome union lists it yet.
      return String(entry.outcome) === 'rejected'
        ? `The broker rejected ${entry.messageId} outright (a poison message): publishing it again will not help`
        : `${who} could not publish ${entry.messageId} (${String(entry.outcome)})`;
  }
}

function nackSentence(entry: EntryOf<'nack'>): string {
  const who = actorInSentence(entry.consumer);
  if (entry.reason.startsWith('ack lost')) {
    return `${capitalise(who)}'s acknowledgement of ${entry.messageId} reached nobody: its channel had closed, so the broker will deliver it again`;
  }
  return `${capitalise(who)} rejected ${entry.messageId} (${entry.reason}); the broker will offer it again`;
}

function effectSentence(entry: EntryOf<'effect'>): string {
  switch (entry.consumer) {
    case 'email':
      return `The email service sent ${entry.key.slice(entry.key.lastIndexOf(':') + 1)} an email about ${entry.eventId}`;
    case 'entitlement':
      return `The entitlement service granted the entitlement for ${entry.aggregateId} (${entry.eventId})`;
    case 'analytics':
      return `The analytics service recorded ${entry.eventId}`;
    default:
      return `${capitalise(actorInSentence(serviceActor(entry.consumer)))} performed ${entry.key}`;
  }
}

function deadLetterSentence(entry: EntryOf<'dead-letter'>): string {
  if (entry.where.startsWith('queue:')) {
    return `The broker moved ${entry.messageId} from ${entry.where.slice('queue:'.length)} to the dead-letter queue: ${entry.reason}`;
  }
  const who = entry.where === 'outbox' ? 'The relay' : entry.where === 'pm.outbox' ? 'An outbox worker' : capitalise(actorInSentence(entry.where));
  const outcome = entry.where.endsWith('outbox') ? 'marked it dead' : 'passed over it';
  return `${who} gave up on ${entry.messageId} and ${outcome}: ${entry.reason}`;
}

function resolvedSentence(entry: EntryOf<'resolved'>): string {
  const done = entry.decision === 'commit' ? 'committed' : 'rolled back';
  if (entry.participant === 'postgres') return `Postgres ${done} the prepared transaction ${entry.gid}`;
  return entry.decision === 'commit'
    ? `The broker committed ${entry.gid}: its staged messages go to the queues`
    : `The broker rolled back ${entry.gid}: its staged messages are dropped`;
}

function participantName(participant: string, sentenceStart = true): string {
  if (participant === 'postgres') return 'Postgres';
  return `${sentenceStart ? 'The' : 'the'} ${participant}`;
}

function restartSentence(actor: string): string {
  const who = capitalise(actorInSentence(actor));
  if (actor === 'api') return `${who} restarted and accepts commands again`;
  if (actor.startsWith('relay')) return `${who} restarted; it reads the outbox again from the oldest pending row`;
  if (actor.startsWith('outbox-worker')) return `${who} restarted; rows it had leased come back once their lease expires`;
  if (actor === 'coordinator') return `${who} restarted and runs recovery: it reads its log and what each participant still holds prepared`;
  if (actor.endsWith('-poller')) return `${who} restarted; it reads again from its saved position`;
  if (actor.endsWith('-service')) return `${who} restarted and consumes from its queue again`;
  return `${who} restarted`;
}

function faultSentence(entry: EntryOf<'fault'>): string {
  const on = entry.state === 'on';
  switch (entry.fault) {
    case 'broker-down':
      if (!on) return 'The broker is back up: publishes are accepted again and consumers resume';
      return entry.detail.includes('time out') ? 'The broker is down and silent: publishes time out' : 'The broker is down: publishes are refused';
    case 'consumer-error': {
      const service = entry.detail.split(' ')[0] ?? 'a';
      const odds = /\(p=([\d.]+)\)/.exec(entry.detail)?.[1];
      return on
        ? `The ${service} service starts failing calls${odds ? ` (each with probability ${odds})` : ''}`
        : `The ${service} service stops failing calls`;
    }
    case 'lose-publish-confirm':
      return on
        ? 'Publish confirms may now get lost: a publisher can believe a stored message failed'
        : 'Publish confirms arrive again';
    case 'kill':
      return `An injected fault: ${entry.detail}`;
    case 'crash':
      return on ? `A crash is armed: ${entry.detail}` : `The crash window closes: ${entry.detail}`;
    case 'poison-message':
      return `A poison message is planted: ${entry.detail}, every time it is published`;
    default:
      return `Fault ${entry.fault} is ${entry.state}: ${entry.detail}`;
  }
}

function runEndSentence(entry: EntryOf<'run-end'>): string {
  switch (entry.reason) {
    case 'quiesced':
      return `The run ended: nothing was left to do after ${plural(entry.steps, 'step')}`;
    case 'step-limit':
      return `The run stopped at its step limit (${plural(entry.steps, 'step')})`;
    case 'time-limit':
      return `The run stopped at its virtual time limit after ${plural(entry.steps, 'step')}`;
  }
}

const VIOLATION_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['lost', 'lost'],
  ['phantom', 'phantom'],
  ['duplicateDeliveries', 'duplicate deliveries'],
  ['duplicateEffects', 'duplicate effects'],
  ['outOfOrder', 'out of order'],
  ['deadLettered', 'dead-lettered'],
  ['repeatedNotifications', 'repeated notifications'],
];

function verdictSentence(counters: Readonly<Record<string, number>>): string {
  const found = VIOLATION_WORDS.filter(([name]) => (counters[name] ?? 0) > 0).map(([name, words]) => `${counters[name]} ${words}`);
  return found.length === 0 ? "The checker's verdict: no violations" : `The checker's verdict: ${listJoin(found)}`;
}

// ─── Crashes ───────────────────────────────────────────────────────────────────────────────

/** What the crashed actor was handling, found by looking back a little in the trace. */
interface CrashSubject {
  readonly who: string;
  readonly commandId: string;
  readonly events: string;
  readonly eventCount: number;
  readonly message: string;
  readonly gid: string;
  readonly rowKey: string;
}

type CrashStory = (s: CrashSubject, context: NarrationContext) => string;

const itThem = (s: CrashSubject) => (s.eventCount === 1 ? 'it' : 'them');
const isAre = (s: CrashSubject) => (s.eventCount === 1 ? 'is' : 'are');

/** Keyed `strategy:point` first, then `point`: the same id tells a different story per strategy. */
const CRASH_STORIES: Readonly<Record<string, CrashStory>> = {
  'direct-publish:after-commit': (s) =>
    `${s.who} crashed after committing ${s.commandId} and before publishing ${s.events}: nothing will ever publish ${itThem(s)}, so ${itThem(s)} ${isAre(s)} lost`,
  'direct-publish:after-publish': (s) => `${s.who} crashed after publishing ${s.message}; the commit and the publish were both already done`,
  'direct-publish:before-commit': (s) =>
    `${s.who} crashed after publishing ${s.message} and before committing: the transaction rolls back, but the broker already has the event (a phantom)`,
  'outbox:after-commit': (s) =>
    `${s.who} crashed right after committing ${s.commandId}; ${s.events} ${isAre(s)} safe in the outbox and the relay will publish ${itThem(s)}`,
  'outbox:after-fetch': (s) => `${s.who} crashed after reading a batch of due rows and before publishing any; on restart it reads them again`,
  'outbox:after-publish': (s) => `${s.who} crashed after publishing ${s.message} and before marking it sent; on restart it will publish it again`,
  'outbox:after-mark-sent': (s) => `${s.who} crashed just after marking its published rows sent; nothing will be published twice`,
  'outbox:after-retry-scheduled': (s) => `${s.who} crashed after recording when to retry a failed row; on restart it tries again at that time`,
  'poller:after-commit': (s) =>
    `${s.who} crashed right after committing ${s.commandId}; ${s.events} ${isAre(s)} safe in the events table, where the pollers will find ${itThem(s)}`,
  'poller:after-prepare': (s) =>
    `${s.who} crashed while ${s.commandId}'s slow transaction was still open: its connection is gone, so Postgres rolls it back`,
  'process-manager:before-commit': (s) =>
    `${s.who} crashed before COMMIT: ${s.commandId}, its follow-up commands and their outbox rows all roll back together`,
  'process-manager:after-commit': (s) =>
    `${s.who} crashed right after committing ${s.commandId}; its outbox rows are safe and the workers will perform them`,
  'process-manager:after-claim': (s) =>
    `${s.who} crashed after leasing outbox rows and performing none; they wait until the lease expires, then a worker takes them again`,
  'process-manager:after-effect': (s) =>
    `${s.who} crashed after performing ${s.rowKey} and before marking it done; once the lease expires the row is performed again`,
  'process-manager:after-mark-done': (s) => `${s.who} crashed just after marking ${s.rowKey} done; nothing repeats`,
  'process-manager:after-retry-scheduled': (s) => `${s.who} crashed after recording when to retry a failed row`,
  'after-broker-vote-no': (s) =>
    `${s.who} crashed after the broker voted no and before rolling back ${s.gid} in Postgres: the branch stays prepared, holding its locks, until recovery presumes abort`,
  'after-all-prepared': (s) =>
    `${s.who} crashed after both participants voted yes and before logging a decision: ${s.gid} is in doubt, its locks held, until recovery presumes abort`,
  'after-decision': (s) =>
    `${s.who} crashed after logging its commit decision for ${s.gid} and before telling anyone: recovery will commit it at both participants`,
  'after-db-commit': (s) =>
    `${s.who} crashed after Postgres committed ${s.gid} while the broker still holds its message staged: recovery commits it from the log`,
  'after-broker-commit': (s) =>
    `${s.who} crashed after both participants committed ${s.gid} and before marking its log entry complete: recovery finds nothing left to do`,
  'recovery-after-scan': (s) => `${s.who} crashed during recovery, after listing what is in doubt and before resolving any of it`,
  'recovery-after-resolve': (s) => `${s.who} crashed during recovery after resolving ${s.gid}; the next restart carries on where it stopped`,
  killed: (s) => `${s.who} was killed by an injected fault; it comes back after its restart delay`,
};

function crashSentence(entry: EntryOf<'crash'>, context: NarrationContext): string {
  const strategyId = strategyOf(entry, context);
  const subject = crashSubject(entry, context.trace);
  const story = CRASH_STORIES[`${strategyId}:${entry.point}`] ?? CRASH_STORIES[entry.point] ?? pointFamilyStory(entry.point, context);
  if (story) return story(subject, context);
  const described = crashPointsFor(strategyId ?? '').find((p) => p.id === entry.point);
  return described ? `${subject.who} crashed at ${entry.point}: ${lowerFirst(described.description)}` : `${subject.who} crashed at ${entry.point}`;
}

/** Points named after a service (`email-after-effect`, `email-poller-after-fetch`) share one story per family. */
function pointFamilyStory(point: string, context: NarrationContext): CrashStory | undefined {
  const pollerPoint = /^(\w+)-poller-after-(fetch|effect)$/.exec(point);
  if (pollerPoint?.[2] === 'fetch') {
    return (s) => `${s.who} crashed after reading a batch of events and before performing any; on restart it reads them again from its saved position`;
  }
  if (pollerPoint?.[2] === 'effect') {
    const savedWithEffects = runOptions(context)?.savePosition !== 'after-effects';
    return (s) =>
      `${s.who} crashed after performing ${s.message}'s ${pollerPoint[1]} effects; ${
        savedWithEffects ? 'its position was saved in the same transaction, so nothing repeats' : 'its position was not saved yet, so it performs them again after restart'}`;
  }
  if (/^\w+-after-effect$/.test(point)) {
    return (s) => `${s.who} crashed after performing the effects of ${s.message} and before acknowledging it; the broker will deliver it again`;
  }
  return undefined;
}

function runOptions(context: NarrationContext): Record<string, unknown> | undefined {
  const first = context.trace?.[0];
  return first?.kind === 'run-start' ? first.options : undefined;
}

/** How far back a crash sentence looks for what the actor was doing: enough for a batch, bounded for speed. */
const LOOK_BACK_ENTRIES = 400;

function crashSubject(entry: EntryOf<'crash'>, trace: readonly TraceEntry[] | undefined): CrashSubject {
  const found = { commandId: '', events: [] as string[], message: '', gid: '', rowKey: '' };
  const from = trace && trace[entry.i] === entry ? entry.i - 1 : -1;
  for (let i = from; trace && i >= 0 && i > from - LOOK_BACK_ENTRIES; i--) {
    const e = trace[i]!;
    noteSubject(e, entry.actor, found);
    if (found.commandId && found.message && found.gid && found.rowKey) break;
  }
  return {
    who: capitalise(actorInSentence(entry.actor)),
    commandId: found.commandId || 'its command',
    events: found.events.length > 0 ? listJoin(found.events) : 'its events',
    eventCount: Math.max(1, found.events.length),
    message: found.message || 'a message',
    gid: found.gid || 'its transaction',
    rowKey: found.rowKey || 'a row',
  };
}

/** Fills in, from one earlier entry, whatever the crashed actor was last seen handling. */
function noteSubject(e: TraceEntry, actor: string, found: { commandId: string; events: string[]; message: string; gid: string; rowKey: string }): void {
  switch (e.kind) {
    case 'commit':
      if (!found.commandId && e.actor === actor) {
        found.commandId = e.commandId;
        found.events = e.events.map((event) => event.id);
      }
      break;
    case 'command':
      if (!found.commandId && actor === 'api') found.commandId = e.commandId;
      break;
    case 'publish':
      if (e.actor !== actor) break;
      if (!found.message) found.message = e.messageId;
      if (!found.rowKey) found.rowKey = `the publish of ${e.messageId}`;
      break;
    case 'deliver':
      if (!found.message && e.consumer === actor) found.message = e.messageId;
      break;
    case 'effect':
      if (!found.message && actor.startsWith(`${e.consumer}-`)) found.message = e.eventId;
      break;
    case 'prepared':
    case 'decided':
    case 'resolved':
      if (!found.gid && (e.actor === actor || actor === 'coordinator')) found.gid = e.gid;
      break;
    case 'sql':
      if (e.actor !== actor) break;
      if (!found.rowKey && /^update pm\.outbox set status = 'done'/.test(e.sql)) found.rowKey = `outbox row ${String(e.params?.[0])}`;
      if (!found.rowKey && /^insert into \w+\.inbox/.test(e.sql)) found.rowKey = String(e.params?.[1]);
      if (!found.rowKey && /^insert into \w+_service\./.test(e.sql)) found.rowKey = `the ${e.sql.split('_service')[0]!.slice('insert into '.length)} effect for ${String(e.params?.[0])}`;
      break;
    default:
      break;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

