import type { DomainEvent } from '../sim/trace';
import type { Database, Sql } from '../world/database';
import { topicMatches, type Delivery, type MessageBroker } from '../world/message-broker';
import { point, sleep, type Process, type Runtime } from '../world/runtime';
import { routingKey } from './domain';

/**
 * The services downstream of the broker. Each has its own schema, its own queue, and turns a
 * domain event into effects it records in its own tables. With `idempotent` on, it writes the
 * message id to a real inbox table in the same transaction as the effects, so a redelivered
 * message is recognised and skipped.
 */
export const CONSUMER_IDS = ['email', 'entitlement', 'analytics'] as const;
export type ConsumerId = (typeof CONSUMER_IDS)[number];

export interface Effect {
  /** Unique per effect the world owes; the checker counts by it. */
  readonly key: string;
  readonly detail: string;
}

interface ConsumerDefinition {
  readonly schema: string;
  /** Binding patterns on the topic exchange. */
  readonly bindings: readonly string[];
  readonly effectsFor: (event: DomainEvent) => Effect[];
  readonly effectSql: string;
  readonly defaultLatencyMs: number;
}

const recipientsOf = (event: DomainEvent): string[] => {
  const p = event.payload;
  switch (event.type) {
    case 'ApplicationSubmitted':
      return [String(p.applicant), ...(Array.isArray(p.handlers) ? p.handlers : [])];
    case 'ReviewRequested':
      return [String(p.reviewer)];
    case 'ReviewerJoined':
      return Array.isArray(p.handlers) ? p.handlers : [];
    case 'ApplicationApproved':
    case 'ApplicationRejected':
      return [String(p.applicant)];
    default:
      return [];
  }
};

export const CONSUMERS: Record<ConsumerId, ConsumerDefinition> = {
  // One domain event, several emails (the REMS seed): all sent in one transaction here.
  email: {
    schema: 'email_service',
    bindings: ['application.*'],
    effectsFor: (event) => recipientsOf(event).map((to) => ({ key: `email:${event.id}:${to}`, detail: to })),
    effectSql: `insert into email_service.sent_emails (event_id, recipient, subject) values ($1, $2, $3)`,
    defaultLatencyMs: 3,
  },
  // Reached by an HTTP-like POST: slow, and the call that fails in the REMS stories.
  entitlement: {
    schema: 'entitlement_service',
    bindings: ['application.approved'],
    effectsFor: (event) => [{ key: `entitlement:${event.id}`, detail: event.aggregateId }],
    effectSql: `insert into entitlement_service.entitlements (event_id, application_id, note) values ($1, $2, $3)`,
    defaultLatencyMs: 40,
  },
  analytics: {
    schema: 'analytics_service',
    bindings: ['#'],
    effectsFor: (event) => [{ key: `analytics:${event.id}`, detail: event.type }],
    effectSql: `insert into analytics_service.recorded_events (event_id, aggregate_id, note) values ($1, $2, $3)`,
    defaultLatencyMs: 2,
  },
};

export const CONSUMER_SCHEMA_SQL = `
create schema email_service;
create table email_service.inbox (consumer text not null, message_id text not null, received_at bigint not null, primary key (consumer, message_id));
create table email_service.sent_emails (id bigserial primary key, event_id text not null, recipient text not null, subject text not null);
create schema entitlement_service;
create table entitlement_service.inbox (consumer text not null, message_id text not null, received_at bigint not null, primary key (consumer, message_id));
create table entitlement_service.entitlements (id bigserial primary key, event_id text not null, application_id text not null, note text not null);
create schema analytics_service;
create table analytics_service.inbox (consumer text not null, message_id text not null, received_at bigint not null, primary key (consumer, message_id));
create table analytics_service.recorded_events (id bigserial primary key, event_id text not null, aggregate_id text not null, note text not null);
`;

export const consumerActor = (id: ConsumerId): string => `${id}-service`;
export const consumerQueue = (id: ConsumerId): string => `${id}-queue`;

/** Every effect the committed event obliges the subscribed services to perform. */
export function expectedEffects(event: DomainEvent, consumers: readonly ConsumerId[]): string[] {
  return consumers.flatMap((id) => {
    const definition = CONSUMERS[id];
    const key = routingKey(event.type);
    return definition.bindings.some((binding) => topicMatches(binding, key)) ? definition.effectsFor(event).map((e) => e.key) : [];
  });
}

export interface ConsumerOptions {
  readonly idempotent: boolean;
  readonly latencyMs: number;
  /** How long an idle consumer sleeps before looking again (it is also woken by pushes). */
  readonly idleMs: number;
  /** The fault plan: should this delivery fail (an exception, a 500 from the service)? */
  readonly fails: (consumer: ConsumerId) => boolean;
}

/** The crash point between performing the effects and acknowledging the message. */
export const afterEffectPoint = (id: ConsumerId): string => `${id}-after-effect`;

export function consumerProcess(
  id: ConsumerId,
  world: { kernel: Runtime; db: Database; broker: MessageBroker },
  options: ConsumerOptions,
): () => Process {
  const actor = consumerActor(id);
  const queue = consumerQueue(id);
  const definition = CONSUMERS[id];
  return async function* consume(): Process {
    for (;;) {
      const delivery = await world.broker.take(queue, actor);
      if (!delivery) {
        // The broker wakes this consumer when it pushes a message; nothing else can give it work.
        yield sleep(options.idleMs, 'idle', { idleUntilWoken: true });
        continue;
      }
      // The service's own processing time (a slow HTTP call): effects land after it.
      if (options.latencyMs > 0) yield sleep(options.latencyMs, 'working');
      if (options.fails(id)) {
        await world.broker.nack(delivery, actor, 'consumer error');
        continue;
      }
      const effects = definition.effectsFor(delivery.message.event);
      const performed = await world.db.transaction(actor, (sql) => handle(sql, id, delivery, effects, options, world.kernel.now));
      if (performed) {
        const event = delivery.message.event;
        for (const effect of effects) {
          world.kernel.trace.append({ kind: 'effect', consumer: id, key: effect.key, eventId: event.id, aggregateId: event.aggregateId, version: event.version });
        }
      } else {
        world.kernel.trace.append({ kind: 'duplicate-skipped', consumer: id, messageId: delivery.message.messageId });
      }
      yield point(afterEffectPoint(id));
      await world.broker.ack(delivery, actor);
    }
  };
}

/** One transaction: inbox row (when idempotent) and effect rows. False when the inbox says "seen". */
async function handle(
  sql: Sql,
  id: ConsumerId,
  delivery: Delivery,
  effects: Effect[],
  options: ConsumerOptions,
  nowMs: number,
): Promise<boolean> {
  if (options.idempotent) {
    const fresh = await sql.query(
      `insert into ${CONSUMERS[id].schema}.inbox (consumer, message_id, received_at) values ($1, $2, $3) on conflict do nothing returning message_id`,
      [id, delivery.message.messageId, nowMs],
    );
    if (fresh.length === 0) return false;
  }
  for (const effect of effects) await insertEffect(sql, id, delivery.message.event, effect);
  return true;
}

/** Writes one performed effect to the service's own table (the email sent, the entitlement granted). */
export async function insertEffect(sql: Sql, service: ConsumerId, event: DomainEvent, effect: Effect): Promise<void> {
  await sql.query(CONSUMERS[service].effectSql, [event.id, effect.detail, `${event.type} for ${event.aggregateId}`]);
}
