/**
 * The trace: an append-only list of typed entries, the single source of truth of a run.
 * The checker, the CLI, exports and the page all read it; nothing reads the live objects.
 * Entries hold only values that follow from scenario + seed (never xids, LSNs or wall time),
 * so `traceHash` is equal across runs, machines and runtimes.
 */
export interface DomainEvent {
  readonly id: string;
  readonly type: string;
  readonly aggregateId: string;
  /** Position of this event in its aggregate's history, starting at 1. */
  readonly version: number;
  /** Virtual ms at which the command handler produced it. */
  readonly at: number;
  readonly payload: Readonly<Record<string, string | number | boolean | string[]>>;
}

export type PublishOutcome =
  /** Stored by the broker and confirmed to the publisher. */
  | 'confirmed'
  /** Broker down: the connection was refused at once, nothing stored. */
  | 'unavailable'
  /** Broker down and silent: the publisher waited out its timeout, nothing stored. */
  | 'timeout'
  /** Stored and routed, but the confirm never reached the publisher, who believes it failed. */
  | 'confirm-lost'
  /** Refused by the broker for what it is (too large, malformed): retrying will not help. A poison message. */
  | 'rejected';

export type ActorActivity = 'idle' | 'working' | 'backing-off' | 'waiting' | 'blocked';

/** A resource that takes part in two-phase commit. */
export type TransactionParticipant = 'postgres' | 'broker';
export type TransactionDecision = 'commit' | 'abort';

export type TraceBody =
  | { kind: 'run-start'; scenario: string; strategy: string; seed: number; options: Record<string, unknown> }
  | { kind: 'command'; commandId: string; command: string; aggregateId: string }
  | { kind: 'command-rejected'; commandId: string; reason: string }
  | { kind: 'sql'; actor: string; sql: string; params?: readonly unknown[]; rows: number }
  | { kind: 'sql-error'; actor: string; sql: string; error: string }
  /** The command's state change is durable; `expects` lists the effects it obliges the world to perform. */
  | { kind: 'commit'; actor: string; commandId: string; events: DomainEvent[]; expects: string[] }
  | { kind: 'publish'; actor: string; messageId: string; routingKey: string; outcome: PublishOutcome; queues: string[] }
  | { kind: 'deliver'; queue: string; consumer: string; messageId: string; deliveryCount: number }
  | { kind: 'ack'; consumer: string; messageId: string }
  | { kind: 'nack'; consumer: string; messageId: string; reason: string }
  | { kind: 'effect'; consumer: string; key: string; eventId: string; aggregateId: string; version: number }
  | { kind: 'duplicate-skipped'; consumer: string; messageId: string }
  | { kind: 'retry-scheduled'; actor: string; messageId: string; attempt: number; atMs: number; error: string }
  | { kind: 'dead-letter'; where: string; messageId: string; reason: string }
  | { kind: 'activity'; actor: string; activity: ActorActivity }
  | { kind: 'crash'; actor: string; point: string }
  | { kind: 'restart'; actor: string }
  | { kind: 'fault'; fault: string; state: 'on' | 'off'; detail: string }
  /** Two-phase commit: a participant voted yes and holds the transaction prepared under `gid` (in doubt until resolved). */
  | { kind: 'prepared'; actor: string; participant: TransactionParticipant; gid: string }
  /** A participant could not prepare: its vote is no. */
  | { kind: 'prepare-failed'; actor: string; participant: TransactionParticipant; gid: string; reason: string }
  /** The coordinator's decision for a global transaction (a commit is durable in its log first). */
  | { kind: 'decided'; actor: string; gid: string; decision: TransactionDecision; reason: string }
  /** A participant applied the decision to its prepared transaction. */
  | { kind: 'resolved'; actor: string; participant: TransactionParticipant; gid: string; decision: TransactionDecision }
  /** A phase-two or recovery call did not reach the participant; the coordinator will try again. */
  | { kind: 'participant-unreachable'; actor: string; participant: TransactionParticipant; call: 'commit' | 'rollback' | 'recover'; gid?: string; reason: string }
  /** What a recovering coordinator found prepared at a participant (pg_prepared_xacts, the broker's staged transactions). */
  | { kind: 'in-doubt'; actor: string; participant: TransactionParticipant; gids: string[] }
  /** A command found its aggregate locked (by the transactions `heldBy`) and waits. */
  | { kind: 'blocked'; actor: string; commandId: string; aggregateId: string; heldBy: string[] }
  /** A blocked command got its lock, or gave up waiting. */
  | { kind: 'unblocked'; actor: string; commandId: string; aggregateId: string; outcome: 'acquired' | 'timed-out' }
  | { kind: 'run-end'; reason: 'quiesced' | 'step-limit' | 'time-limit'; steps: number }
  | { kind: 'verdict'; counters: Record<string, number> };

export type TraceKind = TraceBody['kind'];
export type TraceEntry = TraceBody & { readonly i: number; readonly t: number };
export type EntryOf<K extends TraceKind> = Extract<TraceEntry, { kind: K }>;

export type TraceListener = (entry: TraceEntry) => void;

export class Trace {
  readonly entries: TraceEntry[] = [];
  private listeners: TraceListener[] = [];

  constructor(private readonly clock: () => number) {}

  append(body: TraceBody): TraceEntry {
    const entry = { i: this.entries.length, t: this.clock(), ...body } as TraceEntry;
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  get length(): number {
    return this.entries.length;
  }
}

/**
 * A stable 64-bit hash (two interleaved 32-bit FNV-1a lanes) of the entries' canonical JSON.
 * Key order is fixed by how entries are built, so JSON.stringify is canonical here.
 */
export function traceHash(entries: readonly TraceEntry[]): string {
  let a = 0x811c9dc5, b = 0xcbf29ce4;
  for (const entry of entries) {
    const text = JSON.stringify(entry);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c ^ (a >>> 7), 0x01000193) >>> 0;
    }
    a = Math.imul(a ^ 0x0a, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
