/**
 * A stand-in for PGlite that answers every call with what the real database answered when the
 * same run was recorded. A run is deterministic, so the i-th call of a replayed run is the i-th
 * call of the recording; each call is checked against it.
 *
 * Used by the benchmark to time the simulator on its own: with the database answering
 * instantly, what is left is the kernel, the trace, the strategies, the broker and the checker.
 */
import type { PGlite } from '@electric-sql/pglite';

type Call =
  | { method: 'query'; sql: string; result: unknown }
  | { method: 'exec'; sql: string; result: unknown }
  | { method: 'listen'; sql: string; result: undefined };

export interface Recording {
  readonly calls: readonly Call[];
}

/** Wraps a real PGlite: everything is forwarded, and every call and its answer are kept. */
export function recordingDb(pg: PGlite): { db: PGlite; recording: Recording } {
  const calls: Call[] = [];
  const db = {
    async query(sql: string, params?: unknown[]) {
      const result = await pg.query(sql, params);
      calls.push({ method: 'query', sql, result: structuredClone(result) });
      return result;
    },
    async exec(sql: string) {
      const result = await pg.exec(sql);
      calls.push({ method: 'exec', sql, result: structuredClone(result) });
      return result;
    },
    async listen(channel: string, callback: (payload: string) => void) {
      calls.push({ method: 'listen', sql: channel, result: undefined });
      return pg.listen(channel, callback);
    },
  };
  return { db: db as unknown as PGlite, recording: { calls } };
}

/**
 * Answers from a recording. The answers are cloned up front (outside any timing) because
 * callers may keep or change the rows they get. NOTIFY callbacks are not replayed: benchmark
 * scenarios must not rely on LISTEN (no strategy does by default).
 */
export function replayingDb(recording: Recording): PGlite {
  const calls = structuredClone(recording.calls) as Call[];
  let next = 0;
  const answer = (method: Call['method'], sql: string): unknown => {
    const call = calls[next];
    if (!call || call.method !== method || call.sql !== sql) {
      throw new Error(`replay diverged at call ${next}: got ${method} ${sql.slice(0, 80)}, recorded ${call ? `${call.method} ${call.sql.slice(0, 80)}` : 'nothing'}`);
    }
    next++;
    return call.result;
  };
  const db = {
    async query(sql: string) {
      return answer('query', sql);
    },
    async exec(sql: string) {
      return answer('exec', sql);
    },
    async listen(channel: string) {
      answer('listen', channel);
      return async () => {};
    },
  };
  return db as unknown as PGlite;
}
