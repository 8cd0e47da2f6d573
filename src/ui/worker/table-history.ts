import type { PGlite } from '@electric-sql/pglite';
import { committedBoundary, DatabaseReplay } from '../../engine/replay';
import type { TraceEntry } from '../../sim/trace';
import type { TableSnapshot } from './protocol';
import { stateChanges, type StateChange } from './state-changes';
import { readPreparedTransactions, readTable, readTableShapes, type TableShape } from './tables';

interface Snapshot {
  /** Entries applied when this state became visible. */
  readonly position: number;
  readonly tables: readonly TableSnapshot[];
  readonly prepared: readonly string[];
}

/**
 * The tables of one run at every point the trace changed them, read with SQL from the real
 * database as the replay passes each point. Replaying goes only forward cheaply (going back
 * means rebuilding from a blank world), so every state is kept as it is passed: a later step
 * back answers from memory. Unchanged tables are shared between snapshots.
 */
export class TableHistory {
  private readonly changes: StateChange[];
  private readonly snapshots: Snapshot[] = [];
  private shapes: TableShape[] = [];

  constructor(
    private readonly pg: PGlite,
    private replay: DatabaseReplay,
    readonly trace: readonly TraceEntry[],
  ) {
    this.changes = stateChanges(trace);
  }

  /** A run changed the database behind the replay's back: go on with the new one. */
  rebase(replay: DatabaseReplay): void {
    this.replay = replay;
  }

  /** The tables after `cursor` entries (a transaction open there is not visible yet). */
  async at(cursor: number): Promise<{ position: number; tables: readonly TableSnapshot[]; prepared: readonly string[] }> {
    const position = committedBoundary(this.trace, cursor);
    await this.captureUpTo(position);
    const snapshot = this.latestAt(position)!;
    return { position, tables: snapshot.tables, prepared: snapshot.prepared };
  }

  /** Whether every state of the run is already in memory. */
  get complete(): boolean {
    return this.snapshots.length > this.changes.length;
  }

  /** Captures at most `count` more states; for filling the history while nobody is waiting. */
  async captureSome(count: number): Promise<void> {
    const captured = Math.max(0, this.snapshots.length - 1);
    const next = this.changes[Math.min(this.changes.length, captured + count) - 1];
    await this.captureUpTo(next?.position ?? 0);
  }

  private async captureUpTo(position: number): Promise<void> {
    if (this.snapshots.length === 0) await this.captureStart();
    while (this.snapshots.length - 1 < this.changes.length) {
      const change = this.changes[this.snapshots.length - 1]!;
      if (change.position > position) return;
      await this.replay.seek(this.trace, change.position);
      const previous = this.snapshots[this.snapshots.length - 1]!;
      const tables = await Promise.all(
        previous.tables.map((table, i) => {
          const qualified = `${table.schema}.${table.name}`;
          return change.tables === 'all' || change.tables.has(qualified) ? readTable(this.pg, this.shapes[i]!) : table;
        }),
      );
      const prepared = change.prepared ? await readPreparedTransactions(this.pg) : previous.prepared;
      this.snapshots.push({ position: change.position, tables, prepared });
    }
  }

  /** The blank world the run starts from: every table, empty (or with the rows the schema seeds). */
  private async captureStart(): Promise<void> {
    await this.replay.seek(this.trace, 0);
    this.shapes = await readTableShapes(this.pg);
    const tables = await Promise.all(this.shapes.map((shape) => readTable(this.pg, shape)));
    this.snapshots.push({ position: 0, tables, prepared: await readPreparedTransactions(this.pg) });
  }

  private latestAt(position: number): Snapshot | undefined {
    let lo = 0;
    let hi = this.snapshots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.snapshots[mid]!.position <= position) lo = mid;
      else hi = mid - 1;
    }
    return this.snapshots[lo];
  }
}
