import type { PGlite } from '@electric-sql/pglite';
import { DatabaseReplay } from '../../engine/replay';
import { runScenario, type RunResult } from '../../engine/run';
import { validateScenario } from '../../scenario/load';
import type { TraceEntry } from '../../sim/trace';
import type { QueryOutcome, RunId, RunOutcome, TablesSnapshot } from './protocol';
import { runReadOnlyQuery } from './read-only-query';
import { readPreparedTransactions, readTables, readTableShapes } from './tables';

/** Runs the worker keeps traces of: the current one, a compare partner, and a few before them. */
const KEPT_RUNS = 8;

export class UnknownRunError extends Error {
  constructor(readonly runId: RunId) {
    super(`run ${runId} is not known to this worker`);
  }
}

/**
 * What the engine worker does with its one Postgres: run scenarios, and show the tables of any
 * run it has seen as of any cursor (rebuilt by DatabaseReplay). Every call takes the database
 * exclusively, one after the other, as the single PGlite connection requires.
 */
export class EngineSession {
  private readonly runs = new Map<RunId, readonly TraceEntry[]>();
  private nextRunId = 1;
  private replay: DatabaseReplay;
  private shapes: { strategy: string; value: Awaited<ReturnType<typeof readTableShapes>> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly pg: PGlite) {
    this.replay = new DatabaseReplay(pg);
  }

  run(input: unknown): Promise<RunOutcome> {
    return this.exclusive(async () => {
      const validated = validateScenario(input);
      if (!validated.ok) return { ok: false, problems: validated.problems };
      const result = await runScenario(this.pg, validated.scenario);
      // The run left the database at its end; the replay must start over before its next seek.
      this.replay = new DatabaseReplay(this.pg);
      return { ok: true, runId: this.remember(result.trace), result };
    });
  }

  /** Takes a run the page already has (after this worker was restarted, it knows none). */
  adopt(runId: RunId, result: RunResult): void {
    this.runs.set(runId, result.trace);
    this.nextRunId = Math.max(this.nextRunId, runId + 1);
  }

  tables(runId: RunId, cursor: number): Promise<TablesSnapshot> {
    return this.exclusive(async () => {
      const started = performance.now();
      const trace = await this.seek(runId, cursor);
      const shapes = await this.shapesFor(trace);
      const [tables, preparedTransactions] = [await readTables(this.pg, shapes), await readPreparedTransactions(this.pg)];
      return { runId, cursor, position: this.replay.position, tables, preparedTransactions, elapsedMs: performance.now() - started };
    });
  }

  query(runId: RunId, cursor: number, sql: string): Promise<QueryOutcome> {
    return this.exclusive(async () => {
      await this.seek(runId, cursor);
      return runReadOnlyQuery(this.pg, sql);
    });
  }

  private async seek(runId: RunId, cursor: number): Promise<readonly TraceEntry[]> {
    const trace = this.runs.get(runId);
    if (!trace) throw new UnknownRunError(runId);
    await this.replay.seek(trace, Math.max(0, Math.min(cursor, trace.length)));
    return trace;
  }

  private async shapesFor(trace: readonly TraceEntry[]) {
    const start = trace[0];
    const strategy = start?.kind === 'run-start' ? start.strategy : '';
    if (this.shapes?.strategy !== strategy) this.shapes = { strategy, value: await readTableShapes(this.pg) };
    return this.shapes.value;
  }

  private remember(trace: readonly TraceEntry[]): RunId {
    const runId = this.nextRunId++;
    this.runs.set(runId, trace);
    for (const old of this.runs.keys()) {
      if (this.runs.size <= KEPT_RUNS) break;
      this.runs.delete(old);
    }
    return runId;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
