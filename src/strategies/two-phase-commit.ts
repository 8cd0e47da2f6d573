import { z } from 'zod';
import type { Row, Sql } from '../world/database';
import { applyCommand, type Command } from '../infra/domain';
import { point, sleep, type Process, type Yield } from '../world/runtime';
import type { DomainEvent } from '../sim/trace';
import { eventMessage } from './shared';
import { API_ACTOR, defineStrategy, type StrategyWorld } from './strategy';

const options = z
  .object({
    /** How long the coordinator stays down after a crash: its in-doubt transactions hold their locks that long at least. */
    coordinatorRestartMs: z.number().int().min(1).max(600_000).default(1_000),
    /** A blocked command tries its aggregate's lock again after this long (sooner when a transaction is resolved). */
    lockRetryMs: z.number().int().min(1).max(60_000).default(100),
    /** A command blocked this long gives up and is rejected, as a handler with a lock timeout would. */
    lockTimeoutMs: z.number().int().min(1).max(3_600_000).default(5_000),
    /** The coordinator calls an unreachable participant again after this long (sooner when the broker is back). */
    participantRetryMs: z.number().int().min(1).max(60_000).default(200),
  })
  .strict();

type Options = z.infer<typeof options>;
type World = StrategyWorld<Options>;

export const COORDINATOR_ACTOR = 'coordinator';
const GID_PREFIX = 'tpc:';
/** First key of the advisory lock that stands for an application's row lock; the second is hashtext(id). */
const AGGREGATE_LOCK_SPACE = 2001;

/**
 * The coordinator's durable log. Presumed abort: only commit decisions are written, so a prepared
 * transaction with no row here is rolled back on recovery. The command and its events are kept so
 * that recovery can announce the commit it completes (a real log keeps the participant list).
 * `json`, not `jsonb`, so the events come back with the keys in the order they were written.
 */
const SCHEMA_SQL = `
create schema tpc;
create table tpc.decisions (
  gid text primary key,
  decision text not null check (decision = 'commit'),
  command json not null,
  events json not null,
  decided_at bigint not null,
  completed_at bigint
);
`;

/** A global transaction the coordinator drives: one command's database branch and its messages. */
interface GlobalTransaction {
  readonly gid: string;
  readonly command: Command;
  readonly events: DomainEvent[];
}

/** What the coordinator holds in memory; a crash loses it, its log and the participants keep the rest. */
interface CoordinatorMemory {
  /** Transactions this incarnation is driving: never in doubt for its own recovery. */
  readonly live: Set<string>;
}

interface Coordinator {
  isUp(): boolean;
  /** Hands a prepared database branch to the coordinator, which runs the rest of the protocol. */
  enlist(transaction: GlobalTransaction): void;
}

/**
 * Two-phase commit (presumed abort) across Postgres and the broker. The command handler does the
 * database branch's work and ends it prepared — with one connection a branch cannot stay open while
 * the coordinator talks to the broker — then enlists it with the coordinator actor, which asks the
 * broker to prepare, logs a commit decision, and commits both. A coordinator that dies after the
 * votes leaves the branches in doubt, holding their locks, until it restarts and recovers them
 * from its log and the participants' lists of prepared transactions.
 */
export const twoPhaseCommit = defineStrategy<Options>({
  id: 'two-phase-commit',
  title: 'Two-phase commit',
  summary:
    'A coordinator makes the state change and the event message one atomic act: the database prepares the ' +
    'command\'s transaction (PREPARE TRANSACTION), the broker stages the message, and only when both voted yes ' +
    'does the coordinator log its decision and commit both. Nothing is lost and nothing is announced that did not ' +
    'commit — but every transaction holds its locks across the round trips, and a coordinator that dies between ' +
    'the votes and the outcome leaves transactions in doubt that block every command on the same rows until it ' +
    'recovers; while it is down no command commits at all. The broker here is a teaching model: most real brokers ' +
    'cannot take part in XA two-phase commit — RabbitMQ has no XA support, and Kafka\'s transactions are its own ' +
    'protocol, not XA.',
  schemaSql: SCHEMA_SQL,
  crashPoints: [
    {
      id: 'after-broker-vote-no',
      actor: COORDINATOR_ACTOR,
      description: 'The broker could not prepare; the coordinator dies before rolling back the prepared database branch.',
    },
    {
      id: 'after-all-prepared',
      actor: COORDINATOR_ACTOR,
      description: 'Both participants voted yes and no decision is logged: in doubt, locks held, until recovery presumes abort.',
    },
    {
      id: 'after-decision',
      actor: COORDINATOR_ACTOR,
      description: 'The commit decision is in the log and no participant has been told: recovery commits both.',
    },
    {
      id: 'after-db-commit',
      actor: COORDINATOR_ACTOR,
      description: 'The database committed; the broker still holds the message staged: recovery commits it from the log.',
    },
    { id: 'after-broker-commit', actor: COORDINATOR_ACTOR, description: 'Both committed; the log entry is not yet marked complete.' },
    { id: 'recovery-after-scan', actor: COORDINATOR_ACTOR, description: 'Recovery has read its log and the participants\' prepared lists, and resolved nothing yet.' },
    {
      id: 'recovery-after-resolve',
      actor: COORDINATOR_ACTOR,
      description: 'Recovery resolved one in-doubt transaction and dies; the next restart carries on where it stopped.',
    },
  ],
  options,
  actorIds: () => [COORDINATOR_ACTOR],
  start: (world) => {
    let memory: CoordinatorMemory = { live: new Set() };
    const coordinator: Coordinator = {
      isUp: () => world.kernel.isUp(COORDINATOR_ACTOR),
      enlist: (transaction) => {
        memory.live.add(transaction.gid);
        if (!world.kernel.spawn(COORDINATOR_ACTOR, completeTransaction(world, memory, transaction))) {
          throw new Error(`coordinator went down while ${transaction.gid} was being enlisted`);
        }
      },
    };
    return {
      actors: [
        {
          id: COORDINATOR_ACTOR,
          restartDelayMs: world.options.coordinatorRestartMs,
          onStart: () => {
            memory = { live: new Set() };
            world.kernel.spawn(COORDINATOR_ACTOR, recover(world, memory));
          },
        },
      ],
      handleCommand: (command) => handleCommand(world, coordinator, command),
    };
  },
});

const gidOf = (command: Command): string => `${GID_PREFIX}${command.id}`;

/* ---------- the command handler: the database branch ---------- */

type BranchOutcome = { kind: 'enlisted' } | { kind: 'locked' } | { kind: 'refused'; reason: string };

class BranchNotPrepared extends Error {
  constructor(readonly outcome: Exclude<BranchOutcome, { kind: 'enlisted' }>) {
    super(outcome.kind);
  }
}

/**
 * Postgres would make a second transaction on the same application wait for the in-doubt one's
 * locks; with one connection such a wait would hang the whole simulation, so the handler tries
 * the lock without waiting and waits on the virtual clock instead, woken when a transaction is
 * resolved. The wait is what `blockedMs` measures.
 */
async function* handleCommand(world: World, coordinator: Coordinator, command: Command): Process {
  const { kernel, options: o } = world;
  let blockedSince: number | undefined;
  for (;;) {
    const outcome = await prepareDatabaseBranch(world, coordinator, command);
    if (outcome.kind !== 'locked') {
      if (blockedSince !== undefined) appendUnblocked(world, command, 'acquired');
      if (outcome.kind === 'refused') world.rejected(command, outcome.reason);
      return;
    }
    if (blockedSince === undefined) {
      blockedSince = kernel.now;
      const heldBy = await transactionsHoldingLock(world, command.applicationId);
      kernel.trace.append({ kind: 'blocked', actor: API_ACTOR, commandId: command.id, aggregateId: command.applicationId, heldBy });
    } else if (kernel.now - blockedSince >= o.lockTimeoutMs) {
      appendUnblocked(world, command, 'timed-out');
      world.rejected(command, `lock timeout: ${command.applicationId} stayed locked for ${kernel.now - blockedSince} ms`);
      return;
    }
    yield sleep(o.lockRetryMs, 'blocked', { wakeable: true });
  }
}

/**
 * One step: lock the application, check the coordinator can be reached, apply the command and
 * PREPARE TRANSACTION, then enlist the branch. The lock comes first so that a command on an
 * application held in doubt waits even while the coordinator is down.
 */
async function prepareDatabaseBranch(world: World, coordinator: Coordinator, command: Command): Promise<BranchOutcome> {
  const gid = gidOf(command);
  let events: DomainEvent[] = [];
  try {
    await world.db.prepare(API_ACTOR, gid, async (sql) => {
      if (!(await tryLockApplication(sql, command.applicationId))) throw new BranchNotPrepared({ kind: 'locked' });
      if (!coordinator.isUp()) throw new BranchNotPrepared({ kind: 'refused', reason: 'the transaction coordinator is down' });
      const applied = await applyCommand(sql, command, world.kernel.now);
      if (!applied.ok) throw new BranchNotPrepared({ kind: 'refused', reason: applied.reason });
      events = applied.events;
    });
  } catch (error) {
    if (error instanceof BranchNotPrepared) return error.outcome;
    throw error;
  }
  world.kernel.trace.append({ kind: 'prepared', actor: API_ACTOR, participant: 'postgres', gid });
  coordinator.enlist({ gid, command, events });
  return { kind: 'enlisted' };
}

async function tryLockApplication(sql: Sql, applicationId: string): Promise<boolean> {
  const [row] = await sql.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(${AGGREGATE_LOCK_SPACE}, hashtext($1)) as locked`, [
    applicationId,
  ]);
  return row?.locked === true;
}

/** Which prepared transactions hold the application's lock, as Postgres itself lists them. */
async function transactionsHoldingLock(world: World, applicationId: string): Promise<string[]> {
  const rows = await world.db.query<{ gid: string }>(
    API_ACTOR,
    `select p.gid from pg_prepared_xacts p
     join pg_locks x on x.locktype = 'transactionid' and x.transactionid = p.transaction
     join pg_locks l on l.locktype = 'advisory' and l.virtualtransaction = x.virtualtransaction
     where l.classid = ${AGGREGATE_LOCK_SPACE} and l.objid = hashtext($1)::oid and l.objsubid = 2
     order by p.gid`,
    [applicationId],
  );
  return rows.map((row) => row.gid);
}

function appendUnblocked(world: World, command: Command, outcome: 'acquired' | 'timed-out'): void {
  world.kernel.trace.append({ kind: 'unblocked', actor: API_ACTOR, commandId: command.id, aggregateId: command.applicationId, outcome });
}

/* ---------- the coordinator: votes, decision, outcome ---------- */

async function* completeTransaction(world: World, memory: CoordinatorMemory, transaction: GlobalTransaction): Process {
  const { gid, command, events } = transaction;
  const vote = await world.broker.prepare(COORDINATOR_ACTOR, gid, events.map(eventMessage));
  if (vote !== 'ok') {
    appendDecided(world, gid, 'abort', `the broker voted no (${vote})`);
    yield point('after-broker-vote-no');
    await resolveDatabaseBranch(world, gid, 'rollback');
    world.rejected(command, `the broker could not prepare (${vote}); rolled back everywhere`);
    memory.live.delete(gid);
    return;
  }
  yield point('after-all-prepared');
  await world.db.query(
    COORDINATOR_ACTOR,
    `insert into tpc.decisions (gid, decision, command, events, decided_at) values ($1, 'commit', $2, $3, $4)`,
    [gid, command, events, world.kernel.now],
  );
  appendDecided(world, gid, 'commit', 'both participants prepared');
  yield point('after-decision');
  await commitDatabaseBranch(world, transaction);
  yield point('after-db-commit');
  yield* commitBrokerBranch(world, gid);
  yield point('after-broker-commit');
  await markComplete(world, gid);
  memory.live.delete(gid);
}

/** COMMIT PREPARED is the moment the command becomes durable and visible: that is when it counts as committed. */
async function commitDatabaseBranch(world: World, transaction: GlobalTransaction): Promise<void> {
  await resolveDatabaseBranch(world, transaction.gid, 'commit');
  world.committed(COORDINATOR_ACTOR, transaction.command, transaction.events);
}

async function resolveDatabaseBranch(world: World, gid: string, how: 'commit' | 'rollback'): Promise<void> {
  await world.db.query(COORDINATOR_ACTOR, `${how} prepared '${gid}'`);
  world.kernel.trace.append({
    kind: 'resolved',
    actor: COORDINATOR_ACTOR,
    participant: 'postgres',
    gid,
    decision: how === 'commit' ? 'commit' : 'abort',
  });
  // The branch's locks are released: blocked commands may go on now.
  world.kernel.wake(API_ACTOR);
}

/** The decision is taken; only the broker's answer is missing, so keep asking until it is back. */
async function* commitBrokerBranch(world: World, gid: string): Process {
  while ((await world.broker.commitPrepared(COORDINATOR_ACTOR, gid)) !== 'ok') yield waitForParticipant(world);
}

/**
 * Called right after the participant failed to answer. Idle until woken, so that a broker that
 * never comes back lets the run end (its staged messages stranded); an outage that ends keeps the
 * run going, and the broker wakes the coordinator when it is back.
 */
const waitForParticipant = (world: World): Yield =>
  sleep(world.options.participantRetryMs, 'backing-off', { idleUntilWoken: true });

async function markComplete(world: World, gid: string): Promise<void> {
  await world.db.query(COORDINATOR_ACTOR, `update tpc.decisions set completed_at = $2 where gid = $1`, [gid, world.kernel.now]);
}

function appendDecided(world: World, gid: string, decision: 'commit' | 'abort', reason: string): void {
  world.kernel.trace.append({ kind: 'decided', actor: COORDINATOR_ACTOR, gid, decision, reason });
}

/* ---------- recovery: what a restarted coordinator finds in doubt ---------- */

interface LoggedCommit extends Row {
  gid: string;
  command: Command;
  events: DomainEvent[];
}

interface InDoubt {
  /** Unfinished commit decisions in the log, by gid. */
  readonly decided: Map<string, LoggedCommit>;
  /** Branches prepared in Postgres (pg_prepared_xacts). */
  readonly preparedInDatabase: Set<string>;
  /** Branches staged at the broker; undefined when the broker could not be asked. */
  readonly stagedAtBroker: Set<string> | undefined;
}

/**
 * Runs at every start: passes until every transaction of an earlier incarnation is resolved
 * everywhere. A transaction is resolved at all its participants in one step, so a command that
 * was waiting for its lock cannot publish ahead of the message recovery is about to commit.
 */
async function* recover(world: World, memory: CoordinatorMemory): Process {
  for (;;) {
    const inDoubt = await scanInDoubt(world, memory);
    yield point('recovery-after-scan');
    let settled = inDoubt.stagedAtBroker !== undefined;
    for (const gid of gidsOf(inDoubt)) {
      const logged = inDoubt.decided.get(gid);
      const resolved = logged ? await finishCommit(world, logged, inDoubt) : await presumeAbort(world, gid, inDoubt);
      settled &&= resolved;
      yield point('recovery-after-resolve');
    }
    if (settled) return;
    yield* waitUntilBrokerAnswers(world);
  }
}

/**
 * Asks the broker again right before each wait: had it come back while recovery was busy with
 * Postgres, its wake-up call found nobody waiting, and an idle wait would end the run.
 */
async function* waitUntilBrokerAnswers(world: World): Process {
  while ((await world.broker.recover(COORDINATOR_ACTOR)).outcome !== 'ok') yield waitForParticipant(world);
}

async function scanInDoubt(world: World, memory: CoordinatorMemory): Promise<InDoubt> {
  const { db, broker, kernel } = world;
  const notLive = (gid: string) => !memory.live.has(gid);
  const logged = await db.query<LoggedCommit>(
    COORDINATOR_ACTOR,
    `select gid, command, events from tpc.decisions where completed_at is null order by gid`,
  );
  const prepared = await db.query<{ gid: string }>(
    COORDINATOR_ACTOR,
    `select gid from pg_prepared_xacts where gid like '${GID_PREFIX}%' order by gid`,
  );
  const preparedInDatabase = prepared.map((row) => row.gid).filter(notLive);
  kernel.trace.append({ kind: 'in-doubt', actor: COORDINATOR_ACTOR, participant: 'postgres', gids: preparedInDatabase });
  const staged = await broker.recover(COORDINATOR_ACTOR);
  return {
    decided: new Map(logged.filter((row) => notLive(row.gid)).map((row) => [row.gid, row])),
    preparedInDatabase: new Set(preparedInDatabase),
    stagedAtBroker: staged.outcome === 'ok' ? new Set(staged.txIds.filter(notLive)) : undefined,
  };
}

function gidsOf(inDoubt: InDoubt): string[] {
  return [...new Set([...inDoubt.decided.keys(), ...inDoubt.preparedInDatabase, ...(inDoubt.stagedAtBroker ?? [])])].sort();
}

/** The log says commit: finish it at every participant still holding the branch. True once nothing is left. */
async function finishCommit(world: World, logged: LoggedCommit, inDoubt: InDoubt): Promise<boolean> {
  const { gid } = logged;
  if (inDoubt.preparedInDatabase.has(gid)) {
    await commitDatabaseBranch(world, { gid, command: logged.command, events: logged.events.map(canonicalEvent) });
  }
  if (!inDoubt.stagedAtBroker) return false;
  if (inDoubt.stagedAtBroker.has(gid) && (await world.broker.commitPrepared(COORDINATOR_ACTOR, gid)) !== 'ok') return false;
  await markComplete(world, gid);
  return true;
}

/** No decision in the log: nobody was told commit, so the transaction is rolled back everywhere. */
async function presumeAbort(world: World, gid: string, inDoubt: InDoubt): Promise<boolean> {
  const atBroker = inDoubt.stagedAtBroker?.has(gid) ?? false;
  if (inDoubt.preparedInDatabase.has(gid) || atBroker) appendDecided(world, gid, 'abort', 'no decision in the log: presumed abort');
  if (inDoubt.preparedInDatabase.has(gid)) await resolveDatabaseBranch(world, gid, 'rollback');
  if (!inDoubt.stagedAtBroker) return false;
  return !atBroker || (await world.broker.rollbackPrepared(COORDINATOR_ACTOR, gid)) === 'ok';
}

/** The trace lists an event's fields in the order the command handler built them. */
function canonicalEvent(event: DomainEvent): DomainEvent {
  return { id: event.id, type: event.type, aggregateId: event.aggregateId, version: event.version, at: event.at, payload: event.payload };
}
