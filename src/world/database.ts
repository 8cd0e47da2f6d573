/**
 * The database as strategies and consumer services see it. The simulator implements it on
 * PGlite (src/infra/database), the real world on a PostgreSQL server with one connection per
 * actor. Every statement names the actor that runs it: the trace records who did what, and a
 * crash kills exactly that actor's sessions.
 */
export type Row = Record<string, unknown>;

/** What a step may do inside one transaction. */
export interface Sql {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Database {
  /**
   * One statement in its own implicit transaction. Prepared transactions are finished with
   * plain statements here: `commit prepared 'gid'`, `rollback prepared 'gid'`.
   */
  query<R extends Row = Row>(actor: string, sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** One transaction; anything thrown inside (including a crash) rolls it back. */
  transaction<T>(actor: string, work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs `work` and leaves its transaction prepared under `gid` (PREPARE TRANSACTION). */
  prepare(actor: string, gid: string, work: (sql: Sql) => Promise<void>): Promise<void>;
  /** LISTEN on a channel; resolves to the function that stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}
