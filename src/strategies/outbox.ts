import { z } from 'zod';
import type { Row } from '../infra/database';
import { applyCommand, type Command } from '../infra/domain';
import { point, sleep, type Process } from '../sim/kernel';
import type { DomainEvent } from '../sim/trace';
import { backoffMs, eventMessage } from './shared';
import { API_ACTOR, defineStrategy, type StrategyWorld } from './strategy';

const options = z
  .object({
    /** Rows the relay reads and publishes per poll. Larger batches mean more republished after a crash. */
    batchSize: z.number().int().min(1).max(1000).default(10),
    /** Virtual ms between polls when the outbox is empty. */
    pollIntervalMs: z.number().int().min(1).max(60_000).default(100),
    /** Publishes tried per row before it is dead-lettered. */
    maxAttempts: z.number().int().min(1).max(100).default(12),
    backoffBaseMs: z.number().int().min(1).max(60_000).default(50),
    backoffCapMs: z.number().int().min(1).max(600_000).default(2_000),
    /** Wake the relay with NOTIFY in the committing transaction instead of waiting for the next poll. */
    notify: z.boolean().default(false),
  })
  .strict();

type Options = z.infer<typeof options>;

export const RELAY_ACTOR = 'relay';
const NOTIFY_CHANNEL = 'outbox_relay';

const SCHEMA_SQL = `
create schema outbox;
create table outbox.messages (
  id bigserial primary key,
  event_id text not null unique,
  aggregate_id text not null,
  type text not null,
  routing_key text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'dead')),
  attempts int not null default 0,
  next_attempt_at bigint not null,
  last_error text,
  created_at bigint not null,
  sent_at bigint
);
create index messages_pending on outbox.messages (id) where status = 'pending';
`;

interface OutboxRow extends Row {
  id: number;
  payload: DomainEvent;
  attempts: number;
  /** bigint arrives as a string or a bigint depending on its size; compare as numbers. */
  next_attempt_at: string | number;
}

/**
 * Transactional outbox: the event row commits in the same transaction as the state change,
 * so there is never one without the other. A relay polls the table, publishes, and marks rows
 * sent; a failed publish is retried with backoff and dead-lettered after `maxAttempts`.
 * At-least-once: dying between publish and mark-sent publishes again after restart.
 */
export const outbox = defineStrategy<Options>({
  id: 'outbox',
  title: 'Transactional outbox',
  summary:
    'The command handler writes the event to an outbox table in the same transaction as the state change. ' +
    'A relay polls the table, publishes to the broker and marks rows sent, retrying with exponential backoff ' +
    'and dead-lettering after a maximum of attempts. Nothing committed is lost; a relay crash between publish ' +
    'and mark-sent publishes again, so consumers must be idempotent.',
  schemaSql: SCHEMA_SQL,
  crashPoints: [
    { id: 'after-commit', actor: API_ACTOR, description: 'State change and outbox row are committed together; the handler dies.' },
    { id: 'after-fetch', actor: RELAY_ACTOR, description: 'The relay has read a batch of due rows and published none yet.' },
    { id: 'after-publish', actor: RELAY_ACTOR, description: 'A row is published and not yet marked sent: it will be published again.' },
    { id: 'after-mark-sent', actor: RELAY_ACTOR, description: 'The published rows are marked sent.' },
    { id: 'after-retry-scheduled', actor: RELAY_ACTOR, description: 'A failed row has its next attempt (or dead letter) recorded.' },
  ],
  options,
  start: async (world) => {
    if (world.options.notify) await world.listen(NOTIFY_CHANNEL, () => world.kernel.wake(RELAY_ACTOR));
    return {
      actors: [
        {
          id: RELAY_ACTOR,
          restartDelayMs: 200,
          onStart: () => world.kernel.spawn(RELAY_ACTOR, relay(world)),
        },
      ],
      handleCommand: (command) => handleCommand(world, command),
    };
  },
});

async function* handleCommand(world: StrategyWorld<Options>, command: Command): Process {
  const now = world.kernel.now;
  const result = await world.db.transaction(API_ACTOR, async (sql) => {
    const applied = await applyCommand(sql, command, now);
    if (!applied.ok) return applied;
    for (const event of applied.events) {
      await sql.query(
        `insert into outbox.messages (event_id, aggregate_id, type, routing_key, payload, next_attempt_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $6)`,
        [event.id, event.aggregateId, event.type, eventMessage(event).routingKey, event, now],
      );
    }
    if (world.options.notify) await sql.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`);
    return applied;
  });
  if (!result.ok) return world.rejected(command, result.reason);
  world.committed(API_ACTOR, command, result.events);
  yield point('after-commit');
}

/**
 * The relay keeps the outbox's order: it reads pending rows oldest first and publishes only the
 * due prefix, so a row waiting for its retry holds back the rows behind it (head-of-line), as
 * ordered relays do. A dead-lettered row stops holding the line.
 */
async function* relay(world: StrategyWorld<Options>): Process {
  const { db, broker, kernel, options: o } = world;
  for (;;) {
    const pending = await db.query<OutboxRow>(
      RELAY_ACTOR,
      `select id, payload, attempts, next_attempt_at from outbox.messages
       where status = 'pending' order by id limit $1`,
      [o.batchSize],
    );
    const firstNotDue = pending.findIndex((row) => Number(row.next_attempt_at) > kernel.now);
    const due = firstNotDue < 0 ? pending : pending.slice(0, firstNotDue);
    if (due.length === 0) {
      const head = pending[0];
      if (!head) yield sleep(o.pollIntervalMs, 'idle', { idle: true, wakeable: o.notify });
      else yield sleep(Number(head.next_attempt_at) - kernel.now, 'backing-off');
      continue;
    }
    yield point('after-fetch');
    const sent: number[] = [];
    let failed: { row: OutboxRow; outcome: string } | undefined;
    for (const row of due) {
      const outcome = broker.publish(RELAY_ACTOR, eventMessage(row.payload));
      if (outcome !== 'confirmed') {
        failed = { row, outcome };
        break;
      }
      sent.push(row.id);
      yield point('after-publish');
    }
    if (sent.length > 0) {
      await db.query(RELAY_ACTOR, `update outbox.messages set status = 'sent', sent_at = $2 where id = any($1::bigint[])`, [
        sent,
        kernel.now,
      ]);
      yield point('after-mark-sent');
    }
    if (failed) yield* scheduleRetry(world, failed.row, `publish ${failed.outcome}`);
  }
}

async function* scheduleRetry(world: StrategyWorld<Options>, row: OutboxRow, error: string): Process {
  const { db, kernel, options: o } = world;
  const attempt = row.attempts + 1;
  const messageId = row.payload.id;
  if (attempt >= o.maxAttempts) {
    await db.query(RELAY_ACTOR, `update outbox.messages set status = 'dead', attempts = $2, last_error = $3 where id = $1`, [
      row.id,
      attempt,
      error,
    ]);
    kernel.trace.append({ kind: 'dead-letter', where: 'outbox', messageId, reason: `${error} after ${attempt} attempts` });
  } else {
    const atMs = kernel.now + backoffMs(world.random, attempt, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs });
    await db.query(RELAY_ACTOR, `update outbox.messages set attempts = $2, next_attempt_at = $3, last_error = $4 where id = $1`, [
      row.id,
      attempt,
      atMs,
      error,
    ]);
    kernel.trace.append({ kind: 'retry-scheduled', actor: RELAY_ACTOR, messageId, attempt, atMs, error });
  }
  yield point('after-retry-scheduled');
}
