import type { TraceEntry, TraceKind } from '../../sim/trace';

/** Every kind of trace entry, for filters; the type check below fails when a kind is added to the trace and not here. */
export const TRACE_KINDS = [
  'run-start', 'command', 'command-rejected', 'sql', 'sql-error', 'commit', 'publish', 'deliver', 'ack', 'nack', 'effect',
  'duplicate-skipped', 'retry-scheduled', 'dead-letter', 'activity', 'crash', 'restart', 'fault', 'prepared', 'prepare-failed',
  'decided', 'resolved', 'participant-unreachable', 'in-doubt', 'blocked', 'unblocked', 'run-end', 'verdict',
] as const satisfies readonly TraceKind[];
type MissingKinds = Exclude<TraceKind, (typeof TRACE_KINDS)[number]>;
const everyKindListed: MissingKinds extends never ? true : MissingKinds = true;
void everyKindListed;

/** The node id of the client that issues commands and of Postgres, which acts itself when it rolls back a dead connection's work. */
export const CLIENT_NODE = 'client';
export const POSTGRES_NODE = 'postgres';
export const BROKER_NODE = 'broker';

const SERVICE_ACTOR = /^(.+)-service$/;
const POLLER_ACTOR = /^(.+)-poller$/;
const NUMBERED_ACTOR = /^(relay|outbox-worker)-(\d+)$/;

/** A person-readable name for an actor or node id: `relay-2` → "Relay 2", `email-poller` → "Email poller". */
export function actorLabel(actor: string): string {
  switch (actor) {
    case 'api':
      return 'Command handler';
    case 'relay':
      return 'Relay';
    case 'coordinator':
      return 'Coordinator';
    case POSTGRES_NODE:
      return 'Postgres';
    case CLIENT_NODE:
      return 'Client';
    case BROKER_NODE:
      return 'Broker';
    case 'approver-bot':
      return 'Approver bot';
  }
  const numbered = NUMBERED_ACTOR.exec(actor);
  if (numbered) return `${capitalise(numbered[1]!.replace('-', ' '))} ${numbered[2]}`;
  const service = SERVICE_ACTOR.exec(actor);
  if (service) return `${capitalise(service[1]!)} service`;
  const poller = POLLER_ACTOR.exec(actor);
  if (poller) return `${capitalise(poller[1]!)} poller`;
  return capitalise(actor.replace(/-/g, ' '));
}

/** The same name inside a sentence: "the command handler", "relay 2", "the email service". */
export function actorInSentence(actor: string): string {
  const label = actorLabel(actor);
  if (/^(Relay|Outbox worker) \d+$/.test(label) || label === 'Postgres') return label;
  return `the ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

/** The actor (or node) an entry belongs to, for the event log's actor filter. */
export function entryActor(entry: TraceEntry): string {
  switch (entry.kind) {
    case 'command':
      return CLIENT_NODE;
    case 'command-rejected':
      return 'api';
    case 'deliver':
    case 'ack':
    case 'nack':
    case 'duplicate-skipped':
      return serviceActor(entry.consumer);
    case 'effect':
      return serviceActor(entry.consumer);
    case 'dead-letter':
      return entry.where.startsWith('queue:') ? BROKER_NODE : entry.where;
    case 'fault':
      return 'faults';
    case 'run-start':
    case 'run-end':
    case 'verdict':
      return 'run';
    default:
      return entry.actor;
  }
}

/** Effects name the service (`email`); deliveries name its actor (`email-service`): both map to the service's node. */
export function serviceActor(consumer: string): string {
  return consumer.endsWith('-service') ? consumer : `${consumer}-service`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "a", "a and b", "a, b and c". */
export function listJoin(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
