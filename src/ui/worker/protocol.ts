import type { RunResult } from '../../engine/run';
import type { LoadResult, ScenarioProblem } from '../../scenario/load';

/**
 * The messages between the page and the engine worker. The worker owns the one PGlite
 * connection; every request names the run it is about, so the worker can rebuild the tables
 * of any run it has seen (or ask for the trace again after a restart).
 */
export type BootPhase = 'loading Postgres (WASM)' | 'starting' | 'ready' | 'failed';

export interface BootProgress {
  readonly phase: BootPhase;
  /** Wall-clock ms since the worker began booting. */
  readonly elapsedMs: number;
  /** What the phase is doing, or why it failed. */
  readonly detail?: string;
}

export type RunId = number;

export type RunOutcome =
  | { readonly ok: true; readonly runId: RunId; readonly result: RunResult }
  | { readonly ok: false; readonly problems: readonly ScenarioProblem[] };

/** A table cell as the page shows it: text, or null for SQL NULL. */
export type Cell = string | null;

export interface TableSnapshot {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly string[];
  /** SQL types, as Postgres spells them (`bigint`, `xid8`, ...). */
  readonly columnTypes: readonly string[];
  /** Primary-key columns (the first column when the table has none): how rows are matched between two cursors. */
  readonly keyColumns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Rows in the table; more than `rows.length` when the view was cut at its row limit. */
  readonly rowCount: number;
}

export interface TablesSnapshot {
  readonly runId: RunId;
  /** The cursor asked for. */
  readonly cursor: number;
  /** How far the database reflects the trace (a transaction open at the cursor is left out). */
  readonly position: number;
  readonly tables: readonly TableSnapshot[];
  /** `select gid from pg_prepared_xacts`: two-phase-commit transactions in doubt. */
  readonly preparedTransactions: readonly string[];
  /** Worker time to seek and read, for the scrub-time figure. */
  readonly elapsedMs: number;
}

export type QueryOutcome =
  | { readonly ok: true; readonly columns: readonly string[]; readonly rows: readonly (readonly Cell[])[]; readonly rowCount: number; readonly elapsedMs: number }
  | { readonly ok: false; readonly error: string };

export type WorkerRequest =
  | { readonly type: 'boot'; readonly dataDirUrl: string }
  | { readonly type: 'run'; readonly scenario: unknown }
  /** Scenario text as a person typed it (YAML or JSON): checked without running. */
  | { readonly type: 'validate'; readonly text: string }
  | { readonly type: 'adopt'; readonly runId: RunId; readonly result: RunResult }
  | { readonly type: 'tables'; readonly runId: RunId; readonly cursor: number }
  | { readonly type: 'query'; readonly runId: RunId; readonly cursor: number; readonly sql: string };

/** What each request answers with. */
export interface WorkerAnswers {
  boot: BootProgress;
  run: RunOutcome;
  validate: LoadResult;
  adopt: null;
  tables: TablesSnapshot;
  query: QueryOutcome;
}

export type RequestMessage = { readonly id: number } & WorkerRequest;

export type WorkerMessage =
  | { readonly kind: 'answer'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'failure'; readonly id: number; readonly error: string; readonly unknownRun?: boolean }
  | { readonly kind: 'boot-progress'; readonly progress: BootProgress };
