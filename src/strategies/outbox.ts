import { z } from 'zod';
import type { Row } from '../world/database';
import { applyCommand, type Command } from '../infra/domain';
import { point, sleep, type Process } from '../world/runtime';
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
    /** Relay instances polling the same table (REMS seed 004: stateless vs coordinated workers). */
    relays: z.number().int().min(1).max(8).default(1),
    /**
     * How several relays share the table. `none`: each claims any due rows (FOR UPDATE SKIP
     * LOCKED), so two rows of one aggregate can be in flight on two relays at once and overtake
     * each other. `leader-lease`: one relay holds a lease row and works, the others stand by.
     * `per-aggregate`: a relay claims a row only when no earlier row of its aggregate is pending
     * elsewhere, so aggregates are spread across relays and each stays in order.
     */
    coordination: z.enum(['none', 'leader-lease', 'per-aggregate']).default('none'),
    /** How long a claim or the leader lease holds without renewal; a crashed relay's rows wait this long. */
    leaseMs: z.number().int().min(1).max(600_000).default(1_000),
  })
  .strict();

type Options = z.infer<typeof options>;

export const RELAY_ACTOR = 'relay';
/** Relay instances are `relay`, `relay-2`, `relay-3`, ...: the first keeps the plain name. */
export const relayActor = (n: number): string => (n === 1 ? RELAY_ACTOR : `${RELAY_ACTOR}-${n}`);
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
  sent_at bigint,
  claimed_by text,
  claimed_until bigint
);
create index messages_pending on outbox.messages (id) where status = 'pending';
create table outbox.relay_lease (
  id int primary key check (id = 1),
  holder text,
  held_until bigint not null
);
insert into outbox.relay_lease (id, holder, held_until) values (1, null, 0);
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
    { id: 'after-fetch', actor: RELAY_ACTOR, sharedByPool: true, description: 'The relay has read a batch of due rows and published none yet.' },
    { id: 'after-publish', actor: RELAY_ACTOR, sharedByPool: true, description: 'A row is published and not yet marked sent: it will be published again.' },
    { id: 'after-mark-sent', actor: RELAY_ACTOR, sharedByPool: true, description: 'The published rows are marked sent.' },
    { id: 'after-retry-scheduled', actor: RELAY_ACTOR, sharedByPool: true, description: 'A failed row has its next attempt (or dead letter) recorded.' },
  ],
  options,
  actorIds: (o) => Array.from({ length: o.relays }, (_, i) => relayActor(i + 1)),
  start: async (world) => {
    const relays = Array.from({ length: world.options.relays }, (_, i) => relayActor(i + 1));
    if (world.options.notify) {
      await world.listen(NOTIFY_CHANNEL, () => relays.forEach((actor) => world.kernel.wake(actor)));
    }
    const loop = world.options.relays === 1 ? orderedRelay : world.options.coordination === 'leader-lease' ? leaderRelay : claimingRelay;
    return {
      actors: relays.map((actor) => ({
        id: actor,
        restartDelayMs: 200,
        onStart: () => world.kernel.spawn(actor, loop(world, actor)),
      })),
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

const SELECT_PENDING = `select id, payload, attempts, next_attempt_at from outbox.messages
  where status = 'pending' order by id limit $1`;

/**
 * A single relay keeps the outbox's order: it reads pending rows oldest first and publishes
 * only the due prefix, so a row waiting for its retry holds back the rows behind it
 * (head-of-line), as ordered relays do. A dead-lettered row stops holding the line.
 */
async function* orderedRelay(world: StrategyWorld<Options>, actor: string): Process {
  for (;;) {
    const pending = await world.db.query<OutboxRow>(actor, SELECT_PENDING, [world.options.batchSize]);
    yield* publishDuePrefix(world, actor, pending);
  }
}

/** Several relays, one at work: the lease holder relays in order, the others wait for it to lapse. */
async function* leaderRelay(world: StrategyWorld<Options>, actor: string): Process {
  const { db, kernel, options: o } = world;
  for (;;) {
    const lease = await db.query(
      actor,
      `update outbox.relay_lease set holder = $1, held_until = $3 where id = 1 and (holder = $1 or held_until <= $2) returning holder`,
      [actor, kernel.now, kernel.now + o.leaseMs],
    );
    if (lease.length === 0) {
      yield sleep(o.pollIntervalMs, 'waiting', { idle: true });
      continue;
    }
    const pending = await db.query<OutboxRow>(actor, SELECT_PENDING, [o.batchSize]);
    yield* publishDuePrefix(world, actor, pending);
  }
}

async function* publishDuePrefix(world: StrategyWorld<Options>, actor: string, pending: OutboxRow[]): Process {
  const { kernel, options: o } = world;
  const firstNotDue = pending.findIndex((row) => Number(row.next_attempt_at) > kernel.now);
  const due = firstNotDue < 0 ? pending : pending.slice(0, firstNotDue);
  if (due.length > 0) return yield* publishBatch(world, actor, due);
  const head = pending[0];
  if (!head) yield sleep(o.pollIntervalMs, 'idle', { idle: true, wakeable: o.notify });
  else yield sleep(Math.min(o.pollIntervalMs, Number(head.next_attempt_at) - kernel.now), 'backing-off', { wakeable: o.notify });
}

/**
 * Competing relays claim due rows (UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)),
 * so no row is taken twice while its claim holds. With `per-aggregate`, a row is claimable only
 * when no earlier row of its aggregate is pending elsewhere or waiting for a retry.
 */
async function* claimingRelay(world: StrategyWorld<Options>, actor: string): Process {
  const { db, kernel, options: o } = world;
  const aggregateInOrder =
    o.coordination === 'per-aggregate'
      ? `and not exists (select 1 from outbox.messages earlier
           where earlier.aggregate_id = m.aggregate_id and earlier.status = 'pending' and earlier.id < m.id
             and (earlier.next_attempt_at > $2 or (earlier.claimed_until > $2 and earlier.claimed_by <> $1)))`
      : '';
  for (;;) {
    const claimed = await db.query<OutboxRow>(
      actor,
      `update outbox.messages set claimed_by = $1, claimed_until = $3
       where id in (select id from outbox.messages m
         where status = 'pending' and next_attempt_at <= $2 and (claimed_until is null or claimed_until <= $2 or claimed_by = $1)
         ${aggregateInOrder}
         order by id limit $4 for update skip locked)
       returning id, payload, attempts, next_attempt_at`,
      [actor, kernel.now, kernel.now + o.leaseMs, o.batchSize],
    );
    if (claimed.length === 0) {
      // Rows waiting for a retry or claimed elsewhere are still work: only an empty outbox is idle.
      const [left] = await db.query<{ n: number }>(actor, `select count(*)::int as n from outbox.messages where status = 'pending'`);
      yield sleep(o.pollIntervalMs, left?.n ? 'backing-off' : 'idle', { idle: !left?.n, wakeable: o.notify });
      continue;
    }
    yield* publishBatch(world, actor, claimed.sort((a, b) => Number(a.id) - Number(b.id)));
  }
}

/** Publishes rows in order, marks the published ones sent, and schedules a retry for the first failure. */
async function* publishBatch(world: StrategyWorld<Options>, actor: string, rows: OutboxRow[]): Process {
  const { db, broker, kernel } = world;
  yield point('after-fetch');
  const sent: number[] = [];
  let failed: { row: OutboxRow; outcome: string } | undefined;
  for (const row of rows) {
    const outcome = await broker.publish(actor, eventMessage(row.payload));
    if (outcome !== 'confirmed') {
      // The broker is likely down: stop the batch rather than hammer it with the rest.
      failed = { row, outcome };
      break;
    }
    sent.push(row.id);
    yield point('after-publish');
  }
  if (sent.length > 0) {
    await db.query(
      actor,
      `update outbox.messages set status = 'sent', sent_at = $2, claimed_by = null, claimed_until = null where id = any($1::bigint[])`,
      [sent, kernel.now],
    );
    yield point('after-mark-sent');
  }
  if (failed) yield* scheduleRetry(world, actor, failed.row, `publish ${failed.outcome}`, rows.slice(sent.length + 1));
}

async function* scheduleRetry(
  world: StrategyWorld<Options>,
  actor: string,
  row: OutboxRow,
  error: string,
  unattempted: OutboxRow[],
): Process {
  const { db, kernel, options: o } = world;
  const attempt = row.attempts + 1;
  const messageId = row.payload.id;
  if (attempt >= o.maxAttempts) {
    await db.query(actor, `update outbox.messages set status = 'dead', attempts = $2, last_error = $3, claimed_by = null, claimed_until = null where id = $1`, [
      row.id,
      attempt,
      error,
    ]);
    kernel.trace.append({ kind: 'dead-letter', where: 'outbox', messageId, reason: `${error} after ${attempt} attempts` });
  } else {
    const atMs = kernel.now + backoffMs(world.random, attempt, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs });
    await db.query(actor, `update outbox.messages set attempts = $2, next_attempt_at = $3, last_error = $4, claimed_by = null, claimed_until = null where id = $1`, [
      row.id,
      attempt,
      atMs,
      error,
    ]);
    kernel.trace.append({ kind: 'retry-scheduled', actor, messageId, attempt, atMs, error });
  }
  if (unattempted.length > 0 && world.options.relays > 1) {
    // Hand the rest of the batch back at once rather than make the others wait out the claim.
    await db.query(actor, `update outbox.messages set claimed_by = null, claimed_until = null where id = any($1::bigint[])`, [
      unattempted.map((r) => r.id),
    ]);
  }
  yield point('after-retry-scheduled');
}
