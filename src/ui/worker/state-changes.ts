import type { TraceEntry } from '../../sim/trace';

/**
 * Where the tables can change along a trace, and which ones: after a statement outside any
 * transaction, after a commit, after a prepared transaction is committed or rolled back (and,
 * for pg_prepared_xacts only, after PREPARE TRANSACTION). Between two such points every cursor
 * shows the same tables, so one snapshot per point is enough for time travel.
 */
export interface StateChange {
  /** Entries applied when the change is visible: the database replayed up to here shows it. */
  readonly position: number;
  /** Qualified tables written (`outbox.messages`); 'all' when a write could not be read. */
  readonly tables: ReadonlySet<string> | 'all';
  /** Whether the list of prepared transactions changed. */
  readonly prepared: boolean;
}

const WRITE_TARGET = /\b(?:insert\s+into|update|delete\s+from|merge\s+into|truncate(?:\s+table)?)\s+(?:only\s+)?([a-z_][\w]*)\.([a-z_][\w]*)/gi;
const READ_ONLY = /^(select|begin|commit|rollback|show|values|table)\b/i;
const PREPARE = /^prepare\s+transaction\s+'((?:[^']|'')*)'/i;
const FINISH_PREPARED = /^(commit|rollback)\s+prepared\s+'((?:[^']|'')*)'/i;

/** The tables a statement writes; 'all' for a write whose target it cannot name. */
export function writtenTables(sql: string): Set<string> | 'all' {
  const tables = new Set<string>();
  for (const match of sql.matchAll(WRITE_TARGET)) tables.add(`${match[1]!.toLowerCase()}.${match[2]!.toLowerCase()}`);
  if (tables.size > 0) return tables;
  // `select ... for update` locks, pg_notify notifies: neither changes a table's rows.
  return READ_ONLY.test(sql.trim()) ? tables : 'all';
}

function merge(into: Set<string> | 'all', more: Set<string> | 'all'): Set<string> | 'all' {
  if (into === 'all' || more === 'all') return 'all';
  for (const table of more) into.add(table);
  return into;
}

export function stateChanges(trace: readonly TraceEntry[]): StateChange[] {
  const changes: StateChange[] = [];
  const preparedWrites = new Map<string, Set<string> | 'all'>();
  let open: Set<string> | 'all' | undefined;
  trace.forEach((entry, index) => {
    if (entry.kind !== 'sql') return;
    const sql = entry.sql.trim();
    const position = index + 1;
    if (/^begin\b/i.test(sql)) {
      open = new Set();
      return;
    }
    const prepare = PREPARE.exec(sql);
    if (open !== undefined && prepare) {
      preparedWrites.set(prepare[1]!, open);
      open = undefined;
      changes.push({ position, tables: new Set(), prepared: true });
      return;
    }
    if (open !== undefined && /^commit\b/i.test(sql)) {
      const written = open;
      open = undefined;
      if (written === 'all' || written.size > 0) changes.push({ position, tables: written, prepared: false });
      return;
    }
    if (open !== undefined && /^rollback\b/i.test(sql)) {
      open = undefined;
      return;
    }
    if (open !== undefined) {
      open = merge(open, writtenTables(sql));
      return;
    }
    const finish = FINISH_PREPARED.exec(sql);
    if (finish) {
      const written = finish[1]!.toLowerCase() === 'commit' ? (preparedWrites.get(finish[2]!) ?? 'all') : new Set<string>();
      preparedWrites.delete(finish[2]!);
      changes.push({ position, tables: written, prepared: true });
      return;
    }
    const written = writtenTables(sql);
    if (written === 'all' || written.size > 0) changes.push({ position, tables: written, prepared: false });
  });
  return changes;
}
