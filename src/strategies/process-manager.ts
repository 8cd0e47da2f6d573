import { z } from 'zod';
import { CONSUMERS, insertEffect, type ConsumerId, type Effect } from '../infra/consumers';
import type { Row, Sql } from '../world/database';
import { topicMatches } from '../world/message-broker';
import { applyCommand, EVENT_TYPES, routingKey, type Command, type CommandResult } from '../infra/domain';
import { point, sleep, type Process, type Yield } from '../world/runtime';
import type { DomainEvent } from '../sim/trace';
import { backoffMs, eventMessage } from './shared';
import { API_ACTOR, defineStrategy, type StrategyWorld } from './strategy';

const options = z
  .object({
    /** Outbox worker actors claiming rows side by side. */
    workers: z.number().int().min(1).max(8).default(2),
    /**
     * Rows one claim takes. One row per claim (as Graphile Worker's get_job) lets several workers
     * share the work; larger batches mean fewer claims and more rows stranded by a crash until
     * their lease expires.
     */
    batchSize: z.number().int().min(1).max(100).default(1),
    /** Virtual ms between polls when no row is pending (a commit also wakes the workers at once). */
    pollIntervalMs: z.number().int().min(1).max(60_000).default(1_000),
    /** How long a claim keeps other workers off a row; a dead worker's rows come back after it. */
    leaseMs: z.number().int().min(1).max(600_000).default(1_000),
    /** Failed tries of one row before it is dead-lettered. */
    maxAttempts: z.number().int().min(1).max(100).default(8),
    backoffBaseMs: z.number().int().min(1).max(60_000).default(50),
    backoffCapMs: z.number().int().min(1).max(600_000).default(2_000),
    /** The approver bot: approves every application in the transaction that submits it. */
    autoApprove: z.boolean().default(false),
  })
  .strict();

type Options = z.infer<typeof options>;
type World = StrategyWorld<Options>;

/** The services whose calls the outbox workers make themselves, one outbox row per effect. */
const PERFORMED_SERVICES = ['email', 'entitlement'] as const satisfies readonly ConsumerId[];
type PerformedService = (typeof PERFORMED_SERVICES)[number];
type OutboxKind = PerformedService | 'publish';

export const workerActor = (n: number): string => `outbox-worker-${n}`;
const APPROVER_BOT = 'approver-bot';
/** Follow-up commands a process manager issues may themselves trigger process managers; this bounds the chain. */
const MAX_FOLLOW_UP_DEPTH = 4;

// No index on the claim columns: a simulated outbox holds a few dozen rows, where Postgres scans
// anyway and the planner's index bookkeeping would only slow every poll down.
const SCHEMA_SQL = `
create schema pm;
create table pm.outbox (
  id bigserial primary key,
  kind text not null check (kind in ('email', 'entitlement', 'publish')),
  key text not null unique,
  event_id text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'done', 'dead')),
  attempts int not null default 0,
  next_attempt_at bigint not null,
  claimed_by text,
  lease_until bigint,
  last_error text,
  created_at bigint not null,
  done_at bigint
);
`;

/** A row a process manager writes: one effect owed (an email to one recipient, one grant) or one publish. */
interface OutboxDraft {
  readonly kind: OutboxKind;
  /** The effect's key (the checker's and the inbox's dedupe key), or `publish:<event id>`. */
  readonly key: string;
  readonly event: DomainEvent;
  readonly effect?: Effect;
}

interface ClaimedRow extends Row {
  id: number;
  kind: OutboxKind;
  key: string;
  payload: { event: DomainEvent; effect?: Effect };
  attempts: number;
  lease_until: number;
}

/**
 * Process managers + one generic outbox (the REMS amendment to seed 000). In the command's own
 * transaction, process managers read the events the command produced and write follow-up
 * commands (the approver bot) and one outbox row per owed effect: an email per recipient, an
 * entitlement grant, a publish for the broker's subscribers. Worker actors claim rows under a
 * lease, perform them, and retry each row on its own with backoff, so one failing email does
 * not hold back its siblings nor later events.
 */
export const processManager = defineStrategy<Options>({
  id: 'process-manager',
  title: 'Process managers + generic outbox',
  summary:
    'Process managers run in the command handler’s transaction: they read the new events and write follow-up ' +
    'commands (an approver bot) and one outbox row per effect — each email, each entitlement grant, each publish. ' +
    'Outbox workers claim rows under a lease (SKIP LOCKED), perform them, and retry each row alone with exponential ' +
    'backoff until it is dead-lettered. A failing email delays only itself; a worker dying after the effect and ' +
    'before marking the row done repeats that effect, so the services need an inbox.',
  schemaSql: SCHEMA_SQL,
  crashPoints: [
    {
      id: 'before-commit',
      actor: API_ACTOR,
      description: 'The process managers have written their commands and outbox rows; the handler dies before COMMIT and all of it rolls back together.',
    },
    { id: 'after-commit', actor: API_ACTOR, description: 'The command, its follow-up commands and their outbox rows are committed; the handler dies.' },
    {
      id: 'after-claim',
      actor: workerActor(1),
      sharedByPool: true,
      description: 'An outbox worker has leased rows and performed none: they wait for the lease to expire.',
    },
    {
      id: 'after-effect',
      actor: workerActor(1),
      sharedByPool: true,
      description: 'An outbox worker performed a row’s effect and dies before marking it done: after the lease the row is performed again.',
    },
    { id: 'after-mark-done', actor: workerActor(1), sharedByPool: true, description: 'An outbox worker marked a row done.' },
    {
      id: 'after-retry-scheduled',
      actor: workerActor(1),
      sharedByPool: true,
      description: 'A failed row has its next attempt (or its dead letter) recorded.',
    },
  ],
  options,
  performsEffectsOf: (services) => services.filter((s) => (PERFORMED_SERVICES as readonly ConsumerId[]).includes(s)),
  actorIds: (o) => Array.from({ length: o.workers }, (_, i) => workerActor(i + 1)),
  start: (world) => ({
    actors: Array.from({ length: world.options.workers }, (_, index) => {
      const actor = workerActor(index + 1);
      return { id: actor, restartDelayMs: 200, onStart: () => world.kernel.spawn(actor, outboxWorker(world, actor)) };
    }),
    handleCommand: (command) => handleCommand(world, command),
  }),
});

// ─── The command handler and its process managers ───────────────────────────────────────────

interface Executed {
  readonly command: Command;
  readonly result: CommandResult;
  /** The process manager that issued it; absent for the client's own command. */
  readonly issuedBy?: string;
}

async function* handleCommand(world: World, command: Command): Process {
  const now = world.kernel.now;
  const executed = await world.db.transaction(API_ACTOR, async (sql) => {
    const all = await execute(sql, world, command, now, 0);
    if (all[0]?.result.ok) world.kernel.pointWithinStep('before-commit');
    return all;
  });
  recordOutcomes(world, executed);
  if (!executed[0]?.result.ok) return;
  wakeWorkers(world);
  yield point('after-commit');
}

/** In-process nudge after commit (as MassTransit, Wolverine, Spring Modulith do); the poll is the fallback. */
function wakeWorkers(world: World): void {
  for (let n = 1; n <= world.options.workers; n++) world.kernel.wake(workerActor(n));
}

/**
 * Runs a command and, depth first, the commands its events make the process managers issue —
 * all in the caller's transaction, as REMS runs process-manager commands inside `command!`: the
 * bot's approval commits (or rolls back) with the submission that caused it.
 */
async function execute(sql: Sql, world: World, command: Command, now: number, depth: number, issuedBy?: string): Promise<Executed[]> {
  const result = await applyCommand(sql, command, now);
  const executed: Executed[] = [{ command, result, ...(issuedBy ? { issuedBy } : {}) }];
  if (!result.ok) return executed;
  for (const event of result.events) {
    for (const draft of outboxRowsFor(event, world.services)) await insertOutboxRow(sql, draft, now);
    if (depth >= MAX_FOLLOW_UP_DEPTH) continue;
    for (const next of approverBotCommands(world, command, event)) {
      executed.push(...(await execute(sql, world, next, now, depth + 1, APPROVER_BOT)));
    }
  }
  return executed;
}

/** The approver bot: a submitted application is approved at once (a workflow whose handler is a bot). */
function approverBotCommands(world: World, cause: Command, event: DomainEvent): Command[] {
  if (!world.options.autoApprove || event.type !== EVENT_TYPES.submit) return [];
  return [{ id: `${cause.id}-${APPROVER_BOT}`, type: 'approve', applicationId: event.aggregateId }];
}

/**
 * The notification and entitlement process managers write one row per effect the subscribed
 * services owe, from the same definitions the checker expects them by; events that other
 * subscribers take from the broker get one `publish` row.
 */
function outboxRowsFor(event: DomainEvent, services: readonly ConsumerId[]): OutboxDraft[] {
  const key = routingKey(event.type);
  const subscribed = (id: ConsumerId) => services.includes(id) && CONSUMERS[id].bindings.some((binding) => topicMatches(binding, key));
  const effectRows = PERFORMED_SERVICES.filter(subscribed).flatMap((kind) =>
    CONSUMERS[kind].effectsFor(event).map((effect): OutboxDraft => ({ kind, key: effect.key, event, effect })),
  );
  const fromBroker = services.some((id) => !isPerformedService(id) && subscribed(id));
  return fromBroker ? [...effectRows, { kind: 'publish', key: `publish:${event.id}`, event }] : effectRows;
}

const isPerformedService = (id: ConsumerId): id is PerformedService => (PERFORMED_SERVICES as readonly ConsumerId[]).includes(id);

async function insertOutboxRow(sql: Sql, draft: OutboxDraft, now: number): Promise<void> {
  const payload = draft.effect ? { event: draft.event, effect: draft.effect } : { event: draft.event };
  await sql.query(
    `insert into pm.outbox (kind, key, event_id, payload, next_attempt_at, created_at) values ($1, $2, $3, $4, $5, $5)`,
    [draft.kind, draft.key, draft.event.id, payload, now],
  );
}

/** Trace entries only once the transaction committed: a rolled-back follow-up never happened. */
function recordOutcomes(world: World, executed: readonly Executed[]): void {
  for (const { command, result, issuedBy } of executed) {
    if (issuedBy) {
      world.kernel.trace.append({ kind: 'command', commandId: command.id, command: command.type, aggregateId: command.applicationId });
    }
    if (result.ok) world.committed(API_ACTOR, command, result.events);
    else world.rejected(command, issuedBy ? `${issuedBy}: ${result.reason}` : result.reason);
  }
}

// ─── Outbox workers ─────────────────────────────────────────────────────────────────────────

async function* outboxWorker(world: World, actor: string): Process {
  for (;;) {
    yield* drain(world, actor);
    yield* waitUntilWorkMayBeDue(world, actor);
  }
}

/**
 * Reads when the next row becomes claimable and sleeps until then, or polls while nothing is
 * pending. Woken by a commit, or at a row's due time, the worker goes straight to claiming;
 * only a poll that timed out reads again, so idle polls stay reads and never look to the
 * kernel like new work for the other workers.
 */
async function* waitUntilWorkMayBeDue(world: World, actor: string): Process {
  for (;;) {
    const nextDue = await nextDueAt(world, actor);
    if (nextDue !== undefined && nextDue <= world.kernel.now) return;
    const pollEndsAt = world.kernel.now + world.options.pollIntervalMs;
    yield waitFor(world, nextDue);
    if (nextDue !== undefined || world.kernel.now < pollEndsAt) return;
  }
}

/** Claims and works rows while claims find any, so a busy worker reads `nextDueAt` once per lull, not per row. */
async function* drain(world: World, actor: string): Process {
  for (let claimed = await claim(world, actor); claimed.length > 0; claimed = await claim(world, actor)) {
    yield point('after-claim');
    for (const row of claimed) {
      // A lapsed lease may already be another worker's: leave the rest of the batch to it.
      if (world.kernel.now >= row.lease_until) break;
      yield* work(world, actor, row);
    }
  }
}

/** When the earliest pending row becomes claimable (the claim's own condition); undefined when none is pending. */
async function nextDueAt(world: World, actor: string): Promise<number | undefined> {
  const [next] = await world.db.query<{ next_due: number | null }>(
    actor,
    `select min(greatest(next_attempt_at, coalesce(lease_until, 0))) as next_due from pm.outbox where status = 'pending'`,
  );
  return next?.next_due == null ? undefined : Number(next.next_due);
}

/**
 * Sleeps until the next row is due, or a poll when none is pending; a commit wakes the workers
 * sooner. Only an empty outbox lets the run end: a pending row always has a worker waiting for it.
 */
function waitFor(world: World, nextDue: number | undefined): Yield {
  if (nextDue === undefined) return sleep(world.options.pollIntervalMs, 'idle', { idle: true, wakeable: true });
  return sleep(Math.max(1, nextDue - world.kernel.now), 'backing-off', { wakeable: true });
}

/**
 * One statement leases due rows nobody holds. SKIP LOCKED keeps concurrent claims apart in a
 * real Postgres; the lease keeps a claimed row away from other workers after the claim commits,
 * and gives a dead worker's rows back once it runs out.
 */
async function claim(world: World, actor: string): Promise<ClaimedRow[]> {
  const now = world.kernel.now;
  const rows = await world.db.query<ClaimedRow>(
    actor,
    `update pm.outbox set claimed_by = $1, lease_until = $2
     where id in (
       select id from pm.outbox
       where status = 'pending' and next_attempt_at <= $3 and (lease_until is null or lease_until <= $3)
       order by id limit $4
       for update skip locked)
     returning id, kind, key, payload, attempts, lease_until`,
    [actor, now + world.options.leaseMs, now, world.options.batchSize],
  );
  return rows.sort((a, b) => a.id - b.id);
}

async function* work(world: World, actor: string, row: ClaimedRow): Process {
  const error = await perform(world, actor, row);
  if (error !== undefined) {
    await recordFailure(world, actor, row, error);
    yield point('after-retry-scheduled');
    return;
  }
  yield point('after-effect');
  await world.db.query(
    actor,
    `update pm.outbox set status = 'done', done_at = $2, claimed_by = null, lease_until = null where id = $1 and status = 'pending'`,
    [row.id, world.kernel.now],
  );
  yield point('after-mark-done');
}

/** Performs the row's effect; the error text when it failed. */
async function perform(world: World, actor: string, row: ClaimedRow): Promise<string | undefined> {
  const { event, effect } = row.payload;
  if (row.kind === 'publish') {
    const outcome = await world.broker.publish(actor, eventMessage(event));
    return outcome === 'confirmed' ? undefined : `publish ${outcome}`;
  }
  if (!effect) throw new Error(`outbox row ${row.key} has no effect to perform`);
  world.kernel.spend(world.effectLatencyMs(row.kind));
  if (world.effectFails(row.kind)) return `${row.kind} service error`;
  await performEffect(world, actor, row.kind, event, effect);
  return undefined;
}

/**
 * The service's side of the call, in its own transaction. With idempotent consumers the
 * effect's key goes into the service's inbox with the effect, so a row performed again after
 * a lost "done" is recognised instead of repeated.
 */
async function performEffect(world: World, actor: string, service: PerformedService, event: DomainEvent, effect: Effect): Promise<void> {
  const fresh = await world.db.transaction(actor, async (sql) => {
    if (world.idempotentConsumers) {
      const inserted = await sql.query(
        `insert into ${CONSUMERS[service].schema}.inbox (consumer, message_id, received_at) values ($1, $2, $3)
         on conflict do nothing returning message_id`,
        [service, effect.key, world.kernel.now],
      );
      if (inserted.length === 0) return false;
    }
    await insertEffect(sql, service, event, effect);
    return true;
  });
  if (fresh) world.effectPerformed(service, event, effect);
  else world.kernel.trace.append({ kind: 'duplicate-skipped', consumer: service, messageId: effect.key });
}

/**
 * Only this row waits: its attempts grow and its next try backs off; its siblings from the
 * same event are unaffected. The claim check keeps a worker whose lease lapsed from undoing
 * another worker's progress.
 */
async function recordFailure(world: World, actor: string, row: ClaimedRow, error: string): Promise<void> {
  const { kernel, options: o } = world;
  const attempt = row.attempts + 1;
  const dead = attempt >= o.maxAttempts;
  const atMs = dead ? kernel.now : kernel.now + backoffMs(world.random, attempt, { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs });
  const updated = await world.db.query(
    actor,
    `update pm.outbox set status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, claimed_by = null, lease_until = null
     where id = $1 and status = 'pending' and claimed_by = $6
     returning id`,
    [row.id, dead ? 'dead' : 'pending', attempt, atMs, error, actor],
  );
  if (updated.length === 0) return;
  if (dead) kernel.trace.append({ kind: 'dead-letter', where: 'pm.outbox', messageId: row.key, reason: `${error} after ${attempt} attempts` });
  else kernel.trace.append({ kind: 'retry-scheduled', actor, messageId: row.key, attempt, atMs, error });
}
