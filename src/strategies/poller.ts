import { z } from 'zod';
import { CONSUMER_IDS, CONSUMERS, insertEffect, type ConsumerId, type Effect } from '../infra/consumers';
import type { Row, Sql } from '../world/database';
import { topicMatches } from '../world/message-broker';
import { applyCommand, routingKey, type Command, type CommandResult } from '../infra/domain';
import { point, sleep, type Process, type Yield } from '../world/runtime';
import type { Random } from '../sim/random';
import type { DomainEvent } from '../sim/trace';
import { backoffMs } from './shared';
import { API_ACTOR, defineStrategy, type CrashPoint, type StrategyWorld } from './strategy';

const options = z
  .object({
    /**
     * Read only rows whose transaction is older than every transaction still open
     * (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`, ordered by (xid, id)), as
     * Watermill-sql and Emmett do. Off: the naive `id > last_seen`, which skips late commits.
     */
    gapSafe: z.boolean().default(false),
    /** Virtual ms a poller sleeps after finding nothing new (Watermill's default is 1 s). */
    pollIntervalMs: z.number().int().min(1).max(60_000).default(1_000),
    /** Events a poller reads per poll. */
    batchSize: z.number().int().min(1).max(1000).default(10),
    backoffBaseMs: z.number().int().min(1).max(60_000).default(100),
    backoffCapMs: z.number().int().min(1).max(600_000).default(5_000),
    /** Failed calls for one event before the poller dead-letters it and moves on; 0: retry forever (the seed's design). */
    maxAttempts: z.number().int().min(0).max(1000).default(0),
    /**
     * `with-effects`: the effect rows and the advanced position commit in one transaction
     * (only possible when the service writes to the poller's own database). `after-effects`:
     * the effect is a remote call and the position is saved afterwards, so a poller dying in
     * between performs the event again after restart.
     */
    savePosition: z.enum(['with-effects', 'after-effects']).default('with-effects'),
    /**
     * Concurrent writers: a slow command's transaction is prepared and committed only
     * `slowCommitMs` later, while other commands commit rows with higher ids.
     */
    slowCommitProbability: z.number().min(0).max(1).default(0),
    slowCommitMs: z.number().int().min(1).max(600_000).default(500),
    /** Command ids (`cmd-3`) that always commit slowly: a gap that is certain, not drawn. */
    slowCommands: z.array(z.string().regex(/^cmd-\d+$/, 'a command id like cmd-3')).max(1000).default([]),
  })
  .strict();

type Options = z.infer<typeof options>;

const SCHEMA_SQL = `
create schema poller;
create table poller.events (
  id bigserial primary key,
  event_id text not null unique,
  aggregate_id text not null,
  type text not null,
  payload jsonb not null,
  transaction_id xid8 not null default pg_current_xact_id(),
  created_at bigint not null
);
create index events_in_commit_order on poller.events (transaction_id, id);
create table poller.positions (
  poller text primary key,
  last_id bigint not null default 0,
  last_transaction_id xid8 not null default '0'
);
`;

export const pollerActor = (service: ConsumerId): string => `${service}-poller`;
const afterFetchPoint = (service: ConsumerId): string => `${pollerActor(service)}-after-fetch`;
const afterEffectPoint = (service: ConsumerId): string => `${pollerActor(service)}-after-effect`;

/** Where Postgres itself acts: rolling back the open transaction of a connection that died. */
const DATABASE_ACTOR = 'postgres';

const pollerCrashPoints = (service: ConsumerId): CrashPoint[] => [
  {
    id: afterFetchPoint(service),
    actor: pollerActor(service),
    description: `The ${service} poller has read a batch of events and performed none yet: it reads them again after restart.`,
  },
  {
    id: afterEffectPoint(service),
    actor: pollerActor(service),
    description:
      `The ${service} poller performed an event's effects. With savePosition: after-effects its position is not saved yet, ` +
      'so it performs the event again after restart (duplicate); with-effects commits both together and nothing repeats.',
  },
];

interface EventRow extends Row {
  id: number;
  payload: DomainEvent;
}

interface OpenTransaction {
  readonly gid: string;
  readonly command: Command;
  readonly commitsAtMs: number;
}

/**
 * What outlives an actor crash: the transactions still open (Postgres holds their aggregates'
 * locks) and the draws deciding which commands commit slowly.
 */
interface WorldState {
  readonly openByAggregate: Map<string, OpenTransaction>;
  readonly slowDraws: Random;
}

interface PollerContext {
  readonly world: StrategyWorld<Options>;
  readonly state: WorldState;
  readonly service: ConsumerId;
  readonly actor: string;
  readonly random: Random;
}

/**
 * Event table + pollers: the handler writes the event row with the state change; one poller
 * per service reads the table in order from its own saved position and performs the effects.
 */
export const poller = defineStrategy<Options>({
  id: 'poller',
  title: 'Event table and pollers',
  summary:
    'The command handler writes the event to an events table in the same transaction as the state change. ' +
    'One poller per service reads the table in order from its own saved position and performs that service\'s ' +
    'effects, retrying the same event with backoff when a call fails — so one bad email holds back every later ' +
    'email while the other pollers carry on. Reading `id > last_seen` skips a row whose transaction took a lower ' +
    'id but committed later (lost for good); the gap-safe read waits for every open transaction instead, so one ' +
    'long transaction delays all pollers. Effects arrive a poll interval late.',
  schemaSql: SCHEMA_SQL,
  crashPoints: [
    { id: 'after-commit', actor: API_ACTOR, description: 'The state change and its event row are committed together; the handler dies.' },
    {
      id: 'after-prepare',
      actor: API_ACTOR,
      description: 'A slow command\'s transaction is still open when the handler dies: its connection is gone, Postgres rolls it back.',
    },
    ...CONSUMER_IDS.flatMap(pollerCrashPoints),
  ],
  options,
  actorIds: (_, services) => services.map(pollerActor),
  performsEffectsOf: (services) => [...services],
  start: (world) => {
    const state: WorldState = { openByAggregate: new Map(), slowDraws: world.random.fork('slow-commits') };
    const pollers = world.services.map((service): PollerContext => {
      const actor = pollerActor(service);
      return { world, state, service, actor, random: world.random.fork(actor) };
    });
    world.kernel.trace.subscribe((entry) => {
      if (entry.kind === 'crash' && entry.actor === API_ACTOR) rollBackOpenTransactions(world, state);
    });
    return {
      actors: pollers.map((context) => ({
        id: context.actor,
        restartDelayMs: 200,
        onStart: () => world.kernel.spawn(context.actor, poll(context)),
      })),
      handleCommand: (command) => handleCommand(world, state, command),
    };
  },
});

// ---- command handler -------------------------------------------------------------------

async function* handleCommand(world: StrategyWorld<Options>, state: WorldState, command: Command): Process {
  const slow = commitsSlowly(world.options, state, command);
  yield* waitForAggregateLock(world, state, command.applicationId);
  if (slow) yield* commitLate(world, state, command);
  else yield* commitNow(world, state, command);
}

function commitsSlowly(o: Options, state: WorldState, command: Command): boolean {
  if (o.slowCommands.includes(command.id)) return true;
  return o.slowCommitProbability > 0 && state.slowDraws.chance(o.slowCommitProbability);
}

/**
 * Postgres would make this command wait on the row lock an open transaction holds. With one
 * connection a real lock wait would hang everything, so the wait happens here, in virtual time.
 * Every row a command writes is keyed by its application id, so that is the lock to wait for.
 */
async function* waitForAggregateLock(world: StrategyWorld<Options>, state: WorldState, aggregateId: string): Process {
  for (let open = state.openByAggregate.get(aggregateId); open; open = state.openByAggregate.get(aggregateId)) {
    yield sleep(Math.max(1, open.commitsAtMs - world.kernel.now), 'blocked');
  }
}

async function writeCommand(sql: Sql, command: Command, nowMs: number): Promise<CommandResult> {
  const applied = await applyCommand(sql, command, nowMs);
  if (!applied.ok) return applied;
  for (const event of applied.events) {
    await sql.query(
      `insert into poller.events (event_id, aggregate_id, type, payload, created_at) values ($1, $2, $3, $4, $5)`,
      [event.id, event.aggregateId, event.type, event, nowMs],
    );
  }
  return applied;
}

async function* commitNow(world: StrategyWorld<Options>, state: WorldState, command: Command): Process {
  const result = await world.db.transaction(API_ACTOR, (sql) => writeCommand(sql, command, world.kernel.now));
  if (!result.ok) return world.rejected(command, result.reason);
  world.committed(API_ACTOR, command, result.events);
  yield point('after-commit');
}

/**
 * A concurrent writer: the row gets its id now, but the transaction stays open (prepared) while
 * other commands commit rows with higher ids, and commits `slowCommitMs` later.
 */
async function* commitLate(world: StrategyWorld<Options>, state: WorldState, command: Command): Process {
  const gid = `poller-${command.id}`;
  const result = await prepareCommand(world, gid, command);
  if (!result.ok) return world.rejected(command, result.reason);
  const commitsAtMs = world.kernel.now + world.options.slowCommitMs;
  state.openByAggregate.set(command.applicationId, { gid, command, commitsAtMs });
  yield point('after-prepare');
  yield sleep(world.options.slowCommitMs, 'waiting');
  await world.db.query(API_ACTOR, `commit prepared '${gid}'`);
  state.openByAggregate.delete(command.applicationId);
  world.committed(API_ACTOR, command, result.events);
  yield point('after-commit');
}

class CommandRefused extends Error {}

async function prepareCommand(world: StrategyWorld<Options>, gid: string, command: Command): Promise<CommandResult> {
  let result: CommandResult = { ok: false, reason: 'not run' };
  try {
    await world.db.prepare(API_ACTOR, gid, async (sql) => {
      result = await writeCommand(sql, command, world.kernel.now);
      // A refused command must roll back, not stay prepared.
      if (!result.ok) throw new CommandRefused();
    });
  } catch (error) {
    if (!(error instanceof CommandRefused)) throw error;
  }
  return result;
}

/**
 * The handler's connections die with it; Postgres rolls back what they had open. The slow
 * processes that would have committed are gone with the crash, so this runs as the database.
 */
function rollBackOpenTransactions(world: StrategyWorld<Options>, state: WorldState): void {
  const open = [...state.openByAggregate.values()];
  if (open.length === 0) return;
  world.kernel.at(world.kernel.now, async () => {
    for (const { gid, command } of open) {
      await world.db.query(DATABASE_ACTOR, `rollback prepared '${gid}'`);
      state.openByAggregate.delete(command.applicationId);
      world.rejected(command, 'the handler died with its transaction open; Postgres rolled it back');
    }
  });
}

// ---- pollers ------------------------------------------------------------------------------

// Neither query passes a position as a parameter: xids differ between a fresh and a reused
// database, and parameters land in the trace.
const READ_NAIVE = `
  select e.id, e.payload from poller.events e join poller.positions p on p.poller = $1
  where e.id > p.last_id
  order by e.id limit $2`;
const READ_GAP_SAFE = `
  select e.id, e.payload from poller.events e join poller.positions p on p.poller = $1
  where (e.transaction_id, e.id) > (p.last_transaction_id, p.last_id)
    and e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  order by e.transaction_id, e.id limit $2`;
const ADVANCE_POSITION = `
  update poller.positions p set last_id = e.id, last_transaction_id = e.transaction_id
  from poller.events e where p.poller = $1 and e.id = $2`;

type BatchOutcome = { readonly failed?: EventRow };

async function* poll(context: PollerContext): Process {
  const { world, actor } = context;
  const o = world.options;
  await world.db.query(actor, `insert into poller.positions (poller) values ($1) on conflict do nothing`, [actor]);
  const failures = { eventId: '', attempts: 0 };
  for (;;) {
    const batch = await world.db.query<EventRow>(actor, o.gapSafe ? READ_GAP_SAFE : READ_NAIVE, [actor, o.batchSize]);
    if (batch.length === 0) {
      yield sleep(o.pollIntervalMs, 'idle', { idle: true });
      continue;
    }
    yield point(afterFetchPoint(context.service));
    const { failed } = yield* performBatch(context, batch);
    // No sleep after a batch: "nothing to do" may only be said by the step that just read.
    if (failed) yield* retryLater(context, failed, failures);
  }
}

/** Performs the batch in order and stops at the first failed call: the head-of-line block. */
async function* performBatch(context: PollerContext, batch: readonly EventRow[]): AsyncGenerator<Yield, BatchOutcome, void> {
  const { world, service } = context;
  let passedOverId: number | undefined;
  for (const row of batch) {
    const effects = effectsOwed(service, row.payload);
    if (effects.length === 0) {
      passedOverId = row.id;
      continue;
    }
    world.kernel.spend(world.effectLatencyMs(service));
    if (world.effectFails(service)) {
      if (passedOverId !== undefined) await advancePosition(context, passedOverId);
      return { failed: row };
    }
    yield* perform(context, row, effects);
    passedOverId = undefined;
  }
  if (passedOverId !== undefined) await advancePosition(context, passedOverId);
  return {};
}

function effectsOwed(service: ConsumerId, event: DomainEvent): Effect[] {
  const definition = CONSUMERS[service];
  const key = routingKey(event.type);
  return definition.bindings.some((binding) => topicMatches(binding, key)) ? definition.effectsFor(event) : [];
}

async function* perform(context: PollerContext, row: EventRow, effects: readonly Effect[]): Process {
  const { world, service, actor } = context;
  const withPosition = world.options.savePosition === 'with-effects';
  const event = row.payload;
  const fresh = await world.db.transaction(actor, async (sql) => {
    const seen = world.idempotentConsumers && !(await recordInInbox(sql, service, event.id, world.kernel.now));
    if (!seen) for (const effect of effects) await insertEffect(sql, service, event, effect);
    if (withPosition) await sql.query(ADVANCE_POSITION, [actor, row.id]);
    return !seen;
  });
  if (fresh) for (const effect of effects) world.effectPerformed(service, event, effect);
  else world.kernel.trace.append({ kind: 'duplicate-skipped', consumer: service, messageId: event.id });
  yield point(afterEffectPoint(service));
  if (!withPosition) await advancePosition(context, row.id);
}

/** The service's inbox, keyed by event: false when this event was handled before. */
async function recordInInbox(sql: Sql, service: ConsumerId, eventId: string, nowMs: number): Promise<boolean> {
  const inserted = await sql.query(
    `insert into ${CONSUMERS[service].schema}.inbox (consumer, message_id, received_at) values ($1, $2, $3)
     on conflict do nothing returning message_id`,
    [service, eventId, nowMs],
  );
  return inserted.length > 0;
}

async function advancePosition(context: PollerContext, eventRowId: number): Promise<void> {
  await context.world.db.query(context.actor, ADVANCE_POSITION, [context.actor, eventRowId]);
}

/**
 * Backs off and polls again from the saved position, so the same event comes first again.
 * With `maxAttempts`, a poison event is dead-lettered and passed over instead.
 */
async function* retryLater(context: PollerContext, row: EventRow, failures: { eventId: string; attempts: number }): Process {
  const { world, service, actor } = context;
  const o = world.options;
  const event = row.payload;
  failures.attempts = failures.eventId === event.id ? failures.attempts + 1 : 1;
  failures.eventId = event.id;
  const error = `${service} call failed`;
  if (o.maxAttempts > 0 && failures.attempts >= o.maxAttempts) {
    world.kernel.trace.append({ kind: 'dead-letter', where: actor, messageId: event.id, reason: `${error} after ${failures.attempts} attempts` });
    await advancePosition(context, row.id);
    return;
  }
  const delayMs = backoffMs(context.random, failures.attempts, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs });
  world.kernel.trace.append({ kind: 'retry-scheduled', actor, messageId: event.id, attempt: failures.attempts, atMs: world.kernel.now + delayMs, error });
  yield sleep(delayMs, 'backing-off');
}
