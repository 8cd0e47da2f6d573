import type { PGlite } from '@electric-sql/pglite';
import { DatabaseReplay } from '../../engine/replay';
import { runScenario, type RunResult } from '../../engine/run';
import { validateScenario } from '../../scenario/load';
import type { TraceEntry } from '../../sim/trace';
import type { QueryOutcome, RunId, RunOutcome, TablesSnapshot } from './protocol';
import { runReadOnlyQuery } from './read-only-query';
import { TableHistory } from './table-history';

/** Runs the worker keeps traces (and table histories) of: the current one, a compare partner, and a few before them. */
const KEPT_RUNS = 6;
/** States captured per slice of background work; small, so a request from the page waits little. */
const FILL_SLICE = 20;

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
  private readonly runs = new Map<RunId, TableHistory>();
  private nextRunId = 1;
  private replay: DatabaseReplay;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  /** The run whose table history is filled in while the worker is idle: the one last looked at. */
  private focus: RunId | undefined;
  private filling = false;

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
      for (const history of this.runs.values()) history.rebase(this.replay);
      const runId = this.remember(result.trace);
      this.focusOn(runId);
      return { ok: true, runId, result };
    });
  }

  /** Takes a run the page already has (after this worker was restarted, it knows none). */
  adopt(runId: RunId, result: RunResult): void {
    this.runs.set(runId, new TableHistory(this.pg, this.replay, result.trace));
    this.nextRunId = Math.max(this.nextRunId, runId + 1);
  }

  tables(runId: RunId, cursor: number): Promise<TablesSnapshot> {
    const history = this.historyOf(runId);
    this.focusOn(runId);
    return this.exclusive(async () => {
      const started = performance.now();
      const { position, tables, prepared } = await history.at(cursor);
      return { runId, cursor, position, tables, preparedTransactions: prepared, elapsedMs: performance.now() - started };
    });
  }

  query(runId: RunId, cursor: number, sql: string): Promise<QueryOutcome> {
    const history = this.historyOf(runId);
    return this.exclusive(async () => {
      await this.replay.seek(history.trace, Math.max(0, Math.min(cursor, history.trace.length)));
      return runReadOnlyQuery(this.pg, sql);
    });
  }

  private historyOf(runId: RunId): TableHistory {
    const history = this.runs.get(runId);
    if (!history) throw new UnknownRunError(runId);
    return history;
  }

  private remember(trace: readonly TraceEntry[]): RunId {
    const runId = this.nextRunId++;
    this.runs.set(runId, new TableHistory(this.pg, this.replay, trace));
    for (const old of this.runs.keys()) {
      if (this.runs.size <= KEPT_RUNS) break;
      this.runs.delete(old);
    }
    return runId;
  }

  /**
   * Fills the focused run's history a slice at a time whenever no request waits, so that
   * scrubbing back later answers from memory instead of rebuilding the database.
   */
  private focusOn(runId: RunId): void {
    this.focus = runId;
    if (this.filling) return;
    this.filling = true;
    const fillSome = () => {
      const history = this.focus === undefined ? undefined : this.runs.get(this.focus);
      if (!history || history.complete) {
        this.filling = false;
        return;
      }
      if (this.waiting > 0) {
        setTimeout(fillSome, 5);
        return;
      }
      this.exclusive(() => history.captureSome(FILL_SLICE)).then(
        () => setTimeout(fillSome, 0),
        () => (this.filling = false),
      );
    };
    setTimeout(fillSome, 0);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const next = this.queue.then(work).finally(() => this.waiting--);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
