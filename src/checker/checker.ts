import type { EntryOf, TraceEntry } from '../sim/trace';
import type { Counters } from './counters';

/**
 * The checker: a pure function from a trace (or a prefix of one) to verdicts. It never looks
 * at the database or the broker; what it cannot see in the trace did not happen.
 *
 * - lost: an effect a committed command obliged that was never performed (judged only once the
 *   run has ended; before that such effects are `awaiting`);
 * - phantom: an effect performed for an event whose command never committed;
 * - duplicateDeliveries: a message delivered again to a consumer that had already acked it;
 * - duplicateEffects: an effect performed more than once;
 * - outOfOrder: an effect for an aggregate's event performed after one of a later version
 *   of the same aggregate, by the same consumer;
 * - repeatedNotifications: an email telling a person the same kind of thing about the same
 *   application a second time, from a different event (not a duplicate: a misleading design).
 */
export interface Violation {
  readonly kind: 'lost' | 'phantom' | 'duplicateDelivery' | 'duplicateEffect' | 'outOfOrder' | 'deadLettered' | 'repeatedNotification';
  /** The effect key or message id concerned. */
  readonly subject: string;
  /** The trace entry that shows it (for lost: the commit that promised it). */
  readonly entry: number;
}

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly count: number;
}

export interface Verdict {
  readonly counters: Counters;
  readonly latency: Latency;
  /** The same commit → effect latencies per consumer: one slow or blocked service next to the others. */
  readonly latencyByConsumer: Readonly<Record<string, Latency>>;
  readonly violations: readonly Violation[];
  /** True once the prefix includes the end of the run. */
  readonly ended: boolean;
  readonly endReason?: EntryOf<'run-end'>['reason'];
  readonly virtualMs: number;
}

export function check(entries: readonly TraceEntry[], upTo: number = entries.length): Verdict {
  const prefix = entries.length === upTo ? entries : entries.slice(0, upTo);
  const promised = new Map<string, { at: number; entry: number }>();
  const committedEvents = new Set<string>();
  const performed = new Map<string, number>();
  const acked = new Set<string>();
  const highestVersion = new Map<string, number>();
  const effectedEvents = new Set<string>();
  const eventTypes = new Map<string, string>();
  const notified = new Set<string>();
  const violations: Violation[] = [];
  const latencies: number[] = [];
  const latenciesByConsumer = new Map<string, number[]>();
  const c: Counters = {
    commands: 0, committed: 0, rejected: 0, expectedEffects: 0, effects: 0, lost: 0, phantom: 0,
    duplicateDeliveries: 0, duplicateEffects: 0, outOfOrder: 0, repeatedNotifications: 0, deadLettered: 0, publishFailures: 0,
    crashes: 0, awaiting: 0, inDoubtMax: 0, inDoubtMs: 0, blockedMs: 0,
  };
  let end: EntryOf<'run-end'> | undefined;

  for (const e of prefix) {
    switch (e.kind) {
      case 'command':
        c.commands++;
        break;
      case 'command-rejected':
        c.rejected++;
        break;
      case 'commit':
        c.committed++;
        for (const event of e.events) {
          committedEvents.add(event.id);
          eventTypes.set(event.id, event.type);
        }
        for (const key of e.expects) promised.set(key, { at: e.t, entry: e.i });
        c.expectedEffects += e.expects.length;
        break;
      case 'publish':
        if (e.outcome !== 'confirmed') c.publishFailures++;
        break;
      case 'deliver': {
        if (acked.has(`${e.consumer}|${e.messageId}`)) {
          c.duplicateDeliveries++;
          violations.push({ kind: 'duplicateDelivery', subject: e.messageId, entry: e.i });
        }
        break;
      }
      case 'ack':
        acked.add(`${e.consumer}|${e.messageId}`);
        break;
      case 'effect': {
        c.effects++;
        const times = (performed.get(e.key) ?? 0) + 1;
        performed.set(e.key, times);
        if (times > 1) {
          c.duplicateEffects++;
          violations.push({ kind: 'duplicateEffect', subject: e.key, entry: e.i });
          break;
        }
        const promise = promised.get(e.key);
        if (!committedEvents.has(e.eventId)) {
          c.phantom++;
          violations.push({ kind: 'phantom', subject: e.key, entry: e.i });
        } else if (promise) {
          latencies.push(e.t - promise.at);
          const ofConsumer = latenciesByConsumer.get(e.consumer) ?? [];
          ofConsumer.push(e.t - promise.at);
          latenciesByConsumer.set(e.consumer, ofConsumer);
        }
        if (e.consumer === 'email') {
          const recipient = e.key.slice(e.key.lastIndexOf(':') + 1);
          const told = `${recipient}|${e.aggregateId}|${eventTypes.get(e.eventId) ?? '?'}`;
          if (notified.has(told)) {
            c.repeatedNotifications++;
            violations.push({ kind: 'repeatedNotification', subject: e.key, entry: e.i });
          }
          notified.add(told);
        }
        const stream = `${e.consumer}|${e.aggregateId}`;
        const firstForEvent = !effectedEvents.has(`${e.consumer}|${e.eventId}`);
        effectedEvents.add(`${e.consumer}|${e.eventId}`);
        if (firstForEvent) {
          const highest = highestVersion.get(stream) ?? 0;
          if (e.version < highest) {
            c.outOfOrder++;
            violations.push({ kind: 'outOfOrder', subject: e.key, entry: e.i });
          } else {
            highestVersion.set(stream, e.version);
          }
        }
        break;
      }
      case 'dead-letter':
        c.deadLettered++;
        violations.push({ kind: 'deadLettered', subject: e.messageId, entry: e.i });
        break;
      case 'crash':
        c.crashes++;
        break;
      case 'run-end':
        end = e;
        break;
      default:
        break;
    }
  }

  for (const [key, promise] of promised) {
    if (performed.has(key)) continue;
    if (end) {
      c.lost++;
      violations.push({ kind: 'lost', subject: key, entry: promise.entry });
    } else {
      c.awaiting++;
    }
  }
  violations.sort((a, b) => a.entry - b.entry);
  const last = prefix[prefix.length - 1];
  Object.assign(c, waitingCosts(prefix, end?.t ?? last?.t ?? 0));
  return {
    counters: c,
    latency: summarise(latencies),
    latencyByConsumer: Object.fromEntries([...latenciesByConsumer].map(([consumer, values]) => [consumer, summarise(values)])),
    violations,
    ended: end !== undefined,
    ...(end ? { endReason: end.reason } : {}),
    virtualMs: last?.t ?? 0,
  };
}

/**
 * What two-phase commit costs while it keeps its promise: transactions in doubt (a participant
 * prepared, not every prepared participant told the outcome) and commands blocked on locks.
 * A wait still open when the prefix ends is counted up to `untilMs`; a crash ends its actor's waits.
 */
function waitingCosts(entries: readonly TraceEntry[], untilMs: number): Pick<Counters, 'inDoubtMax' | 'inDoubtMs' | 'blockedMs'> {
  const inDoubt = new Map<string, { since: number; participants: Set<string> }>();
  const blocked = new Map<string, { since: number; actor: string }>();
  const costs = { inDoubtMax: 0, inDoubtMs: 0, blockedMs: 0 };
  for (const e of entries) {
    if (e.kind === 'prepared') {
      const doubt = inDoubt.get(e.gid) ?? { since: e.t, participants: new Set<string>() };
      doubt.participants.add(e.participant);
      inDoubt.set(e.gid, doubt);
      costs.inDoubtMax = Math.max(costs.inDoubtMax, inDoubt.size);
    } else if (e.kind === 'resolved') {
      const doubt = inDoubt.get(e.gid);
      doubt?.participants.delete(e.participant);
      if (doubt && doubt.participants.size === 0) {
        costs.inDoubtMs += e.t - doubt.since;
        inDoubt.delete(e.gid);
      }
    } else if (e.kind === 'blocked') {
      if (!blocked.has(e.commandId)) blocked.set(e.commandId, { since: e.t, actor: e.actor });
    } else if (e.kind === 'unblocked') {
      const wait = blocked.get(e.commandId);
      if (wait) costs.blockedMs += e.t - wait.since;
      blocked.delete(e.commandId);
    } else if (e.kind === 'crash') {
      for (const [commandId, wait] of blocked) {
        if (wait.actor !== e.actor) continue;
        costs.blockedMs += e.t - wait.since;
        blocked.delete(commandId);
      }
    }
  }
  for (const doubt of inDoubt.values()) costs.inDoubtMs += untilMs - doubt.since;
  for (const wait of blocked.values()) costs.blockedMs += untilMs - wait.since;
  return costs;
}

/** Nearest-rank percentiles over commit → effect latencies, in virtual ms. */
export function summarise(latencies: number[]): Latency {
  if (latencies.length === 0) return { p50: 0, p99: 0, max: 0, count: 0 };
  const sorted = [...latencies].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1]!, count: sorted.length };
}
