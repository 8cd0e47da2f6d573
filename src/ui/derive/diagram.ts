import { consumerQueue, type ConsumerId } from '../../infra/consumers';
import type { ActorActivity, DomainEvent, EntryOf, TraceEntry } from '../../sim/trace';
import { BROKER_NODE, CLIENT_NODE, entryActor, ordinal, plural, POSTGRES_NODE } from './names';
import { OutboxRows } from './outbox-rows';
import { QueueModel } from './queues';
import { edgeId, serviceNode, topologyOf, type EdgeCrashPoint, type NodeKind, type Topology } from './topology';

export type { NodeKind } from './topology';

export type NodeActivity = ActorActivity | 'crashed' | 'down';

export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly activity: NodeActivity;
  /** A short status: queue depth, "3 unsent outbox rows", "crashed at after-publish". */
  readonly detail?: string;
}

export interface DiagramCrashPoint extends EdgeCrashPoint {
  /** The actor that sits here crashed at this point and is still down. */
  readonly fired?: boolean;
}

export interface DiagramEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  readonly crashPoints: readonly DiagramCrashPoint[];
}

export interface Token {
  /** Unique per in-flight message instance, and stable from step to step so the view can animate it. */
  readonly key: string;
  readonly messageId: string;
  readonly type?: string;
  readonly aggregateId?: string;
  /** Deliveries so far for a message in a queue; the publish attempt for a failed publish. */
  readonly attempts: number;
  readonly edgeId: string;
  /** 0 at the edge's source, 1 at its target. */
  readonly progress: number;
}

export interface DiagramState {
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
  readonly tokens: Token[];
}

/**
 * The diagram as it stands after the first `cursor` entries: node lifecycles, queue contents,
 * what Postgres still owes, and tokens for messages in flight. One pass over the prefix; playing
 * forward on the same trace continues the previous pass, so a step costs only the new entries.
 */
export function diagramAt(trace: readonly TraceEntry[], cursor: number, strategyId: string): DiagramState {
  const upTo = Math.max(0, Math.min(cursor, trace.length));
  const replay = replayUpTo(trace, upTo, strategyId);
  return replay.state(trace, upTo);
}

interface CachedReplay {
  readonly strategyId: string;
  readonly replay: DiagramReplay;
  applied: number;
  /** The last entry applied: if the array was refilled with another run, it is no longer there. */
  lastApplied?: TraceEntry;
}

const replays = new WeakMap<readonly TraceEntry[], CachedReplay>();

function replayUpTo(trace: readonly TraceEntry[], upTo: number, strategyId: string): DiagramReplay {
  const topology = topologyOf(trace, strategyId);
  let cached = replays.get(trace);
  const reusable =
    cached && cached.strategyId === strategyId && cached.replay.topology === topology && cached.applied <= upTo &&
    (cached.applied === 0 || trace[cached.applied - 1] === cached.lastApplied);
  if (!cached || !reusable) {
    cached = { strategyId, replay: new DiagramReplay(topology, strategyId), applied: 0 };
    replays.set(trace, cached);
  }
  for (let i = cached.applied; i < upTo; i++) cached.replay.apply(trace[i]!);
  cached.applied = upTo;
  if (upTo > 0) cached.lastApplied = trace[upTo - 1];
  return cached.replay;
}

interface ActorState {
  activity?: ActorActivity;
  activityT: number;
  activityIndex: number;
  lastAction?: TraceEntry;
  crashedAt?: string;
}

/** Activities a process leaves without saying so: a finished command handler, a retry that went through. */
const WAITS_ENDED_BY_ANY_LATER_ACTION: ReadonlySet<ActorActivity> = new Set(['blocked', 'waiting']);

class DiagramReplay {
  private readonly queues = new QueueModel();
  private readonly outboxRows = new OutboxRows();
  private readonly actors = new Map<string, ActorState>();
  private readonly events = new Map<string, DomainEvent>();
  /** Committed events not yet routed by the broker (for strategies that publish). */
  private readonly unpublished = new Set<string>();
  private readonly published = new Set<string>();
  /** Effects committed commands oblige, not yet performed. */
  private readonly owed = new Map<string, ConsumerId>();
  private readonly preparedInPostgres = new Set<string>();
  private readonly stagedAtBroker = new Set<string>();
  private readonly blocked = new Map<string, EntryOf<'blocked'>>();
  private readonly failingServices = new Set<string>();
  private readonly publishAttempts = new Map<string, number>();
  private readonly lastRetryOf = new Map<string, EntryOf<'retry-scheduled'>>();
  /** Which actor last wrote to a service's tables: the worker that called it. */
  private readonly lastCallerOf = new Map<string, string>();
  /** The worker that made each direct service call, by the effect's entry index. */
  private readonly callerOfEffect = new Map<number, string>();
  private brokerDown: string | undefined;
  /** Set by `state()`: the cursor's virtual time and the entries that happened at it. */
  private nowT = -1;
  private instant: readonly TraceEntry[] = [];
  private commands = 0;
  private lastSqlT = Number.NEGATIVE_INFINITY;
  private lastPublishT = Number.NEGATIVE_INFINITY;

  constructor(
    readonly topology: Topology,
    private readonly strategyId: string,
  ) {
    for (const service of topology.brokered) this.queues.declare(consumerQueue(service));
  }

  apply(entry: TraceEntry): void {
    this.queues.apply(entry);
    this.outboxRows.apply(entry);
    this.track(entry);
    if (entry.kind === 'effect' && !this.topology.brokered.includes(entry.consumer as ConsumerId)) {
      this.callerOfEffect.set(entry.i, this.lastCallerOf.get(entry.consumer) ?? `${entry.consumer}-poller`);
    }
    this.noteActor(entry);
  }

  private track(entry: TraceEntry): void {
    switch (entry.kind) {
      case 'command':
        this.commands++;
        break;
      case 'commit':
        this.noteCommit(entry);
        break;
      case 'publish':
        this.lastPublishT = entry.t;
        this.publishAttempts.set(entry.messageId, (this.publishAttempts.get(entry.messageId) ?? 0) + 1);
        if (entry.outcome === 'confirmed' || entry.outcome === 'confirm-lost') {
          this.published.add(entry.messageId);
          this.unpublished.delete(entry.messageId);
        }
        break;
      case 'effect':
        this.owed.delete(entry.key);
        break;
      case 'dead-letter':
        this.owed.delete(entry.messageId);
        if (!entry.where.startsWith('queue:')) this.unpublished.delete(entry.messageId.replace(/^publish:/, ''));
        break;
      case 'sql':
        this.lastSqlT = entry.t;
        this.noteServiceCall(entry);
        break;
      case 'retry-scheduled':
        this.lastRetryOf.set(entry.actor, entry);
        break;
      case 'fault':
        this.noteFault(entry);
        break;
      case 'prepared':
        (entry.participant === 'postgres' ? this.preparedInPostgres : this.stagedAtBroker).add(entry.gid);
        break;
      case 'resolved':
        (entry.participant === 'postgres' ? this.preparedInPostgres : this.stagedAtBroker).delete(entry.gid);
        break;
      case 'blocked':
        this.blocked.set(entry.commandId, entry);
        break;
      case 'unblocked':
        this.blocked.delete(entry.commandId);
        break;
      case 'crash':
        for (const [commandId, wait] of this.blocked) if (wait.actor === entry.actor) this.blocked.delete(commandId);
        break;
      default:
        break;
    }
  }

  private noteCommit(entry: EntryOf<'commit'>): void {
    for (const event of entry.events) {
      this.events.set(event.id, event);
      if (this.topology.brokered.length > 0 && !this.published.has(event.id) && this.needsPublish(entry, event)) this.unpublished.add(event.id);
    }
    for (const key of entry.expects) this.owed.set(key, key.slice(0, key.indexOf(':')) as ConsumerId);
  }

  /** An event goes through the broker when some service that consumes from a queue expects an effect of it. */
  private needsPublish(entry: EntryOf<'commit'>, event: DomainEvent): boolean {
    return entry.expects.some((key) => key.includes(`:${event.id}`) && this.topology.brokered.some((service) => key.startsWith(`${service}:`)));
  }

  private noteServiceCall(entry: EntryOf<'sql'>): void {
    const match = /^insert into (\w+)_service\.(?!inbox)/.exec(entry.sql);
    if (match) this.lastCallerOf.set(match[1]!, entry.actor);
  }

  private noteFault(entry: EntryOf<'fault'>): void {
    const on = entry.state === 'on';
    if (entry.fault === 'broker-down') this.brokerDown = on ? (entry.detail.includes('time out') ? 'publishes time out' : 'refusing publishes') : undefined;
    if (entry.fault === 'consumer-error') {
      const service = entry.detail.split(' ')[0] ?? '';
      if (on) this.failingServices.add(service);
      else this.failingServices.delete(service);
    }
  }

  private noteActor(entry: TraceEntry): void {
    switch (entry.kind) {
      case 'activity': {
        const actor = this.actor(entry.actor);
        actor.activity = entry.activity;
        actor.activityT = entry.t;
        actor.activityIndex = entry.i;
        return;
      }
      case 'crash':
        this.actor(entry.actor).crashedAt = entry.point;
        return;
      case 'restart': {
        const actor = this.actor(entry.actor);
        delete actor.crashedAt;
        delete actor.activity;
        actor.activityIndex = entry.i;
        return;
      }
      case 'fault':
      case 'run-start':
      case 'run-end':
      case 'verdict':
      case 'command':
        return;
      default:
        this.noteAction(entry);
    }
  }

  private noteAction(entry: TraceEntry): void {
    const actor = this.actor(entry.kind === 'effect' ? this.lastCallerOf.get(entry.consumer) ?? entryActor(entry) : entryActor(entry));
    actor.lastAction = entry;
    if (!actor.activity) return;
    const laterStep = entry.t > actor.activityT;
    if (laterStep && WAITS_ENDED_BY_ANY_LATER_ACTION.has(actor.activity)) actor.activity = 'idle';
    if (actor.activity === 'backing-off' && madeProgress(entry)) actor.activity = 'idle';
  }

  private actor(id: string): ActorState {
    let state = this.actors.get(id);
    if (!state) {
      state = { activityT: -1, activityIndex: -1 };
      this.actors.set(id, state);
    }
    return state;
  }

  // ─── The state after the prefix ─────────────────────────────────────────────────────────

  /** Read-only: the same replay goes on being fed after this. */
  state(trace: readonly TraceEntry[], upTo: number): DiagramState {
    this.nowT = upTo > 0 ? trace[upTo - 1]!.t : -1;
    this.instant = instantEntries(trace, upTo);
    const nodes = this.topology.nodes.map((node) => {
      const { activity, detail } = this.nodeStatus(node.id, node.kind);
      return { ...node, activity, ...(detail ? { detail } : {}) };
    });
    const edges = this.topology.edges.map((edge) => ({ ...edge, crashPoints: edge.crashPoints.map((point) => this.crashPointState(point)) }));
    return { nodes, edges, tokens: [...this.queueTokens(), ...this.instantTokens()] };
  }

  private nodeStatus(id: string, kind: NodeKind): { activity: NodeActivity; detail?: string } {
    switch (kind) {
      case 'client':
        return { activity: this.instant.some((entry) => entry.kind === 'command') ? 'working' : 'idle', detail: `${plural(this.commands, 'command')} sent` };
      case 'postgres':
        return { activity: this.lastSqlT === this.nowT ? 'working' : 'idle', detail: this.postgresDetail() };
      case 'broker':
        return this.brokerStatus();
      case 'queue':
        return this.queueStatus(id);
      case 'service':
        return this.serviceStatus(id);
      default:
        return this.actorStatus(id);
    }
  }

  private actorStatus(id: string): { activity: NodeActivity; detail?: string } {
    const actor = this.actors.get(id);
    if (!actor) return { activity: 'idle' };
    if (actor.crashedAt) return { activity: 'crashed', detail: actor.crashedAt === 'killed' ? 'killed; restarting' : `at ${actor.crashedAt}` };
    const waits = [...this.blocked.values()].filter((wait) => wait.actor === id);
    if (waits.length > 0) return { activity: 'blocked', detail: `${waits[0]!.commandId} waits for ${waits[0]!.aggregateId}` };
    const action = actor.lastAction;
    if (action && action.t === this.nowT && action.i > actor.activityIndex) return { activity: 'working', detail: doing(action) };
    const activity = actor.activity ?? 'idle';
    return { activity, ...this.restingDetail(id, activity) };
  }

  private restingDetail(id: string, activity: ActorActivity): { detail?: string } {
    if (activity === 'backing-off') {
      const retry = this.lastRetryOf.get(id);
      if (retry) return { detail: `retry ${retry.messageId} at ${retry.atMs} ms` };
    }
    if (id === 'coordinator' && this.preparedInPostgres.size > 0) return { detail: `${plural(this.preparedInPostgres.size, 'transaction')} in doubt` };
    return {};
  }

  /** What the strategy's own tables still hold for later, in a few words (the node is narrow). */
  private postgresDetail(): string {
    switch (this.strategyId) {
      case 'outbox':
      case 'process-manager':
        return `${plural(this.outboxRows.pending(), 'pending row')}`;
      case 'direct-publish':
        return `${this.unpublished.size} unpublished`;
      case 'two-phase-commit':
        return `${this.preparedInPostgres.size} prepared`;
      default:
        return `${plural(this.owed.size, 'effect')} owed`;
    }
  }

  private brokerStatus(): { activity: NodeActivity; detail?: string } {
    if (this.brokerDown) return { activity: 'down', detail: this.brokerDown };
    const activity: NodeActivity = this.lastPublishT === this.nowT ? 'working' : 'idle';
    if (this.stagedAtBroker.size > 0) return { activity, detail: `${plural(this.stagedAtBroker.size, 'transaction')} staged` };
    return { activity };
  }

  private queueStatus(queue: string): { activity: NodeActivity; detail?: string } {
    const state = this.queues.queues.get(queue);
    const ready = state?.ready.length ?? 0;
    const unacked = state?.unacked.length ?? 0;
    const detail = `${ready} ready · ${unacked} unacked`;
    if (this.brokerDown) return { activity: 'down', detail };
    return { activity: unacked > 0 ? 'working' : ready > 0 ? 'waiting' : 'idle', detail };
  }

  private serviceStatus(id: string): { activity: NodeActivity; detail?: string } {
    const service = id.replace(/-service$/, '');
    const failing = this.failingServices.has(service) ? 'failing calls' : undefined;
    if (this.topology.brokered.includes(service as ConsumerId)) {
      const status = this.actorStatus(id);
      const handling = this.queues.queues.get(consumerQueue(service as ConsumerId))?.unacked[0];
      const detail = status.activity === 'crashed' ? status.detail : handling ? handlingDetail(handling.messageId, handling.deliveryCount) : status.detail;
      return { activity: status.activity, ...(failing || detail ? { detail: [failing, detail].filter(Boolean).join('; ') } : {}) };
    }
    const called = this.instant.some((entry) => entry.kind === 'effect' && entry.consumer === service);
    return { activity: called ? 'working' : 'idle', ...(failing ? { detail: failing } : {}) };
  }

  /** Point ids are unique within a strategy, so any actor down after dying there fires the marker (a pool's members share one). */
  private crashPointState(point: EdgeCrashPoint): DiagramCrashPoint {
    for (const actor of this.actors.values()) if (actor.crashedAt === point.id) return { ...point, fired: true };
    return point;
  }

  // ─── Tokens ─────────────────────────────────────────────────────────────────────────────

  private queueTokens(): Token[] {
    const tokens: Token[] = [];
    for (const [queue, state] of this.queues.queues) {
      const consumer = `${queue.replace(/-queue$/, '')}-service`;
      state.ready.forEach((instance, position) => {
        tokens.push(this.token(instance.key, instance.messageId, instance.deliveryCount, edgeId(BROKER_NODE, queue), queuedProgress(position)));
      });
      for (const instance of state.unacked) {
        tokens.push(this.token(instance.key, instance.messageId, instance.deliveryCount, edgeId(queue, instance.consumer ?? consumer), 0.55));
      }
    }
    return tokens;
  }

  /** Things that happen in one instant (a command arriving, a commit, a refused publish, a direct call) show while it lasts. */
  private instantTokens(): Token[] {
    const tokens: Token[] = [];
    const edges = new Set(this.topology.edges.map((e) => e.id));
    const add = (token: Token) => {
      if (edges.has(token.edgeId)) tokens.push(token);
    };
    for (const entry of this.instant) {
      const caller = this.callerOfEffect.get(entry.i);
      if (entry.kind === 'command') {
        add({ key: `command/${entry.commandId}`, messageId: entry.commandId, type: entry.command, aggregateId: entry.aggregateId, attempts: 1, edgeId: edgeId(CLIENT_NODE, 'api'), progress: 0.85 });
      } else if (entry.kind === 'commit') {
        const onEdge = entry.actor === 'api' ? edgeId('api', POSTGRES_NODE) : edgeId(POSTGRES_NODE, entry.actor);
        for (const event of entry.events) add(this.token(`commit/${event.id}`, event.id, 1, onEdge, entry.actor === 'api' ? 0.85 : 0.15));
      } else if (entry.kind === 'publish' && entry.outcome !== 'confirmed' && entry.outcome !== 'confirm-lost') {
        add(this.token(`publish/${entry.i}`, entry.messageId, this.publishAttemptsUpTo(entry), edgeId(entry.actor, BROKER_NODE), 0.75));
      } else if (entry.kind === 'effect' && caller && !this.topology.brokered.includes(entry.consumer as ConsumerId)) {
        add(this.token(`effect/${entry.key}/${entry.i}`, entry.eventId, 1, edgeId(caller, serviceNode(entry.consumer)), 0.9));
      }
    }
    return tokens;
  }

  private publishAttemptsUpTo(entry: EntryOf<'publish'>): number {
    return this.publishAttempts.get(entry.messageId) ?? 1;
  }

  private token(key: string, messageId: string, attempts: number, onEdge: string, progress: number): Token {
    const event = this.events.get(messageId);
    return {
      key,
      messageId,
      ...(event ? { type: event.type, aggregateId: event.aggregateId } : {}),
      attempts,
      edgeId: onEdge,
      progress,
    };
  }
}

/** How many entries of one virtual instant may show as momentary tokens: a busy instant holds hundreds of statements. */
const INSTANT_ENTRIES_MAX = 400;

function instantEntries(trace: readonly TraceEntry[], upTo: number): TraceEntry[] {
  const found: TraceEntry[] = [];
  const nowT = upTo > 0 ? trace[upTo - 1]!.t : -1;
  for (let i = upTo - 1; i >= 0 && trace[i]!.t === nowT && found.length < INSTANT_ENTRIES_MAX; i--) found.push(trace[i]!);
  return found.reverse();
}

/** The head of a queue sits next to it; later messages line up behind, back towards the exchange. */
function queuedProgress(position: number): number {
  return Math.max(0.12, 0.88 - position * 0.09);
}

/** Success ends a backoff: a confirmed publish, an effect written, a participant that answered. */
function madeProgress(entry: TraceEntry): boolean {
  switch (entry.kind) {
    case 'publish':
      return entry.outcome === 'confirmed';
    case 'resolved':
      return true;
    case 'in-doubt':
      return entry.participant === 'broker';
    case 'sql':
      return /^insert into \w+_service\.(?!inbox)/.test(entry.sql) || /set status = 'sent'/.test(entry.sql);
    default:
      return false;
  }
}

function doing(action: TraceEntry): string | undefined {
  switch (action.kind) {
    case 'publish':
      return `publishing ${action.messageId}`;
    case 'deliver':
      return `handling ${action.messageId}`;
    case 'commit':
      return `committed ${action.commandId}`;
    case 'prepared':
    case 'decided':
    case 'resolved':
      return `${action.kind} ${action.gid}`;
    case 'retry-scheduled':
      return `retry ${action.messageId} at ${action.atMs} ms`;
    case 'sql':
      return /^select/i.test(action.sql) ? 'reading' : /^(begin|commit|rollback)\b/i.test(action.sql) ? undefined : 'writing';
    default:
      return undefined;
  }
}

function handlingDetail(messageId: string, deliveryCount: number): string {
  return deliveryCount > 1 ? `handling ${messageId} (${ordinal(deliveryCount)} delivery)` : `handling ${messageId}`;
}
