import type { PGlite } from '@electric-sql/pglite';
import { resetDatabase } from '../infra/database';
import type { TraceEntry } from '../sim/trace';
import { findStrategy } from '../strategies';
import { worldSchemaSql } from './run';

/**
 * The database as it was at any point of a run, rebuilt from the trace: a blank world, then
 * every statement the trace recorded, in order, with its parameters. Because the run is
 * deterministic and the trace holds every statement, this reproduces the real tables exactly
 * — time travel for the table views without snapshots.
 *
 * A transaction still open at the cursor is left out: nobody else could see its rows yet.
 */
export class DatabaseReplay {
  private applied = 0;
  private trace: readonly TraceEntry[] = [];

  constructor(private readonly pg: PGlite) {}

  /** Brings the database to the state after `trace[upTo - 1]`; cheap when moving forward. */
  async seek(trace: readonly TraceEntry[], upTo: number): Promise<void> {
    const target = committedBoundary(trace, upTo);
    if (trace !== this.trace || target < this.applied) {
      const start = trace[0];
      if (!start || start.kind !== 'run-start') throw new Error('a trace starts with run-start');
      const strategy = findStrategy(start.strategy);
      if (!strategy) throw new Error(`strategy '${start.strategy}' is not registered`);
      await resetDatabase(this.pg, worldSchemaSql(strategy));
      this.trace = trace;
      this.applied = 0;
    }
    for (let i = this.applied; i < target; i++) {
      const entry = trace[i]!;
      if (entry.kind !== 'sql') continue;
      await this.pg.query(entry.sql, entry.params ? [...entry.params] : []);
    }
    this.applied = Math.max(this.applied, target);
  }

  /** How far the database reflects the trace (an open transaction at the cursor is excluded). */
  get position(): number {
    return this.applied;
  }
}

/**
 * The largest index ≤ upTo that does not cut a transaction in two: statements between an
 * actor's `begin` and its `commit`/`rollback`/`prepare transaction` are all or nothing.
 */
export function committedBoundary(trace: readonly TraceEntry[], upTo: number): number {
  const end = Math.min(upTo, trace.length);
  let openSince = -1;
  for (let i = 0; i < end; i++) {
    const entry = trace[i]!;
    if (entry.kind !== 'sql') continue;
    if (entry.sql === 'begin') openSince = i;
    else if (entry.sql === 'commit' || entry.sql === 'rollback' || entry.sql.startsWith('prepare transaction')) openSince = -1;
  }
  return openSince >= 0 ? openSince : end;
}
